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


def model_whole_tokens(text: str, start: int, end: int, lang: str = "en") -> tuple[int, int]:
    """[start, end), already whole tokens of the snapping tokenizer, grown to whole tokens of spaCy's own.
    The two differ only at a quote mark or a dash, so only then is the entity's line tokenized again."""
    if _MARKS.isdisjoint(text[max(0, start - 1):start + 1] + text[max(0, end - 1):end + 1]):
        return start, end
    from annotator.core.spans import snap

    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    return snap([(lo + s, lo + e) for s, e in model_token_bounds(text[lo:hi], lang)], start, end)


_QUOTES = "‘’'`´ʼ"
_DASHES = "‐‑‒–—-"
_POSSESSIVE = re.compile(f"[{_QUOTES}][sS]$")
_DASH = re.compile(f"(?<=\\w)[{_DASHES}](?=\\w)")
_MARKS = frozenset(_QUOTES + _DASHES)  # a token without any of these is never cut


def snap_bounds(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Token bounds for snapping a selection: the tokenizer's, with a possessive ending ("Kyiv‘s",
    which the tokenizer keeps whole with that quote mark) and dash-joined words split, so a
    selection of "Kyiv" never grows into "Kyiv‘s" nor "Russia" into "Russia–Ukraine"."""
    return split_bounds(text, token_bounds(text, lang))


def split_bounds(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """snap_bounds from the tokenizer's bounds of `text` (when the caller has them already)."""
    out = []
    for s, e in bounds:
        piece = text[s:e]
        if s < e and _MARKS.isdisjoint(piece):  # nearly every token: no regex to run
            out.append((s, e))
            continue
        m = _POSSESSIVE.search(piece)
        cut = [s] + [s + d.start() for d in _DASH.finditer(piece)] + [s + d.end() for d in _DASH.finditer(piece)]
        if m and m.start() > 0:
            cut.append(s + m.start())
        cut = sorted(set(cut + [e]))
        out += [(a, b) for a, b in zip(cut, cut[1:]) if a < b]
    return out
