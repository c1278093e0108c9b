"""Agreement and review on 1,000 documents x 3 analysts with synthetic disagreements at known rates.

A gold corpus is generated (about 80 tokens and 8 entities per document, one article-level
stance). It is handed out with `copy` (every document to every analyst), and each analyst's
copy gets the gold with independent mistakes at known rates: an entity missed (p_miss), given
another label (p_label, uniform over the other labels), or one token too long (p_bound); the
stance value changed (p_flip, uniform over the other values). From those rates the expected
figures follow in closed form:

- span F1 exact   = (q^2 + p_label^2/(L-1) + p_bound^2) / (1 - p_miss),  q = 1 - p_miss - p_label - p_bound
- span F1 overlap = ((q + p_bound)^2 + p_label^2/(L-1)) / (1 - p_miss)
- token kappa and alpha: 1 - D_o/D_e with the expected per-token agreement of two independent
  analysts (D_o) and the expected pooled label distribution (D_e), from the gold tokens
- stance alpha: the same for the article-level values.

The computed figures must match within sampling error (|difference| < 0.02 here, several
standard errors at this size). Times: agreement <= 2 s, review corpus built <= 5 s.

    make bench-agreement            # python benchmarks/bench_agreement.py [--docs N]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from annotator.core.records import Record
from annotator.session.agreement import agreement
from annotator.session.corpus import Corpus
from annotator.session.handout import copy_for_annotators
from annotator.session.importer import store_records
from annotator.session.review import build_review

LABELS = ["PERSON", "ORG", "GPE", "DATE", "NORP", "LOC"]
VALUES = ["FAVOR", "AGAINST", "NEUTRAL"]
TARGET = "ceasefire"
RATES = {"p_miss": 0.10, "p_label": 0.10, "p_bound": 0.05, "p_flip": 0.20}
ANALYSTS = ["alice", "bob", "carol"]
WORDS = ("the a said talks would continue after officials met with leaders on about new plan for peace in region "
         "while others called it progress but critics warned that more work remains before any deal").split()
NAMES = ("Kovalenko Harris Moreau Tanaka Silva Novak Okafor Jensen Romero Weber Ivanova Castillo Brandt Lindqvist "
         "Ferreira Nakamura Petrov Quinn Rossi Schulz").split()


def make_gold(rng: random.Random, n_docs: int) -> list[tuple[str, list[tuple[int, int, str]], str]]:
    """(text, entities, stance value) per document; each entity is followed by at least two plain words."""
    docs = []
    for d in range(n_docs):
        parts: list[str] = [f"Report {d}:"]
        ents = []
        pos = len(parts[0]) + 1
        for _ in range(8):
            for _ in range(rng.randint(3, 8)):
                w = rng.choice(WORDS)
                parts.append(w)
                pos += len(w) + 1
            k = rng.randint(1, 3)
            words = [rng.choice(NAMES) for _ in range(k)]
            start = pos
            parts.extend(words)
            pos += sum(len(w) + 1 for w in words)
            ents.append((start, pos - 1, rng.choice(LABELS)))
            for _ in range(2):  # room for a boundary one token too long
                w = rng.choice(WORDS)
                parts.append(w)
                pos += len(w) + 1
        parts.append("end.")
        docs.append((" ".join(parts), ents, rng.choice(VALUES)))
    return docs


def next_token_end(text: str, end: int) -> int:
    """The end of the word after `end` (the gold keeps two plain words after every entity)."""
    start = end + 1
    stop = text.find(" ", start)
    return stop if stop != -1 else len(text)


def analyst_version(rng: random.Random, text: str, ents, value: str):
    r = RATES
    out = []
    for s, e, lb in ents:
        x = rng.random()
        if x < r["p_miss"]:
            continue
        if x < r["p_miss"] + r["p_label"]:
            out.append((s, e, rng.choice([o for o in LABELS if o != lb])))
        elif x < r["p_miss"] + r["p_label"] + r["p_bound"]:
            out.append((s, next_token_end(text, e), lb))
        else:
            out.append((s, e, lb))
    v = rng.choice([o for o in VALUES if o != value]) if rng.random() < r["p_flip"] else value
    return out, v


def expected(gold) -> dict[str, float]:
    r = RATES
    n_lab = len(LABELS)
    q = 1 - r["p_miss"] - r["p_label"] - r["p_bound"]
    keep = q + r["p_bound"]  # the entity's own tokens keep their label
    f1_exact = (q * q + r["p_label"] ** 2 / (n_lab - 1) + r["p_bound"] ** 2) / (1 - r["p_miss"])
    f1_overlap = (keep * keep + r["p_label"] ** 2 / (n_lab - 1)) / (1 - r["p_miss"])
    # per-token label distributions of one analyst, from the gold tokens
    from annotator.nlp.tokens import tokenizer

    tok = tokenizer("en").tokenizer
    p_o = 0.0
    pooled: dict[str, float] = {}
    n_tokens = 0
    for text, ents, _ in gold:
        bounds = [(t.idx, t.idx + len(t.text)) for t in tok(text)]
        inside = {}
        after = {}
        for s, e, lb in ents:
            for i, (ts, te) in enumerate(bounds):
                if ts >= s and te <= e:
                    inside[i] = lb
                elif ts == e + 1:
                    after[i] = lb
        for i in range(len(bounds)):
            if i in inside:
                lb = inside[i]
                dist = {lb: keep, "O": r["p_miss"]}
                for other in LABELS:
                    if other != lb:
                        dist[other] = r["p_label"] / (n_lab - 1)
            elif i in after:
                dist = {after[i]: r["p_bound"], "O": 1 - r["p_bound"]}
            else:
                dist = {"O": 1.0}
            p_o += sum(p * p for p in dist.values())
            for k, p in dist.items():
                pooled[k] = pooled.get(k, 0.0) + p
            n_tokens += 1
    p_o /= n_tokens
    p_e = sum((v / n_tokens) ** 2 for v in pooled.values())
    alpha = 1 - (1 - p_o) / (1 - p_e)
    # stances: one article-level value per document, flipped with p_flip
    s_o = (1 - r["p_flip"]) ** 2 + r["p_flip"] ** 2 / (len(VALUES) - 1)
    counts = {v: 0.0 for v in VALUES}
    for _, _, value in gold:
        for v in VALUES:
            counts[v] += (1 - r["p_flip"]) if v == value else r["p_flip"] / (len(VALUES) - 1)
    s_e = sum((c / len(gold)) ** 2 for c in counts.values())
    return {"span_f1.exact": f1_exact, "span_f1.overlap": f1_overlap, "cohen_kappa": alpha, "krippendorff_alpha": alpha,
            "stances.by_target.krippendorff_alpha": 1 - (1 - s_o) / (1 - s_e)}


def write_versions(path: Path, name: str, versions: dict[str, tuple]) -> None:
    """An analyst's finished work, written as the window would leave it (entities, stance, accepted)."""
    with Corpus(path, annotator=name) as c:
        db = c.db
        with db.atomic():
            db.execute("DELETE FROM spans")
            rows = db.execute("SELECT id, sha256 FROM documents").fetchall()
            for doc_id, sha in rows:
                spans, value = versions[sha]
                db.conn.executemany("INSERT INTO spans (doc_id, start, end, label, origin) VALUES (?, ?, ?, ?, 'annotator')",
                                    [(doc_id, s, e, lb) for s, e, lb in spans])
                db.execute("INSERT INTO stances (doc_id, target, value, annotator) VALUES (?, ?, ?, ?)", [doc_id, TARGET, value, name])
            db.execute("UPDATE documents SET status = 'accepted'")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    gold = make_gold(rng, args.docs)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with Corpus(tmp / "gold.db") as c:
            store_records(c, [Record(text=t, title=f"report {i}", source="synthetic", spans=[]) for i, (t, _, _) in enumerate(gold)])
        started = time.perf_counter()
        report = copy_for_annotators(tmp / "gold.db", tmp / "team", ANALYSTS, overlap=args.docs, seed=args.seed)
        t_copy = time.perf_counter() - started
        from annotator.core.records import text_hash

        for name in ANALYSTS:
            versions = {text_hash(t): analyst_version(rng, t, ents, value) for t, ents, value in gold}
            write_versions(report.outputs[name], name, versions)
        paths = [report.outputs[n] for n in ANALYSTS]
        from annotator.nlp.tokens import tokenizer

        tokenizer("en")  # loaded once per process, like the window's warm-up; not part of the measure
        started, cpu = time.perf_counter(), time.process_time()
        rep = agreement(paths)
        t_agree, c_agree = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        review = build_review(paths, tmp / "review.db")
        t_review, c_review = time.perf_counter() - started, time.process_time() - cpu
        want = expected(gold)
    got = {
        "span_f1.exact": rep["span_f1"]["exact"],
        "span_f1.overlap": rep["span_f1"]["overlap"],
        "cohen_kappa": rep["cohen_kappa"],
        "krippendorff_alpha": rep["krippendorff_alpha"],
        "stances.by_target.krippendorff_alpha": rep["stances"]["by_target"]["krippendorff_alpha"],
    }
    ok = True
    print(f"{args.docs} documents x {len(ANALYSTS)} analysts, {rep['entities']['tokens']:,} tokens; rates {RATES}")
    print(f"{'figure':<38} {'expected':>9} {'computed':>9}")
    for key, value in want.items():
        close = abs(got[key] - value) < 0.02
        ok &= close
        print(f"{key:<38} {value:>9.4f} {got[key]:>9.4f}  {'ok' if close else 'OFF'}")
    print(f"copy for 3 analysts     {t_copy:6.2f} s")
    # wall time is what a user waits; CPU time shows how much of it other processes on a shared machine took
    print(f"agreement               {t_agree:6.2f} s wall, {c_agree:.2f} s CPU  (goal <= 2 s)")
    print(f"review corpus built     {t_review:6.2f} s wall, {c_review:.2f} s CPU  (goal <= 5 s; {review.documents} documents, "
          f"{review.differences} differences)")
    ok &= t_agree <= 2.0 and t_review <= 5.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
