"""Storing imported records: dedupe by text hash, one transaction per batch."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from annotator.core.model import ANNOTATOR_ORIGIN
from annotator.core.records import Record
from annotator.core.scheme import colour_for_new_label
from annotator.session.corpus import Corpus


@dataclass
class StoreResult:
    added: list[int] = field(default_factory=list)
    duplicates: list[Record] = field(default_factory=list)
    new_labels: list[str] = field(default_factory=list)


def known_hashes(corpus: Corpus, hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(hashes), 500):
        chunk = hashes[i : i + 500]
        marks = ",".join("?" for _ in chunk)
        found.update(r[0] for r in corpus.db.execute(f"SELECT sha256 FROM documents WHERE sha256 IN ({marks})", chunk))
    return found


class _Labels:
    """The label scheme, grown as new labels arrive (in the caller's transaction)."""

    def __init__(self, corpus: Corpus, result: StoreResult):
        self.db, self.result = corpus.db, result
        self.names = {r[0] for r in self.db.execute("SELECT name FROM labels")}

    def ensure(self, label: str) -> None:
        if label not in self.names:
            n = len(self.names)
            self.db.execute(
                "INSERT INTO labels (name, color, key, hidden, position) VALUES (?, ?, '', 0, ?)", [label, colour_for_new_label(n), n]
            )
            self.names.add(label)
            self.result.new_labels.append(label)


def store_records(corpus: Corpus, records: list[Record], span_origin: dict[int, str] | None = None) -> StoreResult:
    """Insert a batch of records (with their spans) in one transaction.

    `span_origin` maps a record's index to the origin of its spans (a model name+version);
    records without an entry have spans from their file. Records whose text is already
    in the corpus are skipped and returned as duplicates, so a re-run after a kill
    completes the import without doubling anything. Each stored record gets its `doc_id`.
    """
    result = StoreResult()
    span_origin = span_origin or {}
    db = corpus.db
    with db.atomic():
        seen = known_hashes(corpus, [r.sha256 for r in records])
        labels = _Labels(corpus, result)
        for i, rec in enumerate(records):
            sha = rec.sha256
            if sha in seen:
                result.duplicates.append(rec)
                continue
            seen.add(sha)
            cur = db.execute(
                "INSERT INTO documents (source, title, text, sha256, meta, status, annotator) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [rec.where, rec.title, rec.text, sha, json.dumps(rec.meta, ensure_ascii=False), rec.status,
                 corpus.annotator if rec.status != "new" else ""],
            )
            doc_id = cur.lastrowid
            rec.doc_id = doc_id
            result.added.append(doc_id)
            origin = span_origin.get(i) or (f"file:{rec.source}" if rec.source else ANNOTATOR_ORIGIN)
            origins = rec.span_origins if rec.span_origins is not None and i not in span_origin else None
            for n, (start, end, label) in enumerate(rec.spans or ()):
                labels.ensure(label)
                db.execute(
                    "INSERT INTO spans (doc_id, start, end, label, origin) VALUES (?, ?, ?, ?, ?)",
                    [doc_id, start, end, label, origins[n] if origins else origin],
                )
            _store_extras(corpus, doc_id, rec, origin)
        if result.added:
            db.execute(
                "INSERT INTO history (annotator, doc_id, action, ops) VALUES (?, NULL, ?, ?)",
                [corpus.annotator, f"import {len(result.added)} documents",
                 json.dumps({"documents": result.added, "new_labels": result.new_labels})],
            )
    return result


def _store_extras(corpus: Corpus, doc_id: int, rec: Record, origin: str) -> None:
    """What a record carries beside entities: rejected spans, relations, tokens and tool keys, stances."""
    db = corpus.db
    for start, end, label in rec.rejected_spans:
        db.execute("INSERT OR IGNORE INTO rejected_spans (doc_id, start, end, label, origin) VALUES (?, ?, ?, ?, ?)",
                   [doc_id, start, end, label, origin])
    for rel in rec.relations:
        db.execute(
            "INSERT INTO relations (doc_id, head_start, head_end, head_label, child_start, child_end, child_label, label, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [doc_id, *rel.head, *rel.child, rel.label, origin],
        )
    if rec.tokens is not None or rec.tool:
        db.execute(
            "INSERT OR REPLACE INTO document_formats (doc_id, tokens, tool) VALUES (?, ?, ?)",
            [doc_id, json.dumps(rec.tokens) if rec.tokens is not None else None, json.dumps(rec.tool, ensure_ascii=False)],
        )
    for target, value, ev_start, ev_end in rec.stances:
        if not db.execute("SELECT 1 FROM stance_targets WHERE name = ?", [target]).fetchone():
            n = db.execute("SELECT count(*) FROM stance_targets").fetchone()[0]
            db.execute("INSERT INTO stance_targets (name, hidden, position) VALUES (?, 0, ?)", [target, n])
        if not db.execute("SELECT 1 FROM stance_values WHERE name = ?", [value]).fetchone():
            n = db.execute("SELECT count(*) FROM stance_values").fetchone()[0]
            db.execute("INSERT INTO stance_values (name, position) VALUES (?, ?)", [value, n])
        db.execute("INSERT INTO stances (doc_id, target, value, ev_start, ev_end, annotator) VALUES (?, ?, ?, ?, ?, ?)",
                   [doc_id, target, value, ev_start, ev_end, corpus.annotator])


def merge_into(corpus: Corpus, doc_id: int, rec: Record) -> list[str]:
    """Add a later record's annotations to the document stored for the same text; returns what was left out."""
    notes: list[str] = []
    db = corpus.db
    result = StoreResult()
    with db.atomic():
        labels = _Labels(corpus, result)
        existing = list(db.execute("SELECT start, end, label FROM spans WHERE doc_id = ?", [doc_id]))
        origin = f"file:{rec.source}" if rec.source else ANNOTATOR_ORIGIN
        for start, end, label in rec.spans or ():
            clash = next(((s, e, lb) for s, e, lb in existing if s < end and start < e), None)
            if clash == (start, end, label):
                continue
            if clash is not None:
                notes.append(f"{label} [{start}, {end}) overlaps {clash[2]} [{clash[0]}, {clash[1]}) of the earlier record: left out")
                continue
            labels.ensure(label)
            db.execute("INSERT INTO spans (doc_id, start, end, label, origin) VALUES (?, ?, ?, ?, ?)", [doc_id, start, end, label, origin])
            existing.append((start, end, label))
        _store_extras(corpus, doc_id, Record(text=rec.text, rejected_spans=rec.rejected_spans, relations=rec.relations), origin)
        db.execute("INSERT INTO history (annotator, doc_id, action, ops) VALUES (?, ?, ?, ?)",
                   [corpus.annotator, doc_id, "import merge", json.dumps({"from": rec.where})])
    return notes
