"""Storage errors every storage module may raise (kept apart so that no module cycle is needed)."""

from __future__ import annotations

from annotator.core.errors import AnnotatorError, Kind


class DatabaseError(AnnotatorError):
    """A database that cannot be used; the message is for the user."""

    kind = Kind.STORAGE


class SchemaTooNew(DatabaseError):
    kind = Kind.BAD_INPUT


__all__ = ["DatabaseError", "SchemaTooNew"]
