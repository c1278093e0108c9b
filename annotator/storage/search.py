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


def fts_any_of(phrases: list[str]) -> str | None:
    """An FTS5 query for documents holding all the words of at least one of the phrases.

    The index keeps no positions (detail=none), so a phrase is its words in any order: callers
    check the exact text themselves. None when no phrase has a word.
    """
    parts = []
    for phrase in phrases:
        tokens = TOKEN.findall(phrase)
        if tokens:
            parts.append("(" + " ".join(f'"{t}"' for t in tokens) + ")")
    return " OR ".join(dict.fromkeys(parts)) or None
