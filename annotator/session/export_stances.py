"""The stance export: evidence spans and article-level cats in the DocBin, every record in stances.jsonl.

Runs as an ExportExtension in every export (registered as "stances" in export.EXPORT_EXTENSIONS). The
DocBin side and the choice of training components are in annotator.io.export_stances (why
cats and spans are set only where something was recorded, and why span_finder feeds spancat).
stances.jsonl is written for every format: one line per record, in document order, streamed
through a spooled temporary file so memory does not grow with the corpus.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import srsly

from annotator.core.doc_metadata import FIELDS as METADATA_FIELDS
from annotator.core.model import Actor
from annotator.io.export_spacy import ExportDoc, Problem
from annotator.io.export_stances import (
    CANDIDATES_KEY,
    SPANS_KEY,
    set_candidates,
    set_stances,
    stance_components,
    stance_label,
    suggested_length,
)
from annotator.session.corpus import STANCE_COLS, Corpus
from annotator.session.export_extension import EXPORT_EXTENSIONS, ExportExtension

FILENAME = "stances.jsonl"
_COLS = [c.strip() for c in STANCE_COLS.split(",")]
SPOOL_BYTES = 8 << 20  # records stay in memory up to this size, then go to a temporary file


@dataclass
class StanceCounts:
    documents: int = 0  # documents with at least one stance
    records: int = 0
    evidence: int = 0
    document_level: int = 0
    skipped_evidence: int = 0  # misaligned, left out of the DocBin (--skip-misaligned)
    evidence_labels: Counter = field(default_factory=Counter)
    document_labels: Counter = field(default_factory=Counter)

    def to_json(self) -> dict:
        return {
            "documents": self.documents,
            "records": self.records,
            "evidence": self.evidence,
            "document_level": self.document_level,
            "skipped_evidence": self.skipped_evidence,
            "evidence_labels": dict(sorted(self.evidence_labels.items())),
            "document_labels": dict(sorted(self.document_labels.items())),
        }


class StanceExport(ExportExtension):
    """One instance per export (default_extensions makes a new one each time)."""

    name = "stances"
    description = "stance records: stances.jsonl in every export; evidence spans and article-level cats in the DocBin"

    def __init__(self) -> None:
        self.values: list[str] | None = None
        self.candidates = False  # sentence candidates for span_finder on every doc: the corpus has evidence
        self.splits = {"train": StanceCounts(), "dev": StanceCounts()}
        self.longest = 0  # tokens of the longest evidence span put in a DocBin
        self._skipped: set[int] = set()  # stance ids whose evidence could not be aligned
        self._spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")

    def load(self, corpus: Corpus, doc_ids: list[int]) -> dict[int, object]:
        if self.values is None:
            self.values = corpus.stance_values()
            self.candidates = bool(corpus.db.execute("SELECT EXISTS(SELECT 1 FROM stances WHERE ev_start IS NOT NULL)").fetchone()[0])
        if not doc_ids:
            return {}
        marks = ",".join("?" for _ in doc_ids)
        rows = corpus.db.execute(f"SELECT {STANCE_COLS} FROM stances WHERE doc_id IN ({marks}) ORDER BY doc_id, id", doc_ids)
        out: dict[int, list[dict]] = {}
        for row in rows:
            rec = dict(zip(_COLS, row))
            out.setdefault(rec["doc_id"], []).append(rec)
        if out:
            hashes = corpus.db.execute(f"SELECT id, sha256 FROM documents WHERE id IN ({marks})", doc_ids)
            sha = dict(hashes.fetchall())
            kb = _holder_kb_ids(corpus, {r["holder_actor_id"] for recs in out.values() for r in recs} - {None})
            for doc_id, recs in out.items():
                for rec in recs:
                    rec["doc_sha256"] = sha[doc_id]
                    rec["holder_kb_id"] = kb.get(rec["holder_actor_id"])
        return out

    def on_doc(self, doc, item: ExportDoc) -> list[Problem]:
        records = item.extras.get(self.name) or []
        problems = set_stances(doc, item.id, item.text, records, self.values or []) if records else []
        if self.candidates:
            set_candidates(doc)
        skipped = {(p.start, p.end, p.label) for p in problems}
        for rec in records:
            if rec["ev_start"] is not None and (rec["ev_start"], rec["ev_end"], stance_label(rec["target"], rec["value"])) in skipped:
                self._skipped.add(rec["id"])
        if SPANS_KEY in doc.spans:
            self.longest = max(self.longest, *(len(span) for span in doc.spans[SPANS_KEY]))
        return problems

    def on_item(self, item: ExportDoc, split: str) -> None:
        records = item.extras.get(self.name)
        if not records:
            return
        counts = self.splits[split]
        counts.documents += 1
        for rec in records:
            label = stance_label(rec["target"], rec["value"])
            counts.records += 1
            if rec["ev_start"] is None:
                counts.document_level += 1
                counts.document_labels[label] += 1
            else:
                counts.evidence += 1
                counts.evidence_labels[label] += 1
                counts.skipped_evidence += rec["id"] in self._skipped
            self._spool.write(srsly.json_dumps(jsonl_record(rec, item, split)).encode("utf-8") + b"\n")

    def pipeline(self) -> tuple[tuple[str, ...], dict[str, object]]:
        train = self.splits["train"]
        return stance_components(train.evidence > train.skipped_evidence, train.document_level > 0, self.longest)

    def finish(self, folder: Path, manifest: dict) -> None:
        total = sum(c.records for c in self.splits.values())
        spacy_format = manifest.get("format") == "spacy"
        section: dict = {"records": total, "splits": {name: c.to_json() for name, c in self.splits.items()}}
        # written for every export, empty when there are no stances, as the README promises
        _copy_synced(self._spool, folder / FILENAME)
        section["file"] = FILENAME
        manifest.setdefault("files", {})["stances"] = [FILENAME]
        if total:
            if spacy_format:
                names, _overrides = self.pipeline()
                section.update(spans_key=SPANS_KEY, candidates_key=CANDIDATES_KEY, components=list(names))
                if "span_finder" in names:
                    section["span_finder_max_length"] = suggested_length(self.longest)
            manifest.setdefault("notes", []).extend(self._notes(spacy_format))
        self._spool.close()
        manifest["stances"] = section

    def _notes(self, spacy_format: bool) -> list[str]:
        train, dev = self.splits["train"], self.splits["dev"]
        total = train.records + dev.records
        notes = [
            f"{FILENAME}: the {total} stance records (document id and sha256 of its text, split, holder and its actor, target, value, "
            "evidence offsets and text, note, annotator, and the document's published date, outlet, url and author), "
            "one JSON object a line."
        ]
        if not spacy_format:
            return notes
        notes.append(
            f'Stance evidence is in doc.spans["{SPANS_KEY}"] labelled TARGET=VALUE (set only on documents with evidence); '
            "an article-level stance is in doc.cats: TARGET=VALUE 1.0 and the other values of that target 0.0, "
            "other targets' labels left out (missing, which textcat_multilabel does not learn from)."
        )
        names, _ = self.pipeline()
        if "spancat" in names:
            notes.append(
                f"config.cfg trains span_finder to propose evidence candidates up to {suggested_length(self.longest)} tokens "
                f'(it learns from doc.spans["{CANDIDATES_KEY}"]: every sentence and every evidence span) and spancat to '
                f'label them as in doc.spans["{SPANS_KEY}"]. spancat takes documents without evidence as having none: '
                "spaCy has no 'missing' for spans."
            )
        if "textcat_multilabel" in names:
            notes.append("config.cfg trains textcat_multilabel on the article-level stances.")
        if (dev.evidence and "spancat" not in names) or (dev.document_level and "textcat_multilabel" not in names):
            notes.append("Some stances are only in dev documents: config.cfg has no component for them (nothing to train on).")
        if train.skipped_evidence + dev.skipped_evidence:
            notes.append(
                f"{train.skipped_evidence + dev.skipped_evidence} misaligned evidence span(s) were left out of the DocBin "
                "(listed in manifest.json under skipped_spans); their records are still in stances.jsonl."
            )
        longer = self.longest > suggested_length(self.longest)
        if longer:
            notes.append(f"Some evidence is longer than {suggested_length(self.longest)} tokens: span_finder never proposes it.")
        return notes


def jsonl_record(rec: dict, item: ExportDoc, split: str) -> dict:
    start, end = rec["ev_start"], rec["ev_end"]
    return {
        "id": rec["id"],
        "doc_id": rec["doc_id"],
        "doc_sha256": rec["doc_sha256"],
        "title": item.title,
        "split": split,
        "label": stance_label(rec["target"], rec["value"]),
        "target": rec["target"],
        "value": rec["value"],
        "document_level": start is None,
        "holder_text": rec["holder_text"],
        "holder_span_id": rec["holder_span_id"],
        "holder_start": rec["holder_start"],
        "holder_end": rec["holder_end"],
        "holder_actor_id": rec.get("holder_actor_id"),  # the actor holding the stance (actors.jsonl), or null
        "holder_kb_id": rec.get("holder_kb_id"),  # its kb_id, as on the DocBin's entities
        "ev_start": start,
        "ev_end": end,
        "evidence": None if start is None else item.text[start:end],
        "note": rec["note"],
        "annotator": rec["annotator"],
        # the document's metadata, so a stance can be placed in time and by outlet without a join
        **{name: item.meta.get(name) for name in METADATA_FIELDS},
    }


def _holder_kb_ids(corpus: Corpus, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ",".join("?" for _ in ids)
    rows = corpus.db.execute(f"SELECT id, name, kind, external_id FROM actors WHERE id IN ({marks})", sorted(ids))
    return {r[0]: Actor(r[0], r[1], r[2], external_id=r[3]).kb_id for r in rows}


def _copy_synced(spool, path: Path) -> None:
    spool.flush()
    spool.seek(0)
    with open(path, "wb") as out:
        shutil.copyfileobj(spool, out)
        out.flush()
        os.fsync(out.fileno())


EXPORT_EXTENSIONS.register("stances", StanceExport)
