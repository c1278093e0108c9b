"""The export use case: gold documents out of the corpus, as spaCy training data or a text format.

Documents are streamed in id order, a page at a time, inside one read transaction (a
consistent snapshot, even while the window keeps editing). Each becomes a Doc on the
corpus language's tokenizer; writers flush as they go, so memory does not grow with the
corpus. Everything is written into a temporary folder renamed at the end: a failed,
cancelled or interrupted export leaves no output.

The train/dev split is by document: a document goes to dev when a hash of its text and the
seed falls below the dev fraction. The same text and seed always land on the same side, so
the dev documents of an export stay dev documents when the corpus grows.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from annotator.core.doc_metadata import FIELDS as METADATA_FIELDS
from annotator.core.errors import AnnotatorError, Kind
from annotator.core.model import ACCEPTED, ADJUDICATED_ORIGIN, ANNOTATOR_ORIGIN, IN_PROGRESS, Actor
from annotator.core.registry import Registry
from annotator.io.export_folder import AtomicFolder, FolderError, timestamped
from annotator.io.export_spacy import INCORRECT_KEY, ExportDoc, Problem, build_doc, training_config
from annotator.io.formats import WRITERS
from annotator.session.corpus import Corpus
from annotator.session.export_checks import Check, debug_checks
from annotator.session.export_extension import EXPORT_EXTENSIONS, ExportExtension
from annotator.storage.db import read_snapshot

OPTIMIZE = ("efficiency", "accuracy")
INCLUDABLE = (IN_PROGRESS,)
DEFAULT_PARENT = Path("exports")
PAGE = 200  # documents read per query
SHARD_TOKENS = 500_000  # a DocBin shard also closes here: ~75 MB at its peak while it is serialised
RENEW_TOKENS = 5_000_000  # a tokenizer's vocab grows with every new word: start a fresh one this often
PROGRESS_EVERY = 50
MAX_LISTED = 20  # problems named in an error message; all of them go to the manifest

ProgressFn = Callable[[int, int], None]


class ExportError(AnnotatorError):
    """An export that cannot be made; the message is for the user. Nothing was written."""

    kind = Kind.BAD_INPUT


class ExportCancelled(ExportError):
    kind = Kind.CANCELLED


@dataclass(frozen=True)
class ExportOptions:
    out: Path | None = None  # None: a new timestamped folder under exports/
    fmt: str = "spacy"
    dev: float = 0.2
    seed: int = 0
    include: tuple[str, ...] = ()  # statuses exported beside "accepted"; their unannotated tokens are missing
    shard_size: int = 10_000
    skip_misaligned: bool = False
    optimize: str = "efficiency"
    shard_tokens: int = SHARD_TOKENS


@dataclass
class SplitCounts:
    documents: int = 0
    tokens: int = 0
    entities: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    split_entities: int = 0

    def to_json(self) -> dict:
        return {
            "documents": self.documents,
            "tokens": self.tokens,
            "entities_inside_tokens": self.split_entities,
            "entities": dict(sorted(self.entities.items())),
            "entities_total": sum(self.entities.values()),
            "statuses": dict(sorted(self.statuses.items())),
        }


@dataclass
class ExportResult:
    folder: Path
    fmt: str
    splits: dict[str, SplitCounts]
    files: dict[str, list[str]]
    problems: list[Problem]
    notes: list[str]
    seconds: float
    checks: list[Check] = field(default_factory=list)  # what `spacy debug data` would say, where it applies
    split_entities: int = 0  # entities inside a token, exported by splitting the token

    @property
    def documents(self) -> int:
        return sum(s.documents for s in self.splits.values())

    @property
    def tokens(self) -> int:
        return sum(s.tokens for s in self.splits.values())

    def summary(self) -> str:
        parts = [f"{name}: {s.documents} documents, {sum(s.entities.values())} entities" for name, s in self.splits.items()]
        lines = [f"exported {self.fmt} to {self.folder} ({'; '.join(parts)}) in {self.seconds:.1f} s"]
        if self.checks:
            lines.append("checks (as spacy debug data):")
            lines += [f"  {c}" for c in self.checks]
        return "\n".join(lines)


def extension_registry() -> Registry:
    """The export extensions' registry, the built-in ones registered."""
    import annotator.session.export_actors  # noqa: F401  (registers ActorExport)
    import annotator.session.export_stances  # noqa: F401  (registers StanceExport; it subclasses ExportExtension)

    return EXPORT_EXTENSIONS


