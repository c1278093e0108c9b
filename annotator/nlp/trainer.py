"""The trainer: a child process that fine-tunes (or trains) a pipeline on an export folder.

Run as `python -m annotator.nlp.trainer JOB.json`. It speaks JSON lines on its standard output
(the descriptor it was started with; spaCy's own messages are sent to stderr) and never touches
the corpus database: a crash, an out-of-memory or a full disk here costs the parent nothing but
this run. SIGTERM or SIGINT stop it at the next step; spaCy's loop then saves the last model and
the best one (saved at each evaluation) is kept.

Events, one JSON object a line, each with "event":
  run    {run, fraction, train_documents, steps}         a training run starts (several with a curve)
  step   {run, step, epoch}                              before each update
  eval   {run, step, epoch, loss, p, r, f, score}        each evaluation on dev (spaCy's scorer)
  model  {run, path, cancelled, scores, other_scores, seconds}   a run's kept model, scored on dev
  base   {scores}                                         the base model scored on the same dev docs
  note   {message}                                        something the user should know (e.g. the base has no NER)
  error  {kind: memory|disk|config|model|other, message}
  done   {}
Job keys: export, out, base (name/path or null), max_steps, seed, eval_frequency, fractions,
model_name, kind (the pre-annotator registry name), memory_limit_mb (null: no limit).
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import sys
import time
from pathlib import Path

LOGGER = "annotator.JsonLogger.v1"
CALLBACK = "annotator.StepCallback.v1"
_out = None  # the JSON-lines stream (the original stdout)
_stop = False
_run = ""


class Stopped(Exception):
    """Raised at the next step after SIGTERM/SIGINT; spaCy's loop saves model-last on the way out."""


def emit(event: str, **fields) -> None:
    if _out is None:
        return
    _out.write(json.dumps({"event": event, **fields}) + "\n")
    _out.flush()


def _on_signal(signum, frame) -> None:
    global _stop
    _stop = True


def _register() -> None:
    from spacy import registry

    @registry.loggers(LOGGER)
    def json_logger():
        def setup(nlp, stdout=sys.stdout, stderr=sys.stderr):
            def log_step(info):
                if info is None:  # a step without evaluation
                    return
                other = info.get("other_scores") or {}
                emit(
                    "eval", run=_run, step=info["step"], epoch=info["epoch"],
                    loss=float(sum(info["losses"].values())), losses={k: float(v) for k, v in info["losses"].items()},
                    p=other.get("ents_p"), r=other.get("ents_r"), f=other.get("ents_f"), score=float(info["score"]),
                )

            return log_step, lambda: None

        return setup

    @registry.callbacks(CALLBACK)
    def step_callback():
        def before_update(nlp, args):
            if _stop:
                raise Stopped("cancelled")
            emit("step", run=_run, step=args["step"], epoch=args["epoch"])

        return before_update


# ---- the config ---------------------------------------------------------
def build_config(export: Path, job: dict, base_nlp=None, notes: list | None = None):
    """The export's config.cfg with the job's steps/seed, our logger, and the base's NER sourced."""
    from spacy import util

    config = util.load_config(export / "config.cfg", interpolate=False)
    config["paths"]["train"] = str(export / config["paths"]["train"])
    config["paths"]["dev"] = str(export / config["paths"]["dev"])
    config["system"]["seed"] = job["seed"]
    T = config["training"]
    T["max_steps"] = job["max_steps"]
    T["max_epochs"] = 0
    T["patience"] = 0  # the same number of steps as `spacy train --training.max_steps N --training.patience 0`
    T["eval_frequency"] = job["eval_frequency"]
    T["logger"] = {"@loggers": LOGGER}
    T["before_update"] = {"@callbacks": CALLBACK}
    if base_nlp is not None:
        found = source_from_base(config, base_nlp, job["base"])
        if notes is not None:
            notes.extend(found)
    return config


