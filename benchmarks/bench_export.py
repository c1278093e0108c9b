"""Export throughput and memory: `make bench-export` (or .venv/bin/python benchmarks/bench_export.py).

Builds corpora of 2,500, 5,000 and 10,000 accepted articles (paragraphs of the seed articles with the
model's entities, recombined so every article differs; cached in benchmarks/out/), exports
each in a fresh process, and prints tokens/s, documents/s and peak memory. Memory must not
grow with the corpus: DocBin shards close at 500k tokens, so once a corpus fills a train and a
dev shard (about 5,000 of these articles) the peak stays flat.
Wall-clock figures suffer when other processes share the cores; the CPU-time rate is printed beside.
A second run per size under tracemalloc gives the peak of Python allocations (slower; not timed).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
SIZES = (2_500, 5_000, 10_000)
TARGET = 300_000  # tokens/s


def paragraphs_with_entities() -> list[tuple[str, list[tuple[int, int, str]]]]:
    from annotator.nlp.preannotators import load_pipeline

    nlp = load_pipeline()
    pool = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n"):
            para = para.strip()
            if para:
                pool.append((para, [(e.start_char, e.end_char, e.label_) for e in nlp(para).ents]))
    return pool


def build(path: Path, n: int, pool, seed: int = 0) -> None:
    from annotator.core.records import Record
    from annotator.nlp.tokens import tokenizer
    from annotator.session.corpus import Corpus
    from annotator.session.importer import store_records

    tok = tokenizer("en").tokenizer
    rng = random.Random(seed)
    corpus = Corpus(path)
    batch = []
    for i in range(n):
        text, spans = f"Article {i}: {rng.randint(1, 10**6)}", []
        for para, ents in rng.sample(pool, rng.randint(8, 16)):
            text += "\n\n"
            spans += [(s + len(text), e + len(text), label) for s, e, label in ents]
            text += para
        doc = tok(text)
        spans = [s for s in spans if doc.char_span(s[0], s[1], alignment_mode="strict") is not None]
        batch.append(Record(text=text, title=f"Article {i}", spans=spans, status="accepted", source="bench"))
        if len(batch) == 500:
            store_records(corpus, batch, {j: "en_core_web_sm-3.8.0" for j in range(len(batch))})
            batch = []
    if batch:
        store_records(corpus, batch, {j: "en_core_web_sm-3.8.0" for j in range(len(batch))})
    corpus.close()


def corpus_path(n: int, pool_cache: list) -> Path:
    path = OUT / f"export_{n}.db"
    if not path.exists():
        if not pool_cache:
            pool_cache.extend(paragraphs_with_entities())
        tmp = path.with_suffix(".building")
        for p in OUT.glob(tmp.name + "*"):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        t = time.perf_counter()
        build(tmp, n, pool_cache)
        tmp.rename(path)
        for extra in OUT.glob(tmp.name + "?*"):  # the corpus's backups and lock: not needed for a benchmark
            shutil.rmtree(extra) if extra.is_dir() else extra.unlink()
        print(f"built {path.name}: {n} accepted articles in {time.perf_counter() - t:.1f} s", flush=True)
    return path


def child(db: str, out: str, trace: bool) -> None:
    """One export in this fresh process; prints its figures as JSON."""
    import tracemalloc

    from annotator.nlp.tokens import tokenizer
    from annotator.session.corpus import Corpus
    from annotator.session.export import ExportOptions, export_corpus

    tokenizer("en")  # spaCy's import and the tokenizer are the baseline, not the export
    from spacy.cli.init_config import init_config  # noqa: F401  (config generation imports more of spaCy)

    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    corpus = Corpus(db)
    t, cpu = time.perf_counter(), time.process_time()
    result = export_corpus(corpus, ExportOptions(out=Path(out)))
    seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = tracemalloc.get_traced_memory()[1] if trace else None
    corpus.close()
    print(json.dumps({
        "docs": result.documents, "tokens": result.tokens, "seconds": seconds, "cpu": cpu,
        "base_rss_kb": base_rss, "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "traced_peak": peak,
        "files": sum(len(v) for v in result.files.values()),
    }))


def run_child(db: Path, trace: bool) -> dict:
    out = OUT / "export_run"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, __file__, "--child", str(db), str(out)] + (["--trace"] if trace else [])
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode:
        sys.exit(f"export failed:\n{proc.stderr}")
    shutil.rmtree(out, ignore_errors=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("DB", "OUT"))
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per size (the median is printed)")
    args = parser.parse_args()
    if args.child:
        child(*args.child, trace=args.trace)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    pool: list = []
    rows = []
    for n in SIZES:
        db = corpus_path(n, pool)
        runs = [run_child(db, trace=False) for _ in range(args.repeat)]
        traced = run_child(db, trace=True)
        secs = statistics.median(r["seconds"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        r = runs[0]
        rows.append((n, r, secs, traced))
        print(
            f"{r['docs']:>6} docs {r['tokens']:>9,} tokens  {r['tokens'] / secs:>9,.0f} tokens/s  {r['docs'] / secs:>6,.0f} docs/s  "
            f"({secs:.2f} s median of {len(runs)}; CPU {r['tokens'] / cpu:,.0f} tokens/s; {r['files']} .spacy files)  "
            f"peak RSS {r['max_rss_kb'] / 1024:.0f} MB (spaCy loaded: {r['base_rss_kb'] / 1024:.0f} MB)  "
            f"peak Python allocations {traced['traced_peak'] / 2**20:.0f} MB",
            flush=True,
        )
    for (n1, r1, _, t1), (n2, r2, _, t2) in zip(rows, rows[1:]):
        print(f"memory {n2} vs {n1} articles (corpus x{n2 / n1:.1f}): peak RSS x{r2['max_rss_kb'] / r1['max_rss_kb']:.2f}, "
              f"peak Python allocations x{t2['traced_peak'] / t1['traced_peak']:.2f}")
    _, last, secs, _ = rows[-1]
    speed = last["tokens"] / secs
    print(f"throughput {speed:,.0f} tokens/s: {'meets' if speed >= TARGET else 'BELOW'} the {TARGET:,} tokens/s target")


if __name__ == "__main__":
    main()
