"""Token boundaries for snapping, computed per line on first need.

No spaCy token crosses a line break, so tokenizing a line alone gives the same tokens as
tokenizing the whole article (a space is no such border: some languages' exceptions hold one,
e.g. Spanish "EE. UU."); a 2 MB article is never tokenized at once. Snapping a selection
tokenizes only the lines it touches (only stepping an edge looks at the nearest line on each
side), and each line is tokenized once per open article.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.spans import snap, step_boundary, trim
from annotator.nlp.tokens import split_bounds, token_bounds

Bounds = list[tuple[int, int]]


class TokenCache:
    def __init__(self, text: str, lang: str = "en"):
        self.text = text
        self.lang = lang
        self._lines: dict[int, Bounds] = {}  # line start -> snapping bounds (non-space)
        self._raw: dict[int, Bounds] = {}  # line start -> the tokenizer's own bounds

    def _line_at(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end == -1 else end

    def _tokens(self, line_start: int, line_end: int) -> Bounds:
        if line_start not in self._lines:
            # from the same tokenization as the raw bounds (the export warning needs those right after)
            self._lines[line_start] = [
                (s, e) for s, e in split_bounds(self.text, self._raw_tokens(line_start, line_end))
                if not self.text[s:e].isspace()
            ] if not self.text[line_start:line_end].isspace() and line_start < line_end else []
        return self._lines[line_start]

    def _raw_tokens(self, line_start: int, line_end: int) -> Bounds:
        if line_start not in self._raw:
            piece = self.text[line_start:line_end]
            self._raw[line_start] = [(line_start + s, line_start + e) for s, e in token_bounds(piece, self.lang)]
        return self._raw[line_start]

    def _lines_of(self, start: int, end: int, tokens: Callable[[int, int], Bounds]) -> tuple[int, int, Bounds]:
        """(start of the first line, end of the last line, `tokens` of every line holding [start, end))."""
        first, _ = self._line_at(start)
        _, last_end = self._line_at(max(start, end - 1))
        out: Bounds = []
        pos = first
        while pos <= last_end:
            ls, le = self._line_at(pos)
            out.extend(tokens(ls, le))
            pos = le + 1
        return first, last_end, out

    def bounds(self, start: int, end: int) -> Bounds:
        """Non-space tokens of the lines holding [start, end) and of the nearest non-empty line on each side."""
        first, last_end, out = self._lines_of(start, end, self._tokens)
        before: Bounds = []
        pos = first - 1  # the newline that ends the previous line
        for _ in range(4):
            if pos < 0 or before:
                break
            ls, le = self._line_at(pos)
            before = self._tokens(ls, le)
            pos = ls - 1
        after: Bounds = []
        pos = last_end + 1
        for _ in range(4):
            if pos > len(self.text) or after:
                break
            ls, le = self._line_at(pos)
            after = self._tokens(ls, le)
            pos = le + 1
        return before + out + after

    def snap_selection(self, start: int, end: int, exact: bool = False) -> tuple[int, int]:
        """A selection trimmed of spaces, then grown to whole tokens unless exact. Only tokens of the
        selection's own lines can hold its edges, so the neighbouring lines are not tokenized."""
        start, end = trim(self.text, start, end)
        if exact or start >= end:
            return start, end
        return snap(self._lines_of(start, end, self._tokens)[2], start, end)

    def whole_tokens(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) grown to the tokenizer's own tokens, which keep a possessive like "Kyiv‘s" whole:
        what the export aligns to."""
        if start >= end:
            return start, end
        return snap(self._lines_of(start, end, self._raw_tokens)[2], start, end)

    def step(self, start: int, end: int, edge: str, grow: bool) -> tuple[int, int]:
        return step_boundary(self.bounds(start, end), start, end, edge, grow)
