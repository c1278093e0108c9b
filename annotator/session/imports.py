"""The import use case: read files, drop duplicates, pre-annotate, store in batches."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from annotator.core.records import Record, Rejection
from annotator.core.spans import trim
from annotator.session.corpus import Corpus
from annotator.session.importer import store_records
from annotator.storage.db import write_transaction

ProgressFn = Callable[[int, int | None], None]
# 2 MB articles import and open fine (chunked pre-annotation, per-block highlighting); far beyond,
# one article would hold the window for seconds and the model for minutes
MAX_ARTICLE_CHARS = 5_000_000


@dataclass
class ImportReport:
    added: list[int] = field(default_factory=list)
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
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


def seeds_dir() -> Path:
    """The seed articles shipped with the app: package data (annotator/seeds, a link to the checkout's
    seeds/ folder), so an installed wheel has them too."""
    return Path(str(resources.files("annotator") / "seeds"))


def _fresh(corpus: Corpus, items: Iterable[Record | Rejection], report: ImportReport) -> Iterator[Record]:
    """Records whose text is new to the corpus and to this run; rejections are collected."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Rejection):
            report.rejected.append(item)
            continue
        if len(item.text) > MAX_ARTICLE_CHARS:
            report.rejected.append(Rejection(item.source, item.line, (
                f"the article is {len(item.text):,} characters long, over the limit of {MAX_ARTICLE_CHARS:,}: split it into parts")))
            continue
        sha = item.sha256
        if sha in seen or corpus.db.execute("SELECT 1 FROM documents WHERE sha256 = ?", [sha]).fetchone():
            report.duplicates += 1
            continue
        seen.add(sha)
        yield item


def _clean_model_spans(text: str, ents: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    # a model span never has whitespace edges in practice, but stored spans must obey the rule
    out = []
    for start, end, label in ents:
        start, end = trim(text, start, end)
        if start < end:
            out.append((start, end, label))
    return out


def import_paths(
    corpus: Corpus,
    paths: Iterable[str | Path],
    model: str | None = "default",
    *,
    nlp=None,
    preannotator=None,
    batch_size: int = 64,
    n_process: int = 1,
    commit_every: int = 256,
    on_progress: ProgressFn | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and folders into the corpus.

    `model`: "default" (official en_core_web_sm if installed, else the bundled one), "none" or
    None (no pre-annotation), or any installed pipeline name or path. A loaded `nlp` may be
    passed instead. Records with spans in the file keep them and are not sent to the model.
    Each batch of `commit_every` documents is stored in write transactions of whole documents (at most
    WRITE_CHUNK_DOCS each, so an edit beside the import waits little), so a killed import leaves whole
    documents only, and re-running it completes the rest (duplicates are skipped by text hash).
    `should_stop` (e.g. a Cancel button) is asked after each document; stopping, like Ctrl+C,
    still stores the documents annotated so far and sets `report.interrupted`.
    """
    from annotator.io.readers import read_paths

    started = time.perf_counter()
    report = ImportReport()
    paths = list(paths)
    # the first-run seed import: the seed articles bring their stance targets (a new corpus has none)
    seeding = corpus.count_documents() == 0 and any(_is_seeds(p) for p in paths)
    records = _fresh(corpus, read_paths(paths), report)
    if preannotator is None and nlp is not None:
        from annotator.nlp.preannotators import SpacyPreannotator

        preannotator = SpacyPreannotator(nlp)
    if preannotator is None and model not in (None, "none"):
        from annotator.nlp.preannotators import get_preannotator

        if model == "default":
            from annotator.session.models import preannotation_model

            model, report.warning = preannotation_model(corpus)  # the corpus's current model, if it has one
        preannotator = get_preannotator(model)
    if preannotator is not None:
        report.model = preannotator.origin
        remember_model(corpus, report.model)
        # texts with their own spans go through as "" so order is kept at no cost
        annotated = preannotator.annotate(
            ((r.text if r.spans is None else "", r) for r in records), batch_size=batch_size, n_process=n_process
        )
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
# included), 256 took ~120 ms. A longer article is stored alone.
WRITE_CHUNK_DOCS = 64
WRITE_CHUNK_CHARS = 1_000_000


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
    except OSError:
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