def source_from_base(config, base_nlp, base: str) -> list[str]:
    """Fine-tune: the base's NER (and the tok2vec it listens to, if any) replace the fresh ones; its
    EntityRulers come along unchanged (frozen, before the NER). Returns notes for the user."""
    comps, T = config["components"], config["training"]
    pipeline = config["nlp"]["pipeline"]
    notes = []
    rulers = [n for n in base_nlp.pipe_names if base_nlp.get_pipe_meta(n).factory == "entity_ruler"]
    for name in rulers:
        comps[name] = {"source": base, "component": name}
        pipeline.insert(pipeline.index("ner"), name)
        T["frozen_components"] = [*T.get("frozen_components", []), name]
    if rulers:
        notes.append(f"the base's {', '.join(rulers)} kept as it is (its patterns are not trained), before the NER")
    ner = next((n for n in base_nlp.pipe_names if base_nlp.get_pipe_meta(n).factory in ("ner", "beam_ner")), None)
    if ner is None:
        notes.append(f"the base {base} has no trainable NER: a new one was trained from scratch "
                     "(the base is still scored through its pre-annotator)")
        return notes
    comps["ner"] = {"source": base, "component": ner}
    embed = base_nlp.get_pipe_config(ner).get("model", {}).get("tok2vec", {})
    if "Listener" in str(embed.get("@architectures", "")):
        upstream = embed.get("upstream", "*")
        name = upstream if upstream != "*" else next(n for n in base_nlp.pipe_names if base_nlp.get_pipe_meta(n).factory == "tok2vec")
        comps["tok2vec"] = {"source": base, "component": name}
    elif not _listeners(config, "tok2vec"):
        # the base NER embeds its own tok2vec; the export's one would be trained for nothing
        config["nlp"]["pipeline"] = [p for p in pipeline if p != "tok2vec"]
        comps.pop("tok2vec", None)
        T["annotating_components"] = [c for c in T.get("annotating_components", []) if c != "tok2vec"]
    return notes


def _listeners(config, upstream: str) -> list[str]:
    out = []
    for name, comp in config["components"].items():
        model = comp.get("model", {}) if isinstance(comp, dict) else {}
        t2v = model.get("tok2vec", {}) if isinstance(model, dict) else {}
        if name != "ner" and isinstance(t2v, dict) and "Listener" in str(t2v.get("@architectures", "")):
            out.append(name)
    return out


# ---- data -----------------------------------------------------------------
def read_docs(path: Path, vocab):
    from spacy.tokens import DocBin
    from spacy.training.corpus import walk_corpus

    for file in walk_corpus(path, ".spacy"):
        yield from DocBin().from_disk(file).get_docs(vocab)


def subset(config, fraction: float, seed: int, folder: Path, vocab) -> tuple[Path, int]:
    """A train DocBin with `fraction` of the train documents (a seeded shuffle: the 25 % are in the 50 %)."""
    from spacy.tokens import DocBin

    full = Path(config["paths"]["train"])
    docs = list(read_docs(full, vocab))
    if fraction >= 1:
        return full, len(docs)
    random.Random(seed).shuffle(docs)
    keep = docs[: max(1, round(len(docs) * fraction))]
    out = folder / f"train-{round(fraction * 100)}.spacy"
    DocBin(docs=keep, store_user_data=True).to_disk(out)
    return out, len(keep)


def score_model(model: str, kind: str, dev_docs) -> dict:
    from annotator.nlp.preannotators import get_preannotator
    from annotator.nlp.scoring import SpanScorer

    pre = get_preannotator(model, kind=kind)
    gold = {i: [(e.start_char, e.end_char, e.label_) for e in doc.ents] for i, doc in enumerate(dev_docs)}
    scorer = SpanScorer()
    for i, spans in pre.annotate((doc.text, i) for i, doc in enumerate(dev_docs)):
        scorer.add(gold[i], spans)
    scores = scorer.scores()
    scores["origin"] = pre.origin
    return scores


