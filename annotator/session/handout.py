"""Handing out work: a corpus per analyst, made from a source corpus (`annotator copy`, File ▸ Copy…).

Each copy holds the chosen documents (text, title, source, meta), the source's label scheme and
stance targets and values, and, unless asked not to, the entities the model proposed: the spans
whose origin is one of the corpus's pre-annotation models. Nothing an analyst did by hand is
copied (no hand-made entities, no stances, every document new), so analysts start from the same
place and their agreement measures them, not the source's reviewer.

Several analysts: `overlap` documents (drawn with the seed) go to every one of them, for
agreement; the rest are dealt out in turn, so the split is even and the same seed gives the
same hand-out. Each copy records whose it is (meta `annotator`), which agreement and review
read back as the analyst's name.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.doc_metadata import COLUMNS as _META_COLUMNS
from annotator.core.errors import BadInput, NotFound, StorageFailed
from annotator.session.corpus import Corpus
from annotator.storage.backup import backup_dir
from annotator.storage.db import write_transaction

ProgressFn = Callable[[int, int], None]
_NAME = re.compile(r"^[\w.@+'’-][\w .@+'’-]*$")  # O'Brien too: names reach SQL only as parameters, files as paths

META_COLS = ", ".join(_META_COLUMNS)


@dataclass
class Handout:
    """Which source documents go to which analyst (source ids, in id order)."""

    shared: list[int]
    own: dict[str, list[int]]

    def for_analyst(self, name: str) -> list[int]:
        return sorted(self.shared + self.own[name])


@dataclass
class CopyReport:
    outputs: dict[str, Path] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    shared: int = 0
    selected: int = 0
    preannotations: bool = True
    spans_copied: int = 0
    left_behind: Counter = field(default_factory=Counter)  # origin -> entities not copied (hand-made, from a file)
    stances_left: int = 0

    def lines(self) -> list[str]:
        out = []
        for name, path in self.outputs.items():
            out.append(f"{name}: {self.documents[name]} documents → {path}")
        if len(self.outputs) > 1:
            every = "both analysts" if len(self.outputs) == 2 else f"all {len(self.outputs)} analysts"
            out.append(f"{self.shared} documents shared by {every} (for agreement), "
                       f"{self.selected - self.shared} split among them")
        if self.preannotations:
            out.append(f"{self.spans_copied} model entities copied")
        else:
            out.append("no pre-annotations: the analysts start from plain text")
        left = sum(self.left_behind.values())
        if left or self.stances_left:
            out.append(f"not copied (hand work): {left} entities ({', '.join(f'{o} {n}' for o, n in self.left_behind.most_common())})"
                       f", {self.stances_left} stances" if left else f"not copied (hand work): {self.stances_left} stances")
        return out


def output_paths(out: Path, annotators: Sequence[str]) -> dict[str, Path]:
    """One analyst and a .db path: that file; otherwise a folder with a NAME.db per analyst."""
    if len(annotators) == 1 and out.suffix == ".db":
        return {annotators[0]: out}
    return {name: out / f"{name}.db" for name in annotators}


def check_annotators(annotators: Sequence[str]) -> None:
    if not annotators:
        raise BadInput("name the analyst with --annotator NAME (repeat it for several)")
    seen: dict[str, str] = {}
    for name in annotators:
        if not _NAME.match(name or ""):
            raise BadInput(f"analyst name {name!r}: use letters, digits, spaces, apostrophes and . @ + - _ "
                           "(it becomes a file name)")
        first = seen.get(name.casefold())
        if first == name:
            raise BadInput(f"analyst {name!r} is named twice: every analyst gets one copy")
        if first is not None:
            raise BadInput(f"analysts {first!r} and {name!r} differ only in case: one analyst named twice? (Their copies "
                           "would be one file where file names ignore case.) Give each analyst a name that differs in "
                           "more than case; nothing was written")
        seen[name.casefold()] = name


def plan_handout(corpus: Corpus, annotators: Sequence[str], *, query: str | None = None, sample: int | None = None,
                 seed: int = 0, overlap: int = 0) -> Handout:
    where, args = corpus._filter_sql(None, query)
    ids = [r[0] for r in corpus.db.execute(f"SELECT id FROM documents{where} ORDER BY id", args)]
    if not ids:
        raise BadInput(f"no document matches {query!r}" if query else f"{corpus.path} holds no documents")
    rng = random.Random(seed)
    if sample is not None:
        if sample < 1:
            raise BadInput("--sample needs a positive number of documents")
        ids = sorted(rng.sample(ids, min(sample, len(ids))))
    if overlap < 0:
        raise BadInput("--overlap cannot be negative")
    if overlap > len(ids):
        raise BadInput(f"--overlap {overlap} is more than the {len(ids)} documents chosen")
    shuffled = ids[:]
    rng.shuffle(shuffled)
    n = len(annotators)
    if n == 1:
        return Handout([], {annotators[0]: ids})
    shared, rest = sorted(shuffled[:overlap]), shuffled[overlap:]
    return Handout(shared, {name: sorted(rest[i::n]) for i, name in enumerate(annotators)})


def copy_for_annotators(
    src: str | Path,
    out: str | Path,
    annotators: Sequence[str],
    *,
    query: str | None = None,
    sample: int | None = None,
    seed: int = 0,
    overlap: int = 0,
    preannotations: bool = True,
    progress: ProgressFn | None = None,
) -> CopyReport:
    """Write one new corpus per analyst; the source is only read. Outputs must not exist yet."""
    src, out = Path(src), Path(out)
    check_annotators(annotators)
    if not src.is_file():
        raise NotFound(f"no corpus database at {src}")
    paths = output_paths(out, annotators)
    for path in paths.values():
        if path.exists():
            raise BadInput(f"{path} exists already: give a new --out (nothing was written)")
        if path.resolve() == src.resolve():
            raise BadInput("the copy cannot replace its source")
    report = CopyReport(preannotations=preannotations)
    with Corpus(src, read_only=True) as source:
        handout = plan_handout(source, annotators, query=query, sample=sample, seed=seed, overlap=overlap)
        report.shared = len(handout.shared)
        report.selected = len(handout.shared) + sum(len(v) for v in handout.own.values())
        models = set(json.loads(source.meta("models", "[]") or "[]"))
        total = sum(len(handout.for_analyst(n)) for n in annotators)
        done = 0
        made: list[Path] = []
        try:
            for name in annotators:
                ids = handout.for_analyst(name)
                paths[name].parent.mkdir(parents=True, exist_ok=True)
                made.append(paths[name])
                _write_copy(source, paths[name], name, ids, models, preannotations, report,
                            {"seed": seed, "overlap": overlap, "shared": report.shared, "query": query, "sample": sample})

                done += len(ids)
                if progress:
                    progress(done, total)
                report.outputs[name] = paths[name]
                report.documents[name] = len(ids)
        except BaseException:
            for path in made:  # never leave a half-made copy behind
                for extra in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                    extra.unlink(missing_ok=True)
                shutil.rmtree(backup_dir(path), ignore_errors=True)
            raise
    return report


def _write_copy(source: Corpus, path: Path, name: str, ids: list[int], models: set[str], preannotations: bool,
                report: CopyReport, handout: dict) -> None:
    sdb = source.db
    with Corpus(path, annotator=name) as dest:
        db = dest.db
        try:
            with write_transaction(db):
                # the source's scheme replaces the defaults of a new corpus
                db.execute("DELETE FROM labels")
                db.execute("DELETE FROM stance_targets")
                db.execute("DELETE FROM stance_values")
                for row in sdb.execute("SELECT name, color, key, hidden, position FROM labels"):
                    db.execute("INSERT INTO labels (name, color, key, hidden, position) VALUES (?, ?, ?, ?, ?)", row)
                for row in sdb.execute("SELECT name, hidden, position FROM stance_targets"):
                    db.execute("INSERT INTO stance_targets (name, hidden, position) VALUES (?, ?, ?)", row)
                for row in sdb.execute("SELECT name, position FROM stance_values"):
                    db.execute("INSERT INTO stance_values (name, position) VALUES (?, ?)", row)
                meta = {
                    "lang": source.meta("lang", "en"),
                    "models": source.meta("models", "[]"),
                    "annotator": name,
                    "copied_from": str(source.path),
                    "handout": json.dumps(handout),
                }
                for key, value in meta.items():
                    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])
                for i in range(0, len(ids), 500):
                    chunk = ids[i : i + 500]
                    marks = ",".join("?" for _ in chunk)
                    new_ids = {}
                    # the document's metadata goes along, typed values included (doc_metadata.COLUMNS)
                    for doc_id, src_, title, text, sha, meta_, *found in sdb.execute(
                        f"SELECT id, source, title, text, sha256, meta, {META_COLS} FROM documents WHERE id IN ({marks}) ORDER BY id",
                        chunk,
                    ):
                        cur = db.execute(f"INSERT INTO documents (source, title, text, sha256, meta, {META_COLS}) "
                                         f"VALUES (?, ?, ?, ?, ?, {', '.join('?' for _ in found)})",
                                         [src_, title, text, sha, meta_, *found])
                        new_ids[doc_id] = cur.lastrowid
                    for doc_id, start, end, label, origin in sdb.execute(
                        f"SELECT doc_id, start, end, label, origin FROM spans WHERE doc_id IN ({marks}) ORDER BY doc_id, start", chunk
                    ):
                        if preannotations and origin in models:
                            db.execute("INSERT INTO spans (doc_id, start, end, label, origin) VALUES (?, ?, ?, ?, ?)",
                                       [new_ids[doc_id], start, end, label, origin])
                            report.spans_copied += 1
                        elif origin not in models:
                            report.left_behind[origin] += 1
                    report.stances_left += sdb.execute(f"SELECT count(*) FROM stances WHERE doc_id IN ({marks})", chunk).fetchone()[0]
                db.execute(
                    "INSERT INTO history (annotator, doc_id, action, ops, kind) VALUES (?, NULL, ?, ?, 'import')",
                    [name, f"copy {len(ids)} documents from {source.path.name} for {name}",
                     json.dumps({"source": str(source.path), "documents": len(ids), "preannotations": preannotations, **handout})],
                )
        except Exception as exc:
            import sqlite3

            if isinstance(exc, sqlite3.DatabaseError):
                raise StorageFailed(f"could not write {path}: {exc}") from exc
            raise
