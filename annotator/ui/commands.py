"""Undo commands: each wraps one session Change; redo applies it, undo applies its inverse."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtGui import QUndoCommand

from annotator.session import Change


class Committer(Protocol):
    def commit(self, change: Change) -> bool: ...


class ChangeCommand(QUndoCommand):
    """A refused apply (conflict, locked or full disk) marks the command obsolete, so
    QUndoStack drops it instead of keeping a step that no longer matches the database."""

    def __init__(self, committer: Committer, change: Change):
        super().__init__(change.action)
        self.committer = committer
        self.change = change

    def redo(self) -> None:
        if not self.committer.commit(self.change):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self.committer.commit(self.change.inverse()):
            self.setObsolete(True)