def default_extensions() -> list[ExportExtension]:
    """The extensions every export runs (the registry's, plugins included), new instances for each export."""
    return [factory() for _, factory in extension_registry().items()]


def formats() -> list[str]:
    """The export formats' names (the registry's)."""
    return WRITERS.names()


def default_out(base: Path | None = None) -> Path:
    """A new timestamped folder under <base>/exports (base: the current folder)."""
    return timestamped(Path(base) / DEFAULT_PARENT if base else DEFAULT_PARENT)


def export_corpus(
    corpus: Corpus,
    options: ExportOptions | None = None,
    progress: ProgressFn | None = None,
    cancelled: Callable[[], bool] | None = None,
    extensions: Sequence[ExportExtension] | None = None,
) -> ExportResult:
    options = options or ExportOptions()
    check_options(options)
    started = time.perf_counter()
    exts = default_extensions() if extensions is None else list(extensions)
    statuses = (ACCEPTED, *options.include)
    with read_snapshot(corpus.db):  # every page sees the same state of the corpus
        plan = _plan_split(corpus, statuses, options.dev, options.seed)
        if plan.total == 0:
            raise ExportError(_nothing_to_export(corpus, options))
        lang = corpus.meta("lang", "en") or "en"
        nlp = _tokenizer(lang)
        target = Path(os.path.abspath(options.out if options.out else default_out()))
        try:
            # an export holds the corpus's text: it gets the database's permissions (0600 stays 0600)
            with AtomicFolder(target, mode=_mode_of(corpus.path)) as tmp:
                run = _Run(corpus, options, exts, nlp, tmp, plan, progress, cancelled)
                run.stream(statuses)
                files = run.close()
                notes = run.write_beside(files)
        except FolderError as exc:
            raise ExportError(str(exc)) from exc
        except OSError as exc:  # disk full, permissions...: the folder is already gone
            raise ExportError(f"could not write the export to {target}: {exc.strerror or exc}. Nothing was written.") from exc
    return ExportResult(
        target.absolute(), options.fmt, run.splits, files, run.problems, notes, time.perf_counter() - started,
        checks=run.checks, split_entities=run.split_entities,
    )


def _mode_of(db_path: Path) -> int | None:
    try:
        return os.stat(db_path).st_mode & 0o666
    except OSError:
        return None


def check_options(options: ExportOptions) -> None:
    if options.fmt not in WRITERS:
        raise ExportError(f"unknown export format {options.fmt!r}: choose one of {WRITERS.choices()}")
    if not 0 <= options.dev < 1:
        raise ExportError(f"--dev must be a fraction from 0 up to (not including) 1, got {options.dev}")
    if options.shard_size < 1 or options.shard_tokens < 1:
        raise ExportError("--shard-size must be at least 1")
    if options.optimize not in OPTIMIZE:
        raise ExportError(f"unknown --optimize {options.optimize!r}: choose efficiency or accuracy")
    unknown = set(options.include) - set(INCLUDABLE)
    if unknown:
        raise ExportError(f"--include takes {', '.join(INCLUDABLE)}, not {', '.join(sorted(unknown))}")
    if options.include and not getattr(WRITERS.get(options.fmt), "marks_missing", True):
        able = ", ".join(n for n, w in WRITERS.items() if getattr(w, "marks_missing", True))
        raise ExportError(
            f"{options.fmt} has no way to mark tokens as 'missing', so documents still in progress would teach false 'O' tags: "
            f"export them as one of {able} (where the status is kept), or leave out --include"
        )


