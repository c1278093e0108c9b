"""Storing imported records: dedupe by text hash, one Change (one transaction) per batch."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from annotator.core import doc_metadata
from annotator.core.model import ANNOTATOR_ORIGIN
from annotator.core.records import Record
from annotator.core.scheme import colour_for_new_label
from annotator.session.changes import Change, Op
from annotator.session.corpus import Corpus
from annotator.session.history import IMPORT


@dataclass
class StoreResult:
    added: list[int] = field(default_factory=list)
    duplicates: list[Record] = field(default_factory=list)
    new_labels: list[str] = field(default_factory=list)
    metadata_unread: list[str] = field(default_factory=list)  # "file:line: key 'value' is not a date", kept in meta only


def known_hashes(corpus: Corpus, hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(hashes), 500):
        chunk = hashes[i : i + 500]
        marks = ",".join("?" for _ in chunk)
        found.update(r[0] for r in corpus.db.execute(f"SELECT sha256 FROM documents WHERE sha256 IN ({marks})", chunk))
    return found


class _Planner:
    """Row inserts for one batch, with ids planned inside the write transaction."""

    def __init__(self, corpus: Corpus, result: StoreResult):
        self.corpus, self.result = corpus, result
        scheme = corpus.labels()
        self.labels = {lb.name for lb in scheme}
        self.colours = [lb.color for lb in scheme]
        self.targets = set(corpus.stance_targets())
        self.values = set(corpus.stance_values())
        self.ids = {t: corpus.next_id(t) for t in ("documents", "spans", "rejected_spans", "relations", "stances")}
        self.ops: dict[str, list[Op]] = {t: [] for t in (
            "labels", "stance_targets", "stance_values", "documents", "spans", "rejected_spans", "relations", "document_formats", "stances")}

    def next(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table] - 1

    def label(self, name: str) -> None:
        if name not in self.labels:
            self.colours.append(colour_for_new_label(self.colours))
            self.ops["labels"].append(Op("labels", None, {"name": name, "color": self.colours[-1], "key": "", "hidden": 0,
                                                          "position": len(self.labels)}))
            self.labels.add(name)
            self.result.new_labels.append(name)

    def span(self, doc_id: int, start: int, end: int, label: str, origin: str, surface: str | None = None) -> None:
        self.label(label)
        row = {"id": self.next("spans"), "doc_id": doc_id, "start": start, "end": end, "label": label, "origin": origin}
        if surface is not None:  # the surface text given here spares the trigger a read of the article (migration 0010)
            row["surface"] = surface
        self.ops["spans"].append(Op("spans", None, row))

    def extras(self, doc_id: int, rec: Record, origin: str) -> None:
        """What a record carries beside entities: rejected spans, relations, tokens and tool keys, stances."""
        for start, end, label in rec.rejected_spans:
            self.ops["rejected_spans"].append(Op("rejected_spans", None, {
                "id": self.next("rejected_spans"), "doc_id": doc_id, "start": start, "end": end, "label": label, "origin": origin}))
        for rel in rec.relations:
            self.ops["relations"].append(Op("relations", None, {
                "id": self.next("relations"), "doc_id": doc_id, "head_start": rel.head[0], "head_end": rel.head[1],
                "head_label": rel.head[2], "child_start": rel.child[0], "child_end": rel.child[1], "child_label": rel.child[2],
                "label": rel.label, "origin": origin}))
        if rec.tokens is not None or rec.tool:
            self.ops["document_formats"].append(Op("document_formats", None, {
                "doc_id": doc_id, "tokens": json.dumps(rec.tokens) if rec.tokens is not None else None,
                "tool": json.dumps(rec.tool, ensure_ascii=False)}))
        for target, value, ev_start, ev_end in rec.stances:
            if target not in self.targets:
                self.ops["stance_targets"].append(Op("stance_targets", None, {"name": target, "hidden": 0, "position": len(self.targets)}))
                self.targets.add(target)
            if value not in self.values:
                self.ops["stance_values"].append(Op("stance_values", None, {"name": value, "position": len(self.values)}))
                self.values.add(value)
            self.ops["stances"].append(Op("stances", None, {
                "id": self.next("stances"), "doc_id": doc_id, "target": target, "value": value, "ev_start": ev_start,
                "ev_end": ev_end, "annotator": self.corpus.annotator}))

    def all_ops(self) -> tuple[Op, ...]:
        return tuple(op for ops in self.ops.values() for op in ops)


def store_records(corpus: Corpus, records: list[Record], span_origin: dict[int, str] | None = None) -> StoreResult:
    """Insert a batch of records (with their spans) as one Change: one transaction, one history row
    of kind 'import', the same change event every edit sends (so an open window sees the documents
    arrive). Ids are planned inside the write transaction, so edits on another connection beside
    the import cannot take them in between.

    `span_origin` maps a record's index to the origin of its spans (a model name+version);
    records without an entry have spans from their file, or the origins the record names (a
    Label Studio annotator). Records whose text is already in the corpus are skipped and
    returned as duplicates, so a re-run after a kill completes the import without doubling
    anything. Each stored record gets its `doc_id`.
    """
    result = StoreResult()
    span_origin = span_origin or {}

    def plan() -> Change | None:
        result.added.clear()
        result.duplicates.clear()
        result.new_labels.clear()
        result.metadata_unread.clear()
        seen = known_hashes(corpus, [r.sha256 for r in records])
        planner = _Planner(corpus, result)
        for i, rec in enumerate(records):
            rec.doc_id = None
            sha = rec.sha256
            if sha in seen:
                result.duplicates.append(rec)
                continue
            seen.add(sha)
            doc_id = planner.next("documents")
            # publication date, outlet, URL, author: from the meta, else found in the text
            found = doc_metadata.columns(doc_metadata.find(rec.meta, rec.text))
            result.metadata_unread += [f"{rec.where}: {msg}" for fld, msg in doc_metadata.unread(rec.meta)
                                       if found[fld] is None]
            # the metadata fields live in their columns (exports write them back into meta): kept once, meta does not grow
            # (a value that could not be read stays in meta, where the analyst can see it; a null is "unknown", as
            # exports write an empty field, and is the column's NULL)
            rec.meta = {k: v for k, v in rec.meta.items()
                        if not (k in doc_metadata.FIELDS and (v is None or found.get(k) is not None))}
            planner.ops["documents"].append(Op("documents", None, {
                "id": doc_id, "source": rec.where, "title": rec.title, "text": rec.text, "sha256": sha,
                "meta": json.dumps(rec.meta, ensure_ascii=False), "status": rec.status,
                "annotator": corpus.annotator if rec.status != "new" else "", **found,
            }))
            rec.doc_id = doc_id
            result.added.append(doc_id)
            origin = span_origin.get(i) or (f"file:{rec.source}" if rec.source else ANNOTATOR_ORIGIN)
            origins = rec.span_origins if rec.span_origins is not None and i not in span_origin else None
            for n, (start, end, label) in enumerate(rec.spans or ()):
                planner.span(doc_id, start, end, label, origins[n] if origins else origin, rec.text[start:end])
            planner.extras(doc_id, rec, origin)
        if not result.added:
            return None
        return Change(f"import {len(result.added)} documents", None, planner.all_ops())

    corpus.commit_planned(plan, IMPORT, bulk=True)
    return result


def merge_into(corpus: Corpus, doc_id: int, rec: Record) -> list[str]:
    """Add a later record's annotations to the document stored for the same text (one Change);
    returns what was left out."""
    notes: list[str] = []
    result = StoreResult()

    def plan() -> Change | None:
        notes.clear()
        planner = _Planner(corpus, result)
        existing = [(s.start, s.end, s.label) for s in corpus.spans(doc_id)]
        origin = f"file:{rec.source}" if rec.source else ANNOTATOR_ORIGIN
        for start, end, label in rec.spans or ():
            clash = next(((s, e, lb) for s, e, lb in existing if s < end and start < e), None)
            if clash == (start, end, label):
                continue
            if clash is not None:
                notes.append(f"{label} [{start}, {end}) overlaps {clash[2]} [{clash[0]}, {clash[1]}) of the earlier record: left out")
                continue
            planner.span(doc_id, start, end, label, origin)
            existing.append((start, end, label))
        known = set(corpus.db.execute("SELECT start, end, label FROM rejected_spans WHERE doc_id = ?", [doc_id]).fetchall())
        planner.extras(doc_id, Record(text=rec.text, rejected_spans=[r for r in rec.rejected_spans if r not in known],
                                      relations=rec.relations), origin)
        ops = planner.all_ops()
        return Change(f"import: merge {rec.where}", doc_id, ops) if ops else None

    corpus.commit_planned(plan, IMPORT, bulk=True)
    return notes
