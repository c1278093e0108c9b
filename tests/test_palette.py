"""The default label colours can be told apart, in both themes and with colour-vision deficiencies,
and text on them is readable; a new label gets the colour farthest from those in use."""

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from annotator.core import palette
from annotator.core.scheme import DEFAULT_LABELS
from annotator.session.corpus import Corpus

SEED_CORPUS = Path(__file__).parent / "data" / "seed_corpus.jsonl"
OLD = {"PERSON": "#f4a3a3", "ORG": "#9ec5f8", "GPE": "#a8e0a0", "NORP": "#f7d08a", "LOC": "#c7e8d0", "DATE": "#d9c2f0",
       "EVENT": "#f5b8e0", "FAC": "#e0d6b0", "LAW": "#b8e6e6", "MONEY": "#e6e39c", "CARDINAL": "#dddddd",
       "ORDINAL": "#e3e3e3", "PERCENT": "#d6e4c4", "PRODUCT": "#f0c8a8", "QUANTITY": "#cfd8e8", "TIME": "#e8cfe0",
       "WORK_OF_ART": "#f2e2c4", "LANGUAGE": "#c4e0f2"}


def most_used(n=8) -> list[str]:
    counts = Counter(s["label"] for line in SEED_CORPUS.read_text().splitlines() for s in json.loads(line)["spans"])
    order = [lb.name for lb in DEFAULT_LABELS]  # ties: the scheme's order
    return sorted(counts, key=lambda name: (-counts[name], order.index(name)))[:n]


def smallest(colours, view) -> tuple[float, tuple]:
    """The closest pair in a view: 0 light theme, 1 dark theme, 2 deuteranopia, 3 protanopia."""
    return min((palette.delta_e(palette.views(a)[view], palette.views(b)[view]), (a, b))
               for a, b in itertools.combinations(colours, 2))


def check(colours: dict[str, str], top: list[str]) -> list[str]:
    problems = []
    for view, name in ((0, "light"), (1, "dark")):
        d, pair = smallest([colours[n] for n in top], view)
        if d < 20:
            problems.append(f"{name}: most used {pair} only {d:.1f} apart")
        d, pair = smallest(list(colours.values()), view)
        if d < 10:
            problems.append(f"{name}: {pair} only {d:.1f} apart")
    for view, name in ((2, "deuteranopia"), (3, "protanopia")):
        d, pair = smallest([colours[n] for n in top], view)
        if d < 10:
            problems.append(f"{name}: most used {pair} only {d:.1f} apart")
    for label, colour in colours.items():
        for page, bg in zip(palette.PAGES, (colour, palette.dark_variant(colour))):
            if palette.delta_e(bg, page) < palette.MIN_FROM_PAGE:
                problems.append(f"{label} {bg} does not stand out from the page {page}")
        for dark, bg in ((False, colour), (True, palette.dark_variant(colour))):
            ratio = palette.contrast(bg, palette.text_colour(bg, dark))
            if ratio < 4.5:
                problems.append(f"{label} text contrast {ratio:.2f} ({'dark' if dark else 'light'})")
    return problems


def test_the_default_palette_meets_every_threshold():
    top = most_used()
    assert top == ["GPE", "PERSON", "NORP", "DATE", "ORG", "CARDINAL", "LOC", "ORDINAL"] or len(top) == 8
    assert check({lb.name: lb.color for lb in DEFAULT_LABELS}, top) == []


def test_the_check_fails_the_old_hand_picked_colours():
    problems = check(OLD, most_used())
    assert any("CARDINAL" in p or "#dddddd" in p for p in problems)  # CARDINAL/ORDINAL were 1.3 apart
    assert any(p.startswith("dark:") for p in problems) and any("deuteranopia" in p for p in problems)


@pytest.mark.parametrize("name", ["BRAND", "VESSEL"])
def test_a_new_label_gets_the_colour_farthest_from_those_in_use(tmp_path, name):
    with Corpus(tmp_path / "c.db") as corpus:
        in_use = [lb.color for lb in corpus.labels()]
        corpus.apply(corpus.plan_add_label(name))
        colour = next(lb.color for lb in corpus.labels() if lb.name == name)
    nearest = min(palette.distance(colour, c, with_cvd=False) for c in in_use)
    assert colour not in in_use and nearest >= 10
    for cand in palette.candidates()[::7]:  # no other candidate is farther from what was in use
        if cand not in in_use:
            assert min(palette.distance(cand, c, with_cvd=False) for c in in_use) <= nearest + 1e-9


def test_dark_variant_keeps_the_hue_and_reads_with_light_text():
    for lb in DEFAULT_LABELS:
        dark = palette.dark_variant(lb.color)
        assert palette.contrast(dark, "#e6e6e6") >= 4.5 or palette.contrast(dark, "#ffffff") >= 4.5
        from coloraide import Color
        h1, h2 = Color(lb.color).convert("oklch")["hue"], Color(dark).convert("oklch")["hue"]
        assert min(abs(h1 - h2), 360 - abs(h1 - h2)) < 12, lb.name
