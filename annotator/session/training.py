"""The train use case: accepted documents → export → a trainer child process → a registered model.

The export (its train/dev split and config.cfg) is the training data, so what the app trains on
is exactly what `python -m spacy train` would. The trainer runs in a child process
(annotator.nlp.trainer) that never opens the database; its JSON-lines progress is read here.
Cancel sends it SIGTERM: it stops at the next step and keeps the best model so far. Only once the
child has finished and its model is in place is anything written to the corpus (one registry row).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError, BadInput, Cancelled, Kind
from annotator.session.corpus import Corpus
from annotator.session.export import ExportError, ExportOptions, export_corpus
from annotator.session.models import ModelInfo, base_model, models_dir, next_id, register

MIN_ACCEPTED = 10  # fewer and the dev split is one or two documents: its scores mean nothing
CURVE = (0.25, 0.5, 0.75, 1.0)


class TrainError(AnnotatorError):
    """Training that could not run or failed; the corpus is untouched."""

    kind = Kind.MODEL


@dataclass(frozen=True)
class TrainOptions:
    base: str | None = "default"  # "default": the corpus's pre-annotation model; None or "none": from scratch
    max_steps: int = 1000
    seed: int = 0
    dev: float = 0.2
    out: Path | None = None  # where the model goes; None: <db>.models/<id>
    curve: bool = False
    fractions: tuple[float, ...] | None = None  # overrides the curve's 25/50/75/100 %
    eval_frequency: int | None = None  # None: about ten evaluations per run
    kind: str = "spacy"  # the pre-annotator registry name used to score models
    memory_limit_mb: int | None = None  # cap on the trainer's address space


@dataclass
class TrainEvent:
    event: str  # run, step, eval, model, base
    data: dict

    def __getattr__(self, name):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class TrainResult:
    model: ModelInfo
    warnings: list[str] = field(default_factory=list)
    curve: list[dict] = field(default_factory=list)
    evals: list[dict] = field(default_factory=list)

    def report(self) -> str:
        return side_by_side(self.model)


def plan_check(corpus: Corpus, options: TrainOptions) -> None:
    """Refuse before anything starts when there is too little to train on."""
    accepted = corpus.status_counts().get("accepted", 0)
    if accepted < MIN_ACCEPTED:
        raise BadInput(
            f"training needs at least {MIN_ACCEPTED} accepted documents (some go to the dev split to measure it); "
            f"the corpus has {accepted}: accept {MIN_ACCEPTED - accepted} more"
        )
    if options.max_steps < 1:
        raise BadInput("--max-steps must be at least 1")


def check_export(splits: dict, dev_fraction: float) -> list[str]:
    """Refuse a dev split with no entity (or a train split with none); warn about labels only in dev."""
    train, dev = splits["train"], splits["dev"]
    per = max(1, math.ceil(1 / dev_fraction)) if dev_fraction > 0 else 0
    if not sum(train.entities.values()):
        raise BadInput("the train split has no entity: accept documents that contain entities first")
    if dev.documents == 0 or not sum(dev.entities.values()):
        raise BadInput(
            f"the dev split ({dev.documents} documents) has no entity, so the model cannot be measured: accept about "
            f"{per} more documents with entities (about one in {per} goes to dev)"
        )
    only_dev = sorted(set(dev.entities) - set(train.entities))
    return [f"label {lb} is only in the dev split ({dev.entities[lb]}×): the model cannot learn it; accept more documents with it"
            for lb in only_dev]


def train_model(
    corpus: Corpus,
    options: TrainOptions | None = None,
    progress: Callable[[TrainEvent], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> TrainResult:
    options = options or TrainOptions()
    plan_check(corpus, options)
    if options.base in (None, "none"):
        base = base_name = None
    elif options.base == "default":
        base, base_name = base_model(corpus)
    else:
        base = base_name = options.base
    model_id = next_id(corpus)
    parent = models_dir(corpus)
    parent.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".train-{model_id}-", dir=parent))
    try:
        export, doc_hash = _export(corpus, options, staging / "export")
        warnings = check_export(export.splits, options.dev)
        if export.problems:
            warnings.append(f"{len(export.problems)} entities do not align with tokens and were left out of training "
                            "(their tokens are 'missing'); `annotator export` lists them")
        fractions = options.fractions or (CURVE if options.curve else (1.0,))
        job = {
            "export": str(export.folder), "out": str(staging / "out"), "base": base, "max_steps": options.max_steps,
            "seed": options.seed, "eval_frequency": options.eval_frequency or max(1, options.max_steps // 10),
            "fractions": list(fractions), "model_name": f"annotator_{model_id}", "kind": options.kind,
            "memory_limit_mb": options.memory_limit_mb,
        }
        (staging / "job.json").write_text(json.dumps(job, indent=2))
        started = time.perf_counter()
        events = _run_child(staging, progress, cancelled)
        seconds = time.perf_counter() - started
        runs = [e.data for e in events if e.event == "model"]
        if not runs:
            raise Cancelled("training was cancelled before a model was saved; nothing was registered")
        last = runs[-1]
        dest = Path(options.out) if options.out else parent / model_id
        if dest.exists() and any(dest.iterdir()):
            raise BadInput(f"{dest} exists and is not empty: choose another --out")
        if dest.exists():
            dest.rmdir()
        shutil.move(last["path"], dest)
        shutil.copy(Path(export.folder) / "manifest.json", dest / "export-manifest.json")
        base_scores = next((e.data["scores"] for e in events if e.event == "base"), {})
        info = ModelInfo(
            id=model_id, origin=last["scores"].get("origin", ""), base=base_name or "", created=_now(), path=dest,
            documents=last["train_documents"], documents_hash=doc_hash, dev_documents=export.splits["dev"].documents,
            steps=options.max_steps, seed=options.seed, seconds=seconds, cancelled=last["cancelled"],
            scores=last["scores"], base_scores=base_scores, other_scores=last["other_scores"],
            curve=[_curve_point(r) for r in runs] if len(fractions) > 1 else [],
        )
        register(corpus, info)
        warnings += [e.data["message"] for e in events if e.event == "note"]
        return TrainResult(info, warnings, info.curve, [e.data for e in events if e.event == "eval"])
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _export(corpus: Corpus, options: TrainOptions, folder: Path):
    """The export into the staging folder, and a hash of the exported documents' texts (the set trained on)."""
    try:
        result = export_corpus(corpus, ExportOptions(out=folder, dev=options.dev, seed=options.seed, skip_misaligned=True))
    except ExportError as exc:
        raise BadInput(f"cannot train: {exc}") from exc
    digest = hashlib.sha256()
    for (sha,) in corpus.db.execute("SELECT sha256 FROM documents WHERE status = 'accepted' ORDER BY sha256"):
        digest.update(sha.encode())
    return result, digest.hexdigest()[:16]


