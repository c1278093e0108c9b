"""Span rules shared by importers, the editor and the exporter."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence


class SpanError(ValueError):
    """A span that breaks a rule; the message says which, for the user."""


def check_span(text: str, start: int, end: int) -> None:
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise SpanError(f"offsets must be integers, got start={start!r} end={end!r}")
    if start < 0 or end > len(text):
        raise SpanError(f"span [{start}, {end}) is outside the text (length {len(text)})")
    if start >= end:
        raise SpanError(f"span [{start}, {end}) has start >= end")
    piece = text[start:end]
    if piece != piece.strip():
        raise SpanError(f"span [{start}, {end}) {piece!r} has whitespace at an edge")


def find_overlap(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The first pair of overlapping spans, or None."""
    ordered = sorted(spans)
    for a, b in zip(ordered, ordered[1:]):
        if b[0] < a[1]:
            return a, b
    return None


def normalize_newlines(text: str, spans: Sequence[tuple[int, int]] = ()) -> tuple[str, list[tuple[int, int]]]:
    """Turn \\r\\n and lone \\r into \\n, shifting span offsets to match."""
    if "\r" not in text:
        return text, [tuple(s) for s in spans]
    removed = []  # positions (in the old text) of each dropped \r of a \r\n pair
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                removed.append(i)
            else:
                out.append("\n")
            i += 1
            continue
        out.append(ch)
        i += 1

    def shift(pos: int) -> int:
        return pos - bisect.bisect_left(removed, pos)

    return "".join(out), [(shift(s), shift(e)) for s, e in spans]


def snap(bounds: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) outward to whole tokens; bounds are sorted token (start, end)."""
    if not bounds or start >= end:
        return start, end
    starts = [b[0] for b in bounds]
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and bounds[i][1] > start:
        start = bounds[i][0]
    j = bisect.bisect_right(starts, end - 1) - 1
    if j >= 0 and bounds[j][1] > end:
        end = bounds[j][1]
    return start, end


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop whitespace at both edges of a selection."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def step_boundary(bounds: Sequence[tuple[int, int]], start: int, end: int, edge: str, grow: bool) -> tuple[int, int]:
    """Move one edge of a span by one token; returns the span unchanged when it cannot move."""
    starts = [b[0] for b in bounds]
    if edge == "end":
        if grow:
            k = bisect.bisect_left(starts, end)
            if k < len(bounds):
                return start, bounds[k][1]
        else:
            k = bisect.bisect_left(starts, end) - 1
            # the token that ends at `end` starts at bounds[k][0]; keep at least one token
            if k >= 0 and bounds[k][0] > start:
                prev = bisect.bisect_left(starts, bounds[k][0]) - 1
                return start, bounds[prev][1]
    else:
        if grow:
            k = bisect.bisect_left(starts, start) - 1
            if k >= 0:
                return bounds[k][0], end
        else:
            k = bisect.bisect_left(starts, start)
            if k + 1 < len(bounds) and bounds[k + 1][0] < end:
                return bounds[k + 1][0], end
    return start, end
