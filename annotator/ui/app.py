"""Entry point of the window: `main(db_path)` is what `annotator` and `annotator run` call."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.ui.errors import ErrorReporter, setup_logging
from annotator.ui.plain import plain_box
from annotator.ui.theme import apply_theme

ORGANISATION = "annotator"
APPLICATION = "annotator"
ICONS = Path(__file__).resolve().parent / "icons"  # package data: there in an installed wheel too
log = logging.getLogger("annotator.ui")


def make_application(argv: list[str] | None = None, dark: bool | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("annotator")
    icon = ICONS / "icon.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    choice = QSettings().value("view/theme", "system")
    if dark is None and choice in ("light", "dark"):
        dark = choice == "dark"
    apply_theme(app, dark)
    from annotator.ui.gc_guard import install

    install(app)  # the cyclic collector on the GUI thread only (see gc_guard)
    return app


class _FirstArticleProbe(QObject):
    """ANNOTATOR_STARTUP_PROBE=1: print the time to the first painted article, then quit (for the benchmark)."""

    def __init__(self, window, started: float):
        super().__init__(window)
        self.window, self.started = window, started
        window.article.viewport().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Paint and self.window.document is not None:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        spacy = "spacy" in sys.modules
        print(f"first-article-visible {time.perf_counter() - self.started:.3f} spacy-imported={spacy}", flush=True)
        QApplication.instance().quit()


def open_window(db_path: Path):
    """The main window on db_path; a damaged database first offers its backups. None if it cannot be opened."""
    import importlib.util

    from annotator.core.errors import AnnotatorError
    from annotator.storage import DatabaseDamaged
    from annotator.storage.db import ForeignWal
    from annotator.ui.main_window import MainWindow

    while True:
        try:
            return MainWindow(db_path)
        except DatabaseDamaged as exc:
            log.error("damaged database %s: %s", db_path, exc)
            if importlib.util.find_spec("annotator.ui.restore_dialog") is None:
                plain_box(QMessageBox.Critical, "The database is damaged", str(exc)).exec()
                return None
            from annotator.ui.restore_dialog import offer_restore

            if not offer_restore(db_path, exc):
                return None  # the user chose to quit; the file was not changed
        except ForeignWal as exc:  # set aside, never applied: say so, then open the file as it is
            log.warning("%s", exc)
            plain_box(QMessageBox.Warning, "A -wal file was set aside", str(exc)).exec()
        except AnnotatorError as exc:  # not SQLite, newer schema, held by another process
            log.error("cannot open %s: %s", db_path, exc)
            plain_box(QMessageBox.Critical, "Cannot open the database", str(exc)).exec()
            return None


def main(db_path: Path = Path("annotations.db"), dark: bool | None = None) -> int:
    started = time.perf_counter()
    app = make_application(dark=dark)
    log_path = setup_logging()
    reporter = ErrorReporter(log_path)
    reporter.install()

    window = open_window(Path(db_path))
    if window is None:
        return 2
    window.show()
    if os.environ.get("ANNOTATOR_STARTUP_PROBE"):
        window._probe = _FirstArticleProbe(window, started)
    else:
        QTimer.singleShot(0, window.first_run)
    code = app.exec()
    window.deleteLater()
    return code


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else Path("annotations.db")))

