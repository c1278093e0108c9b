"""Storing imported records: dedupe by text hash, one transaction per batch."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from annotator.core import doc_metadata
from annotator.core.model import ANNOTATOR_ORIGIN
from annotator.core.records import Record
from annotator.core.scheme import colour_for_new_label
from annotator.session.corpus import Corpus

META_COLS = ", ".join(doc_metadata.COLUMNS)
META_MARKS = ", ".join("?" for _ in doc_metadata.COLUMNS)


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
    """Insert a batch of records (with their spans) in one transaction.

    `span_origin` maps a record's index to the origin of its spans (a model name+version);
    records without an entry have spans from their file. Records whose text is already
    in the corpus are skipped and returned as duplicates, so a re-run after a kill
    completes the import without doubling anything.
    """
    result = StoreResult()
    span_origin = span_origin or {}
    db = corpus.db
    with db.atomic():
        seen = known_hashes(corpus, [r.sha256 for r in records])
        labels = {r[0] for r in db.execute("SELECT name FROM labels")}
        n_labels = len(labels)
        for i, rec in enumerate(records):
            sha = rec.sha256
            if sha in seen:
                result.duplicates.append(rec)
                continue
            seen.add(sha)
            # publication date, outlet, URL, author: from the meta, else found in the text
            found = doc_metadata.columns(doc_metadata.find(rec.meta, rec.text))
            cur = db.execute(
                f"INSERT INTO documents (source, title, text, sha256, meta, status, annotator, {META_COLS}) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, {META_MARKS})",
                [rec.where, rec.title, rec.text, sha, json.dumps(rec.meta, ensure_ascii=False), rec.status,
                 corpus.annotator if rec.status != "new" else "", *(found[c] for c in doc_metadata.COLUMNS)],
            )
            doc_id = cur.lastrowid
            result.added.append(doc_id)
            origin = span_origin.get(i) or (f"file:{rec.source}" if rec.source else ANNOTATOR_ORIGIN)
            for start, end, label in rec.spans or ():
                if label not in labels:
                    db.execute(
                        "INSERT INTO labels (name, color, key, hidden, position) VALUES (?, ?, '', 0, ?)",
                        [label, colour_for_new_label(n_labels), n_labels],
                    )
                    labels.add(label)
                    n_labels += 1
                    result.new_labels.append(label)
                db.execute(
                    "INSERT INTO spans (doc_id, start, end, label, origin) VALUES (?, ?, ?, ?, ?)",
                    [doc_id, start, end, label, origin],
                )
        if result.added:
            db.execute(
                "INSERT INTO history (annotator, doc_id, action, ops) VALUES (?, NULL, ?, ?)",
                [corpus.annotator, f"import {len(result.added)} documents",
                 json.dumps({"documents": result.added, "new_labels": result.new_labels})],
            )
    return result
