"""Turning what a user types into a search box into an FTS5 query."""

from __future__ import annotations

import re

# the unicode61 tokenizer splits on everything that is not a letter, digit or mark
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """Every typed word must occur; the last one may be the start of a word (search as you type).

    Words are cut into the index's own tokens ("Kyiv's" -> kyiv, s) and each is quoted, so FTS
    operators typed by the user (AND, OR, NOT, NEAR, quotes, *, ^, column:) are searched as text,
    never interpreted, and no query needs word positions (the index keeps none). None when
    there is no word at all (e.g. "—").
    """
    tokens = TOKEN.findall(text)
    if not tokens:
        return None
    quoted = [f'"{t}"' for t in tokens]
    if text[-1:].isalnum():  # still typing the last word
        quoted[-1] += "*"
    return " ".join(quoted)


def _fold(text: str) -> str:
    """Lower case without diacritics, one character for one (so offsets stay those of the text)."""
    import unicodedata

    return "".join((unicodedata.normalize("NFD", ch)[:1] or ch).lower() for ch in text)


def search_hits(text: str, query: str) -> list[tuple[int, int]]:
    """Where the words of a search occur in a text, as the index matches them: whole words, case and
    diacritics ignored, the last word also as the start of a word while it is being typed."""
    tokens = TOKEN.findall(query or "")
    if not tokens:
        return []
    folded = _fold(text)
    last_is_prefix = query[-1:].isalnum()
    hits = []
    for i, token in enumerate(tokens):
        word = re.escape(_fold(token))
        tail = r"[^\W_]*" if (last_is_prefix and i == len(tokens) - 1) else ""
        pattern = re.compile(rf"(?<![^\W_]){word}{tail}(?![^\W_])")
        hits.extend(m.span() for m in pattern.finditer(folded))
    return sorted(set(hits))
