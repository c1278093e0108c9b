"""The one path every edit in the window takes: plan → commit → record → report.

`EditRunner.run(plan)` hands the plan to the session (which commits it with its history row
and puts it on the undo history) and reports the result the same way for every widget: the
status bar says "saved" only after the commit returned; a refusal is a message; a failed write
(disk full, read-only, busy) is a message and a non-modal box; a view that failed to show a
committed edit is reported as a bug and the views are re-read from the database. Undo and redo
go the same way. Widgets get an `EditResult` back; no flags.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence

from annotator.core.errors import Kind
from annotator.session.changes import Change
from annotator.session.session import EditResult, Session

log = logging.getLogger("annotator.ui")


class Reporter:
    """Where results are shown; the window gives its own, a widget used alone the default (messages only)."""

    def __init__(self, notify: Callable[[str, bool], None] | None = None):
        self._notify = notify

    def adopt(self, notify: Callable[[str, bool], None]) -> None:
        """A widget used alone gives its own way to show messages, unless someone (the window) gave one."""
        if self._notify is None:
            self._notify = notify

    def saved(self, result: EditResult) -> None:
        pass

    def message(self, text: str, error: bool = False) -> None:
        if self._notify:
            self._notify(text, error)

    def storage_failed(self, result: EditResult) -> None:
        self.message(result.message, True)

    def view_failed(self, result: EditResult) -> None:
        exc = result.view_error
        sys.excepthook(type(exc), exc, exc.__traceback__)

    def before_step(self, change: Change) -> None:
        """An undo or redo is about to apply `change` (the window opens its document first)."""

    def revealed(self, result: EditResult) -> None:
        """An undo or redo was applied: show what it changed."""


class EditRunner(QObject):
    history_changed = Signal()

    def __init__(self, session: Session, reporter: Reporter | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.reporter = reporter or Reporter()
        session.on_history(self.history_changed.emit)

    # ---- the one path ----------------------------------------------------------------------
    def run(self, plan: Callable[[], Change]) -> EditResult:
        return self._report(self.session.run(plan))

    def apply(self, change: Change) -> EditResult:
        """An already planned change (e.g. composed from several plans)."""
        return self._report(self.session.apply(change))

    def undo(self) -> EditResult:
        entry = self.session.history.next_undo()
        if entry is not None:
            self.reporter.before_step(entry[1])
        return self._report(self.session.undo())

    def redo(self) -> EditResult:
        entry = self.session.history.next_redo()
        if entry is not None:
            self.reporter.before_step(entry[1])
        return self._report(self.session.redo())

    def _report(self, result: EditResult) -> EditResult:
        rep = self.reporter
        if result.ok:
            if result.view_error is not None:
                rep.view_failed(result)
            rep.saved(result)
            if result.undo:
                rep.revealed(result)
        elif result.error is None:  # nothing to undo / redo
            rep.message(result.message)
        elif result.kind in (Kind.STORAGE, Kind.DAMAGED, Kind.LOCKED):
            log.error("storage error: %s (cause: %r)", result.error, result.error.__cause__)
            rep.storage_failed(result)
        else:
            rep.message(result.message, result.change is not None)
        return result

    # ---- undo / redo as actions --------------------------------------------------------------
    def undo_actions(self, parent: QObject) -> tuple[QAction, QAction]:
        """Undo and Redo actions whose text and enabled state follow the history."""
        undo = QAction("&Undo", parent)
        undo.setShortcuts([QKeySequence("Ctrl+Z")])
        undo.triggered.connect(lambda _=False: self.undo())
        redo = QAction("&Redo", parent)
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        redo.triggered.connect(lambda _=False: self.redo())
        undo.setProperty("cheat_text", "Undo")
        redo.setProperty("cheat_text", "Redo")

        def refresh() -> None:
            history = self.session.history
            text = history.undo_text()
            undo.setText(f"&Undo {text}" if text else "&Undo")
            undo.setEnabled(bool(text))
            text = history.redo_text()
            redo.setText(f"&Redo {text}" if text else "&Redo")
            redo.setEnabled(bool(text))

        self.history_changed.connect(refresh)
        refresh()
        return undo, redo

    def count(self) -> int:
        """Steps that can be undone."""
        return self.session.history.count()


__all__ = ["EditRunner", "Reporter"]
