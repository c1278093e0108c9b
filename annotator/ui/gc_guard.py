"""Python's cyclic garbage collector, run on the GUI thread only.

Left automatic, the collector runs in whichever thread allocates when a threshold is crossed: often a
background thread parsing with spaCy for holder suggestions. A Qt wrapper it frees there (a closed
dialog's layout caught in a reference cycle) is handed by PySide to the GUI thread for deletion, and
PySide 6.12 crashed doing that (SIGSEGV in Shiboken::BindingManager::runDeletionInMainThread, seen
under gdb in 3-6 of 10 runs of tests/ui/test_stance_panel.py). So automatic collection is off and a
timer on the GUI thread collects what the thresholds say is due (the pattern PyQt's documentation gives
for threaded applications). Off by a zero first threshold, not gc.disable(): srsly (loading a spaCy
model) calls gc.disable() and then gc.enable() whatever the state was.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)
        gc.set_threshold(0)  # no automatic collection, in any thread

    def check(self) -> None:
        """Collect the generations that are due, as the automatic collector would have."""
        c0, c1, c2 = gc.get_count()
        if c0 > self.threshold[0]:
            gc.collect(2 if c2 > self.threshold[2] else 1 if c1 > self.threshold[1] else 0)

    def stop(self) -> None:
        self.timer.stop()
        gc.set_threshold(*self.threshold)


def install(app: QCoreApplication) -> GuiThreadCollector:
    """The application's collector (made once, owned by the application)."""
    found = app.findChild(GuiThreadCollector)
    return found if found is not None else GuiThreadCollector(app)
