"""An edit repaints only the article blocks it touched (annotator/ui/air.py, ArticleView.rehighlight_range), and
what is then on screen is what a full re-highlight and repaint draws: same formats, same pixels, in the plain
and the reading view, for an add with snapping, a relabel, a delete and their undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt


def on_screen(window, widget):
    """The widget's pixels as the (offscreen) screen has them: the window's backing store, where a region
    an update forgot would still show what was there before."""
    at = widget.mapTo(window, QPoint(0, 0))
    return window.screen().grabWindow(window.winId(), at.x(), at.y(), widget.width(), widget.height()).toImage()


class PaintedRegions(QObject):
    def __init__(self):
        super().__init__()
        self.heights: list[int] = []

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Paint:
            self.heights.append(event.region().boundingRect().height())
        return False


def settle_and_compare(ui, qapp, what: str) -> None:
    view = ui.view
    qapp.processEvents()
    incremental = on_screen(ui.window, view.viewport())
    drawn = view.highlighted_ranges()
    view.highlighter.rehighlight()  # everything from scratch
    view.viewport().repaint()
    qapp.processEvents()
    assert view.highlighted_ranges() == drawn == ui.expected_shown(), what
    assert on_screen(ui.window, view.viewport()) == incremental, what


@pytest.mark.parametrize("reading", [False, True])
def test_an_edit_repaints_its_blocks_exactly_as_a_full_rehighlight(ui, qapp, reading):
    w, view = ui.window, ui.view
    view.air.enabled = reading
    view.set_tags_shown(reading)
    flash = qapp.cursorFlashTime()
    qapp.setCursorFlashTime(0)  # a blinking caret would differ between two grabs
    try:
        qapp.processEvents()
        regions = PaintedRegions()
        view.viewport().installEventFilter(regions)
        # add with snapping: inside one word, grown to it
        start = ui.text.index("negotiator")
        ui.select(start + 2, start + 7)
        regions.heights.clear()
        ui.key(Qt.Key_P)
        settle_and_compare(ui, qapp, "add")
        assert (start, start + len("negotiator"), "PERSON") in ui.db_spans()
        # relabel it, with nothing scrolled: only its block is repainted
        qapp.processEvents()
        regions.heights.clear()
        ui.key(Qt.Key_O)
        qapp.processEvents()
        painted = list(regions.heights)
        settle_and_compare(ui, qapp, "relabel")
        assert painted and max(painted) < view.viewport().height() / 2, painted
        # delete, then undo all three
        ui.key(Qt.Key_Delete)
        settle_and_compare(ui, qapp, "delete")
        for k in range(3):
            w.edits.undo()
            settle_and_compare(ui, qapp, f"undo {k + 1}")
        assert (start, start + len("negotiator"), "PERSON") not in ui.db_spans()
    finally:
        qapp.setCursorFlashTime(flash)


def test_label_tags_sit_where_qts_block_geometry_puts_them(ui, qapp):
    """ArticleView._tags adds the block heights up itself in one walk; Qt's blockBoundingGeometry (a walk from
    the first visible block for each block) gives the very same positions, at every scroll position."""
    view = ui.view
    view.air.enabled = True
    view.set_tags_shown(True)
    bar = view.verticalScrollBar()
    checked = 0
    for value in range(0, bar.maximum() + 1, max(1, bar.maximum() // 25)):
        bar.setValue(value)
        qapp.processEvents()
        offset = view.contentOffset()
        tags = {tail: rect for _label, rect, tail in view._tags()}
        for tail, rect in tags.items():
            block = view.document().findBlock(tail)
            geom = view.blockBoundingGeometry(block).translated(offset)
            line = block.layout().lineForTextPosition(tail - block.position())
            assert rect.top() == geom.top() + line.y() + 2
            assert rect.right() == geom.left() + line.cursorToX(tail + 1 - block.position())[0] - 1
            checked += 1
    assert checked > 20
