"""Air for the article: line spacing and paragraph gaps in a QPlainTextEdit.

QPlainTextEdit's own layout ignores block margins and line height, and QTextEdit (which honours
them) was 5-40x slower on long articles. This layout lets QPlainTextDocumentLayout lay a block
out as usual, then moves its lines apart and reports the taller block: the edit paints, scrolls
and hit-tests from those same line positions and block heights, so the text, the caret, the
selection, the highlights and clicks stay in step. The first block (the title) gets a wider gap.
Cost, measured: the same open and scroll times as the plain layout (within noise).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QPlainTextDocumentLayout


class AirLayout(QPlainTextDocumentLayout):
    def __init__(self, document, line_gap: float = 7.0, paragraph_gap: float = 11.0, title_gap: float = 18.0):
        super().__init__(document)
        self.line_gap = line_gap  # between the lines of a paragraph: highlights never touch the next line
        self.paragraph_gap = paragraph_gap
        self.title_gap = title_gap
        self.enabled = True
        self.block_updates = False  # ArticleView.rehighlight_range: a reformatted block repaints only itself
        # block number -> its height with air, found when its lines were spread; good while they stay spread
        # (Qt lays a block out again from y = 0, which the next call sees)
        self._heights: dict[int, float] = {}

    def set_gaps(self, line_gap: float, paragraph_gap: float, title_gap: float) -> None:
        self.line_gap, self.paragraph_gap, self.title_gap = line_gap, paragraph_gap, title_gap
        self._heights.clear()
        self.requestUpdate()

    def blockBoundingRect(self, block) -> QRectF:  # noqa: N802 (Qt's name)
        # Qt calls this for every block it walks past (finding a block's place walks from the top of the view),
        # so a few hundred times an edit: each call into Qt below counts, and the rect is reused
        rect = super().blockBoundingRect(block)  # lays the block out first if it was not
        if not self.enabled:
            return rect
        if block.length() <= 1:  # a blank line between paragraphs: it is the gap, not a gap plus a line
            rect.setHeight(self.paragraph_gap)
            return rect
        layout = block.layout()
        n = layout.lineCount()
        if n == 0:  # (never read a line of an empty layout: Qt does not check the index)
            return rect
        half = self.line_gap / 2
        first = layout.lineAt(0)
        if first.y() >= half - 0.01:  # spread before and not laid out since: its height is known
            height = self._heights.get(block.blockNumber())
            if height is not None:
                rect.setHeight(height)
                return rect
        else:  # freshly laid out: spread its lines once
            y = half
            for i in range(n):
                line = first if i == 0 else layout.lineAt(i)
                line.setPosition(QPointF(line.x(), y))
                y += line.height() + self.line_gap
        last = first if n == 1 else layout.lineAt(n - 1)
        height = last.y() + last.height() + half
        following = block.next()
        if following.isValid():
            if block.blockNumber() == 0:
                height += self.title_gap
            elif following.length() > 1:  # paragraphs not already apart by a blank line
                height += self.paragraph_gap
        self._heights[block.blockNumber()] = height
        rect.setHeight(height)
        return rect

    def documentChanged(self, position: int, removed: int, added: int) -> None:  # noqa: N802 (Qt's name)
        """A highlighter that reformats one block reports it as (block position, length, length). Qt adds
        the two lengths, so the change seems to run into the next block, and for a change over two
        blocks QPlainTextDocumentLayout re-lays them lazily and repaints the whole viewport. While
        `block_updates` is on (the article re-highlighting the blocks an edit touched) such a change
        is passed on as what it is, a change inside that one block: Qt re-lays the block at once and,
        if its height stayed, repaints that block only (else the whole viewport, as before).
        Only then: a full re-highlight keeps Qt's lazy path (no block is laid out before it is shown)."""
        if removed != added:  # the text changed: blocks may have moved, and a blank line may be one no more
            self._heights.clear()
        if self.block_updates and removed == added > 0:
            block = self.document().findBlock(position)
            if block.position() == position and block.length() == added:
                removed = 0
        super().documentChanged(position, removed, added)


__all__ = ["AirLayout"]
