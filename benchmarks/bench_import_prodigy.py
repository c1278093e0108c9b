"""A pre-annotated import: N Prodigy tasks with spans (ner.manual db-out shape), `--model none`.

Runs `annotator import` as a user would (a subprocess) and prints documents/s and the peak RSS
of that process. Targets (issue 10): >= 5,000 documents/s and <= 300 MB for 100,000 tasks.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = ("talks resumed in the capital on Monday as officials from both sides met behind closed doors "
         "while analysts warned that the ceasefire remained fragile and markets waited").split()
PLACES = ["Kyiv", "Moscow", "Geneva", "Istanbul", "Warsaw", "Brussels", "Washington", "Ankara"]
PEOPLE = ["Zelensky", "Macron", "Scholz", "Erdogan", "Blinken", "Lavrov"]


def task(i: int, rng: random.Random) -> dict:
    parts, spans, pos = [], [], 0
    for _ in range(rng.randint(25, 70)):
        kind = rng.random()
        if kind < 0.08:
            word, label = rng.choice(PLACES), "GPE"
        elif kind < 0.12:
            word, label = rng.choice(PEOPLE), "PERSON"
        else:
            word, label = rng.choice(WORDS), None
        if label:
            spans.append({"start": pos, "end": pos + len(word), "label": label})
        parts.append(word)
        pos += len(word) + 1
    text = " ".join(parts) + f". Report {i}."
    return {"text": text, "spans": spans, "meta": {"source": "bench", "n": i}, "_input_hash": i, "_task_hash": -i,
            "_view_id": "ner_manual", "answer": "accept"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--tasks", type=int, default=100_000)
    args = ap.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "tasks.jsonl"
        with open(data, "w", encoding="utf-8") as f:
            for i in range(args.tasks):
                f.write(json.dumps(task(i, rng)) + "\n")
        size = data.stat().st_size
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "annotator", "import", str(data), "--db", str(Path(tmp) / "b.db"),
                               "--model", "none"], capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_mb, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        if proc.returncode != 0:
            print(proc.stdout[-2000:], proc.stderr[-2000:])
            raise SystemExit(f"import failed with exit code {proc.returncode}")
        print(f"pre-annotated Prodigy import: {args.tasks:,} tasks ({size / 1e6:.0f} MB), --model none")
        print(proc.stdout.strip().splitlines()[-1])
        print(f"{args.tasks / seconds:,.0f} documents/s wall ({seconds:.1f} s, process start included); "
              f"{args.tasks / cpu:,.0f} documents per CPU second ({cpu:.1f} s CPU: what an unloaded machine gets); "
              f"peak RSS {peak_mb:.0f} MB  (targets: >= 5,000 documents/s, <= 300 MB); load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
