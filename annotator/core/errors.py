"""One family for every failure a user can act on.

Each error carries a `kind` that says what the user can do about it; the CLI maps kinds to
exit codes in one place and the window to one message style. Anything that is not an
AnnotatorError is a bug: it is logged with its traceback and shown as one line naming the log.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    REFUSED = "refused"  # an edit that would break a rule (overlap, unknown label, empty name)
    CONFLICT = "conflict"  # the rows an edit expected moved (edited elsewhere, undone twice)
    NOT_FOUND = "not_found"  # a document, entity, file or model that is not there
    LOCKED = "locked"  # another process holds the database for writing
    STORAGE = "storage"  # the write failed: disk full, read-only, busy, I/O
    DAMAGED = "damaged"  # the database file is not usable
    BAD_INPUT = "bad_input"  # a file, option or value the user gave that cannot be used
    MODEL = "model"  # a pipeline that cannot be loaded or run
    CANCELLED = "cancelled"  # the user stopped it; what was done is kept


# One exit code per kind, for scripts: 1 is kept for "finished, but something was rejected".
EXIT_CODES: dict[Kind, int] = {
    Kind.REFUSED: 3,
    Kind.CONFLICT: 3,
    Kind.NOT_FOUND: 4,
    Kind.LOCKED: 5,
    Kind.STORAGE: 6,
    Kind.DAMAGED: 7,
    Kind.BAD_INPUT: 2,
    Kind.MODEL: 8,
    Kind.CANCELLED: 130,
}


class AnnotatorError(Exception):
    """A failure with a message for the user; `kind` says what sort of thing to do about it."""

    kind: Kind = Kind.BAD_INPUT

    def __init__(self, message: str = "", *, kind: Kind | str | None = None):
        super().__init__(message)
        if kind is not None:
            self.kind = Kind(kind)

    @property
    def message(self) -> str:
        return str(self)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.kind]


class RefusedEdit(AnnotatorError):
    kind = Kind.REFUSED


class Conflict(AnnotatorError):
    kind = Kind.CONFLICT


class NotFound(AnnotatorError):
    kind = Kind.NOT_FOUND


class Locked(AnnotatorError):
    kind = Kind.LOCKED


class StorageFailed(AnnotatorError):
    kind = Kind.STORAGE


class Damaged(AnnotatorError):
    kind = Kind.DAMAGED


class BadInput(AnnotatorError):
    kind = Kind.BAD_INPUT


class ModelUnavailable(AnnotatorError):
    kind = Kind.MODEL


class Cancelled(AnnotatorError):
    kind = Kind.CANCELLED


__all__ = [
    "EXIT_CODES",
    "AnnotatorError",
    "BadInput",
    "Cancelled",
    "Conflict",
    "Damaged",
    "Kind",
    "Locked",
    "ModelUnavailable",
    "NotFound",
    "RefusedEdit",
    "StorageFailed",
]
