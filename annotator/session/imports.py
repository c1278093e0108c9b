"""The import use case: read files, settle duplicates, pre-annotate, store in batches."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from annotator.core.errors import BadInput
from annotator.core.model import STATUSES
from annotator.core.records import Note, Record, Rejection
from annotator.core.spans import trim
from annotator.session.corpus import Corpus
from annotator.session.importer import merge_into, store_records
from annotator.storage.db import write_transaction

ProgressFn = Callable[[int, int | None], None]
# 2 MB articles import and open fine (chunked pre-annotation, per-block highlighting); far beyond,
# one article would hold the window for seconds and the model for minutes
MAX_ARTICLE_CHARS = 5_000_000
ON_DUPLICATE = ("first", "merge", "error")


@dataclass
class ImportReport:
    added: list[int] = field(default_factory=list)
    duplicates: int = 0  # texts already in the corpus before this import (skipped)
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # records imported but changed: file:line: what changed
    changed: int = 0  # records with at least one note
    merged: int = 0  # records merged into an earlier one of the same text
    answers_merged: int = 0  # of which Prodigy binary answers (ner.teach): merging them is what they mean, not a change
    new_labels: list[str] = field(default_factory=list)
    metadata_unread: list[str] = field(default_factory=list)  # meta values not read as a date, URL… (kept in meta)
    model: str | None = None
    model_spans: int = 0
    seconds: float = 0.0
    seed_targets: int = 0  # stance targets the seed articles brought (first run only)
    warning: str | None = None  # e.g. the current model's folder is missing: the default model was used
    interrupted: bool = False  # Ctrl+C or Cancel: what was read and annotated before it is stored, the rest is not

    @property
    def ok(self) -> bool:
        return not self.rejected

    def note(self, rec: Record | Rejection, message: str) -> None:
        source, line = (rec.source, rec.line)
        self.notes.append(Note(source, line, message))


@dataclass
class ImportOptions:
    fmt: str | None = None  # a reader's name; None: by suffix and content
    read: object = None  # annotator.io.formats.ReadOptions
    on_duplicate: str = "first"  # the same text twice in this import with other annotations: first | merge | error
    status: str | None = None  # every imported document gets this status (None: what the file says)


def seeds_dir() -> Path:
    """The seed articles shipped with the app: package data (annotator/seeds, a link to the checkout's
    seeds/ folder), so an installed wheel has them too."""
    return Path(str(resources.files("annotator") / "seeds"))


@dataclass
class _Stored:
    doc_id: int | None


@dataclass
class _Seen:
    where: str
    key: int  # a hash of the annotations: 100,000 records' spans are not held twice
    record: Record | _Stored | None  # the Record while it waits in the batch; afterwards only its doc_id


def _annotations(rec: Record) -> int:
    return hash((tuple(rec.spans) if rec.spans is not None else None, rec.status, tuple(rec.rejected_spans), len(rec.relations)))


class _Dedupe:
    """Same text twice: within this import by the policy (binary Prodigy tasks always merge); a text
    already in the corpus is skipped and counted."""

    def __init__(self, corpus: Corpus, report: ImportReport, policy: str):
        self.corpus, self.report, self.policy = corpus, report, policy
        self.seen: dict[str, _Seen] = {}
        self.late_merges: list[tuple[int, Record]] = []  # into records already stored

    def __call__(self, items: Iterable[Record | Rejection]) -> Iterator[Record]:
        report = self.report
        for item in items:
            if isinstance(item, Rejection):
                report.rejected.append(item)
                continue
            if len(item.text) > MAX_ARTICLE_CHARS:
                report.rejected.append(Rejection(item.source, item.line, (
                    f"the article is {len(item.text):,} characters long, over the limit of {MAX_ARTICLE_CHARS:,}: split it into parts")))
                continue
            sha = item.sha256
            first = self.seen.get(sha)
            if first is None:
                if self.corpus.db.execute("SELECT 1 FROM documents WHERE sha256 = ?", [sha]).fetchone():
                    report.duplicates += 1
                    continue
                self.seen[sha] = _Seen(item.where, _annotations(item), item)
                for message in item.notes:
                    report.note(item, message)
                report.changed += bool(item.notes)
                yield item
                continue
            self._again(item, first)

    def _again(self, item: Record, first: _Seen) -> None:
        report = self.report
        if _annotations(item) == first.key and not item.binary:
            report.note(item, f"the same text and annotations as {first.where}: skipped")
            report.changed += 1
            report.duplicates += 1
            return
        if item.binary or self.policy == "merge":
            for message in item.notes:
                report.note(item, message)
            rec = first.record
            if isinstance(rec, Record) and rec.doc_id is None:
                left_out = _merge(rec, item)
            elif rec is not None and rec.doc_id is not None:
                left_out = merge_into(self.corpus, rec.doc_id, item)
            else:
                left_out = ["the earlier record was not stored: these annotations are left out"]
            report.merged += 1
            if item.binary:
                report.answers_merged += 1
            # binary answers on one text are one document by design: a change only if something was trimmed or left out
            report.changed += not item.binary or bool(item.notes) or bool(left_out)
            if not item.binary:
                report.note(item, f"the same text as {first.where} with other annotations: merged into it (--on-duplicate merge)")
            for message in left_out:
                report.note(item, message)
            return
        if self.policy == "error":
            report.rejected.append(Rejection(item.source, item.line,
                                             f"the same text as {first.where} with other annotations (--on-duplicate error)"))
            return
        report.note(item, f"the same text as {first.where} with other annotations: kept the first (--on-duplicate first)")
        report.changed += 1
        report.duplicates += 1


def _merge(into: Record, rec: Record) -> list[str]:
    """Merge in memory, while the first record still waits to be stored."""
    left_out = []
    spans = list(into.spans or [])
    for span in rec.spans or ():
        clash = next((s for s in spans if s[0] < span[1] and span[0] < s[1]), None)
        if clash == span:
            continue
        if clash is not None:
            left_out.append(f"{span[2]} [{span[0]}, {span[1]}) overlaps {clash[2]} [{clash[0]}, {clash[1]}) of the earlier record: left out")
            continue
        spans.append(span)
    if into.span_origins is not None:
        into.span_origins = None  # a merged document's spans come from the file
    into.spans = sorted(spans) if (into.spans is not None or rec.spans is not None) else None
    into.rejected_spans = sorted(set(into.rejected_spans) | set(rec.rejected_spans))
    into.relations = into.relations + rec.relations
    return left_out


def _clean_model_spans(text: str, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    # a model span never has whitespace edges in practice, but stored spans must obey the rule
    out = []
    for start, end, label in ents:
        start, end = trim(text, start, end)
        if start < end:
            out.append((start, end, label))
    return out


def preannotator_for(model: str | None, kind: str = "spacy", nlp=None):
    """The pre-annotator to use: None for "none"; a loaded `nlp` is wrapped as it is."""
    from annotator.nlp.preannotators import SpacyPreannotator, get_preannotator

    if nlp is not None:
        return SpacyPreannotator(nlp)
    if model in (None, "none"):
        return None
    return get_preannotator(None if model == "default" else model, kind=kind)


def import_paths(
    corpus: Corpus,
    paths: Iterable[str | Path],
    model: str | None = "default",
    *,
    nlp=None,
    preannotator=None,
    options: ImportOptions | None = None,
    batch_size: int = 64,
    n_process: int = 1,
    commit_every: int | None = None,
    on_progress: ProgressFn | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and folders into the corpus.

    `model`: "default" (official en_core_web_sm if installed, else the bundled one), "none" or
    None (no pre-annotation), or any installed pipeline name or path. A loaded `nlp`, or any
    `preannotator` (annotator.nlp.preannotators.Preannotator), may be passed instead. Records
    with spans in the file keep them and are not sent to the model.
    Each batch of `commit_every` documents (default: 256 with a model, 2,048 without) is stored in write
    transactions of whole documents (at most WRITE_CHUNK_DOCS each, so an edit beside the import waits
    little), so a killed import leaves whole
    documents only, and re-running it completes the rest (duplicates are skipped by text hash).
    `should_stop` (e.g. a Cancel button) is asked after each document; stopping, like Ctrl+C,
    still stores the documents annotated so far and sets `report.interrupted`.
    """
    from annotator.io.readers import read_paths

    options = options or ImportOptions()
    if options.on_duplicate not in ON_DUPLICATE:
        raise BadInput(f"--on-duplicate takes {', '.join(ON_DUPLICATE)}, not {options.on_duplicate!r}")
    if options.status is not None and options.status not in STATUSES:
        raise BadInput(f"--status takes {', '.join(STATUSES)}, not {options.status!r}")
    started = time.perf_counter()
    report = ImportReport()
    paths = list(paths)
    # the first-run seed import: the seed articles bring their stance targets (a new corpus has none)
    seeding = corpus.count_documents() == 0 and any(_is_seeds(p) for p in paths)
    dedupe = _Dedupe(corpus, report, options.on_duplicate)
    records = dedupe(read_paths(paths, options.fmt, options.read))
    if preannotator is None and nlp is None and model == "default":
        from annotator.session.models import preannotation_model

        model, report.warning = preannotation_model(corpus)  # the corpus's current model, if it has one
        model = model or "default"
    pre = preannotator if preannotator is not None else preannotator_for(model, nlp=nlp)
    commit_every = commit_every or (256 if pre is not None else 2048)
    if pre is not None:
        report.model = pre.origin
        remember_model(corpus, report.model)
        # texts with their own spans go through as "" so order is kept at no cost
        annotated = pre.annotate(((r.text if r.spans is None else "", r) for r in records), batch_size=batch_size, n_process=n_process)
    else:
        annotated = ((r, None) for r in records)

    batch: list[Record] = []
    origins: dict[int, str] = {}
    shard_models: list[str] = []
    done = 0

    def flush() -> None:
        nonlocal batch, origins
        for chunk, chunk_origins in _write_chunks(batch, origins):
            result = _store(corpus, chunk, chunk_origins)
            report.added.extend(result.added)
            report.duplicates += len(result.duplicates)
            report.new_labels.extend(lb for lb in result.new_labels if lb not in report.new_labels)
            report.metadata_unread.extend(result.metadata_unread)
            for rec in chunk:  # stored: later merges go to the database, the text is not held on to
                first = dedupe.seen.get(rec.sha256)
                if first is not None and first.record is rec:
                    first.record = _Stored(rec.doc_id)
        batch, origins = [], {}

    try:
        for rec, ents in annotated:
            if rec.spans is None:
                rec.spans = _clean_model_spans(rec.text, ents) if ents is not None else []
                if ents is not None:
                    origins[len(batch)] = report.model
                    report.model_spans += len(rec.spans)
            elif (made_by := preannotated_by(rec)) is not None:
                # a task `annotator preannotate` wrote: its spans are the model's, not the file's
                origins[len(batch)] = made_by
                report.model_spans += len(rec.spans)
                if made_by not in shard_models:
                    shard_models.append(made_by)
                    remember_model(corpus, made_by)
            if options.status:
                rec.status = options.status
            batch.append(rec)
            done += 1
            if on_progress:
                on_progress(done, None)
            if len(batch) >= commit_every:
                flush()
            if should_stop and should_stop():
                report.interrupted = True
                break
    except KeyboardInterrupt:
        # the documents annotated so far cost model time: keep them; a re-run skips them by hash
        report.interrupted = True
    flush()
    if report.model is None and shard_models:
        report.model = ", ".join(shard_models)
    if seeding and report.added:
        from annotator.session.targets import give_seed_targets

        given = give_seed_targets(corpus)
        report.seed_targets = len(given.added_targets) if given else 0
    report.seconds = time.perf_counter() - started
    return report


