"""The entity list's rows look the same as before the delegate was made cheaper (Qt flags looked up once,
colours and widths read once per row): every pixel is compared with the straightforward drawing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate

from annotator.core.model import EntitySpan
from annotator.ui.article import origin_text
from annotator.ui.entity_list import EntityDelegate, EntityList
from annotator.ui.theme import apply_theme, entity_colours

TEXT = ("Volodymyr Zelensky met the negotiators of the European Commission in Kyiv on Tuesday, "
        "and Steve Witkoff, the US envoy, flew to Moscow.")
WORDS = ["Volodymyr Zelensky", "negotiators", "European Commission in Kyiv on Tuesday", "Kyiv", "Tuesday",
         "Steve Witkoff", "US", "Moscow"]
LABELS = {"PERSON": "#e8590c", "ORG": "#1c7ed6", "GPE": "#2f9e44", "DATE": "#ae3ec9"}


class StraightDelegate(QStyledItemDelegate):
    """The row drawing as it was written first: every flag, colour and width read for each row."""

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.model = model

    def paint(self, painter, option, index) -> None:
        row = index.row()
        if row >= len(self.model.spans):
            return
        span = self.model.spans[row]
        rect = option.rect
        fm = option.fontMetrics
        palette = option.palette
        selected = bool(option.state & QStyle.State_Selected)
        painter.save()
        if selected:
            painter.fillRect(rect, palette.highlight())
        text_colour = palette.highlightedText().color() if selected else palette.text().color()
        pad = 6
        origin = origin_text(span.origin)
        origin_w = fm.horizontalAdvance("model") + pad
        label_w = fm.horizontalAdvance(span.label) + 12
        right = rect.right() - pad
        painter.setPen(text_colour if selected else palette.placeholderText().color())
        painter.drawText(QRect(right - origin_w, rect.top(), origin_w, rect.height()), int(Qt.AlignRight | Qt.AlignVCenter),
                         origin)
        chip = QRect(right - origin_w - pad - label_w, rect.top() + 3, label_w, rect.height() - 6)
        bg, fg = self.model.colours.get(span.label, (palette.mid().color(), palette.text().color()))
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(Qt.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(chip, 3, 3)
        painter.setPen(fg)
        painter.drawText(chip, int(Qt.AlignCenter), span.label)
        painter.setPen(text_colour)
        text_rect = QRect(rect.left() + pad, rect.top(), chip.left() - rect.left() - 2 * pad, rect.height())
        words = " ".join(self.model.text[span.start : span.end].split())
        if span.id in self.model.flag_notes:
            words = f"⚠ {words}"
            if not selected:
                painter.setPen(QColor("#d62728"))
        painter.drawText(text_rect, int(Qt.AlignLeft | Qt.AlignVCenter), fm.elidedText(words, Qt.ElideRight, text_rect.width()))
        painter.restore()


def entity_list(qtbot, width: int) -> EntityList:
    view = EntityList()
    qtbot.addWidget(view)
    spans = []
    for k, word in enumerate(WORDS):
        start = TEXT.index(word)
        label = ["PERSON", "ORG", "GPE", "DATE", "NORP"][k % 5]  # NORP has no colour: the palette's
        spans.append(EntitySpan(k + 1, 1, start, start + len(word), label, "model" if k % 2 else "annotator"))
    view.model_.colours = {name: entity_colours(colour, QApplication.palette()) for name, colour in LABELS.items()}
    view.model_.set_spans(TEXT, spans)
    view.model_.set_flags({2: "ends in punctuation", 5: "a possessive"})
    view.resize(width, 320)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("width", [420, 190])  # 190: the long entity is elided
def test_rows_are_drawn_pixel_for_pixel_as_before(qtbot, qapp, dark, width):
    apply_theme(qapp, dark=dark)
    try:
        view = entity_list(qtbot, width)
        assert isinstance(view.itemDelegate(), EntityDelegate)
        for selected_row, focus in ((None, False), (1, False), (2, True), (4, True)):
            if selected_row is None:
                view.clearSelection()
            else:
                view.selectRow(selected_row)
            if focus:
                view.setFocus()
            else:
                view.clearFocus()
            qapp.processEvents()
            now = view.viewport().grab().toImage()
            mine = view.itemDelegate()
            view.setItemDelegate(StraightDelegate(view.model_, view))
            before = view.viewport().grab().toImage()
            view.setItemDelegate(mine)
            assert now == before, (dark, width, selected_row)
        # and the rows did show something: the chips' colours are there
        image = view.viewport().grab().toImage()
        colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
        assert view.model_.colours["PERSON"][0].name() in colours
    finally:
        apply_theme(qapp, dark=False)