# ---- the split ----------------------------------------------------------
def dev_key(seed: int, sha256: str) -> float:
    """A number in [0, 1) fixed by the seed and the text."""
    digest = hashlib.blake2b(f"{seed}\0{sha256}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass
class SplitPlan:
    total: int = 0
    dev: int = 0
    force_dev: set[int] = field(default_factory=set)  # a small corpus gets the dev share it asked for, never all
    force_train: set[int] = field(default_factory=set)


EXACT_BELOW = 10  # under this many documents (where the hash's noise dominates) the split takes exactly round(dev * n)


def _plan_split(corpus: Corpus, statuses: Sequence[str], dev: float, seed: int) -> SplitPlan:
    """Which documents go to dev: those whose key falls below the fraction, except that train is never
    empty, dev holds at least one document when there are two or more, and a tiny corpus gets the
    number it asked for (the hash alone gave 1 train / 2 dev for three documents at --dev 0.2)."""
    plan = SplitPlan()
    marks = ",".join("?" for _ in statuses)
    keys: list[tuple[float, int]] = []
    lowest = highest = None  # (key, id)
    for doc_id, sha in corpus.db.execute(f"SELECT id, sha256 FROM documents WHERE status IN ({marks})", list(statuses)):
        key = dev_key(seed, sha)
        plan.total += 1
        plan.dev += key < dev
        if plan.total <= EXACT_BELOW:
            keys.append((key, doc_id))
        if lowest is None or key < lowest[0]:
            lowest = (key, doc_id)
        if highest is None or key > highest[0]:
            highest = (key, doc_id)
    if plan.total == 0:
        return plan
    if plan.total < EXACT_BELOW:
        wanted = min(max(1, round(dev * plan.total)), plan.total - 1) if dev > 0 else 0
        keys.sort()
        plan.force_dev = {i for _, i in keys[:wanted]}
        plan.force_train = {i for _, i in keys[wanted:]}
        plan.dev = wanted
    elif plan.dev == 0 and dev > 0:
        plan.force_dev, plan.dev = {lowest[1]}, 1
    elif plan.dev == plan.total:
        plan.force_train, plan.dev = {highest[1]}, plan.total - 1
    return plan


def _split_of(plan: SplitPlan, doc_id: int, sha: str, options: ExportOptions) -> str:
    if doc_id in plan.force_dev:
        return "dev"
    if doc_id in plan.force_train:
        return "train"
    return "dev" if dev_key(options.seed, sha) < options.dev else "train"


# ---- reading ------------------------------------------------------------
def iter_documents(corpus: Corpus, statuses: Sequence[str], page: int = PAGE) -> Iterator[tuple[list[ExportDoc], list[str], Counter]]:
    """Pages of documents in id order with their spans: (items, their sha256, span origins)."""
    marks = ",".join("?" for _ in statuses)
    # "+status" keeps SQLite on the id order of the table instead of sorting an index range per page
    sql = (
        "SELECT id, text, status, title, source, meta, sha256, published, outlet, url, author FROM documents "
        f"WHERE +status IN ({marks}) AND id > ? ORDER BY id LIMIT ?"
    )
    after = 0
    while True:
        rows = corpus.db.execute(sql, [*statuses, after, page]).fetchall()
        if not rows:
            return
        after = rows[-1][0]
        items = {
            r[0]: ExportDoc(r[0], r[1], [], complete=r[2] == ACCEPTED, status=r[2], title=r[3], source=r[4],
                            meta=with_metadata(json.loads(r[5] or "{}"), r[7:11]))
            for r in rows
        }
        _load_format_data(corpus, items, rows[0][0], after)
        origins: Counter = Counter()
        span_sql = (
            "SELECT s.doc_id, s.start, s.end, s.label, s.origin, a.id, a.external_id, a.name, a.kind FROM spans s "
            "LEFT JOIN actors a ON a.id = s.actor_id WHERE s.doc_id BETWEEN ? AND ? ORDER BY s.doc_id, s.start, s.end"
        )
        for doc_id, start, end, label, origin, actor_id, external_id, name, kind in corpus.db.execute(span_sql, [rows[0][0], after]):
            item = items.get(doc_id)
            if item is not None:  # ids in the range whose status is not exported are skipped
                item.spans.append((start, end, label))
                origins[origin] += 1
                if actor_id is not None:
                    kb_id = Actor(actor_id, name, kind, external_id=external_id).kb_id
                    item.links[start, end] = {"actor_id": actor_id, "kb_id": kb_id, "name": name, "kind": kind}
        yield list(items.values()), [r[6] for r in rows], origins


def _load_format_data(corpus: Corpus, items: dict[int, ExportDoc], first: int, last: int) -> None:
    """Kept tokens, rejected spans and relations of a page of documents (see migration 0005_formats)."""
    for doc_id, tokens, tool in corpus.db.execute(
        "SELECT doc_id, tokens, tool FROM document_formats WHERE doc_id BETWEEN ? AND ?", [first, last]
    ):
        if doc_id in items:
            items[doc_id].tokens = [tuple(t) for t in json.loads(tokens)] if tokens else None
            items[doc_id].tool = json.loads(tool or "{}")
    for doc_id, start, end, label in corpus.db.execute(
        "SELECT doc_id, start, end, label FROM rejected_spans WHERE doc_id BETWEEN ? AND ? ORDER BY doc_id, start", [first, last]
    ):
        if doc_id in items:
            items[doc_id].rejected.append((start, end, label))
    for row in corpus.db.execute(
        "SELECT doc_id, head_start, head_end, head_label, child_start, child_end, child_label, label FROM relations "
        "WHERE doc_id BETWEEN ? AND ? ORDER BY id", [first, last]
    ):
        if row[0] in items:
            items[row[0]].relations.append({"head": list(row[1:4]), "child": list(row[4:7]), "label": row[7]})


def with_metadata(meta: dict, values: Sequence[str | None]) -> dict:
    """The document's meta with its current publication date, outlet, URL and author (None: unknown):
    what the analyst typed wins over what the imported meta said."""
    return {**meta, **dict(zip(METADATA_FIELDS, values, strict=True))}


def _tokenizer(lang: str):
    """A new instance of the tokenizer that snaps spans at edit time (the same construction, uncached):
    not shared with the window, and dropped every RENEW_TOKENS so its vocab cannot grow without bound."""
    from annotator.nlp.tokens import tokenizer

    try:
        return tokenizer.__wrapped__(lang)
    except Exception as exc:  # spaCy raises ImportError/KeyError/ValueError for unknown languages
        raise ExportError(f"cannot load spaCy's tokenizer for the corpus language {lang!r}: {exc}") from exc


def _nothing_to_export(corpus: Corpus, options: ExportOptions) -> str:
    counts = corpus.status_counts()
    msg = f"nothing to export: no accepted documents (the corpus has {counts.get(IN_PROGRESS, 0)} in progress, {counts.get('new', 0)} new)"
    if counts.get(IN_PROGRESS) and IN_PROGRESS not in options.include:
        msg += "; accept documents first, or add --include in_progress"
    return msg


# ---- one export run ---------------------------------------------------
class _Run:
    def __init__(self, corpus, options, exts, nlp, folder, plan, progress, cancelled):
        self.corpus, self.options, self.exts, self.nlp, self.folder = corpus, options, exts, nlp, folder
        self.plan, self.progress, self.cancelled = plan, progress, cancelled
        self.splits = {"train": SplitCounts(), "dev": SplitCounts()}
        self.problems: list[Problem] = []
        self.origins: Counter = Counter()
        self._fresh_tokens = 0
        self.split_entities = 0
        self.rejected = 0
        self.relations = 0
        self.checks: list[Check] = []
        if options.fmt == "spacy":  # entities linked to actors carry their kb_id in the DocBin
            linked = corpus.db.execute("SELECT EXISTS(SELECT 1 FROM spans WHERE actor_id IS NOT NULL)").fetchone()[0]
            self.writer = WRITERS.get(options.fmt)(folder, options, kb_ids=bool(linked))
        else:
            self.writer = WRITERS.get(options.fmt)(folder, options)

    def stream(self, statuses: Sequence[str]) -> None:
        done = 0
        try:
            for items, hashes, origins in iter_documents(self.corpus, statuses):
                self.origins.update(origins)
                extras = {ext.name: ext.load(self.corpus, [it.id for it in items]) for ext in self.exts}
                for item, sha in zip(items, hashes, strict=True):
                    if self.cancelled and self.cancelled():
                        raise ExportCancelled("export cancelled: nothing was written")
                    for name, data in extras.items():
                        if item.id in data:
                            item.extras[name] = data[item.id]
                    self._add(item, _split_of(self.plan, item.id, sha, self.options))
                    done += 1
                    if self.progress and (done % PROGRESS_EVERY == 0 or done == self.plan.total):
                        self.progress(done, self.plan.total)
        except BaseException:
            getattr(self.writer, "abort", lambda: None)()
            raise
        if self.problems and not self.options.skip_misaligned:
            getattr(self.writer, "abort", lambda: None)()
            raise ExportError(_problems_message(self.problems))

    def _add(self, item: ExportDoc, split: str) -> None:
        if self._fresh_tokens > RENEW_TOKENS:
            self.nlp, self._fresh_tokens = _tokenizer(self.nlp.lang), 0
        doc, problems = build_doc(self.nlp, item)
        self._fresh_tokens += len(doc)
        if self.options.fmt == "spacy":
            for ext in self.exts:
                problems += ext.on_doc(doc, item) or []
        if problems:
            self.problems.extend(problems)
            if not self.options.skip_misaligned:
                return  # the export will fail; keep checking to name every problem at once
        for ext in self.exts:
            ext.on_item(item, split)
        self.writer.add(doc, item, split)
        self.split_entities += item.split_entities
        self.rejected += len(item.rejected)
        self.relations += len(item.relations)
        counts = self.splits[split]
        counts.split_entities += item.split_entities
        counts.documents += 1
        counts.tokens += len(doc)
        counts.entities.update(e.label_ for e in doc.ents)
        counts.statuses[item.status] += 1

    def close(self) -> dict[str, list[str]]:
        return self.writer.close()

    def write_beside(self, files: dict[str, list[str]]) -> list[str]:
        """config.cfg (spacy format), the extensions' files, manifest.json and README.txt."""
        notes: list[str] = list(getattr(self.writer, "notes", []))
        no_dev = self.splits["dev"].documents == 0
        if no_dev:
            notes.append("There is no dev set (--dev 0 or a one-document corpus)"
                         + (": config.cfg evaluates on the train set, so its scores say nothing about new text; "
                            "add documents or raise --dev for a real evaluation." if self.options.fmt == "spacy" else "."))
        if self.split_entities:
            lie = "entity lies" if self.split_entities == 1 else "entities lie"
            notes.append(f"{self.split_entities} {lie} inside a token (e.g. Kyiv in Kyiv‘s): the exported tokens are split "
                         "at their edges, so none is lost; spaCy's Example aligns them with a model's own tokens in training.")
        fmt = self.options.fmt
        if self.rejected and not getattr(self.writer, "keeps_rejected", False):
            notes.append(f"{_count(self.rejected, 'rejected suggestion')} (answers \"not this label\") not written: "
                         f"the {fmt} format cannot hold them; the jsonl (Prodigy) and spacy formats keep them.")
        if self.relations and not getattr(self.writer, "keeps_relations", False):
            notes.append(f"{_count(self.relations, 'relation')} not written: the {fmt} format cannot hold them; "
                         "the jsonl (Prodigy), doccano and labelstudio formats keep them.")
        lang = self.nlp.lang
        if self.options.fmt == "spacy":
            pipeline, overrides = ["ner"], {}
            if self.rejected:
                overrides["components.ner.incorrect_spans_key"] = INCORRECT_KEY
            for ext in self.exts:
                more, more_overrides = ext.pipeline()
                pipeline += [p for p in more if p not in pipeline]
                overrides.update(more_overrides)
            dev_path = self.writer.paths["train"] if no_dev else self.writer.paths["dev"]
            config, config_notes = training_config(
                lang, self.writer.paths["train"], dev_path, self.options.optimize, tuple(pipeline), overrides
            )
            notes += config_notes
            config.to_disk(self.folder / "config.cfg", interpolate=False)
        manifest = self._manifest(files, notes, lang)
        for ext in self.exts:
            ext.finish(self.folder, manifest)
        self.checks = debug_checks(self.splits, manifest, self.options.fmt)
        manifest["checks"] = [c.to_json() for c in self.checks]
        _write_text(self.folder / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        _write_text(self.folder / "README.txt", _readme(self, files, notes))
        return notes

    def _manifest(self, files: dict[str, list[str]], notes: list[str], lang: str) -> dict:
        from annotator.session.models import registered_origins

        # people are not models: file spans, annotators, adjudication, Label Studio annotators (its predictions are models)
        models = [o for o in self.origins if o not in (ANNOTATOR_ORIGIN, ADJUDICATED_ORIGIN) and not o.startswith("file:")
                  and not (o.startswith("labelstudio:") and not o.startswith("labelstudio:prediction:"))]
        known = json.loads(self.corpus.meta("models", "[]") or "[]")
        registered = registered_origins(self.corpus)
        return {
            "format": self.options.fmt,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "source_db": str(self.corpus.path.absolute()),
            "lang": lang,
            "annotator_version": _version("annotator"),
            "spacy_version": _version("spacy"),
            "python_version": platform.python_version(),
            "options": {
                "dev": self.options.dev,
                "seed": self.options.seed,
                "statuses": [ACCEPTED, *self.options.include],
                "shard_size": self.options.shard_size,
                "skip_misaligned": self.options.skip_misaligned,
                "optimize": self.options.optimize if self.options.fmt == "spacy" else None,
            },
            "splits": {name: counts.to_json() for name, counts in self.splits.items()},
            "files": files,
            "labels": sorted(set().union(*(c.entities for c in self.splits.values()))),
            "preannotation": {
                "models": [_model_entry(m, self.origins[m], registered) for m in sorted(models)],
                "models_used_on_corpus": known,
                "span_origins": dict(self.origins.most_common()),
            },
            "skipped_spans": [p.__dict__ for p in self.problems],
            "entities_inside_tokens": self.split_entities,
            "rejected_spans": self.rejected,
            "notes": notes,
        }


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def _model_entry(origin: str, spans: int, registered: dict[str, dict]) -> dict:
    # origins are written as <pipeline name>-<version> (annotator.nlp.models.model_id)
    name, _, version = origin.rpartition("-")
    entry = {"id": origin, "name": name or origin, "version": version if name else "", "spans": spans}
    if origin in registered:  # a model trained on this corpus: which one, on what
        entry["trained_in_corpus"] = registered[origin]
    return entry


def _problems_message(problems: list[Problem]) -> str:
    kinds = Counter(p.kind for p in problems)
    lines = [" and ".join(f"{n} {kind} span(s)" for kind, n in kinds.items()) + " cannot be exported token-aligned:"]
    lines += [f"  {p}" for p in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        lines.append(f"  ... and {len(problems) - MAX_LISTED} more")
    lines.append("Fix them in the window (resize the entity or the stance evidence to whole tokens), or export with --skip-misaligned "
                 "(they are then left out, an entity's tokens marked missing, and listed in manifest.json). Nothing was written.")
    return "\n".join(lines)


def _write_text(path: Path, text: str) -> None:
    from annotator.io.export_spacy import write_bytes

    write_bytes(path, text.encode("utf-8"))


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def _readme(run: _Run, files: dict[str, list[str]], notes: list[str]) -> str:
    opts = run.options
    train, dev = run.splits["train"], run.splits["dev"]
    statuses = "accepted documents" + (
        " and documents in progress (their unannotated tokens are 'missing', not 'O')" if opts.include else
        " (every token outside an entity is 'O')"
    )
    lines = [
        f"Gold annotations exported by annotator from {run.corpus.path.absolute()}",
        f"on {datetime.now().strftime('%Y-%m-%d %H:%M')}: {statuses}.",
        f"train: {train.documents} documents, {sum(train.entities.values())} entities; "
        f"dev: {dev.documents} documents, {sum(dev.entities.values())} entities (split by document, seed {opts.seed}).",
        "Counts per label, the pre-annotation model(s) and versions: manifest.json.",
        "",
    ]
    if opts.fmt == "spacy":
        lines += [
            "Train a spaCy pipeline on it. The paths in config.cfg are relative to this folder,",
            "so run the command from here (the folder can be moved or copied as a whole):",
            "",
            "    cd <this folder>",
            "    python -m spacy train config.cfg --output model",
            "",
            "From another folder, give the paths relative to where you are, e.g. for ./export:",
            "",
            "    python -m spacy train export/config.cfg --output model "
            + " ".join(f"--paths.{s} export/{run.writer.paths[s]}" for s in ("train", "dev")),
            "",
            "Check the data first with: python -m spacy debug data config.cfg",
            "Add --gpu-id 0 to train on a GPU.",
            "",
        ]
    else:
        described = getattr(run.writer, "description", "") or getattr(WRITERS.get(opts.fmt), "description", opts.fmt)
        lines += [f"Format: {described}.", ""]
    lines.append("Files:")
    for split, names in files.items():
        lines += [f"    {name}" for name in names[:5]] + ([f"    ... ({len(names)} {split} shards)"] if len(names) > 5 else [])
    if opts.fmt == "spacy":
        lines.append("    config.cfg")
    lines += ["    manifest.json", ""]
    if notes:
        lines += ["Notes:"] + [f"- {n}" for n in notes] + [""]
    return "\n".join(lines)
