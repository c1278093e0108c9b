"""Suspicious entity spans: what a model's span looks like when it is probably wrong.

Three kinds, each with the obvious fix where there is one:
- "line break": the span runs over a line break ("Zelensky⏎Zelensky"); no automatic fix, the
  analyst decides which part (if any) is the entity;
- "punctuation": punctuation at an edge ("Kyiv,", "(Donbas)"); fix: trim it (an abbreviation's
  full stop, "U.S." or "Inc.", and brackets opened and closed inside the span are kept);
- "possessive": a trailing 's ("Donald Trump’s", "Kyiv‘s") or plural s' ("Ukrainians’"); fix:
  drop it.
"""

from __future__ import annotations

from dataclasses import dataclass

EDGE_PUNCT = set(",.;:!?\"“”„«»‘’'`()[]{}<>-–—/\\*•|")
APOSTROPHES = "'’‘`"
ABBREVIATIONS = frozenset(
    "inc corp ltd co jr sr st mr mrs ms dr gen gov sen rep lt col sgt capt prof bros no vs etc mt ft".split()
)
LINE_BREAK, PUNCTUATION, POSSESSIVE = "line break", "punctuation", "possessive"


@dataclass(frozen=True)
class Flag:
    kind: str
    message: str
    fix: tuple[int, int] | None  # the span's new bounds, when the fix is obvious


def span_flags(text: str, start: int, end: int) -> list[Flag]:
    piece = text[start:end]
    flags: list[Flag] = []
    if "\n" in piece or "\r" in piece or "\u2029" in piece:
        flags.append(Flag(LINE_BREAK, f"{_show(piece)} runs over a line break", None))
    s, e = start, end
    poss = _possessive_end(text, s, e)
    if poss is not None:
        flags.append(Flag(POSSESSIVE, f"{_show(piece)} includes a possessive “{text[poss:e]}”", _trimmed(text, s, poss)))
        e = poss
    ts, te = _trim_punct(text, s, e)
    if (ts, te) != (s, e) and ts < te:
        cut = (text[s:ts] + "…" + text[te:e]).strip("…") or text[s:ts]
        flags.append(Flag(PUNCTUATION, f"{_show(piece)} has punctuation at an edge (“{cut}”)", _trimmed(text, ts, te)))
    if len(flags) > 1 and flags[0].kind != LINE_BREAK:  # both fixes at once: the last one holds them all
        last = flags[-1]
        flags = [Flag(f.kind, f.message, last.fix) for f in flags]
    return flags


def _possessive_end(text: str, s: int, e: int) -> int | None:
    """Where a trailing possessive starts, or None."""
    if e - s >= 3 and text[e - 1] in "sS" and text[e - 2] in APOSTROPHES and text[e - 3].isalpha():
        return e - 2
    if e - s >= 3 and text[e - 1] in APOSTROPHES and text[e - 2] == "s" and text[e - 3].isalpha() and (
        e == len(text) or not text[e].isalpha()
    ):
        return e - 1  # "Ukrainians’"
    return None


def _trim_punct(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e:
        # a pair around the whole name ("(Donbas)") goes as a pair
        if text[s] in "([{" and text[e - 1] == ")]}"["([{".index(text[s])] and not any(c in text[s + 1 : e - 1] for c in "()[]{}"):
            s, e = s + 1, e - 1
            continue
        if text[s] in EDGE_PUNCT and not (text[s] in "([{" and _closes(text, s, e)):
            s += 1
        else:
            break
    while e > s:
        ch = text[e - 1]
        if ch == "." and _abbreviation(text, s, e):
            break
        if ch in ")]}" and _opens(text, s, e):
            break
        if ch in EDGE_PUNCT:
            e -= 1
        else:
            break
    return s, e


def _abbreviation(text: str, s: int, e: int) -> bool:
    """"U.S.", "Inc.", "J." keep their full stop."""
    word = text[s : e - 1].split()[-1] if text[s : e - 1].split() else ""
    return "." in word or word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _closes(text: str, s: int, e: int) -> bool:
    return any(c in text[s + 1 : e] for c in ")]}")


def _opens(text: str, s: int, e: int) -> bool:
    return any(c in text[s : e - 1] for c in "([{")


def _trimmed(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if s < e else None


def _show(piece: str) -> str:
    return "“" + piece.replace("\n", "⏎") + "”"
