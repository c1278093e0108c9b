"""The article: read-only plain text with entities coloured by a highlighter.

The view keeps the spans of the open document (Python offsets, as stored) and converts
to Qt's UTF-16 offsets only here, through one OffsetMap per document.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip

from annotator.core.model import ANNOTATOR_ORIGIN, EntitySpan, Label
from annotator.core.offsets import OffsetMap
from annotator.ui.highlighter import EntityHighlighter
from annotator.ui.plain import tip
from annotator.ui.theme import entity_colours, reading_font

LINE_CHARS = 78  # a comfortable line length for reading
FLASH_COLOUR = "#f08c00"


def origin_text(origin: str) -> str:
    return "hand" if origin == ANNOTATOR_ORIGIN else "model"


class ArticleView(QPlainTextEdit):
    current_changed = Signal(object)  # span id or None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        self.setFrameShape(QPlainTextEdit.NoFrame)
        self.setBackgroundRole(QPalette.Base)
        self.setAutoFillBackground(True)
        self.setFont(reading_font())
        self.document().setDocumentMargin(28)
        self.setObjectName("article")
        self.highlighter = EntityHighlighter(self.document())
        self.text = ""
        self.omap = OffsetMap("")
        self.spans: dict[int, EntitySpan] = {}
        self._order: list[EntitySpan] = []  # by start
        self._order_starts: list[int] = []
        self.labels: dict[str, Label] = {}
        self.current_id: int | None = None
        self._marks: dict[str, tuple[list[tuple[int, int]], QTextCharFormat]] = {}
        self._flash: tuple[int, int] | None = None  # a range framed for a moment (e.g. a stance's evidence)
        self._flash_timer = QTimer(self, singleShot=True)
        self._flash_timer.timeout.connect(lambda: self.flash(None))
        self._loading = False
        self.cursorPositionChanged.connect(self._caret_moved)
        self.selectionChanged.connect(self._caret_moved)

    # ---- content ------------------------------------------------------------
    def set_labels(self, labels: list[Label]) -> None:
        self.labels = {lb.name: lb for lb in labels}
        formats = {}
        for lb in labels:
            bg, fg = entity_colours(lb.color, QApplication.palette(), lb.hidden)
            fmt = QTextCharFormat()
            fmt.setBackground(bg)
            fmt.setForeground(fg)
            fmt.setToolTip(tip(lb.name))
            formats[lb.name] = fmt
        self.highlighter.set_formats(formats)

    def show_document(self, text: str, spans: list[EntitySpan]) -> None:
        """Show a new article, highlighted in the same pass that lays it out."""
        self._loading = True
        try:
            self.text = text
            self.omap = OffsetMap(text)
            self.spans = {s.id: s for s in spans}
            self.current_id = None
            for name in list(self._marks):  # marks belong to the article they were made for
                self.highlighter.set_overlay(name, [], None)
            self._marks.clear()
            self._flash = None
            self._sync_highlighter()
            self.setPlainText(text)  # plain text only: articles are untrusted
            self.moveCursor(QTextCursor.Start)
        finally:
            self._loading = False
        self.current_changed.emit(None)

    def clear_document(self, message: str = "") -> None:
        self.show_document(message, [])

    def reload_spans(self, spans: list[EntitySpan]) -> None:
        """Replace all spans (after a label change or an error) and redraw everything."""
        self.spans = {s.id: s for s in spans}
        if self.current_id not in self.spans:
            self.current_id = None
        self._sync_highlighter()
        self.highlighter.rehighlight()
        self.viewport().update()
        self.current_changed.emit(self.current_id)

    def apply_span_rows(self, removed: list[dict], added: list[dict]) -> None:
        """Apply the span rows of one change and redraw only the blocks they touch."""
        touched = []
        for row in removed:
            old = self.spans.pop(row["id"], None)
            if old is not None:
                touched.append((old.start, old.end))
        for row in added:
            span = EntitySpan(row["id"], row["doc_id"], row["start"], row["end"], row["label"], row["origin"])
            self.spans[span.id] = span
            touched.append((span.start, span.end))
        self._sync_highlighter()
        self.rehighlight_range(touched)  # marks just those blocks for repainting
        if self.current_id is not None and self.current_id not in self.spans:
            self.set_current(None)

    def set_marks(self, name: str, ranges: list[tuple[int, int]], fmt: QTextCharFormat | None) -> None:
        """Draw a named layer of ranges (Python offsets) over the entity colours, e.g. stance evidence
        as an underline; fmt None removes the layer. Only the blocks involved are redrawn."""
        old, old_fmt = self._marks.pop(name, ([], None))
        ranges = [(s, e) for s, e in ranges if 0 <= s < e <= len(self.text)]
        if fmt is not None:
            self._marks[name] = (ranges, QTextCharFormat(fmt))
        q = self.omap.to_qt
        self.highlighter.set_overlay(name, [(q(s), q(e)) for s, e in ranges], fmt)
        if fmt is not None and old_fmt is not None and old_fmt == fmt:
            # a block looks different only if a range that meets it came or went
            self.rehighlight_range(sorted(set(old) ^ set(ranges)))
        else:
            self.rehighlight_range(old + ranges)

    def flash(self, span: tuple[int, int] | None, ms: int = 1600) -> None:
        """Frame [start, end) for a moment, drawn over everything (the selection too); None removes it."""
        for old in (self._flash, span):
            if old is not None:
                for rect in self.span_rects(*old):
                    self.viewport().update(rect.adjusted(-5, -3, 5, 3).toAlignedRect())
        self._flash = span
        if span is not None:
            self._flash_timer.start(ms)
        else:
            self._flash_timer.stop()

    def flashed(self) -> tuple[int, int] | None:
        return self._flash

    def rehighlight_range(self, ranges: list[tuple[int, int]]) -> None:
        doc = self.document()
        done = set()
        for start, end in ranges:
            block = doc.findBlock(self.omap.to_qt(start))
            last = doc.findBlock(self.omap.to_qt(max(start, end - 1))).blockNumber()
            while block.isValid() and block.blockNumber() <= last:
                if block.blockNumber() not in done:
                    done.add(block.blockNumber())
                    self.highlighter.rehighlightBlock(block)
                block = block.next()

    def _sync_highlighter(self) -> None:
        self._order = sorted(self.spans.values(), key=lambda s: (s.start, s.end))
        self._order_starts = [s.start for s in self._order]
        q = self.omap.to_qt
        self.highlighter.set_spans((q(s.start), q(s.end), s.label) for s in self._order)

    # ---- reading positions ----------------------------------------------
    def ordered_spans(self) -> list[EntitySpan]:
        return self._order

    def span_at(self, pos: int) -> EntitySpan | None:
        """The entity covering the character at pos, else one ending right before it."""
        i = bisect.bisect_right(self._order_starts, pos) - 1
        if i >= 0 and self._order[i].start <= pos < self._order[i].end:
            return self._order[i]
        if i >= 0 and self._order[i].end == pos:
            return self._order[i]
        return None

    def selection(self) -> tuple[int, int] | None:
        cur = self.textCursor()
        if not cur.hasSelection():
            return None
        return self.omap.to_py(cur.selectionStart()), self.omap.to_py(cur.selectionEnd())

    def caret(self) -> int:
        return self.omap.to_py(self.textCursor().position())

    def select_range(self, start: int, end: int) -> None:
        cur = self.textCursor()
        cur.setPosition(self.omap.to_qt(start))
        cur.setPosition(self.omap.to_qt(end), QTextCursor.KeepAnchor)
        self.setTextCursor(cur)

    def highlighted_ranges(self) -> list[tuple[int, int, str]]:
        """What is drawn, read back from the block layouts: (start, end, label) in Python offsets.

        An entity that spans a line break is drawn, and so returned, as one piece per line.
        """
        by_format = {}
        for name in self.labels:
            fmt = self.highlighter.format_for(name)
            if fmt is not None:
                by_format[(fmt.background().color().name(), fmt.toolTip())] = name
        out: list[tuple[int, int, str]] = []
        block = self.document().begin()
        while block.isValid():
            for r in block.layout().formats():
                label = by_format.get((r.format.background().color().name(), r.format.toolTip()))
                if label is not None:
                    start = block.position() + r.start
                    out.append((self.omap.to_py(start), self.omap.to_py(start + r.length), label))
            block = block.next()
        return out

    # ---- the current entity ----------------------------------------------
    def set_current(self, span_id: int | None, move_caret: bool = False) -> None:
        if span_id is not None and span_id not in self.spans:
            span_id = None
        if move_caret and span_id is not None:
            span = self.spans[span_id]
            self._loading = True
            try:
                cur = self.textCursor()
                cur.setPosition(self.omap.to_qt(span.start))
                self.setTextCursor(cur)
            finally:
                self._loading = False
            self.ensure_visible(span.start, span.end)
        changed = span_id != self.current_id
        old = self.current()
        self.current_id = span_id
        # repaint only where the frame was and where it goes
        for span in (old, self.current()):
            if span is not None:
                for rect in self.span_rects(span.start, span.end):
                    self.viewport().update(rect.adjusted(-4, -2, 4, 2).toAlignedRect())
        if changed:
            self.current_changed.emit(span_id)

    def current(self) -> EntitySpan | None:
        return self.spans.get(self.current_id) if self.current_id is not None else None

    def ensure_visible(self, start: int, end: int) -> None:
        cur = QTextCursor(self.document())
        cur.setPosition(self.omap.to_qt(end))
        rect = self.cursorRect(cur)
        if not self.viewport().rect().contains(rect):
            self.ensureCursorVisible()

    def _caret_moved(self) -> None:
        if self._loading:
            return
        if self.textCursor().hasSelection():
            self.set_current(None)
            return
        span = self.span_at(self.caret())
        self.set_current(span.id if span else None)

    # ---- drawing -----------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        super().paintEvent(event)
        span = self.current()
        if span is None and self._flash is None:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.Antialiasing)
        if span is not None:
            pen = QPen(self.palette().color(QPalette.Text))
            pen.setWidthF(1.8)
            painter.setPen(pen)
            for rect in self.span_rects(span.start, span.end):
                painter.drawRoundedRect(rect.adjusted(-1.5, 0.5, 1.5, -0.5), 3, 3)
        if self._flash is not None:
            colour = QColor(FLASH_COLOUR)  # amber: seen on the text, the entity colours and the selection alike
            pen = QPen(colour)
            pen.setWidthF(2.5)
            painter.setPen(pen)
            for rect in self.span_rects(*self._flash):
                painter.drawRoundedRect(rect.adjusted(-3, -1, 3, 1), 4, 4)
        painter.end()

    def span_rects(self, start: int, end: int) -> list[QRectF]:
        """One rectangle per visual line of [start, end), in viewport coordinates."""
        qs, qe = self.omap.to_qt(start), self.omap.to_qt(end)
        doc = self.document()
        block = doc.findBlock(qs)
        offset = self.contentOffset()
        rects = []
        while block.isValid() and block.position() < qe:
            geom = self.blockBoundingGeometry(block).translated(offset)
            layout = block.layout()
            bpos = block.position()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                a = max(qs, bpos + line.textStart())
                b = min(qe, bpos + line.textStart() + line.textLength())
                if b <= a:
                    continue
                x1 = line.cursorToX(a - bpos)[0]
                x2 = line.cursorToX(b - bpos)[0]
                rects.append(QRectF(QPointF(geom.left() + x1, geom.top() + line.y()),
                                    QPointF(geom.left() + x2, geom.top() + line.y() + line.height())))
            block = block.next()
        return rects

    def _update_margins(self) -> None:
        # keep lines at a readable length by centring the text column
        width = self.fontMetrics().averageCharWidth() * LINE_CHARS + 2 * self.document().documentMargin()
        side = max(0, int((self.width() - self.verticalScrollBar().sizeHint().width() - width) / 2))
        self.setViewportMargins(side, 0, side, 0)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._update_margins()
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._update_margins()

    def viewportEvent(self, event) -> bool:  # noqa: N802
        if event.type() == QEvent.ToolTip:
            cur = self.cursorForPosition(event.pos())
            pos = self.omap.to_py(cur.position())
            span = self._span_under(pos, event.pos())
            if span is not None:
                lb = self.labels.get(span.label)
                key = f"  ·  key {lb.key.upper()}" if lb and lb.key else ""
                QToolTip.showText(event.globalPos(), tip(f"{span.label}{key}\n{origin_text(span.origin)}: {span.origin}"), self)
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def _span_under(self, pos: int, point) -> EntitySpan | None:
        for candidate in (pos, pos - 1):
            if candidate < 0:
                continue
            i = bisect.bisect_right(self._order_starts, candidate) - 1
            if i >= 0 and self._order[i].start <= candidate < self._order[i].end:
                span = self._order[i]
                if any(r.adjusted(-2, 0, 2, 0).contains(QPointF(point)) for r in self.span_rects(span.start, span.end)):
                    return span
        return None

    def entity_colour(self, label: str) -> QColor:
        fmt = self.highlighter.format_for(label)
        return fmt.background().color() if fmt else QColor()
