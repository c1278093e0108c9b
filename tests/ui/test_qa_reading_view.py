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
    press(qtbot, w.stance.panel.editor, Qt.Key_1, Qt.Key_F, Qt.Key_Return)  # Enter saves (issue 12)
    assert w.stance.panel.records()  # saved and underlined
    assert tail_spacing(view, span) == width
    # the tag still sits in its own gap: the character after the entity starts right of it
    [rect] = [r for _, r in view.tag_rects() if abs(r.right() - view.span_rects(span.start, span.end)[-1].right()) < 2]
    assert view.span_rects(span.end, span.end + 1)[0].left() >= rect.right() - 0.5


def launch(qtbot, path):
    """The window as `annotator run` shows it: nobody puts the focus anywhere by hand."""
    from annotator.ui.main_window import MainWindow

    window = MainWindow(path)
    qtbot.addWidget(window)
    window.resize(1300, 850)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_after_a_relaunch_the_keys_go_to_the_article_and_ctrl_z_undoes_the_last_run(qtbot, seeded_db):
    """Relaunched, the window opened with the focus in the search box: Ctrl+Z undid nothing (the empty
    search box took it) and a label key was typed into the search instead of relabelling."""
    from PySide6.QtWidgets import QApplication

    from annotator.session import Corpus

    w = launch(qtbot, seeded_db)
    assert QApplication.focusWidget() is w.article
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)  # the first entity
    span = w.article.current()
    label = next(lb for lb in w.labels if lb.key and lb.name != span.label)
    qtbot.keyClick(QApplication.focusWidget(), getattr(Qt, f"Key_{label.key.upper()}"))
    with Corpus(seeded_db) as c:
        assert next(s for s in c.spans(w.doc_id) if s.start == span.start).label == label.name
    w.close()

    again = launch(qtbot, seeded_db)
    assert QApplication.focusWidget() is again.article
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Z, Qt.ControlModifier)
    with Corpus(seeded_db) as c:
        assert next(s for s in c.spans(again.doc_id) if s.start == span.start).label == span.label
    assert again.docs.search_box.text() == ""


