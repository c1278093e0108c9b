"""The open corpus and its undo history: the one object a front end (the window, a test, a web
server later) drives every edit through.

`run(plan)` plans, commits and records one edit and returns an `EditResult`: no flags, no
exceptions for what a user can cause. `undo()` and `redo()` work across documents and across
restarts (the history table is the undo history). `open(path)` switches corpus in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import AnnotatorError, Kind
from annotator.session.changes import Change
from annotator.session.corpus import Corpus, ListenerError
from annotator.session.history import REDO, UNDO, History

log = logging.getLogger("annotator.session")


@dataclass(frozen=True)
class EditResult:
    """What became of one edit. `ok`: committed (the view may still have failed to show it:
    `view_error`); otherwise `error` says why nothing was written and `kind` what sort of reason."""

    ok: bool
    change: Change | None = None
    message: str = ""
    error: AnnotatorError | None = None
    view_error: Exception | None = None
    undo: bool = False  # the edit was an undo or a redo (the view reveals what changed)

    @property
    def kind(self) -> Kind | None:
        return self.error.kind if self.error else None

    @property
    def refused(self) -> bool:
        """Refused by a rule while planning or by a conflict (as opposed to a storage failure)."""
        return self.kind in (Kind.REFUSED, Kind.CONFLICT, Kind.NOT_FOUND)


class Session:
    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.history = History(corpus)
        self._change_listeners: list[Callable[[Change], None]] = []
        self._open_listeners: list[Callable[[], None]] = []
        self._history_listeners: list[Callable[[], None]] = []
        corpus.subscribe(self._on_change)
        self.history.subscribe(self._on_history)

    @classmethod
    def open_path(cls, path: str | Path, annotator: str | None = None) -> Session:
        return cls(Corpus(path, annotator))

    @property
    def path(self) -> Path:
        return self.corpus.path

    # ---- listeners: they follow the session across corpus switches --------------------------
    def subscribe(self, listener: Callable[[Change], None]) -> None:
        """Called after every committed change (edits, undo, redo, imports in this process)."""
        self._change_listeners.append(listener)

    def on_open(self, listener: Callable[[], None]) -> None:
        """Called after another corpus was opened."""
        self._open_listeners.append(listener)

    def on_history(self, listener: Callable[[], None]) -> None:
        """Called when what undo/redo would do has changed."""
        self._history_listeners.append(listener)

    def _on_change(self, change: Change) -> None:
        for listener in list(self._change_listeners):
            listener(change)  # failures surface as the corpus's ListenerError

    def _on_history(self) -> None:
        for listener in list(self._history_listeners):
            listener()

    # ---- editing ----------------------------------------------------------------------------
    def run(self, plan: Callable[[], Change]) -> EditResult:
        """Plan, commit, record one edit. A refusal or a failed write comes back as a result with
        its message; nothing is written then, and nothing goes on the undo history."""
        try:
            change = plan()
        except AnnotatorError as exc:
            return EditResult(False, None, str(exc), exc)
        return self._commit(change, "edit", None)

    def apply(self, change: Change) -> EditResult:
        """Commit an already planned change as one edit."""
        return self._commit(change, "edit", None)

    def undo(self) -> EditResult:
        entry = self.history.next_undo()
        if entry is None:
            return EditResult(False, None, "nothing to undo")
        history_id, change = entry
        return self._commit(change.inverse(), UNDO, history_id, change.action)

    def redo(self) -> EditResult:
        entry = self.history.next_redo()
        if entry is None:
            return EditResult(False, None, "nothing to redo")
        history_id, change = entry
        return self._commit(change, REDO, history_id, change.action)

    def _commit(self, change: Change, kind: str, ref: int | None, name: str = "") -> EditResult:
        step = kind in (UNDO, REDO)
        try:
            history_id = self.corpus.commit(change, kind, ref)
        except ListenerError as exc:  # saved; a view failed to show it: the edit stands
            self._record_after_listener_error(kind, ref)
            return EditResult(True, change, f"saved · {change.action}", None, exc, undo=step)
        except AnnotatorError as exc:
            if step and exc.kind in (Kind.CONFLICT, Kind.REFUSED):
                self.history.drop(ref)  # its rows moved since: the step can never apply again
            verb = "undo" if kind == UNDO else "redo" if kind == REDO else ""
            message = f"cannot {verb} {name or change.action}: {exc}" if verb else f"Not saved: {exc}"
            return EditResult(False, change, message, exc, undo=step)
        self.history.record(history_id, kind, ref)
        return EditResult(True, change, f"saved · {change.action}", undo=step)

    def _record_after_listener_error(self, kind: str, ref: int | None) -> None:
        rows = self.corpus.history_kinds(1)
        if rows:
            self.history.record(rows[-1][0], kind, ref)

    # ---- switching corpus ---------------------------------------------------------------------
    def open(self, path: str | Path) -> None:
        """Open another corpus (raises from the error family if it cannot be opened; then nothing
        changes), close the current one, and tell the listeners."""
        corpus = Corpus(path, self.corpus.annotator)
        old = self.corpus
        self.corpus = corpus
        self.history = History(corpus)
        corpus.subscribe(self._on_change)
        self.history.subscribe(self._on_history)
        old.close()
        for listener in list(self._open_listeners):
            listener()
        self._on_history()

    def close(self) -> None:
        self.corpus.close()


__all__ = ["EditResult", "Session"]