# One write transaction holds the database's write lock; an edit in the window waits for it (BEGIN
# IMMEDIATE, see storage.db.write_transaction). At most this many documents or characters per
# transaction keeps that wait short: 64 four-kilobyte articles take ~30 ms to store (FTS index
# included), 256 took ~120 ms. Short texts (tasks of a few sentences) go more at a time, since each
# transaction also costs a commit (a sync) and a history row. A longer article is stored alone.
WRITE_CHUNK_DOCS = 512
WRITE_CHUNK_CHARS = 256_000


def _write_chunks(batch: list[Record], origins: dict[int, str]) -> Iterator[tuple[list[Record], dict[int, str]]]:
    chunk: list[Record] = []
    chunk_origins: dict[int, str] = {}
    chars = 0
    for i, rec in enumerate(batch):
        if chunk and (len(chunk) >= WRITE_CHUNK_DOCS or chars + len(rec.text) > WRITE_CHUNK_CHARS):
            yield chunk, chunk_origins
            chunk, chunk_origins, chars = [], {}, 0
        if i in origins:
            chunk_origins[len(chunk)] = origins[i]
        chunk.append(rec)
        chars += len(rec.text)
    if chunk:
        yield chunk, chunk_origins


def _store(corpus: Corpus, chunk: list[Record], origins: dict[int, str]):
    """store_records, with the write lock of another program (not this one's writer lock, which
    the Corpus took: e.g. a sqlite3 shell in a transaction) named after busy_timeout ran out."""
    from annotator.core.errors import Kind, StorageFailed
    from annotator.session.corpus import EditError
    from annotator.storage.lock import sqlite_lock_holders

    try:
        return store_records(corpus, chunk, origins)
    except EditError as exc:
        if exc.kind != Kind.STORAGE or "busy" not in str(exc):
            raise
        raise StorageFailed(
            f"could not store the documents: {corpus.path.name} stayed locked for writing by "
            f"{sqlite_lock_holders(corpus.path)} for over 5 s. The documents imported so far are stored, each whole; "
            "close that program's transaction, then run the same command again to import the rest."
        ) from exc


def _is_seeds(path: str | Path) -> bool:
    try:
        return Path(path).resolve() == seeds_dir().resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13): the reader says so
        return False


def preannotated_by(rec: Record) -> str | None:
    """The model that made a record's spans, when it is a task `annotator preannotate` wrote.

    Its meta names the model and the sha256 of the very text the model saw; a task whose text
    was edited since keeps its spans as the file's.
    """
    model, sha = rec.meta.get("model"), rec.meta.get("sha256")
    if isinstance(model, str) and model and sha == rec.sha256:
        return model
    return None


def remember_model(corpus: Corpus, model: str) -> None:
    """The corpus keeps the list of pre-annotation models (the export's manifest reads it)."""
    with write_transaction(corpus.db):
        models = json.loads(corpus.meta("models", "[]"))
        if model not in models:
            models.append(model)
            corpus.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('models', ?)", [json.dumps(models)])


def import_seeds_if_empty(corpus: Corpus, model: str | None = "default", on_progress: ProgressFn | None = None) -> ImportReport | None:
    """First run: an empty corpus gets the seed articles, pre-annotated, so there is real work at once."""
    if corpus.count_documents() > 0:
        return None
    return import_paths(corpus, [seeds_dir()], model=model, on_progress=on_progress)
