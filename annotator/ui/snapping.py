"""Token bounds for snapping, computed per line on first need.

spaCy never lets a token cross whitespace, so tokenizing a line alone gives the same
tokens as tokenizing the whole article; a 2 MB article is never tokenized at once.
"""

from __future__ import annotations

from annotator.core.spans import snap, step_boundary, trim
from annotator.nlp.tokens import snap_bounds


class TokenCache:
    def __init__(self, text: str, lang: str = "en"):
        self.text = text
        self.lang = lang
        self._lines: dict[int, list[tuple[int, int]]] = {}

    def _line_at(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end == -1 else end

    def _tokens(self, line_start: int, line_end: int) -> list[tuple[int, int]]:
        if line_start not in self._lines:
            piece = self.text[line_start:line_end]
            self._lines[line_start] = [
                (line_start + s, line_start + e) for s, e in snap_bounds(piece, self.lang) if not piece[s:e].isspace()
            ] if piece.strip() else []
        return self._lines[line_start]

    def bounds(self, start: int, end: int) -> list[tuple[int, int]]:
        """Non-space tokens of the lines holding [start, end) and of the nearest non-empty line on each side."""
        first, _ = self._line_at(start)
        _, last_end = self._line_at(max(start, end - 1))
        out: list[tuple[int, int]] = []
        pos = first
        while pos <= last_end:
            ls, le = self._line_at(pos)
            out.extend(self._tokens(ls, le))
            pos = le + 1
        before: list[tuple[int, int]] = []
        pos = first - 1  # the newline that ends the previous line
        for _ in range(4):
            if pos < 0 or before:
                break
            ls, le = self._line_at(pos)
            before = self._tokens(ls, le)
            pos = ls - 1
        after: list[tuple[int, int]] = []
        pos = last_end + 1
        for _ in range(4):
            if pos > len(self.text) or after:
                break
            ls, le = self._line_at(pos)
            after = self._tokens(ls, le)
            pos = le + 1
        return before + out + after

    def snap_selection(self, start: int, end: int, exact: bool = False) -> tuple[int, int]:
        """A selection trimmed of spaces, then grown to whole tokens unless exact."""
        start, end = trim(self.text, start, end)
        if exact or start >= end:
            return start, end
        return snap(self.bounds(start, end), start, end)

    def step(self, start: int, end: int, edge: str, grow: bool) -> tuple[int, int]:
        return step_boundary(self.bounds(start, end), start, end, edge, grow)
