"""Entity scores of any pre-annotator against gold spans: exact (start, end, label) matches.

Both the base and the fine-tuned model are scored this way on the same dev documents, through
the pre-annotator registry, so an EntityRuler or a spancat pipeline is measured like a NER one.
It is what spaCy's `ents` scorer counts (an entity is right only with the same boundaries and label).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

Spans = Iterable[tuple[int, int, str]]


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn}


class SpanScorer:
    """Accumulates (gold, predicted) span sets per document; `scores()` per label and overall."""

    def __init__(self) -> None:
        self.tp: Counter = Counter()
        self.fp: Counter = Counter()
        self.fn: Counter = Counter()
        self.documents = 0

    def add(self, gold: Spans, predicted: Spans) -> None:
        gold, predicted = set(gold), set(predicted)
        self.documents += 1
        for span in gold & predicted:
            self.tp[span[2]] += 1
        for span in predicted - gold:
            self.fp[span[2]] += 1
        for span in gold - predicted:
            self.fn[span[2]] += 1

    def scores(self) -> dict:
        labels = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        return {
            "overall": prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())),
            "labels": {lb: prf(self.tp[lb], self.fp[lb], self.fn[lb]) for lb in labels},
            "documents": self.documents,
        }


def disagreement(current: Spans, predicted: Spans) -> tuple[int, float]:
    """How far two span sets are apart: the spans in only one of them, and 1 - their F (1.0 when both are empty: 0)."""
    a, b = set(current), set(predicted)
    only = len(a ^ b)
    if not a and not b:
        return 0, 0.0
    return only, 1.0 - prf(len(a & b), len(b - a), len(a - b))["f"]


__all__ = ["SpanScorer", "disagreement", "prf"]
