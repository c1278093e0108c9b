"""Sentence boundaries around a cursor, rule-based (no model): the default stance evidence."""

from __future__ import annotations

from functools import lru_cache

from annotator.core.spans import trim


@lru_cache(maxsize=4)
def sentencizer(lang: str = "en"):
    """A blank pipeline with the rule-based sentencizer: punctuation, not a parser, so it loads in ~0.1 s."""
    import spacy

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_at(text: str, pos: int, lang: str = "en") -> tuple[int, int] | None:
    """(start, end) of the sentence holding cursor position `pos`, whitespace trimmed; None on a blank line.

    A line break always ends a sentence (headlines and captions have no full stop), and only
    the line under the cursor is split, so a long article costs no more than one paragraph.
    A cursor right after a sentence's last character belongs to that sentence.
    """
    if not 0 <= pos <= len(text):
        raise ValueError(f"position {pos} is outside the text (length {len(text)})")
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    if line_end < 0:
        line_end = len(text)
    line = text[line_start:line_end]
    if not line.strip():
        return None
    sents = []
    for sent in sentencizer(lang)(line).sents:
        s, e = trim(line, sent.start_char, sent.end_char)
        if s < e:
            sents.append((line_start + s, line_start + e))
    for s, e in sents:
        if s <= pos <= e:
            return s, e
    # the cursor sits in whitespace between sentences (or before the first): take the next one
    for s, e in sents:
        if pos < s:
            return s, e
    return sents[-1]