def test_at_1024x640_the_whole_stance_form_fits_the_panel_without_scrolling_sideways(ui, qtbot):
    """At 1024x640 (and even at the default size) the stance form opened wider than the side panel:
    AGAINST, NEUTRAL, Cancel and Save were off to the right behind a horizontal scroll bar."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QAbstractButton

    w = ui.window
    w.resize(1024, 640)
    qtbot.waitUntil(lambda: w.width() <= 1024)
    ui.click_at(ui.text.index("sides held talks"))
    ui.key(Qt.Key_S)
    editor = w.stance.panel.editor
    qtbot.waitUntil(editor.isVisible)
    area = w.stance.panel.form_area
    # the form is as wide as the panel, and the sideways bar goes (it is hidden a moment after the layout)
    qtbot.waitUntil(lambda: area.widget().width() <= area.viewport().width() and not area.horizontalScrollBar().isVisible())
    shown = area.viewport().rect()
    for button in editor.findChildren(QAbstractButton):
        if button.isVisible():
            # no sideways scrolling: every button is within the panel's width; a short screen scrolls down to it
            area.ensureWidgetVisible(button, 0, 0)
            rect = QRect(button.mapTo(area.viewport(), button.rect().topLeft()), button.size())
            assert shown.contains(rect), button.text()
            assert area.horizontalScrollBar().value() == 0


def test_opening_the_stance_form_on_a_short_screen_does_not_grow_the_window_past_it(ui, qtbot):
    """At 200 % on 1920x1080 (960x540 logical) the window opened at 1904x1008 and grew to 1904x1202
    when S opened the stance form: the form's full height was the panel's minimum, so the status
    bar and the bottom of the form went off the screen."""
    w = ui.window
    w.resize(960, 500)
    qtbot.waitUntil(lambda: w.height() <= 500)
    size = w.size()
    ui.click_at(ui.text.index("sides held talks"))
    ui.key(Qt.Key_S)
    panel = w.stance.panel
    qtbot.waitUntil(panel.editor.isVisible)
    qtbot.wait(50)
    assert w.size() == size
    assert w.statusBar().isVisible() and w.statusBar().geometry().bottom() <= w.height()
    area = panel.form_area
    # the form scrolls inside the panel; Save is reachable
    area.ensureWidgetVisible(panel.editor.save_button, 0, 0)
    assert area.viewport().rect().contains(panel.editor.save_button.geometry().translated(
        panel.editor.mapTo(area.viewport(), panel.editor.rect().topLeft())))


def test_review_cells_show_an_entity_text_with_markup_literally_in_their_tooltips(open_window, tmp_path):
    """The review table's tooltips repeated each analyst's version unescaped: an entity text such as
    `<b>Zelensky</b>` was rendered bold (and `<img>` would load) when the mouse rested on the cell."""
    from multi_team import annotate, team
    from PySide6.QtGui import QTextDocument

    from annotator.session.review import build_review

    text = "<b>Zelensky</b> met Trump in Davos."
    paths = team(tmp_path, texts=[text], overlap=1)
    annotate(paths["alice"], "alice", {text: [("<b>Zelensky</b>", "PERSON")]})
    annotate(paths["bob"], "bob", {text: [("<b>Zelensky</b>", "ORG")]})
    build_review([paths["alice"], paths["bob"]], tmp_path / "review.db", reviewer="rita")
    window = open_window(tmp_path / "review.db")
    table = window.review.panel.table
    assert table.rowCount() == 1
    for c in range(table.columnCount()):
        cell = table.item(0, c)
        shown = QTextDocument()
        shown.setHtml(cell.toolTip())  # what Qt's tooltip draws for this text
        if c:  # the versions and the decision: the tooltip says the cell's text, literally
            assert shown.toPlainText().strip() == cell.text()
    assert "<b>Zelensky</b>" in table.item(0, 1).text()


def test_in_the_dark_theme_a_search_hit_on_an_entity_keeps_its_label_tag_readable(ui, qtbot):
    """Dark theme, Ctrl+F "Davos", Enter: the hits turn marker-yellow with black text, but the GPE tag
    after each hit was still painted in the entity's light text colour: light grey on yellow."""
    from PySide6.QtGui import QColor

    from annotator.ui.main_window import SEARCH_HIT_COLOUR
    from annotator.ui.theme import contrast

    w, view = ui.window, ui.window.article
    w.theme_actions["dark"].trigger()
    qtbot.keyClick(w, Qt.Key_F, Qt.ControlModifier)
    qtbot.keyClicks(w.docs.search_box, "Davos")
    qtbot.keyClick(w.docs.search_box, Qt.Key_Return)
    span = ui.span_of("Davos")
    assert (span.start, span.end) in w.article._marks["search"][0]
    view.ensure_visible(span.start, span.end)
    qtbot.wait(20)
    [rect] = [r for _, r in view.tag_rects() if abs(r.right() - view.span_rects(span.start, span.end)[-1].right()) < 2]
    image = view.viewport().grab().toImage()
    ratio = view.devicePixelRatioF()
    yellow = QColor(SEARCH_HIT_COLOUR)
    inks = [image.pixelColor(int(x * ratio), int(y * ratio))
            for x in range(int(rect.left()), int(rect.right())) for y in range(int(rect.top()), int(rect.bottom()))]
    assert max(contrast(c, yellow) for c in inks) >= 4.5  # the tag's letters read on the hit's yellow


def test_the_arc_of_a_stance_in_the_title_stays_inside_the_article(ui, qtbot):
    """A stance tagged on the title (caret in it, S, 1, F) and selected: its holder "Ukraine" and the
    evidence are on the first line, and the arc between them went up out of the article's top edge
    (only its feet were drawn)."""
    w, view = ui.window, ui.window.article
    ui.click_at(ui.text.index("peace deal"))
    assert view.verticalScrollBar().value() == 0
    ui.key(Qt.Key_S)
    assert w.stance.panel.editor.holder.currentText() == "Ukraine"
    press(qtbot, w.stance.panel.editor, Qt.Key_1, Qt.Key_F, Qt.Key_Return)  # Enter saves (issue 12)
    w.stance.focus_list()
    qtbot.keyClick(w.stance.panel.tree, Qt.Key_Down)
    qtbot.keyClick(w.stance.panel.tree, Qt.Key_Down)
    qtbot.waitUntil(lambda: view.link() is not None)
    frames, path = view.link_geometry()
    assert not path.isEmpty()
    assert path.boundingRect().top() >= 0
    assert view.viewport().rect().contains(path.boundingRect().toAlignedRect())
