"""Background work: importing articles, warming the tokenizer.

A worker opens its own Corpus on the same file: sqlite connections stay in the thread
that made them, and SQLite's WAL lets the window keep reading meanwhile.
"""

from __future__ import annotations

import logging
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QThread, Signal

log = logging.getLogger("annotator.ui")


class ImportWorker(QThread):
    progress = Signal(int)  # documents done
    succeeded = Signal(object)  # ImportReport
    failed = Signal(str, str)  # message, details

    def __init__(self, db_path: Path, paths: list[Path], model: str | None = "default", parent=None, options=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.paths = [Path(p) for p in paths]
        self.model = model
        self.options = options  # annotator.session.imports.ImportOptions, or None for the defaults
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def _on_progress(self, done: int, _total: int | None) -> None:
        self.progress.emit(done)

    def run(self) -> None:
        from annotator.session import Corpus
        from annotator.session.imports import import_paths

        try:
            with Corpus(self.db_path) as corpus:
                # a cancelled import still stores what was annotated (report.interrupted); a re-run skips it
                report = import_paths(corpus, self.paths, model=self.model, options=self.options, on_progress=self._on_progress,
                                      should_stop=lambda: self._cancel)
        except Exception as exc:  # reported to the user in the window, with details, and logged
            details = traceback.format_exc()
            log.error("import failed\n%s", details)
            self.failed.emit(f"The import failed: {exc}", details)
            return
        self.succeeded.emit(report)


def _run(fn) -> None:
    try:
        fn()
    except Exception:  # a warm-up is an optimisation; the real call will raise it again where it matters
        log.warning("background task failed\n%s", traceback.format_exc())


def run_in_background(fn) -> None:
    """`fn` on a plain Python thread (a daemon: it never holds up quitting). `fn` must not hold the last
    reference to any Qt object: a PySide wrapper released in another thread is handed to the GUI thread
    for deletion, and PySide 6.12 crashed there (SIGSEGV in Shiboken::BindingManager::
    runDeletionInMainThread, seen under gdb). Qt's thread pool was such a case itself (the QRunnable
    was released in the pool's thread)."""
    threading.Thread(target=_run, args=(fn,), name="annotator-background", daemon=True).start()
