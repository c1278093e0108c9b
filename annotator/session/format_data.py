"""What imports keep beside entities (migration 0005_formats), read for the window: relations and
rejected suggestions of a document. Read-only: they are edited in the tool they came from."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.session.corpus import Corpus


@dataclass(frozen=True)
class RelationRow:
    head: tuple[int, int, str]
    child: tuple[int, int, str]
    label: str
    origin: str


def has_format_data(corpus: Corpus) -> bool:
    """Whether any document has relations or rejected suggestions (the window shows its panel only then)."""
    row = corpus.db.execute(
        "SELECT EXISTS(SELECT 1 FROM relations) OR EXISTS(SELECT 1 FROM rejected_spans)").fetchone()
    return bool(row[0])


def relations(corpus: Corpus, doc_id: int) -> list[RelationRow]:
    rows = corpus.db.execute(
        "SELECT head_start, head_end, head_label, child_start, child_end, child_label, label, origin FROM relations "
        "WHERE doc_id = ? ORDER BY head_start, id", [doc_id])
    return [RelationRow(tuple(r[0:3]), tuple(r[3:6]), r[6], r[7]) for r in rows]


def rejected_spans(corpus: Corpus, doc_id: int) -> list[tuple[int, int, str]]:
    return [tuple(r) for r in corpus.db.execute(
        "SELECT start, end, label FROM rejected_spans WHERE doc_id = ? ORDER BY start", [doc_id])]
