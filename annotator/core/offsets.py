"""Python counts code points, Qt counts UTF-16 units: convert in one place."""

from __future__ import annotations

import bisect


class OffsetMap:
    """Converts offsets of one text between code points and UTF-16 units.

    Texts with no astral characters (nearly all) map one to one, so the table
    is only built when needed.
    """

    __slots__ = ("_astral",)

    def __init__(self, text: str):
        if text.isascii() or max(text, default="\0") < "\U00010000":
            self._astral: list[int] = []
        else:
            self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_qt(self, pos: int) -> int:
        return pos + bisect.bisect_left(self._astral, pos) if self._astral else pos

    def to_py(self, qpos: int) -> int:
        if not self._astral:
            return qpos
        # each astral character before pos adds one unit; find how many lie before
        lo, hi = 0, len(self._astral)
        while lo < hi:
            mid = (lo + hi) // 2
            if self._astral[mid] + mid < qpos:
                lo = mid + 1
            else:
                hi = mid
        return qpos - lo


def py_to_qt(text: str, pos: int) -> int:
    return OffsetMap(text).to_qt(pos)


def qt_to_py(text: str, qpos: int) -> int:
    return OffsetMap(text).to_py(qpos)
