"""Agreement measures against published worked examples and the `krippendorff` reference package."""

import krippendorff
import numpy as np
import pytest

from annotator.core.agreement import (
    alpha_from_codes,
    cohen_kappa,
    cohen_kappa_from_table,
    jaccard,
    krippendorff_alpha,
    span_counts,
    token_labels,
)

N = None


def test_krippendorff_nominal_binary_two_observers():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section A: alpha = 0.095
    data = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    assert krippendorff_alpha(data) == pytest.approx(0.095, abs=5e-4)
    assert alpha_from_codes(np.array(data), 2) == pytest.approx(0.095, abs=5e-4)


def test_krippendorff_nominal_four_observers_missing_data():
    # Krippendorff (2011), section C: four observers, twelve units, missing values: nominal alpha = 0.743
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
        [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
    ]
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)
    # labels instead of numbers: nominal alpha does not care what the categories are called
    names = {1: "PER", 2: "ORG", 3: "GPE", 4: "LOC", 5: "DATE"}
    assert krippendorff_alpha([[names.get(v) for v in row] for row in data]) == pytest.approx(0.743, abs=5e-4)


@pytest.mark.parametrize(
    "table, kappa",
    [
        ([[20, 5], [10, 15]], 0.40),  # Wikipedia "Cohen's kappa", worked example: p_o 0.70, p_e 0.50
        ([[45, 15], [25, 15]], 0.1304),  # same article, "inconsistent results", first table
        ([[25, 35], [5, 35]], 0.2593),  # second table: same p_o, different kappa
    ],
)
def test_cohen_kappa_textbook_tables(table, kappa):
    assert cohen_kappa_from_table(table) == pytest.approx(kappa, abs=5e-5)


def test_cohen_kappa_edges():
    assert cohen_kappa([], []) is None
    assert cohen_kappa(["O", "O"], ["O", "O"]) == 1.0
    assert cohen_kappa(["A", "B", "A", "B"], ["B", "A", "B", "A"]) == pytest.approx(-1.0)
    with pytest.raises(ValueError):
        cohen_kappa(["A"], ["A", "B"])


def test_fast_alpha_equals_the_package_on_random_labels():
    rng = np.random.default_rng(7)
    truth = rng.integers(0, 5, size=2000)
    rows = [np.where(rng.random(2000) < 0.2, rng.integers(0, 5, size=2000), truth) for _ in range(3)]
    matrix = np.array(rows)
    ours = alpha_from_codes(matrix, 5)
    reference = krippendorff.alpha(reliability_data=matrix.astype(float), level_of_measurement="nominal")
    assert ours == pytest.approx(reference, abs=1e-9)


def test_alpha_undefined_with_one_category():
    assert krippendorff_alpha([["O", "O"], ["O", "O"]]) is None
    assert alpha_from_codes(np.zeros((2, 5), dtype=np.int64), 3) is None


def test_span_f1_exact_and_overlap():
    a = [(0, 8, "PERSON"), (13, 18, "PERSON"), (22, 27, "GPE")]
    b = [(0, 8, "PERSON"), (13, 18, "ORG"), (22, 30, "GPE")]
    c = span_counts(a, b)
    assert c.f1_exact == pytest.approx(1 / 3)
    assert c.f1_overlap == pytest.approx(2 / 3)
    assert span_counts([], []).f1_exact is None
    assert span_counts(a, []).f1_exact == 0.0 and span_counts(a, []).f1_overlap == 0.0


def test_token_labels_and_jaccard():
    bounds = [(0, 8), (9, 12), (13, 18), (19, 21), (22, 27)]
    assert token_labels(bounds, [(0, 12, "PERSON"), (22, 27, "GPE")]) == ["PERSON", "PERSON", "O", "O", "GPE"]
    assert jaccard((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert jaccard((0, 4), (6, 9)) == 0.0 and jaccard(None, (1, 2)) is None
