"""Token boundaries for snapping selections and for the export, from the tokenizer alone.

spaCy's English rules split "Kyiv’s" (U+2019) and "Kyiv—Moscow" but not "Kyiv‘s" (U+2018, common
as an apostrophe in news copy) nor "U.S.–Ukraine" (an en dash after a period). Both hide an
entity inside a token, so the tokenizer gets two more rules: a possessive after ‘ is a suffix,
and an en/em dash between words is an infix.
"""

from __future__ import annotations

import re
from functools import lru_cache

POSSESSIVES = ["‘s", "‘S"]
DASH_INFIX = r"(?<=[\w.])[–—](?=\w)"


@lru_cache(maxsize=4)
def tokenizer(lang: str = "en"):
    """A blank pipeline of the language with the two rules above: the tokenizer the export aligns to."""
    import spacy
    from spacy.util import compile_infix_regex, compile_suffix_regex

    nlp = spacy.blank(lang)
    defaults = nlp.Defaults
    suffixes = list(defaults.suffixes or []) + POSSESSIVES
    infixes = list(defaults.infixes or []) + [DASH_INFIX]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    return nlp


def token_bounds(text: str, lang: str = "en") -> list[tuple[int, int]]:
    doc = tokenizer(lang).tokenizer(text)
    return [(t.idx, t.idx + len(t.text)) for t in doc]


@lru_cache(maxsize=4)
def _plain(lang: str):
    import spacy

    return spacy.blank(lang)


def model_token_bounds(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Token bounds as a pipeline trained on the export reads the text: spaCy's own rules, without the two
    above (the exported config keeps the language's default tokenizer)."""
    return [(t.idx, t.idx + len(t.text)) for t in _plain(lang).tokenizer(text)]


_POSSESSIVE = re.compile(r"[‘’'`´ʼ][sS]$")
_DASH = re.compile(r"(?<=\w)[‐‑‒–—-](?=\w)")


def snap_bounds(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Token bounds for snapping a selection: the tokenizer's, with a possessive ending ("Kyiv‘s",
    which the tokenizer keeps whole with that quote mark) and dash-joined words split, so a
    selection of "Kyiv" never grows into "Kyiv‘s" nor "Russia" into "Russia–Ukraine"."""
    out = []
    for s, e in token_bounds(text, lang):
        piece = text[s:e]
        m = _POSSESSIVE.search(piece)
        cut = [s] + [s + d.start() for d in _DASH.finditer(piece)] + [s + d.end() for d in _DASH.finditer(piece)]
        if m and m.start() > 0:
            cut.append(s + m.start())
        cut = sorted(set(cut + [e]))
        out += [(a, b) for a, b in zip(cut, cut[1:]) if a < b]
    return out
