"""Reading and editing a document's metadata (publication date, outlet, URL, author).

An edit is a Change like any other (one documents-row op with the old and new values and their
sources), so it is undoable and in the history. A typed value is marked "typed"; clearing a
field keeps the mark, so a later re-detection never refills what the analyst removed.
"""

from __future__ import annotations

from annotator.core.doc_metadata import COLUMNS, FIELDS, LABELS, DocumentMetadata, MetadataError, check_typed
from annotator.session.changes import Change, Op
from annotator.session.corpus import Corpus, EditError

_SELECT = ", ".join(COLUMNS)


def document_metadata(corpus: Corpus, doc_id: int) -> DocumentMetadata:
    row = corpus.db.execute(f"SELECT {_SELECT} FROM documents WHERE id = ?", [doc_id]).fetchone()
    if row is None:
        raise EditError(f"document {doc_id} does not exist")
    cols = dict(zip(COLUMNS, row))
    return DocumentMetadata(doc_id, *(cols[f] for f in FIELDS), sources={f: cols[f"{f}_src"] for f in FIELDS})


def plan_set_metadata(corpus: Corpus, doc_id: int, **values: str | None) -> Change:
    """Set some of published / outlet / url / author (None or "" clears one), as typed values.

    Dates are read as doc_metadata.normalize_date reads them and stored as YYYY-MM-DD; a value
    that cannot be stored is refused with a message, and nothing is planned.
    """
    current = document_metadata(corpus, doc_id)
    before: dict = {"id": doc_id}
    after: dict = {"id": doc_id}
    changed = []
    for name, raw in values.items():
        try:
            value = check_typed(name, raw)
        except MetadataError as exc:
            raise EditError(str(exc)) from exc
        if value == current.value(name):
            continue
        before.update({name: current.value(name), f"{name}_src": current.source(name)})
        after.update({name: value, f"{name}_src": "typed"})
        changed.append(f"{LABELS[name]} {value}" if value is not None else f"no {LABELS[name]}")
    if not changed:
        raise EditError("nothing to change in the document's metadata")
    return Change(f"set {', '.join(changed)}", doc_id, (Op("documents", before, after),))


def outlets(corpus: Corpus) -> list[tuple[str | None, int]]:
    """Every outlet with its number of documents, most documents first; None (outlet unknown) last."""
    rows = corpus.db.execute(
        "SELECT outlet, count(*) FROM documents INDEXED BY documents_outlet GROUP BY outlet ORDER BY outlet IS NULL, count(*) DESC, outlet"
    )
    return [(r[0], r[1]) for r in rows]


def date_span(corpus: Corpus) -> tuple[str | None, str | None]:
    """The first and last publication date in the corpus (None, None when no document has one)."""
    first = corpus.db.execute("SELECT min(published) FROM documents").fetchone()[0]
    last = corpus.db.execute("SELECT max(published) FROM documents").fetchone()[0]
    return first, last

