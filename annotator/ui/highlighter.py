"""Colouring entities block by block from a sorted span list (offsets in Qt units)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from PySide6.QtGui import QSyntaxHighlighter, QTextCharFormat


class EntityHighlighter(QSyntaxHighlighter):
    """Entities never overlap, so a block finds its spans with one bisection.

    Overlays (e.g. stance evidence) are merged on top of the entity colours, so an
    underline or a mark does not hide them.
    """

    def __init__(self, document):
        super().__init__(document)
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._labels: list[str] = []
        self._formats: dict[str, QTextCharFormat] = {}
        self._tails: dict[str, QTextCharFormat] = {}  # the last character of an entity: room for its label tag
        self.title_format: QTextCharFormat | None = None
        self._overlays: dict[str, tuple[list[tuple[int, int]], QTextCharFormat]] = {}
        self.blocks_drawn = 0  # how many blocks were (re)highlighted: tests and benchmarks read it

    def set_spans(self, spans: Iterable[tuple[int, int, str]]) -> None:
        """Replace the span list; the caller rehighlights what changed."""
        ordered = sorted(spans)
        self._starts = [s for s, _, _ in ordered]
        self._ends = [e for _, e, _ in ordered]
        self._labels = [lb for _, _, lb in ordered]

    def remove_span(self, i: int) -> None:
        """Take out the i-th span of the list (the caller rehighlights what changed)."""
        del self._starts[i], self._ends[i], self._labels[i]

    def insert_span(self, i: int, start: int, end: int, label: str) -> None:
        """Put a span in at index i, where the caller found it belongs in the sorted list."""
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        self._labels.insert(i, label)

    def set_formats(self, formats: dict[str, QTextCharFormat], tails: dict[str, QTextCharFormat] | None = None) -> None:
        """`tails`: the format of an entity's last character (the entity's, plus letter spacing that
        leaves room for its label tag after it); none: no tags."""
        self._formats = formats
        self._tails = tails or {}

    def format_for(self, label: str) -> QTextCharFormat | None:
        return self._formats.get(label)

    def set_overlay(self, name: str, ranges: Iterable[tuple[int, int]], fmt: QTextCharFormat | None) -> None:
        """Add, replace (or with fmt None remove) a named layer of ranges (Qt units) drawn over the entities.

        Callers outside the article use ArticleView.set_marks, which takes Python offsets."""
        if fmt is None:
            self._overlays.pop(name, None)
        else:
            self._overlays[name] = (sorted(ranges), fmt)

    def overlay_at(self, pos: int, prop: int) -> QTextCharFormat | None:
        """The last-drawn overlay format that sets `prop` (a QTextFormat property) at Qt position `pos`."""
        found = None
        for ranges, fmt in self._overlays.values():
            if fmt.hasProperty(prop):
                i = bisect.bisect_right(ranges, (pos, float("inf"))) - 1
                if i >= 0 and ranges[i][0] <= pos < ranges[i][1]:
                    found = fmt
        return found

    def spans_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        i = bisect.bisect_right(self._ends, start)
        out = []
        while i < len(self._starts) and self._starts[i] < end:
            out.append((self._starts[i], self._ends[i], self._labels[i]))
            i += 1
        return out

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self.blocks_drawn += 1
        block = self.currentBlock()
        block_start = block.position()
        block_end = block_start + block.length() - 1  # Qt units: len(text) counts an emoji once, Qt twice
        title = self.title_format if block.blockNumber() == 0 else None
        if title is not None:
            self.setFormat(0, block_end - block_start, title)
        for s, e, label in self.spans_in(block_start, block_end):
            fmt = self._formats.get(label)
            if fmt is None:
                continue
            tail = self._tails.get(label) if e <= block_end else None  # the entity ends in this block
            s, e = max(s, block_start), min(e, block_end)
            if title is not None:
                fmt, tail = _merged(title, fmt), (_merged(title, tail) if tail is not None else None)
            if e > s:
                if tail is not None:
                    self.setFormat(s - block_start, e - 1 - s, fmt)
                    self.setFormat(e - 1 - block_start, 1, tail)
                else:
                    self.setFormat(s - block_start, e - s, fmt)
        for ranges, fmt in self._overlays.values():
            self._draw_overlay(ranges, fmt, block_start, block_end)

    def _draw_overlay(self, ranges, fmt, block_start: int, block_end: int) -> None:
        i = bisect.bisect_right(ranges, (block_start, block_start)) - 1
        i = max(i, 0)
        for s, e in ranges[i:]:
            if s >= block_end:
                break
            s, e = max(s, block_start), min(e, block_end)
            if e <= s:
                continue
            # merge piecewise so each piece keeps its own entity colour under the overlay
            # (an entity's last character is a piece of its own: it carries the room for the label tag)
            cuts = sorted({s, e} | {p for a, b, _ in self.spans_in(s, e) for p in (a, b - 1, b) if s < p < e})
            for a, b in zip(cuts, cuts[1:]):
                merged = QTextCharFormat(self.format(a - block_start))
                merged.merge(fmt)
                self.setFormat(a - block_start, b - a, merged)


def _merged(base: QTextCharFormat, top: QTextCharFormat) -> QTextCharFormat:
    out = QTextCharFormat(base)
    out.merge(top)
    return out