# ---- one run ----------------------------------------------------------------
def train_once(config, out: Path) -> bool:
    """spaCy's training loop; True when it was stopped (the models saved so far are kept)."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_nlp

    nlp = init_nlp(config, use_gpu=-1)
    try:
        train_nlp(nlp, out, use_gpu=-1, stdout=sys.stderr, stderr=sys.stderr)
    except Stopped:
        return True
    return False


def keep_best(out: Path, dest: Path, name: str) -> Path:
    """model-best (or model-last when no evaluation ran yet) becomes `dest`, renamed in its meta."""
    src = out / "model-best" if (out / "model-best" / "meta.json").exists() else out / "model-last"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.move(str(src), dest)
    meta_path = dest / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["name"], meta["version"] = name, "1.0.0"
    meta_path.write_text(json.dumps(meta, indent=2))
    return dest


def other_scores(model: Path) -> dict:
    """Stance evidence (spancat) and article stance (textcat) scores, reported apart from the entities."""
    perf = json.loads((model / "meta.json").read_text()).get("performance", {})
    return {k: v for k, v in perf.items() if (k.startswith("spans_") or k.startswith("cats_")) and isinstance(v, int | float)}


def run_job(job: dict) -> None:
    global _run
    import spacy

    _register()
    export, out = Path(job["export"]), Path(job["out"])
    base_nlp = spacy.load(job["base"]) if job.get("base") else None
    fractions = job.get("fractions") or [1.0]
    for i, fraction in enumerate(fractions):
        _run = f"{round(fraction * 100)}%"
        folder = out / f"run-{round(fraction * 100)}"
        folder.mkdir(parents=True, exist_ok=True)
        notes: list[str] = []
        config = build_config(export, job, base_nlp, notes)
        if i == 0:
            for note in notes:
                emit("note", message=note)
        vocab = spacy.blank(config["nlp"]["lang"]).vocab
        train_path, n = subset(config, fraction, job["seed"], folder, vocab)
        config["paths"]["train"] = str(train_path)
        config.to_disk(folder / "config.cfg", interpolate=False)
        emit("run", run=_run, fraction=fraction, train_documents=n, steps=job["max_steps"])
        started = time.perf_counter()
        cancelled = train_once(spacy.util.load_config(folder / "config.cfg", interpolate=False), folder)
        seconds = time.perf_counter() - started
        last = i == len(fractions) - 1 or cancelled
        dest = out / "model" if last else folder / "kept"
        keep_best(folder, dest, job["model_name"])
        dev_docs = list(read_docs(Path(config["paths"]["dev"]), vocab))
        scores = score_model(str(dest), job.get("kind", "spacy"), dev_docs)
        emit("model", run=_run, fraction=fraction, path=str(dest), cancelled=cancelled, scores=scores,
             other_scores=other_scores(dest), seconds=seconds, train_documents=n)
        if last:
            shutil.copy(folder / "config.cfg", dest / "training.cfg")
        shutil.rmtree(folder, ignore_errors=True)
        if last and job.get("base"):
            emit("base", scores=score_model(job["base"], job.get("kind", "spacy"), dev_docs))
        if cancelled:
            break


def _limit_memory(mb: int | None) -> None:
    if mb:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (mb << 20, mb << 20))


def main(argv: list[str]) -> int:
    global _out
    # JSON lines go to the original stdout; everything spaCy prints goes to stderr
    _out = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    job = json.loads(Path(argv[0]).read_text())
    try:
        _limit_memory(job.get("memory_limit_mb"))
        run_job(job)
    except MemoryError:
        emit("error", kind="memory", message="the trainer ran out of memory")
        return 3
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            emit("error", kind="disk", message=f"the disk is full: {exc}")
        elif exc.errno == errno.ENOMEM:
            emit("error", kind="memory", message=f"the trainer ran out of memory: {exc}")
        else:
            emit("error", kind="other", message=f"{type(exc).__name__}: {exc}")
        return 3
    except SystemExit as exc:  # spaCy's CLI helpers exit on an invalid config
        emit("error", kind="config", message=f"spaCy refused the training config (exit {exc.code}); see the log")
        return 3
    except Exception as exc:
        # a native library that cannot map its code or allocate says so only in its message
        text = str(exc).lower()
        kind = "memory" if any(w in text for w in ("memory", "alloc", "map segment")) else "other"
        emit("error", kind=kind, message=f"{type(exc).__name__}: {exc}")
        import traceback

        traceback.print_exc()
        return 3
    emit("done")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
