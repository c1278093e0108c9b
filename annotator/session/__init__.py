"""Use cases over a corpus: read documents, plan and apply edits, import."""

from annotator.session.changes import Change, ConflictError, Op
from annotator.session.corpus import Corpus, DocRow, EditError, ListenerError

__all__ = ["Change", "ConflictError", "Corpus", "DocRow", "EditError", "ListenerError", "Op"]