def _curve_point(run: dict) -> dict:
    return {"fraction": run["fraction"], "train_documents": run["train_documents"], "f": run["scores"]["overall"]["f"],
            "seconds": run["seconds"], "cancelled": run["cancelled"]}


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- the child process --------------------------------------------------------
def _run_child(staging: Path, progress, cancelled) -> list[TrainEvent]:
    log = open(staging / "trainer.log", "wb")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator.nlp.trainer", str(staging / "job.json")],
        stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, env=env,
        start_new_session=True,  # a terminal's Ctrl+C reaches the parent, which stops the child in order
    )
    events: list[TrainEvent] = []
    stopping = False
    buffer = b""
    try:
        while True:
            try:
                if not stopping and cancelled and cancelled():
                    stopping = True
                    proc.send_signal(signal.SIGTERM)
                ready, _, _ = select.select([proc.stdout], [], [], 0.2)
                if not ready:
                    if proc.poll() is not None:
                        break
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    if line.strip():
                        event = _parse(line)
                        events.append(event)
                        if progress and event.event != "error":
                            progress(event)
            except KeyboardInterrupt:
                if not stopping:
                    stopping = True
                    proc.send_signal(signal.SIGTERM)
        proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    finally:
        log.close()
    _check_outcome(proc.returncode, events, staging / "trainer.log", stopping)
    if stopping:
        for e in events:
            if e.event == "model":
                e.data["cancelled"] = True
    return events


