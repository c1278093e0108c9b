"""Pre-annotation throughput: plain nlp.pipe in one process vs `preannotate` on 1 and 2 local Dask workers.

The same texts (varied copies of seeds/*.txt: paragraphs rotated, one line added) go through
each. The number of texts is chosen so the single process works >= 20 s (--seconds). Model
loading is left out of every timing (workers load it once, before the clock starts); the
preannotate timing includes reading the input file, shipping texts and writing the shards.
Prints documents/s, words/s, the ratio to N x single process, memory per worker and the load.

    make bench-preannotate            # or: python benchmarks/bench_preannotate.py --workers 1 2 4
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def varied_texts(n: int) -> list[str]:
    seeds = [p.read_text(encoding="utf-8").strip().split("\n") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    out = []
    for i in range(n):
        paras = seeds[i % len(seeds)]
        k = (i // len(seeds)) % len(paras)
        out.append("\n".join(paras[k:] + paras[:k] + [f"Filed as copy {i}."]))
    return out


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def single(nlp, texts: list[str], batch_size: int) -> tuple[float, float]:
    """Wall and CPU seconds of plain nlp.pipe."""
    started, cpu = time.perf_counter(), time.process_time()
    n = sum(len(doc.ents) >= 0 for doc in nlp.pipe(texts, batch_size=batch_size))
    assert n == len(texts)
    return time.perf_counter() - started, time.process_time() - cpu


def cpu_seconds() -> float:
    import psutil

    t = psutil.Process().cpu_times()
    return t.user + t.system


def on_cluster(workers: int, path: Path, n: int, partition_size: int, batch_size: int) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (driver with scheduler + workers), peak worker RSS in MB, model;
    for preannotate on a new local cluster, the model warmed first."""
    from annotator.session.preannotate_cluster import cluster_client, preannotate
    from annotator.session.preannotate_worker import warm

    with cluster_client(workers=workers) as client:  # the local cluster the CLI's --workers starts
        client.run(warm, None)
        with tempfile.TemporaryDirectory() as out:
            cpu0, driver0 = sum(client.run(cpu_seconds).values()), time.process_time()
            started = time.perf_counter()
            report = preannotate([path], Path(out) / "shards", client, partition_size=partition_size, batch_size=batch_size)
            seconds = time.perf_counter() - started
            cpu = sum(client.run(cpu_seconds).values()) - cpu0 + time.process_time() - driver0
            assert report.documents == n, report

        def peak_rss() -> int:
            # VmHWM, not ru_maxrss: a spawned worker inherits its parent's ru_maxrss across exec
            with open("/proc/self/status") as f:
                return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) * 1024

        peak = max(client.run(peak_rss).values()) // 2**20
        return seconds, cpu, peak, report.model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=25.0, help="Single-process work to aim for.")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--partition-size", type=int, help="Default: 8 partitions per worker of the largest run, so the tail is short.")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--json", type=Path, help="Also write the figures here.")
    args = ap.parse_args()

    from annotator.nlp.preannotators import load_pipeline

    nlp = load_pipeline(None)
    print(f"cpus {os.cpu_count()}, load average {load()} (1/5/15 min)", flush=True)
    probe = varied_texts(20)
    rate = len(probe) / single(nlp, probe, args.batch_size)[0]
    n = max(100, int(rate * args.seconds))
    texts = varied_texts(n)
    words = sum(len(t.split()) for t in texts)
    args.partition_size = args.partition_size or max(5, n // (8 * max(args.workers)))
    print(f"{n} texts, {words:,} words ({words // n} per text); probe {rate:.1f} docs/s", flush=True)

    rows = []
    t1, c1 = single(nlp, texts, args.batch_size)
    rows.append({"run": "nlp.pipe, 1 process", "workers": 1, "seconds": t1, "cpu": c1, "load": load(), "rss_mb": None})
    print(f"single: {t1:.1f} s, load {load()}", flush=True)
    base, base_cpu = n / t1, n / c1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "texts.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for t in texts:
                f.write(json.dumps({"text": t}) + "\n")
        for w in args.workers:
            seconds, cpu, rss, model = on_cluster(w, path, n, args.partition_size, args.batch_size)
            rows.append({"run": f"preannotate, {w} worker{'s' if w > 1 else ''}", "workers": w, "seconds": seconds,
                         "cpu": cpu, "load": load(), "rss_mb": rss})
            print(f"{w} workers: {seconds:.1f} s, load {load()}", flush=True)
    # the single process again: on a shared machine the load moves; the ratio uses the mean of both
    t2, c2 = single(nlp, texts, args.batch_size)
    rows.append({"run": "nlp.pipe, 1 process, again", "workers": 1, "seconds": t2, "cpu": c2, "load": load(), "rss_mb": None})
    base, base_cpu = 2 * n / (t1 + t2), 2 * n / (c1 + c2)

    print(f"\nmodel {model}, {n} texts, {words:,} words, partition {args.partition_size}, batch {args.batch_size}")
    print("ratio: docs/s over N x the single process (mean of its two runs); per CPU-s: documents per CPU-second,")
    print("driver, scheduler and workers counted, over the single process's (1.00 = no overhead, whatever the load)")
    print("| run | s | docs/s | words/s | vs N x single | docs per CPU-s | vs single per CPU-s | worker RSS MB | load after |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in rows:
        r["docs_per_s"] = n / r["seconds"]
        r["words_per_s"] = words / r["seconds"]
        r["ratio"] = r["docs_per_s"] / (r["workers"] * base)
        r["docs_per_cpu_s"] = n / r["cpu"]
        r["cpu_ratio"] = r["docs_per_cpu_s"] / base_cpu
        rss = r["rss_mb"] if r["rss_mb"] is not None else "-"
        print(f"| {r['run']} | {r['seconds']:.1f} | {r['docs_per_s']:.1f} | {r['words_per_s']:,.0f} | {r['ratio']:.2f} "
              f"| {r['docs_per_cpu_s']:.1f} | {r['cpu_ratio']:.2f} | {rss} | {r['load']} |")
    if args.json:
        args.json.write_text(json.dumps({"texts": n, "words": words, "model": model, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
