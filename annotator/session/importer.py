"""Storing imported records: dedupe by text hash, one transaction per batch."""

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


def known_hashes(corpus: Corpus, hashes: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(hashes), 500):
        chunk = hashes[i : i + 500]
        marks = ",".join("?" for _ in chunk)
        found.update(r[0] for r in corpus.db.execute(f"SELECT sha256 FROM documents WHERE sha256 IN ({marks})", chunk))
    return found


def store_records(corpus: Corpus, records: list[Record], span_origin: dict[int, str] | None = None) -> StoreResult:
    """Insert a batch of records (with their spans) as one Change: one transaction, one history row
    of kind 'import', the same change event every edit sends (so an open window sees the documents
    arrive). Ids are planned inside the write transaction, so edits on another connection beside
    the import cannot take them in between.

    `span_origin` maps a record's index to the origin of its spans (a model name+version);
    records without an entry have spans from their file. Records whose text is already
    in the corpus are skipped and returned as duplicates, so a re-run after a kill
    completes the import without doubling anything.
    """
    result = StoreResult()
    span_origin = span_origin or {}

    def plan() -> Change | None:
        result.added.clear()
        result.duplicates.clear()
        result.new_labels.clear()
        seen = known_hashes(corpus, [r.sha256 for r in records])
        scheme = corpus.labels()
        labels = {lb.name for lb in scheme}
        colours = [lb.color for lb in scheme]
        n_labels = len(labels)
        doc_id, span_id = corpus.next_id("documents"), corpus.next_id("spans")
        docs, spans, new_labels = [], [], []
        for i, rec in enumerate(records):
            sha = rec.sha256
            if sha in seen:
                result.duplicates.append(rec)
                continue
            seen.add(sha)
            # publication date, outlet, URL, author: from the meta, else found in the text
            found = doc_metadata.columns(doc_metadata.find(rec.meta, rec.text))
            docs.append(Op("documents", None, {
                "id": doc_id, "source": rec.where, "title": rec.title, "text": rec.text, "sha256": sha,
                "meta": json.dumps(rec.meta, ensure_ascii=False), "status": rec.status,
                "annotator": corpus.annotator if rec.status != "new" else "", **found,
            }))
            result.added.append(doc_id)
            origin = span_origin.get(i) or (f"file:{rec.source}" if rec.source else ANNOTATOR_ORIGIN)
            for start, end, label in rec.spans or ():
                if label not in labels:
                    colours.append(colour_for_new_label(colours))
                    new_labels.append(Op("labels", None, {"name": label, "color": colours[-1], "key": "",
                                                          "hidden": 0, "position": n_labels}))
                    labels.add(label)
                    n_labels += 1
                    result.new_labels.append(label)
                spans.append(Op("spans", None, {"id": span_id, "doc_id": doc_id, "start": start, "end": end, "label": label,
                                                "origin": origin}))
                span_id += 1
            doc_id += 1
        if not docs:
            return None
        return Change(f"import {len(docs)} documents", None, tuple(new_labels + docs + spans))

    corpus.commit_planned(plan, IMPORT, bulk=True)
    return result
