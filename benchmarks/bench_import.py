"""Import throughput (medians of interleaved runs) against plain NER-only nlp.pipe and the full default pipeline.

A corpus is made from the seed articles: each copy has its paragraphs rotated and a
numbered dateline, so every text is distinct (dedupe keeps it) but reads alike.
Prints documents/s and words/s for the three, and the ratio import / plain NER-only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.nlp.models import default_model  # noqa: E402
from annotator.nlp.preannotators import load_pipeline  # noqa: E402
from annotator.session.corpus import Corpus  # noqa: E402
from annotator.session.imports import import_paths, seeds_dir  # noqa: E402


def make_corpus(folder: Path, copies: int) -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    texts = []
    for c in range(copies):
        for s, seed in enumerate(seeds):
            paras = seed.split("\n")
            k = c % len(paras)
            text = f"KYIV, report {c}-{s}.\n" + "\n".join(paras[k:] + paras[:k])
            (folder / f"{c:04d}_{s}.txt").write_text(text, encoding="utf-8")
            texts.append(text)
    return texts


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--copies", type=int, default=60, help="copies of the 5 seed articles")
    ap.add_argument("--repeats", type=int, default=3, help="interleaved runs of import and plain NER")
    ap.add_argument("--batch-size", type=int, default=64)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        texts = make_corpus(folder, args.copies)
        words = sum(len(t.split()) for t in texts)
        n = len(texts)
        print(f"corpus: {n} documents, {words} words; model {default_model()}; batch size {args.batch_size}")

        nlp = load_pipeline()
        list(nlp.pipe(texts[:20], batch_size=args.batch_size))  # warm-up

        def plain():
            for _ in nlp.pipe(texts, batch_size=args.batch_size):
                pass

        # interleaved repeats so load on a noisy machine hits both sides alike; medians compared
        plain_times, import_times = [], []
        report = None
        for r in range(args.repeats):
            plain_times.append(timed(plain))
            corpus = Corpus(Path(tmp) / f"bench{r}.db")

            def do_import(corpus=corpus):
                nonlocal report
                report = import_paths(corpus, [folder], nlp=nlp, batch_size=args.batch_size)

            import_times.append(timed(do_import))
            corpus.close()
            assert len(report.added) == n, (len(report.added), n, report.rejected[:3])
        plain_time = statistics.median(plain_times)
        import_time = statistics.median(import_times)
        no_model = Corpus(Path(tmp) / "nomodel.db")
        overhead = timed(lambda: import_paths(no_model, [folder], model="none"))

        import spacy

        full = spacy.load(default_model())
        list(full.pipe(texts[:20], batch_size=args.batch_size))

        def full_run():
            for _ in full.pipe(texts, batch_size=args.batch_size):
                pass

        full_time = timed(full_run)

    def line(name: str, seconds: float) -> str:
        return f"{name:<28} {seconds:7.2f} s  {n / seconds:8.1f} docs/s  {words / seconds:9.0f} words/s"

    print(line("import (read+NER+store)", import_time) + f"   (runs: {', '.join(f'{t:.2f}' for t in import_times)})")
    print(line("plain NER-only nlp.pipe", plain_time) + f"   (runs: {', '.join(f'{t:.2f}' for t in plain_times)})")
    print(f"import without the model (read+hash+store): {overhead:.2f} s")
    print(line("full default pipeline", full_time) + f"   ({', '.join(full.pipe_names)})")
    print(f"ratio import / plain NER-only: {plain_time / import_time:.2f} (target >= 0.9)")
    print(f"NER-only speed-up over the full pipeline: {full_time / plain_time:.2f}x")


if __name__ == "__main__":
    main()
