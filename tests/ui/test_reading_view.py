"""The reading view: labels written on the entities, air between lines and paragraphs, a set-apart title."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QTextCharFormat


def line_tops(view, block):
    geom = view.blockBoundingGeometry(block)
    return [geom.top() + block.layout().lineAt(i).y() for i in range(block.layout().lineCount())]


def test_every_visible_entity_shows_its_label_after_it_in_its_own_gap(ui):
    w = ui.window
    view = w.article
    tags = view.tag_rects()
    assert len(tags) > 10
    visible = {(s.start, s.end) for s in view.ordered_spans()}
    for label, rect in tags:
        # the tag sits in the letter spacing after an entity's last character: the next character starts after it
        pos = view.cursorForPosition(rect.center().toPoint()).position()
        assert label in view.labels and view._tag_widths[label] >= rect.width()
        assert any(view.omap.to_qt(e) in (pos, pos + 1, pos - 1) for _, e in visible)
    # the tag does not cover text: the first character after the entity begins to the right of the tag
    span = ui.span_of("Steve Witkoff")
    [(_, rect)] = [(lb, r) for lb, r in tags if abs(r.right() - view.span_rects(span.start, span.end)[-1].right()) < 2]
    assert rect.left() > view.span_rects(span.start, span.end - 1)[-1].right() - 1
    after = view.span_rects(span.end, span.end + 1)[0]
    assert after.left() >= rect.right()
    # the last character of an entity carries the spacing; others do not
    tail = view.highlighter._tails["PERSON"]
    assert tail.fontLetterSpacingType() == QFont.AbsoluteSpacing and tail.fontLetterSpacing() == view._tag_widths["PERSON"]


def test_the_view_menu_turns_labels_off_and_the_choice_is_kept(ui, qtbot, open_window):
    w = ui.window
    w.act_tags.trigger()
    assert not w.article.tags_shown and w.article.tag_rects() == []
    assert w.article.highlighter._tails == {}
    path = w.db_path
    w.close()
    again = open_window(path)
    assert not again.act_tags.isChecked() and again.article.tag_rects() == []
    again.act_tags.trigger()
    assert again.article.tag_rects()


def test_lines_and_paragraphs_have_air_and_the_title_is_set_apart(ui):
    view = ui.window.article
    doc = view.document()
    block = next(b for b in (doc.findBlockByNumber(i) for i in range(doc.blockCount())) if b.layout().lineCount() >= 3)
    tops = line_tops(view, block)
    line = block.layout().lineAt(0)
    assert tops[1] - tops[0] >= line.height() + view.air.line_gap - 0.5  # highlights never touch the next line
    # a highlight's rectangle on one line ends before the next line's starts
    span = next(s for s in view.ordered_spans() if s.start >= block.position())
    rect = view.span_rects(span.start, span.end)[0]
    assert rect.bottom() < rect.top() + line.height() + 0.5
    # paragraphs: the gap after a paragraph is larger than the gap between its lines
    nxt = block.next()
    while nxt.isValid() and nxt.length() <= 1:
        nxt = nxt.next()
    gap = view.blockBoundingGeometry(nxt).top() + nxt.layout().lineAt(0).y() - (tops[-1] + line.height())
    assert gap >= view.air.line_gap + view.air.paragraph_gap - 0.5
    # the title: bold and larger, then a wider gap
    title = doc.begin()
    ranges = title.layout().formats()
    fmt = QTextCharFormat(ranges[0].format)
    assert fmt.fontWeight() >= QFont.DemiBold and fmt.fontPointSize() > view.font().pointSizeF()
    assert view.blockBoundingRect(title).height() >= title.layout().lineCount() * line.height() + view.air.title_gap
    # clicks still land on the right characters
    span = ui.span_of("Steve Witkoff")
    r = view.span_rects(span.start, span.end)[0]
    assert view.omap.to_py(view.cursorForPosition(QPointF(r.left() + 3, r.center().y()).toPoint()).position()) == span.start


def test_search_hits_are_marked_in_the_article_and_f3_steps_through_them_then_on(ui, qtbot):
    from PySide6.QtCore import Qt

    w = ui.window
    panel = w.docs
    qtbot.keyClick(w, Qt.Key_F, Qt.ControlModifier)
    qtbot.keyClicks(panel.search_box, "Davos")
    qtbot.keyClick(panel.search_box, Qt.Key_Return)
    text = w.document.text
    expected = [(i, i + 5) for i in range(len(text)) if text.startswith("Davos", i)]
    assert w.article._marks["search"][0] == expected and len(expected) >= 2
    w.article.setFocus()
    w.article.select_range(0, 0)
    for hit in expected:
        qtbot.keyClick(w.article, Qt.Key_F3)
        assert w.article.selection() == hit
        assert w.article._in_view(*hit, 0)
    qtbot.keyClick(w.article, Qt.Key_F3, Qt.ShiftModifier)
    assert w.article.selection() == expected[-2]
    # past the last hit: the next document the search found, at its first hit
    first_doc = w.doc_id
    w.article.select_range(*expected[-1])
    qtbot.keyClick(w.article, Qt.Key_F3)
    assert w.doc_id != first_doc and "Davos" in w.document.text
    assert w.article.selection() == (w.document.text.index("Davos"), w.document.text.index("Davos") + 5)


def test_the_list_says_when_the_open_article_is_not_among_the_results(ui, qtbot):
    from PySide6.QtCore import Qt

    w = ui.window
    panel = w.docs
    qtbot.keyClick(w, Qt.Key_F, Qt.ControlModifier)
    qtbot.keyClicks(panel.search_box, "Geneva")
    qtbot.keyClick(panel.search_box, Qt.Key_Return)
    n = panel.model.rowCount()
    assert "Geneva" not in w.document.text and n >= 1
    assert panel.missing_note.isVisible()
    assert panel.missing_note.text() == f"The open article is not among these {n} result{'s' if n != 1 else ''}."
    qtbot.keyClick(panel.search_box, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClick(panel.search_box, Qt.Key_Delete)
    qtbot.keyClick(panel.search_box, Qt.Key_Return)
    assert not panel.missing_note.isVisible() and "search" not in w.article._marks


def test_the_current_entity_is_scrolled_fully_into_view_with_a_line_of_context(ui, qtbot):
    from PySide6.QtCore import Qt

    w = ui.window
    w.resize(1300, 420)
    qtbot.wait(50)
    view = w.article
    pitch = view._line_pitch()
    for _ in range(40):
        ui.key(Qt.Key_Tab)
        span = view.current()
        assert view._in_view(span.start, span.end, pitch - 1) or view.verticalScrollBar().value() in (
            0, view.verticalScrollBar().maximum())


def test_relaunching_opens_the_article_and_the_place_left(ui, qtbot, open_window):
    from PySide6.QtCore import Qt

    w = ui.window
    qtbot.keyClick(w, Qt.Key_PageDown, Qt.ControlModifier)
    doc = w.doc_id
    target = len(w.document.text) - 20
    w.article.select_range(target, target)
    w.article.ensureCursorVisible()
    line = w.article.verticalScrollBar().value()
    assert line > 0
    path = w.db_path
    w.close()
    again = open_window(path)
    qtbot.waitUntil(lambda: again.article.caret() == target, timeout=3000)
    assert again.doc_id == doc and again.article.verticalScrollBar().value() == line


def test_the_window_fits_1024x640_and_200_percent_with_the_article_keeping_60_characters(ui, qtbot):
    from PySide6.QtCore import Qt

    from annotator.ui.doc_list import COMPACT_TITLE_CHARS
    from annotator.ui.main_window import MIN_LINE_CHARS

    w = ui.window
    minimum = w.minimumSizeHint()
    # 1024x640, and 1920x1080 at 200 % (960x540 logical), each less a window frame and title bar
    assert minimum.width() <= 960 - 8 and minimum.height() <= 540 - 40, minimum
    w.resize(minimum.width(), 540 - 40)
    qtbot.waitUntil(lambda: w.width() == minimum.width())
    chars = w.article.viewport().width() / w.article.fontMetrics().averageCharWidth()
    assert chars >= MIN_LINE_CHARS, chars
    assert w.statusBar().isVisible() and w.statusBar().geometry().bottom() <= w.height()
    title_chars = w.docs.title_width() / w.docs.fontMetrics().averageCharWidth()
    assert title_chars >= COMPACT_TITLE_CHARS - 1, title_chars
    assert w.docs.table.textElideMode() == Qt.ElideMiddle
    # opening the stance form does not widen the side panel: the article keeps its line length
    before = (w.article.viewport().width(), w.splitter.sizes())
    w.article.setFocus()
    ui.click_at(ui.text.index("said talks would"))
    ui.key(Qt.Key_S)
    qtbot.waitUntil(lambda: w.stance.panel.editor.isVisible())
    assert (w.article.viewport().width(), w.splitter.sizes()) == before


def test_label_tags_keep_their_room_inside_a_stance_evidence(ui, qtbot):
    """Evidence underlines are merged piece by piece over the entities: an entity's last character keeps
    its letter spacing there too, so its tag never covers the text."""
    from annotator.session.stances import plan_add_stance

    w = ui.window
    start = ui.text.index("Last night Zelensky")
    end = ui.text.index("interest in peace.") + len("interest in peace.")
    assert w.run_edit(lambda: plan_add_stance(w.corpus, w.doc_id, "ceasefire", "FAVOR", ev_start=start, ev_end=end)).ok
    qtbot.wait(20)
    view = w.article
    inside = [s for s in view.ordered_spans() if start <= s.start and s.end <= end]
    assert inside
    for span in inside:
        tail_rect = view.span_rects(span.end - 1, span.end)[0]
        body_rect = view.span_rects(span.end - 2, span.end - 1)[0]
        width = view._tag_widths[span.label]
        assert tail_rect.width() >= width + body_rect.width() * 0.5, (span, tail_rect, body_rect)
