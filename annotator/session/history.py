"""The undo history, without Qt: which committed changes can be undone and redone.

The stacks hold ids of rows in the corpus's append-only `history` table; the change itself is
read back from that row when it is undone or redone, so the stacks are rebuilt from the table
after a restart (the last run's edits can still be undone) by replaying the same rules that
keep them while the app runs:

- an edit (or any bulk operation) goes on the undo stack and clears the redo stack;
- an undo of row X takes X off the undo stack and puts it on the redo stack;
- a redo of row X takes it back from the redo stack to the undo stack;
- an import is not undone from here (its documents may be edited since; delete them instead).
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.session.changes import Change

UNDO, REDO, IMPORT = "undo", "redo", "import"
REBUILD_ROWS = 10_000  # how far back a restart looks; older edits stay in the history table


class History:
    def __init__(self, corpus, limit: int = REBUILD_ROWS):
        self.corpus = corpus
        self.undo_ids: list[int] = []
        self.redo_ids: list[int] = []
        self._listeners: list[Callable[[], None]] = []
        for history_id, kind, ref in corpus.history_kinds(limit):
            self._step(history_id, kind, ref)

    # ---- keeping the stacks ------------------------------------------------------------
    def record(self, history_id: int, kind: str = "edit", ref: int | None = None) -> None:
        """A committed history row: move the stacks as the rules say and tell the listeners."""
        self._step(history_id, kind, ref)
        self._changed()

    def drop(self, history_id: int) -> None:
        """An entry that can no longer be undone or redone (its rows changed elsewhere): forget it."""
        for stack in (self.undo_ids, self.redo_ids):
            if history_id in stack:
                stack.remove(history_id)
        self._changed()

    def clear(self) -> None:
        self.undo_ids.clear()
        self.redo_ids.clear()
        self._changed()

    def _step(self, history_id: int, kind: str, ref: int | None) -> None:
        if kind == UNDO:
            if ref is None:  # an undo written before refs were kept: nothing before it is known for sure
                self.undo_ids.clear()
                self.redo_ids.clear()
            elif ref in self.undo_ids:
                self.undo_ids.remove(ref)
                self.redo_ids.append(ref)
        elif kind == REDO:
            if ref in self.redo_ids:
                self.redo_ids.remove(ref)
                self.undo_ids.append(ref)
        elif kind != IMPORT:
            self.undo_ids.append(history_id)
            self.redo_ids.clear()

    # ---- reading ------------------------------------------------------------------------
    def can_undo(self) -> bool:
        return bool(self.undo_ids)

    def can_redo(self) -> bool:
        return bool(self.redo_ids)

    def count(self) -> int:
        """Steps that can be undone."""
        return len(self.undo_ids)

    def next_undo(self) -> tuple[int, Change] | None:
        """The history id and the change undo would revert (its inverse is what gets applied)."""
        return (self.undo_ids[-1], self.corpus.history_change(self.undo_ids[-1])) if self.undo_ids else None

    def next_redo(self) -> tuple[int, Change] | None:
        return (self.redo_ids[-1], self.corpus.history_change(self.redo_ids[-1])) if self.redo_ids else None

    def undo_text(self) -> str:
        entry = self.next_undo()
        return entry[1].action if entry else ""

    def redo_text(self) -> str:
        entry = self.next_redo()
        return entry[1].action if entry else ""

    # ---- listeners ------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()


__all__ = ["History"]
