"""The article: read-only plain text with entities coloured by a highlighter.

The view keeps the spans of the open document (Python offsets, as stored) and converts
to Qt's UTF-16 offsets only here, through one OffsetMap per document.
"""

from __future__ import annotations

import bisect

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip

from annotator.core.model import ANNOTATOR_ORIGIN, EntitySpan, Label
from annotator.core.offsets import OffsetMap
from annotator.ui.air import AirLayout
from annotator.ui.highlighter import EntityHighlighter
from annotator.ui.plain import tip
from annotator.ui.theme import entity_colours, reading_font

LINE_CHARS = 78  # a comfortable line length for reading
TAG_PAD = 3  # pixels either side of a label tag
FLASH_COLOUR = "#f08c00"


def origin_text(origin: str) -> str:
    return "hand" if origin == ANNOTATOR_ORIGIN else "model"


class ArticleView(QPlainTextEdit):
    current_changed = Signal(object)  # span id or None
    font_changed = Signal()

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
        self.air = AirLayout(self.document())  # line spacing and paragraph gaps (see annotator/ui/air.py)
        self.document().setDocumentLayout(self.air)
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
        # the selected stance: its holder framed and an arc from the holder to its evidence, as INCEpTION draws
        self._link: tuple[tuple[int, int], tuple[int, int], QColor] | None = None
        self._flash_timer = QTimer(self, singleShot=True)
        self._flash_timer.timeout.connect(lambda: self.flash(None))
        self._loading = False
        self.tags_shown = True
        self.tag_font = QFont(self.font())
        self._tag_widths: dict[str, int] = {}
        self.cursorPositionChanged.connect(self._caret_moved)
        self.selectionChanged.connect(self._caret_moved)

    # ---- content ------------------------------------------------------------
    def set_labels(self, labels: list[Label]) -> None:
        self.labels = {lb.name: lb for lb in labels}
        self._refresh_formats()

    def set_tags_shown(self, shown: bool) -> None:
        """Labels written on the entities (the default), or colour only (View ▸ Labels on entities)."""
        if shown != self.tags_shown:
            self.tags_shown = shown
            self._refresh_formats()
            self.highlighter.rehighlight()

    def _refresh_formats(self) -> None:
        """Entity formats per label; with tags, an entity's last character also gets letter spacing as
        wide as its label's tag, so the tag is painted in a gap of its own, never over the text."""
        self.tag_font = QFont(self.font())
        self.tag_font.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.6))
        self.tag_font.setBold(True)
        metrics = QFontMetricsF(self.tag_font)
        formats, tails = {}, {}
        self._tag_widths = {}
        for lb in self.labels.values():
            bg, fg = entity_colours(lb.color, QApplication.palette(), lb.hidden)
            fmt = QTextCharFormat()
            fmt.setBackground(bg)
            fmt.setForeground(fg)
            fmt.setToolTip(tip(lb.name))
            formats[lb.name] = fmt
            if self.tags_shown and not lb.hidden:
                width = round(metrics.horizontalAdvance(lb.name) + 2 * TAG_PAD + 2)
                self._tag_widths[lb.name] = width
                tail = QTextCharFormat(fmt)
                tail.setFontLetterSpacingType(QFont.AbsoluteSpacing)
                tail.setFontLetterSpacing(width)
                tails[lb.name] = tail
        self.highlighter.set_formats(formats, tails)
        title = QTextCharFormat()
        title.setFontWeight(QFont.DemiBold)
        title.setFontPointSize(self.font().pointSizeF() * 1.12)
        self.highlighter.title_format = title

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
            self._link = None
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
        touched, gone, came = [], [], []
        for row in removed:
            old = self.spans.pop(row["id"], None)
            if old is not None:
                touched.append((old.start, old.end))
                gone.append(old)
        for row in added:
            span = EntitySpan(row["id"], row["doc_id"], row["start"], row["end"], row["label"], row["origin"])
            old = self.spans.get(span.id)
            if old is not None:  # a new version without its old row among `removed`
                gone.append(old)
            self.spans[span.id] = span
            touched.append((span.start, span.end))
            came.append(span)
        self._resync(gone, came)
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

    def set_link(self, holder: tuple[int, int] | None, evidence: tuple[int, int] | None, colour: str = "#495057") -> None:
        """Frame a stance's holder in the text and draw an arc from it to the evidence; None clears it."""
        valid = holder is not None and evidence is not None and 0 <= holder[0] < holder[1] <= len(self.text)
        self._link = (holder, evidence, QColor(colour)) if valid else None
        self.viewport().update()

    def link(self):
        return self._link

    def link_geometry(self) -> tuple[list[QRectF], QPainterPath] | None:
        """The holder's frame rectangles and the arc to the evidence, in viewport coordinates."""
        if self._link is None:
            return None
        holder, evidence, _ = self._link
        frames = self.span_rects(*holder)
        target = self.span_rects(*evidence)
        if not frames or not target:
            return frames, QPainterPath()
        a = QPointF(frames[0].center().x(), frames[0].top())
        b = QPointF(target[0].left() + 4, target[0].top())
        if frames[0].intersects(target[0]):  # the holder is in the evidence's first line: a small loop above it
            b = QPointF(target[0].left() + 4, target[0].top())
        lift = min(60.0, 18.0 + abs(a.y() - b.y()) / 4 + abs(a.x() - b.x()) / 8)
        top = min(a.y(), b.y()) - lift
        # the curve rises 3/4 of the way to its control points: keep its peak inside the viewport
        # (a stance in the title went up out of the article's top edge)
        top = max(top, (2.0 - 0.25 * min(a.y(), b.y())) / 0.75)
        path = QPainterPath(a)
        path.cubicTo(QPointF(a.x(), top), QPointF(b.x(), top), b)
        return frames, path

    def flashed(self) -> tuple[int, int] | None:
        return self._flash

    def rehighlight_range(self, ranges: list[tuple[int, int]]) -> None:
        """Re-highlight the blocks holding `ranges`; each is repainted alone if its height stays (air.py)."""
        doc = self.document()
        done = set()
        self.air.block_updates = True
        try:
            for start, end in ranges:
                block = doc.findBlock(self.omap.to_qt(start))
                last = doc.findBlock(self.omap.to_qt(max(start, end - 1))).blockNumber()
                while block.isValid() and block.blockNumber() <= last:
                    if block.blockNumber() not in done:
                        done.add(block.blockNumber())
                        self.highlighter.rehighlightBlock(block)
                    block = block.next()
        finally:
            self.air.block_updates = False
        if done and (self._link is not None or self._flash is not None):
            # a stance's arc and a flash frame are drawn over several blocks from positions a new format
            # (a label tag's width) may have moved: repaint everything, as for any change before
            self.viewport().update()

    def _sync_highlighter(self) -> None:
        self._order = sorted(self.spans.values(), key=lambda s: (s.start, s.end))
        self._order_starts = [s.start for s in self._order]
        q = self.omap.to_qt
        self.highlighter.set_spans((q(s.start), q(s.end), s.label) for s in self._order)

    def _resync(self, gone: list[EntitySpan], came: list[EntitySpan]) -> None:
        """What _sync_highlighter gives after an edit, without sorting all the spans again: each span the
        edit removed or added is taken out or put in at its place, found by bisection. The order is a new
        list (whoever holds the old one from ordered_spans() keeps it as it was). Two entities starting at
        one place (never made by an edit) send it back to the full sort."""
        if len(gone) + len(came) > 64:
            self._sync_highlighter()
            return
        order, starts = self._order[:], self._order_starts[:]
        highlighter, q = self.highlighter, self.omap.to_qt
        for span in gone:
            i = bisect.bisect_left(starts, span.start)
            if i == len(order) or order[i] is not span or (i + 1 < len(order) and starts[i + 1] == span.start):
                self._sync_highlighter()
                return
            del order[i], starts[i]
            highlighter.remove_span(i)
        for span in came:
            i = bisect.bisect_left(starts, span.start)
            if i < len(order) and starts[i] == span.start:
                self._sync_highlighter()
                return
            order.insert(i, span)
            starts.insert(i, span.start)
            highlighter.insert_span(i, q(span.start), q(span.end), span.label)
        self._order, self._order_starts = order, starts

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
                    piece = (self.omap.to_py(start), self.omap.to_py(start + r.length), label)
                    if out and out[-1][1] == piece[0] and out[-1][2] == label:  # an entity's tail (its tag's room)
                        out[-1] = (out[-1][0], piece[1], label)
                    else:
                        out.append(piece)
            block = block.next()
        return sorted(out)

    # ---- the current entity ----------------------------------------------
    def set_current(self, span_id: int | None, move_caret: bool = False) -> None:
        if span_id is not None and span_id not in self.spans:
            span_id = None
        shown = None  # where the new current entity is once scrolled to (viewport rectangles)
        if move_caret and span_id is not None:
            span = self.spans[span_id]
            self._loading = True
            try:
                cur = self.textCursor()
                cur.setPosition(self.omap.to_qt(span.start))
                self.setTextCursor(cur)
            finally:
                self._loading = False
            shown = self.ensure_visible(span.start, span.end)
        changed = span_id != self.current_id
        old = self.current()
        self.current_id = span_id
        # repaint only where the frame was and where it goes
        for span in (old, self.current()):
            if span is not None:
                rects = shown if shown is not None and span.id == span_id else self.span_rects(span.start, span.end)
                for rect in rects:
                    self.viewport().update(rect.adjusted(-4, -2, 4, 2).toAlignedRect())
        if changed:
            self.current_changed.emit(span_id)

    def current(self) -> EntitySpan | None:
        return self.spans.get(self.current_id) if self.current_id is not None else None

    def ensure_visible(self, start: int, end: int) -> list[QRectF]:
        """Scroll so that [start, end) is wholly in view with a line of context above and below it
        (the least scrolling that does it; a range taller than the view shows from its start).
        Returns the range's rectangles where it ends up (span_rects: finding them walks Qt's blocks)."""
        rects = self.span_rects(start, end)
        if not rects or not self._rects_in_view(rects, 0):
            cur = QTextCursor(self.document())
            cur.setPosition(self.omap.to_qt(start))
            saved = self.textCursor()
            self._loading = True
            try:  # bring the start into view the editor's own way, without moving the caret for good
                self.setTextCursor(cur)
                self.ensureCursorVisible()
                self.setTextCursor(saved)
            finally:
                self._loading = False
            rects = self.span_rects(start, end)
        bar = self.verticalScrollBar()
        for _ in range(400):  # the scroll bar counts lines: step a line at a time until the context shows
            if not rects:
                break
            context = self._line_pitch()
            top, bottom = rects[0].top() - context, rects[-1].bottom() + context
            if top < 0 and bar.value() > bar.minimum():
                bar.setValue(bar.value() - 1)
            elif bottom > self.viewport().height() and top > context and bar.value() < bar.maximum():
                bar.setValue(bar.value() + 1)
            else:
                break
            rects = self.span_rects(start, end)
        return rects

    def _line_pitch(self) -> float:
        return self.fontMetrics().lineSpacing() + self.air.line_gap

    def _in_view(self, start: int, end: int, context: float) -> bool:
        return self._rects_in_view(self.span_rects(start, end), context)

    def _rects_in_view(self, rects: list[QRectF], context: float) -> bool:
        return bool(rects) and rects[0].top() - context >= 0 and rects[-1].bottom() + context <= self.viewport().height()

    def position(self) -> tuple[int, int]:
        """(caret, first visible line) to come back to after a restart."""
        return self.caret(), self.verticalScrollBar().value()

    def restore_position(self, caret: int, line: int) -> None:
        caret = max(0, min(caret, len(self.text)))
        self.select_range(caret, caret)
        self.verticalScrollBar().setValue(line)

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
        if span is None and self._flash is None and not self._tag_widths and self._link is None:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.Antialiasing)
        if self._tag_widths:
            self._paint_tags(painter, event.rect())
        if self._link is not None:
            self._paint_link(painter)
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

    def tag_rects(self, area: QRectF | None = None) -> list[tuple[str, QRectF]]:
        """(label, rectangle) of every label tag drawn in the visible part of the article (viewport coordinates)."""
        return [(label, rect) for label, rect, _tail in self._tags(area)]

    def _tags(self, area: QRectF | None = None) -> list[tuple[str, QRectF, int]]:
        """(label, rectangle, Qt position of the entity's last character) of each visible tag."""
        out = []
        area = QRectF(self.viewport().rect()) if area is None else QRectF(area)
        offset = self.contentOffset()
        block = self.firstVisibleBlock()
        # blockBoundingGeometry(block) would walk from the first visible block again for every block; add the
        # heights up here in the same order instead (the same sums, so the same positions)
        down = 0.0
        while block.isValid():
            rect = self.blockBoundingRect(block)
            geom = rect.translated(0.0, down).translated(offset)
            down += rect.height()
            if geom.top() > area.bottom():
                break
            if geom.bottom() >= area.top() and block.length() > 1:
                bpos = block.position()
                bend = bpos + block.length() - 1
                layout = block.layout()
                for _s, e, label in self.highlighter.spans_in(bpos, bend):
                    width = self._tag_widths.get(label)
                    if width is None or e > bend:
                        continue
                    line = layout.lineForTextPosition(e - 1 - bpos)
                    if not line.isValid():
                        continue
                    x = geom.left() + line.cursorToX(e - bpos)[0]
                    rect = QRectF(x - width + 1, geom.top() + line.y() + 2, width - 2, line.height() - 4)
                    out.append((label, rect, e - 1))
            block = block.next()
        return out

    def _paint_link(self, painter: QPainter) -> None:
        geometry = self.link_geometry()
        if geometry is None:
            return
        frames, path = geometry
        colour = self._link[2]
        painter.save()
        pen = QPen(colour)
        pen.setWidthF(1.6)
        pen.setStyle(Qt.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.NoBrush)
        for rect in frames:
            painter.drawRoundedRect(rect.adjusted(-3, -1, 3, 1), 4, 4)
        pen.setStyle(Qt.SolidLine)
        painter.setPen(pen)
        painter.drawPath(path)
        if not path.isEmpty():  # an arrow head at the evidence
            end = path.currentPosition()
            painter.setBrush(colour)
            painter.drawPolygon([end, QPointF(end.x() - 4, end.y() - 7), QPointF(end.x() + 4, end.y() - 7)])
        painter.restore()

    def _paint_tags(self, painter: QPainter, area) -> None:
        painter.save()
        painter.setFont(self.tag_font)
        for label, rect, tail in self._tags(QRectF(area)):
            # the text colour drawn there: an overlay (a search hit's marker yellow) may have changed it
            fmt = self.highlighter.overlay_at(tail, QTextFormat.ForegroundBrush) or self.highlighter.format_for(label)
            colour = QColor(fmt.foreground().color()) if fmt else self.palette().color(QPalette.Text)
            colour.setAlphaF(0.78)
            painter.setPen(colour)
            painter.drawText(rect, Qt.AlignCenter, label)
        painter.restore()

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
            self.font_changed.emit()
            if getattr(self, "labels", None):  # the tags are sized from the font (FontChange comes during __init__ too)
                self._refresh_formats()
                self.highlighter.rehighlight()

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
