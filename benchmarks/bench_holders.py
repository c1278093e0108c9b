"""Holder suggestions against hand-labelled sentences: `make bench-holders`.

Imports seeds/*.txt and benchmarks/holders_texts/*.txt into a fresh corpus the way the app
does (pre-annotated by the default model), then for each sentence of
benchmarks/holders_gold.jsonl compares, with the same evidence range:

- the nearest-entity rule the stance form used so far (session.stances.default_speaker:
  core.speakers.nearest_speaker over the evidence's sentences): one guess;
- annotator.session.holders.suggest_holders: the top one and the top three.

Prints accuracy by kind and by split. "seed" sentences were looked at while developing the
rules; "written" ones (news text written for this benchmark, labelled before the code existed)
were measured once blind, then their misses were read; "fresh" ones were written after that
and never read while tuning: the held-out figure (see make_holders_gold.py). `--show` lists
the misses.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.session import Corpus  # noqa: E402
from annotator.session.holders import same_holder, suggest_holders  # noqa: E402
from annotator.session.imports import import_paths  # noqa: E402
from annotator.session.stances import default_speaker  # noqa: E402

GOLD = ROOT / "benchmarks" / "holders_gold.jsonl"


def baseline(text: str, spans, start: int, end: int) -> str | None:
    """What the stance form proposed before: the nearest speaker entity of the evidence's sentences."""
    span = default_speaker(text, spans, (start, end))
    return text[span.start : span.end] if span else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="list every sentence the suggestion gets wrong")
    ap.add_argument("--split", choices=["seed", "written", "fresh"], help="only this split")
    args = ap.parse_args()
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.split:
        gold = [g for g in gold if g["split"] == args.split]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Corpus(Path(tmp) / "bench.db", annotator="bench")
        doc_of: dict[str, int] = {}
        for path in sorted({g["file"] for g in gold}):
            report = import_paths(corpus, [ROOT / path], model="default")
            doc_of[path] = report.added[0]
        # counts: kind -> [n, base, top1, top3], per split and overall
        table: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        misses = []
        seconds = []
        for g in gold:
            doc_id = doc_of[g["file"]]
            text = corpus.document(doc_id).text
            m = re.search(r"\s+".join(re.escape(w) for w in g["evidence"].split()), text)
            if m is None:
                raise SystemExit(f"{g['file']}: evidence not found: {g['evidence'][:60]!r}")
            spans = corpus.spans(doc_id)
            base = baseline(text, spans, m.start(), m.end())
            t0 = time.perf_counter()
            cands = suggest_holders(corpus, doc_id, m.start(), m.end())
            seconds.append(time.perf_counter() - t0)
            ok = [any(same_holder(c.text, h) for h in g["holder"]) for c in cands[:3]]
            base_ok = base is not None and any(same_holder(base, h) for h in g["holder"])
            for key in ((g["split"], g["kind"]), (g["split"], "all"), ("all", g["kind"]), ("all", "all")):
                row = table[key]
                row[0] += 1
                row[1] += base_ok
                row[2] += bool(ok and ok[0])
                row[3] += any(ok)
            if not (ok and ok[0]):
                misses.append((g, base, cands[:3]))
        corpus.close()
    print(f"{len(gold)} sentences; suggestion: median {sorted(seconds)[len(seconds) // 2] * 1000:.0f} ms, "
          f"first call (loads the parser) {seconds[0]:.1f} s\n")
    print(f"{'split':8} {'kind':13} {'n':>4} {'nearest entity':>15} {'top-1':>8} {'top-3':>8}")
    for split in ("seed", "written", "fresh", "all"):
        kinds = sorted(k for s, k in table if s == split and k != "all") + ["all"]
        for kind in kinds:
            if (split, kind) not in table:
                continue
            n, b, t1, t3 = table[(split, kind)]
            print(f"{split:8} {kind:13} {n:4d} {100 * b / n:14.0f}% {100 * t1 / n:7.0f}% {100 * t3 / n:7.0f}%")
        print()
    if args.show:
        for g, base, cands in misses:
            print(f"[{g['split']}/{g['kind']}] {g['evidence'][:90]!r}\n   gold {g['holder'][0]!r}; baseline {base!r}")
            for c in cands:
                print(f"   -> {c.text!r} ({c.reason})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
