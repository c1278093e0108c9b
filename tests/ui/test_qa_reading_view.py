"""Reading view, second QA pass: each test drives the keys an analyst pressed when the defect
showed, and checks what is drawn."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont


def press(qtbot, widget, *keys) -> None:
    for key in keys:
        qtbot.keyClick(widget, key)


def tail_spacing(view, span) -> float:
    """The letter spacing the layout really uses at the entity's last character (its tag's room)."""
    doc = view.document()
    last = view.omap.to_qt(span.end) - 1
    block = doc.findBlock(last)
    for r in block.layout().formats():
        if r.start <= last - block.position() < r.start + r.length:
            fmt = r.format
            if fmt.fontLetterSpacingType() == QFont.AbsoluteSpacing:
                return fmt.fontLetterSpacing()
    return 0.0


def test_a_stance_on_a_sentence_keeps_the_label_tags_of_its_entities_clear_of_the_text(ui, qtbot):
    """Tagging a stance (S, 1, F) on a sentence with entities underlined it, and the underline
    replaced the entities' last-character format: their tags lost their gap and were painted over
    the words (seen on the title at 1600x1000)."""
    w, view = ui.window, ui.window.article
    span = ui.span_of("Steve Witkoff")
    width = view._tag_widths["PERSON"]
    assert tail_spacing(view, span) == width
    ui.click_at(span.start - 3)
    ui.key(Qt.Key_S)
    press(qtbot, w.stance.panel.editor, Qt.Key_1, Qt.Key_F)
    assert w.stance.panel.records()  # saved and underlined
    assert tail_spacing(view, span) == width
    # the tag still sits in its own gap: the character after the entity starts right of it
    [rect] = [r for _, r in view.tag_rects() if abs(r.right() - view.span_rects(span.start, span.end)[-1].right()) < 2]
    assert view.span_rects(span.end, span.end + 1)[0].left() >= rect.right() - 0.5
