"""Undo commands: each wraps one session Change; redo applies it, undo applies its inverse."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QUndoCommand, QUndoStack

from annotator.session import Change, ConflictError, Corpus, EditError, ListenerError


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


class StackCommitter:
    """push(change) the way the window does it, for widgets used without the window:
    the command's first redo commits, so nothing is on the stack before it is in the file."""

    def __init__(self, corpus: Corpus, stack: QUndoStack, on_error: Callable[[str], None] | None = None):
        self.corpus = corpus
        self.stack = stack
        self.on_error = on_error
        self._ok = False

    def push(self, change: Change) -> bool:
        self._ok = False
        self.stack.push(ChangeCommand(self, change))
        return self._ok

    def commit(self, change: Change) -> bool:
        try:
            self.corpus.apply(change)
        except ListenerError as exc:  # saved; a view failed to show it: report the bug, the edit stands
            sys.excepthook(type(exc), exc, exc.__traceback__)
        except (EditError, ConflictError) as exc:
            if self.on_error:
                self.on_error(f"cannot {change.action}: {exc}")
            self._ok = False
            return False
        self._ok = True
        return True
