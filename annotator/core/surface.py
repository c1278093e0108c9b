"""When two entity texts name the same thing: normalisation and transliteration variants.

`key` folds what never changes who is meant: case, diacritics and other scripts (unidecode),
curly and straight apostrophes, a trailing possessive, dots of abbreviations (U.S. = US),
punctuation at the edges, a leading "the", hyphens and runs of whitespace.

`variant_groups` then joins keys that are spellings of one name (Zelensky / Zelenskyy /
Zelenskiy, Kyiv / Kiev, Odesa / Odessa): rapidfuzz's normalised Indel similarity must reach
MIN_SIMILARITY and rapidfuzz's edit operations between the two keys may only touch vowels
(y included) or double a letter. Transliteration moves vowels; names that differ by a
consonant are other names (Iran / Iraq, Russia / Russian, Austria / Australia). Because only
vowels and doubled letters may differ, two variants always share their consonant skeleton,
which is used to block candidates (so the comparison is never all pairs).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz.distance import Indel
from unidecode import unidecode

MIN_SIMILARITY = 0.75  # Kyiv / Kiev is 0.75; Zelensky / Zelenskyy 0.94
MIN_VARIANT_LENGTH = 4  # below this, one vowel apart is another name (Dan / Don, Kim / Kam)
VOWELS = frozenset("aeiouy")

APOSTROPHES = "\u2019\u2018\u02bc\u02bb\u0060\u00b4\u2032\u201b"  # ’ ‘ ʼ ʻ ` ´ ′ ‛
_APOSTROPHE = str.maketrans({c: "'" for c in APOSTROPHES})
_POSSESSIVE = re.compile(r"(?:'s|(?<=s)')$")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_SPACES = re.compile(r"[\s\-\u2010-\u2015]+")


def straight(text: str) -> str:
    """Curly and other apostrophes as the straight one."""
    return text.translate(_APOSTROPHE)


def core(surface: str) -> str:
    """The name in an entity's text as it is written, without what ends up in a span by accident:
    surrounding whitespace, a trailing possessive, comma, colon or semicolon. Used to find the
    same name unlabelled in the text ("Kyiv" in "Kyiv’s", "Kyiv," -> "Kyiv")."""
    text = surface.strip()
    while True:
        before = text
        text = re.sub(r"['" + APOSTROPHES + r"]s?$", "", text) if re.search(r"\w['" + APOSTROPHES + r"]s?$", text) else text
        text = text.rstrip(",;:").rstrip()
        if text == before:
            return text


def key(surface: str) -> str:
    """The normalised form two texts share when they differ only in spelling conventions."""
    text = unidecode(straight(surface)).casefold()
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    text = text.replace(".", "")
    text = _SPACES.sub(" ", text)
    text = _EDGE.sub("", text)
    if text.startswith("the "):
        text = text[4:]
    return text


def skeleton(k: str) -> str:
    """The consonants of a key with doubled letters collapsed: what transliteration variants share."""
    out = []
    for ch in k:
        if ch in VOWELS:
            continue
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


def are_variants(a: str, b: str) -> bool:
    """Two keys that spell one name: similar enough, and different only in vowels or doubled letters."""
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_VARIANT_LENGTH or Indel.normalized_similarity(a, b) < MIN_SIMILARITY:
        return False
    for op in Indel.editops(a, b):
        ch = a[op.src_pos] if op.tag == "delete" else b[op.dest_pos]
        if ch in VOWELS:
            continue
        side, pos = (a, op.src_pos) if op.tag == "delete" else (b, op.dest_pos)
        if (pos > 0 and side[pos - 1] == ch) or (pos + 1 < len(side) and side[pos + 1] == ch):
            continue  # a doubled letter: Odesa / Odessa
        return False
    return True


def variant_groups(keys: Iterable[str]) -> list[list[str]]:
    """Keys joined into groups of spellings of one name (each key in exactly one group)."""
    keys = sorted(set(keys))
    parent = {k: k for k in keys}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    blocks: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        blocks[skeleton(k)].append(k)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if find(a) != find(b) and are_variants(a, b):
                    parent[find(b)] = find(a)
    groups: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        groups[find(k)].append(k)
    return list(groups.values())
