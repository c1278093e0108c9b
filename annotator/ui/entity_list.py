"""The entities of the open article, in text order, synced with the article's current entity."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QStyledItemDelegate, QTableView

from annotator.core.model import EntitySpan
from annotator.ui.article import origin_text
from annotator.ui.plain import tip

DISPLAY, TOOLTIP, BACKGROUND, FOREGROUND, USER = (
    int(r.value) for r in (Qt.DisplayRole, Qt.ToolTipRole, Qt.BackgroundRole, Qt.ForegroundRole, Qt.UserRole)
)
ROLES = frozenset((DISPLAY, TOOLTIP, BACKGROUND, FOREGROUND, USER))


class EntityListModel(QAbstractTableModel):
    HEADERS = ("Entity", "Label", "Origin")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.spans: list[EntitySpan] = []
        self.colours: dict[str, tuple[QColor, QColor]] = {}
        self.flag_notes: dict[int, str] = {}  # span id -> why it is flagged (annotator.session.flags)

    def set_flags(self, flags: dict[int, str]) -> None:
        if flags == self.flag_notes:
            return
        rows = [i for i, s in enumerate(self.spans) if (s.id in flags) != (s.id in self.flag_notes)]
        self.flag_notes = dict(flags)
        if rows:
            self.dataChanged.emit(self.index(min(rows), 0), self.index(max(rows), 0))

    def set_spans(self, text: str, spans: list[EntitySpan]) -> None:
        self.beginResetModel()
        self.text = text
        self.spans = list(spans)
        self.endResetModel()

    def update_spans(self, spans: list[EntitySpan]) -> None:
        """Follow an edit row by row (a reset would make the view re-read all 1,000 rows)."""
        new_ids = {s.id for s in spans}
        for i in range(len(self.spans) - 1, -1, -1):
            if self.spans[i].id not in new_ids:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self.spans[i]
                self.endRemoveRows()
        old_ids = {s.id for s in self.spans}
        for i, span in enumerate(spans):  # ascending, so each lands where it belongs
            if span.id not in old_ids:
                self.beginInsertRows(QModelIndex(), i, i)
                self.spans.insert(i, span)
                self.endInsertRows()
        if [s.id for s in self.spans] != [s.id for s in spans]:
            self.set_spans(self.text, spans)
            return
        # the article keeps the objects of the entities an edit did not touch: compare those by identity
        changed = [i for i, (a, b) in enumerate(zip(self.spans, spans)) if a is not b and a != b]
        self.spans = list(spans)
        if changed:
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), len(self.HEADERS) - 1))

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.spans)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802
        if role == DISPLAY and orientation == Qt.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index, role=DISPLAY):
        # plain ints: comparing with Qt's enum members costs microseconds, and views ask a lot
        row = index.row()
        if role not in ROLES or not 0 <= row < len(self.spans):
            return None
        span = self.spans[row]
        col = index.column()
        if role == DISPLAY:
            if col == 0:
                words = " ".join(self.text[span.start : span.end].split())
                return f"⚠ {words}" if span.id in self.flag_notes else words
            return span.label if col == 1 else origin_text(span.origin)
        if role == TOOLTIP:
            why = f"\n⚠ {self.flag_notes[span.id]}" if span.id in self.flag_notes else ""
            return tip(f"{span.label} [{span.start}, {span.end}) · {span.origin}{why}")
        if role == USER:
            return span.id
        if col == 1 and span.label in self.colours:
            bg, fg = self.colours[span.label]
            return bg if role == BACKGROUND else fg
        return None

    def row_of(self, span_id: int | None) -> int | None:
        for i, s in enumerate(self.spans):
            if s.id == span_id:
                return i
        return None


# Qt flags looked up (and combined) once: reading an enum member off its class costs microseconds in PySide
ALIGN_RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)
ALIGN_LEFT = int(Qt.AlignLeft | Qt.AlignVCenter)
ALIGN_CENTER = int(Qt.AlignCenter)
ANTIALIASING = QPainter.Antialiasing
NO_PEN = Qt.NoPen
ELIDE_RIGHT = Qt.ElideRight
SELECTED = QStyle.State_Selected
FLAG_COLOUR = QColor("#d62728")
PAD = 6


class RowLook:
    """What every row drawn with one style option shares: colours, font metrics, text widths."""

    def __init__(self, option):
        palette = option.palette
        self.fm = option.fontMetrics
        self.highlight = palette.highlight()
        self.highlighted_text = palette.highlightedText().color()
        self.text = palette.text().color()
        self.placeholder = palette.placeholderText().color()
        self.no_colour = (palette.mid().color(), palette.text().color())  # a label without a colour
        self.origin_w = self.fm.horizontalAdvance("model") + PAD
        self._label_w: dict[str, int] = {}

    def label_w(self, label: str) -> int:
        w = self._label_w.get(label)
        if w is None:
            w = self._label_w[label] = self.fm.horizontalAdvance(label) + 12
        return w


class EntityDelegate(QStyledItemDelegate):
    """Paints a whole row in one call: text, then a label chip and the origin on the right.

    One Python call per row instead of a styled cell per column keeps the list cheap to
    repaint when an edit scrolls it. Qt's flags are looked up once (module constants) and each
    colour and width once per row: a full repaint of the list (35 rows) went from ~1.9 to ~0.9 ms.
    """

    def __init__(self, model: EntityListModel, parent=None):
        super().__init__(parent)
        self.model = model

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        return QSize(120, option.fontMetrics.height() + 10)

    def paint(self, painter, option, index) -> None:
        self.paint_row(painter, option.rect, index.row(), bool(option.state & SELECTED), RowLook(option))

    def paint_row(self, painter, rect: QRect, row: int, selected: bool, look: RowLook) -> None:
        """Draw row `row` in `rect`."""
        if row >= len(self.model.spans):
            return
        span = self.model.spans[row]
        painter.save()
        if selected:
            painter.fillRect(rect, look.highlight)
        text_colour = look.highlighted_text if selected else look.text
        top, height = rect.top(), rect.height()
        origin_w = look.origin_w
        label_w = look.label_w(span.label)
        right = rect.right() - PAD
        painter.setPen(text_colour if selected else look.placeholder)
        painter.drawText(QRect(right - origin_w, top, origin_w, height), ALIGN_RIGHT, origin_text(span.origin))
        chip = QRect(right - origin_w - PAD - label_w, top + 3, label_w, height - 6)
        bg, fg = self.model.colours.get(span.label, look.no_colour)
        painter.setRenderHint(ANTIALIASING)
        painter.setPen(NO_PEN)
        painter.setBrush(bg)
        painter.drawRoundedRect(chip, 3, 3)
        painter.setPen(fg)
        painter.drawText(chip, ALIGN_CENTER, span.label)
        painter.setPen(text_colour)
        left = rect.left()
        text_rect = QRect(left + PAD, top, chip.left() - left - 2 * PAD, height)
        words = " ".join(self.model.text[span.start : span.end].split())
        if span.id in self.model.flag_notes:  # a suspicious model span (annotator.session.flags)
            words = f"⚠ {words}"
            if not selected:
                painter.setPen(FLAG_COLOUR)
        painter.drawText(text_rect, ALIGN_LEFT, look.fm.elidedText(words, ELIDE_RIGHT, text_rect.width()))
        painter.restore()


class EntityList(QTableView):
    """A one-column table (the delegate draws text, label and origin): unlike QListView, a table
    does not lay out all its rows again when one row's data changes."""

    entity_chosen = Signal(object)  # span id

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("entities")
        self.model_ = EntityListModel(self)
        self.setModel(self.model_)
        self.setItemDelegate(EntityDelegate(self.model_, self))
        for col in range(1, len(EntityListModel.HEADERS)):
            self.setColumnHidden(col, True)  # label and origin stay in the model (tooltips, accessibility)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.setShowGrid(False)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self._syncing = False
        self.selectionModel().currentRowChanged.connect(self._row_changed)

    def show_current(self, span_id: int | None) -> None:
        row = self.model_.row_of(span_id)
        self._syncing = True
        try:
            sm = self.selectionModel()
            if row is None:
                sm.clearSelection()
                sm.setCurrentIndex(QModelIndex(), QItemSelectionModel.NoUpdate)
            else:
                index = self.model_.index(row, 0)
                sm.setCurrentIndex(index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
                self.scrollTo(index)
        finally:
            self._syncing = False

    def _row_changed(self, current, _previous) -> None:
        if self._syncing or not current.isValid():
            return
        self.entity_chosen.emit(self.model_.data(current, USER))

    def rows(self) -> list[tuple[str, str, str]]:
        m = self.model_
        return [tuple(m.data(m.index(r, c)) for c in range(3)) for r in range(m.rowCount())]
