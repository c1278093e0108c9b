"""Unexpected errors: logged to a file and stderr, and shown with details to copy. Never swallowed."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from annotator.storage import logs

log = logging.getLogger("annotator")


def log_dir() -> Path:
    """The same folder the CLI logs to (annotator.storage.logs), or Qt's data folder if that cannot be made."""
    return logs.log_dir()


def setup_logging(directory: Path | None = None) -> Path:
    """Log to <data dir>/annotator.log (rotated, private) and to stderr; returns the log file."""
    root = logging.getLogger("annotator")
    handler, path = logs.file_handler(directory or log_dir())
    if not any(getattr(h, "_annotator", False) for h in root.handlers):
        fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        stream = logging.StreamHandler()
        stream.setFormatter(fmt)
        for h in (handler, stream):
            h._annotator = True
            root.addHandler(h)
        root.setLevel(logging.INFO)
    else:
        handler.close()
    return path


class ErrorDialog(QDialog):
    def __init__(self, summary: str, details: str, log_path: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Unexpected error")
        self.setObjectName("error_dialog")
        where = f"\nIt was written to the log: {log_path}" if log_path else ""
        head = QLabel(f"Something went wrong: {summary}\nYour edits up to the last “saved” are in the database.{where}")
        head.setWordWrap(True)
        head.setTextFormat(Qt.PlainText)  # the message may quote untrusted text
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        copy = buttons.addButton("Copy details", QDialogButtonBox.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(details))
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)


class _Relay(QObject):
    """Carries errors from other threads to the GUI thread."""

    error = Signal(str, str)


class ErrorReporter:
    def __init__(self, log_path: Path | None = None):
        self.log_path = log_path
        self.dialogs: list[ErrorDialog] = []
        self._relay = _Relay()
        self._relay.error.connect(self._show)
        self._showing = False

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = lambda args: self.excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    def excepthook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error\n%s", details)
        self._relay.error.emit(f"{exc_type.__name__}: {exc}", details)

    def _show(self, summary: str, details: str) -> None:
        if self._showing or QApplication.instance() is None:
            return
        self._showing = True
        try:
            dialog = ErrorDialog(summary, details, self.log_path, QApplication.activeWindow())
            dialog.finished.connect(lambda _=0, d=dialog: self.dialogs.remove(d) if d in self.dialogs else None)
            self.dialogs.append(dialog)
            dialog.show()
        finally:
            self._showing = False
