"""Flat tables of documents, entities or stances for pandas, R or a spreadsheet.

One row per record, the document's metadata joined onto every row, streamed in batches from one
read transaction (a consistent snapshot while the window keeps editing). `annotator table` and
the dashboard's "Save table" both write through here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import BadInput
from annotator.io.tables import Column, write_table
from annotator.session import dashboard
from annotator.session.corpus import Corpus
from annotator.session.doc_filter import DocFilter
from annotator.storage.db import read_snapshot

KINDS = ("documents", "entities", "stances")
BATCH = 1000
DOC_PAGE = 200  # documents whose entities are read at once

_META = [Column("title", "str"), Column("status", "str"), Column("published", "date"), Column("outlet", "str"),
         Column("url", "str"), Column("author", "str")]
_META_SQL = "d.title, d.status, d.published, d.outlet, d.url, d.author"

COLUMNS: dict[str, list[Column]] = {
    "documents": [
        Column("doc_id", "int"), Column("title", "str"), Column("status", "str"),
        Column("published", "date"), Column("published_src", "str"), Column("outlet", "str"), Column("outlet_src", "str"),
        Column("url", "str"), Column("url_src", "str"), Column("author", "str"), Column("author_src", "str"),
        Column("entities", "int"), Column("stances", "int"), Column("accepted_at", "str"), Column("file", "str"),
        Column("chars", "int"), Column("sha256", "str"),
    ],
    "entities": [
        Column("entity_id", "int"), Column("doc_id", "int"), Column("start", "int"), Column("end", "int"),
        Column("label", "str"), Column("text", "str"), Column("origin", "str"), *_META,
    ],
    "stances": [
        Column("stance_id", "int"), Column("doc_id", "int"), Column("holder", "str"), Column("holder_text", "str"),
        Column("holder_span_id", "int"), Column("target", "str"), Column("value", "str"), Column("document_level", "bool"),
        Column("ev_start", "int"), Column("ev_end", "int"), Column("evidence", "str"), Column("note", "str"),
        Column("annotator", "str"), Column("created_at", "str"), *_META,
    ],
}


@dataclass(frozen=True)
class TableResult:
    kind: str
    rows: int
    out: Path | None


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise BadInput(f"unknown table {kind!r}: choose one of {', '.join(KINDS)}")


def count_rows(corpus: Corpus, kind: str, where: DocFilter | None = None) -> int:
    check_kind(kind)
    clauses, args = (where or DocFilter()).clauses("d")
    sql = " WHERE " + " AND ".join(clauses) if clauses else ""
    if kind == "documents":
        return corpus.db.execute(f"SELECT count(*) FROM documents d{sql}", args).fetchone()[0]
    table = "spans" if kind == "entities" else "stances"
    if not clauses:
        return corpus.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return corpus.db.execute(f"SELECT count(*) FROM documents d CROSS JOIN {table} r ON r.doc_id = d.id{sql}", args).fetchone()[0]


def rows(corpus: Corpus, kind: str, where: DocFilter | None = None) -> Iterator[list[tuple]]:
    """Batches of rows in COLUMNS[kind] order, documents in id order."""
    check_kind(kind)
    clauses, args = (where or DocFilter()).clauses("d")
    sql = " WHERE " + " AND ".join(clauses) if clauses else ""
    with read_snapshot(corpus.db):
        if kind == "documents":
            yield from _batches(corpus.db.execute(
                "SELECT d.id, d.title, d.status, d.published, d.published_src, d.outlet, d.outlet_src, d.url, d.url_src, "
                "d.author, d.author_src, (SELECT count(*) FROM spans WHERE doc_id = d.id), "
                "(SELECT count(*) FROM stances WHERE doc_id = d.id), a.ts, d.source, length(d.text), d.sha256 "
                f"FROM documents d LEFT JOIN documents_accepted a ON a.doc_id = d.id{sql} ORDER BY d.id",
                args,
            ))
        elif kind == "stances":
            g = dashboard.holder_grouping(corpus)
            yield from _batches(corpus.db.execute(
                f"SELECT s.id, s.doc_id, {g.expr}, s.holder_text, s.holder_span_id, s.target, s.value, s.ev_start IS NULL, "
                "s.ev_start, s.ev_end, CASE WHEN s.ev_start IS NULL THEN NULL ELSE substr(d.text, s.ev_start + 1, s.ev_end - s.ev_start) END, "
                f"s.note, s.annotator, s.created_at, {_META_SQL} "
                f"FROM stances s {g.join} JOIN documents d ON d.id = s.doc_id{sql} ORDER BY s.doc_id, s.id",
                args,
            ), bools=(7,))
        else:
            yield from _entities(corpus, sql, args)


def _entities(corpus: Corpus, sql: str, args: list) -> Iterator[list[tuple]]:
    # the text is read once per document and cut in Python: substr() per entity would read the
    # whole article (its overflow pages) again for each of its entities
    after = 0
    docs_sql = f"SELECT d.id, d.text, {_META_SQL} FROM documents d{sql}{' AND' if sql else ' WHERE'} d.id > ? ORDER BY d.id LIMIT ?"
    out: list[tuple] = []
    while True:
        docs = corpus.db.execute(docs_sql, [*args, after, DOC_PAGE]).fetchall()
        if not docs:
            break
        after = docs[-1][0]
        by_id = {d[0]: d for d in docs}
        spans = corpus.db.execute(
            "SELECT id, doc_id, start, end, label, origin FROM spans WHERE doc_id BETWEEN ? AND ? ORDER BY doc_id, start, end",
            [docs[0][0], after],
        )
        for span_id, doc_id, start, end, label, origin in spans:
            doc = by_id.get(doc_id)
            if doc is not None:  # ids in the range that the filter leaves out are skipped
                out.append((span_id, doc_id, start, end, label, doc[1][start:end], origin, *doc[2:]))
        if len(out) >= BATCH:
            yield out
            out = []
    if out:
        yield out


def _batches(cursor, bools: tuple[int, ...] = ()) -> Iterator[list[tuple]]:
    while True:
        batch = cursor.fetchmany(BATCH)
        if not batch:
            return
        if bools:
            batch = [tuple(bool(v) if i in bools and v is not None else v for i, v in enumerate(row)) for row in batch]
        yield batch




def write(
    corpus: Corpus,
    kind: str,
    fmt: str = "csv",
    out: Path | None = None,
    where: DocFilter | None = None,
    on_rows: Callable[[int], None] | None = None,
) -> TableResult:
    """Write one table; `out` None writes csv or jsonl to standard output."""
    check_kind(kind)
    n = write_table(COLUMNS[kind], rows(corpus, kind, where), fmt, out, on_rows)
    return TableResult(kind, n, out)
