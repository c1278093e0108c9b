"""Agreement measures between annotators: span F1, Cohen's kappa, Krippendorff's alpha.

Pure functions over plain tuples, so they can be checked against worked examples from the
literature. Krippendorff's alpha comes from the `krippendorff` package (the reference
implementation of the measure); Cohen's kappa is two lines and written out here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NO_ENTITY = "O"  # the token-level category "not part of any entity"

Span = tuple[int, int, str]


@dataclass
class SpanCounts:
    """Counts for F1 between two annotators, A taken as reference (F1 is symmetric)."""

    n_a: int = 0
    n_b: int = 0
    exact: int = 0  # spans identical in both (start, end, label)
    overlap_a: int = 0  # A's spans that overlap a B span of the same label
    overlap_b: int = 0  # B's spans that overlap an A span of the same label

    def add(self, other: SpanCounts) -> None:
        self.n_a += other.n_a
        self.n_b += other.n_b
        self.exact += other.exact
        self.overlap_a += other.overlap_a
        self.overlap_b += other.overlap_b

    @property
    def f1_exact(self) -> float | None:
        total = self.n_a + self.n_b
        return 2 * self.exact / total if total else None

    @property
    def f1_overlap(self) -> float | None:
        # precision: B's spans that touch an A span; recall: A's spans that touch a B span
        if not self.n_a and not self.n_b:
            return None
        p = self.overlap_b / self.n_b if self.n_b else 0.0
        r = self.overlap_a / self.n_a if self.n_a else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def span_counts(a: Sequence[Span], b: Sequence[Span]) -> SpanCounts:
    """Exact and overlap matches between two annotators' spans of one document."""
    set_b = set(b)
    exact = sum(1 for s in set(a) if s in set_b)
    return SpanCounts(len(a), len(b), exact, _touching(a, b), _touching(b, a))


def _touching(xs: Sequence[Span], ys: Sequence[Span]) -> int:
    """How many of xs overlap a span of ys with the same label (spans of one annotator never overlap)."""
    by_label: dict[str, list[tuple[int, int]]] = {}
    for s, e, lb in ys:
        by_label.setdefault(lb, []).append((s, e))
    n = 0
    for s, e, lb in xs:
        if any(s < ye and ys_ < e for ys_, ye in by_label.get(lb, ())):
            n += 1
    return n


def token_labels(bounds: Sequence[tuple[int, int]], spans: Sequence[Span]) -> list[str]:
    """The label of each token: the entity it lies in (any overlap), or NO_ENTITY."""
    out = [NO_ENTITY] * len(bounds)
    if not spans:
        return out
    starts = [b[0] for b in bounds]
    import bisect

    for s, e, lb in spans:
        i = max(bisect.bisect_right(starts, s) - 1, 0)
        while i < len(bounds) and bounds[i][0] < e:
            if bounds[i][1] > s:
                out[i] = lb
            i += 1
    return out


def cohen_kappa(a: Sequence, b: Sequence) -> float | None:
    """Cohen's kappa of two annotators over the same units: (p_o - p_e) / (1 - p_e).

    None when there is nothing to compare; 1.0 when both used one and the same category
    throughout (perfect agreement with no room for chance to differ)."""
    n = len(a)
    if n != len(b):
        raise ValueError("both annotators need a value for every unit")
    if not n:
        return None
    p_o = sum(1 for x, y in zip(a, b) if x == y) / n
    ca, cb = Counter(a), Counter(b)
    p_e = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    if p_e == 1.0:
        return 1.0
    return (p_o - p_e) / (1 - p_e)


def cohen_kappa_codes(a: np.ndarray, b: np.ndarray, n_values: int) -> float | None:
    """Cohen's kappa over integer codes (0 … n_values-1), vectorised for hundreds of thousands of tokens."""
    n = len(a)
    if n != len(b):
        raise ValueError("both annotators need a value for every unit")
    if not n:
        return None
    p_o = float(np.count_nonzero(a == b)) / n
    p_e = float(np.dot(np.bincount(a, minlength=n_values), np.bincount(b, minlength=n_values))) / (n * n)
    if p_e == 1.0:
        return 1.0
    return (p_o - p_e) / (1 - p_e)


def cohen_kappa_from_table(table: Sequence[Sequence[int]]) -> float | None:
    """Cohen's kappa from a square contingency table (rows: annotator A, columns: B)."""
    a, b = [], []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            a += [i] * count
            b += [j] * count
    return cohen_kappa(a, b)


def krippendorff_alpha(data: Sequence[Sequence], level: str = "nominal") -> float | None:
    """Krippendorff's alpha; `data` has one row per annotator, one column per unit, None for missing.

    Values may be any hashable (labels): they are coded as integers, since the measure is
    nominal. None when fewer than two values are paired in any unit, or only one value occurs
    at all (alpha is undefined there, not 1)."""
    import krippendorff

    codes: dict = {}
    matrix = np.full((len(data), len(data[0]) if data else 0), np.nan)
    for i, row in enumerate(data):
        for j, v in enumerate(row):
            if v is not None:
                matrix[i, j] = codes.setdefault(v, len(codes))
    if len(codes) < 2:
        return None
    paired = (~np.isnan(matrix)).sum(axis=0) >= 2
    if not paired.any():
        return None
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement=level))


def alpha_from_codes(matrix: np.ndarray, n_values: int) -> float | None:
    """Nominal alpha over integer codes (annotators x units, no missing values), for large inputs.

    Builds the coincidence counts with numpy and hands them to `krippendorff` as value counts,
    which skips its per-value search over hundreds of thousands of tokens."""
    import krippendorff

    if matrix.size == 0 or n_values < 2:
        return None
    counts = np.zeros((matrix.shape[1], n_values), dtype=np.int64)
    for row in matrix:
        np.add.at(counts, (np.arange(matrix.shape[1]), row), 1)
    if (counts.sum(axis=0) > 0).sum() < 2:
        return None
    return float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))


def confusion(a: Sequence[str], b: Sequence[str]) -> Counter:
    """(label of A, label of B) -> tokens; the diagonal is agreement."""
    return Counter(zip(a, b))


def jaccard(a: tuple[int, int] | None, b: tuple[int, int] | None) -> float | None:
    """Overlap of two character ranges (intersection over union); None when either is missing."""
    if a is None or b is None:
        return None
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else None