def _parse(line: bytes) -> TrainEvent:
    try:
        data = json.loads(line)
        return TrainEvent(data.pop("event"), data)
    except (ValueError, KeyError, AttributeError):
        return TrainEvent("output", {"line": line.decode("utf-8", "replace")})


def _check_outcome(code: int, events: list[TrainEvent], log: Path, stopping: bool) -> None:
    error = next((e.data for e in events if e.event == "error"), None)
    done = any(e.event == "done" for e in events)
    if done and code == 0:
        return
    tail = _tail(log)
    if error:
        kind = error.get("kind")
        if kind == "disk":
            raise TrainError(f"training stopped: {error['message']}. The corpus is untouched; free some space and try again.",
                             kind=Kind.STORAGE)
        if kind == "memory":
            raise TrainError("training stopped: the trainer ran out of memory. The corpus is untouched; close other "
                             "programs, or train with fewer documents per batch.")
        raise TrainError(f"training failed: {error['message']}. The corpus is untouched.{tail}")
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        why = " (out of memory: the system stopped it?)" if -code == signal.SIGKILL else ""
        raise TrainError(f"the trainer was stopped by {name}{why}. The corpus is untouched.{tail}")
    raise TrainError(f"the trainer exited with status {code}. The corpus is untouched.{tail}")


def _tail(log: Path, lines: int = 8) -> str:
    try:
        text = log.read_text(errors="replace").strip().splitlines()[-lines:]
    except OSError:
        return ""
    return ("\nLast lines of the trainer's log:\n  " + "\n  ".join(text)) if text else ""


# ---- the report ---------------------------------------------------------------
def side_by_side(model: ModelInfo) -> str:
    """Base vs fine-tuned on the same dev documents, per label and overall, with the difference in F."""
    base, new = model.base_scores or {}, model.scores or {}
    labels = sorted(set(new.get("labels", {})) | set(base.get("labels", {})))
    head = f"{'label':<20} {'base P':>7} {'base R':>7} {'base F':>7}   {'new P':>7} {'new R':>7} {'new F':>7}   {'ΔF':>6}"
    lines = [f"model {model.id} vs base {model.base or '(none: trained from scratch)'} on {model.dev_documents} dev documents",
             head, "-" * len(head)]

    def row(name: str, b: dict | None, n: dict | None) -> str:
        def cells(s):
            return (f"{s['p'] * 100:7.1f} {s['r'] * 100:7.1f} {s['f'] * 100:7.1f}" if s else f"{'-':>7} {'-':>7} {'-':>7}")

        diff = (n or {}).get("f", 0.0) - (b or {}).get("f", 0.0)
        return f"{name:<20} {cells(b)}   {cells(n)}   {diff * 100:+6.1f}"

    for lb in labels:
        lines.append(row(lb, base.get("labels", {}).get(lb), new.get("labels", {}).get(lb)))
    lines.append("-" * len(head))
    lines.append(row("overall", base.get("overall"), new.get("overall")))
    if model.other_scores:
        lines.append("stances (spaCy's scorer on dev): " + ", ".join(f"{k} {v * 100:.1f}" for k, v in sorted(model.other_scores.items())))
    if model.curve:
        lines.append("learning curve (dev F): " + ", ".join(
            f"{round(p['fraction'] * 100)}% ({p['train_documents']} docs) {p['f'] * 100:.1f}" for p in model.curve))
        if len(model.curve) >= 2:
            gain = (model.curve[-1]["f"] - model.curve[-2]["f"]) * 100
            lines.append(f"the last step added {gain:+.1f} F: " + (
                "more annotation should still pay" if gain > 1 else "the curve is flattening"))
    if model.cancelled:
        lines.append("(cancelled: this is the best model saved before the stop)")
    return "\n".join(lines)


__all__ = ["CURVE", "MIN_ACCEPTED", "TrainError", "TrainEvent", "TrainOptions", "TrainResult", "check_export",
           "plan_check", "side_by_side", "train_model"]
