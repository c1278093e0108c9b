"""Unexpected errors: logged to a file and stderr, and shown with details to copy. Never swallowed."""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

log = logging.getLogger("annotator")


def log_dir() -> Path:
    return Path(QStandardPaths.writableLocation(QStandardPaths.AppDataLocation) or Path.home() / ".annotator")


class _PrivateRotatingFileHandler(RotatingFileHandler):
    """The log quotes titles and messages from any corpus: it is readable by its owner only (0600),
    as private as the most private database, also after a rotation."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        os.fchmod(fd, 0o600)
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


def setup_logging(directory: Path | None = None) -> Path:
    """Log to <data dir>/annotator.log (rotated) and to stderr; returns the log file."""
    directory = directory or log_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "annotator.log"
    root = logging.getLogger("annotator")
    if not any(getattr(h, "_annotator", False) for h in root.handlers):
        fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        for handler in (_PrivateRotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"),
                        logging.StreamHandler()):
            handler.setFormatter(fmt)
            handler._annotator = True
            root.addHandler(handler)
        root.setLevel(logging.INFO)
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
