"""Snapping a selection to whole tokens (annotator/ui/snapping.py, Qt-free): the per-line cache gives what
tokenizing the whole article would, a possessive and dash-joined words are cut, and the export's own
tokens (for the split-token warning) keep them whole."""

from __future__ import annotations

import random

import pytest

from annotator.core.spans import snap, trim
from annotator.nlp.tokens import model_whole_tokens, snap_bounds, token_bounds
from annotator.session.imports import seeds_dir
from annotator.ui.snapping import TokenCache

TEXT = (
    "Talks in Kyiv‘s centre\n"
    "\n"
    "The Russia–Ukraine talks—held in Geneva—ended. The US-brokered deal, Kyiv’s and Moscow's, stands.\n"
    "  Zelensky's team   met   \t negotiators.\n"
    "The Putin‒Xi summit of 2022–2023 and the co‑operation.\n"
    "\n"
    "Last line without a break"
)


def at(text: str, word: str) -> int:
    return text.index(word)


@pytest.mark.parametrize(
    ("inside", "expected"),
    [
        ("yi", "Kyiv"),  # in "Kyiv‘s": the possessive with a left quote mark is cut off
        ("ussi", "Russia"),  # "Russia–Ukraine": an en dash joins two words
        ("krai", "Ukraine"),
        ("eld", "held"),  # "talks—held": an em dash
        ("enev", "Geneva"),
        ("roker", "brokered"),  # "US-brokered": a hyphen
        ("osco", "Moscow"),  # "Moscow's": the plain apostrophe
        ("elen", "Zelensky"),
        ("egotiato", "negotiators"),
        ("uti", "Putin"),  # "Putin‒Xi": a figure dash, which the tokenizer keeps inside one token
        ("023", "2023"),  # "2022–2023": an en dash between digits, one token too
        ("operat", "operation"),  # "co‑operation": a non-breaking hyphen, one token too
        ("ithou", "without"),
        ("rea", "break"),  # the last word of a text without a final newline
    ],
)
def test_a_selection_inside_a_word_grows_to_that_word_only(inside, expected):
    tokens = TokenCache(TEXT)
    start = at(TEXT, inside)
    s, e = tokens.snap_selection(start, start + len(inside))
    assert TEXT[s:e] == expected


def test_a_selection_over_two_words_grows_at_both_ends_and_spaces_are_trimmed():
    tokens = TokenCache(TEXT)
    s, e = tokens.snap_selection(at(TEXT, "kraine"), at(TEXT, "talks—") + 2)  # "kraine ta"
    assert TEXT[s:e] == "Ukraine talks"
    assert tokens.snap_selection(at(TEXT, "   met"), at(TEXT, "met") + 5) == (at(TEXT, "met"), at(TEXT, "met") + 3)
    assert tokens.snap_selection(at(TEXT, "yi"), at(TEXT, "yi") + 2, exact=True) == (at(TEXT, "yi"), at(TEXT, "yi") + 2)
    blank = at(TEXT, "\n\n")
    s, e = tokens.snap_selection(blank, blank + 2)
    assert s >= e  # only spaces


def test_the_split_token_warning_compares_with_the_export_tokens_then_spacys_own():
    """The export's tokenizer splits "Kyiv‘s" (issue 10, point 7); spaCy's own, which a model trained on the
    export reads with, keeps it whole: the warning checks both."""
    tokens = TokenCache(TEXT)
    kyiv = at(TEXT, "Kyiv‘s")
    assert tokens.whole_tokens(kyiv, kyiv + 4) == (kyiv, kyiv + 4)
    assert model_whole_tokens(TEXT, kyiv, kyiv + 4) == (kyiv, kyiv + len("Kyiv‘s"))
    talks = at(TEXT, "talks")
    assert model_whole_tokens(TEXT, talks, talks + 5) == (talks, talks + 5)
    putin = at(TEXT, "Putin")
    assert tokens.whole_tokens(putin, putin + 5) == (putin, putin + len("Putin‒Xi"))
    talks = at(TEXT, "talks")
    assert tokens.whole_tokens(talks, talks + 5) == (talks, talks + 5)  # a whole token stays as it is


def _reference(text: str, start: int, end: int) -> tuple[int, int]:
    """Snapping as if the whole article were tokenized at once."""
    start, end = trim(text, start, end)
    if start >= end:
        return start, end
    return snap([(s, e) for s, e in snap_bounds(text) if not text[s:e].isspace()], start, end)


def test_snapping_line_by_line_equals_tokenizing_the_whole_article():
    texts = [TEXT] + [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))][:3]
    rng = random.Random(12)
    for text in texts:
        tokens = TokenCache(text)
        whole = token_bounds(text)
        for _ in range(300):
            a = rng.randrange(len(text))
            b = min(len(text), a + rng.randint(1, 30))
            assert tokens.snap_selection(a, b) == _reference(text, a, b), (text[a:b], a, b)
            s, e = trim(text, a, b)
            if s < e:
                assert tokens.whole_tokens(s, e) == snap(whole, s, e)
