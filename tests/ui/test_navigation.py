"""Moving between documents and entities: accept → next, skip, filter, search, list ↔ article sync."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from annotator.session import Corpus


def titles_in_db(path, predicate) -> list[str]:
    with Corpus(path) as fresh:
        docs = [fresh.document(r.id) for r in fresh.document_rows(0, 1000)]
    return [d.title for d in docs if predicate(d)]


ACCEPT = (Qt.Key_A, Qt.ControlModifier | Qt.ShiftModifier)


def accept(ui) -> None:
    """The accept key; an article with flagged entities needs it twice (the first press warns)."""
    flagged = bool(ui.window.flags.flagged)
    ui.key(*ACCEPT)
    if flagged:
        ui.key(*ACCEPT)


def test_accept_marks_the_article_and_opens_the_next_unfinished(ui):
    w = ui.window
    assert w.doc_id == 1
    assert w.docs.progress.text() == "0 / 5 accepted"
    # Enter never accepts (issue 12, item 1): nothing changes
    ui.key(Qt.Key_Return)
    assert ui.db_status(1) == "new" and w.doc_id == 1
    n = len(w.flags.flagged)
    assert n and w.flags.button.text() == f"Accept  ·  {n} flags to review"
    ui.key(*ACCEPT)  # flagged entities remain: a warning, not yet accepted
    assert ui.db_status(1) == "new" and w.doc_id == 1
    assert f"{n} flagged entities are not reviewed" in w.notice.label.text()
    ui.key(*ACCEPT)
    assert ui.db_status(1) == "accepted"
    assert w.doc_id == 2 and w.article.toPlainText() == w.document.text
    assert w.docs.table.currentIndex().row() == 1
    assert w.docs.model.index(0, 1).data() == "accepted"
    assert w.docs.progress.text() == "1 / 5 accepted"
    # the Accept button does the same, once its warning about flags is read
    w.flags.button.click()
    if w.flags.flagged:
        w.flags.button.click()
    assert ui.db_status(2) == "accepted" and w.doc_id == 3
    # skip, then undo of the skip reopens that article with its old status
    ui.key(Qt.Key_Return, Qt.ControlModifier | Qt.ShiftModifier)
    assert ui.db_status(3) == "skipped" and w.doc_id == 4
    assert w.docs.model.index(2, 1).data() == "skipped"
    ui.key(Qt.Key_Z, Qt.ControlModifier)
    assert ui.db_status(3) == "new" and w.doc_id == 3
    assert w.docs.model.index(2, 1).data() == "new"


def test_accepting_the_last_unfinished_says_so(ui):
    w = ui.window
    for _ in range(5):
        accept(ui)
    assert [ui.db_status(i) for i in range(1, 6)] == ["accepted"] * 5
    assert "Every document" in w.notice.label.text()
    assert w.docs.progress.text() == "5 / 5 accepted"


def test_next_and_previous_document_keys(ui):
    w = ui.window
    ui.key(Qt.Key_PageDown, Qt.ControlModifier)
    ui.key(Qt.Key_PageDown, Qt.ControlModifier)
    assert w.doc_id == 3
    ui.key(Qt.Key_PageUp, Qt.ControlModifier)
    assert w.doc_id == 2
    ui.key(Qt.Key_PageUp, Qt.ControlModifier)
    ui.key(Qt.Key_PageUp, Qt.ControlModifier)
    assert w.doc_id == 1 and "first document" in w.notice.label.text()


def test_status_filter_and_text_search(ui, qtbot):
    w = ui.window
    accept(ui)  # accept doc 1
    accept(ui)  # accept doc 2
    panel = w.docs
    panel.filter_box.setFocus()
    qtbot.keyClick(panel.filter_box, Qt.Key_Down)  # "Unfinished": new and in progress
    assert panel.filter_box.currentText() == "Unfinished"
    assert panel.visible_titles() == titles_in_db(w.db_path, lambda d: d.status in ("new", "in_progress"))
    qtbot.keyClick(panel.filter_box, Qt.Key_Down)  # "New"
    assert panel.filter_box.currentText() == "New"
    assert panel.visible_titles() == titles_in_db(w.db_path, lambda d: d.status == "new")
    qtbot.keyClick(panel.filter_box, Qt.Key_Down)
    qtbot.keyClick(panel.filter_box, Qt.Key_Down)  # "Accepted"
    assert panel.filter_box.currentText() == "Accepted"
    accepted = titles_in_db(w.db_path, lambda d: d.status == "accepted")
    assert panel.visible_titles() == accepted and len(accepted) == 2

    qtbot.keyClick(w, Qt.Key_F, Qt.ControlModifier)
    assert panel.search_box.hasFocus()
    qtbot.keyClicks(panel.search_box, "Davos")
    qtbot.keyClick(panel.search_box, Qt.Key_Return)
    assert panel.visible_titles() == titles_in_db(w.db_path, lambda d: d.status == "accepted" and "Davos" in d.text)
    panel.filter_box.setCurrentIndex(0)
    davos = titles_in_db(w.db_path, lambda d: "Davos" in d.text)
    assert panel.visible_titles() == davos and 0 < len(davos) < 5
    # choosing a row opens that document
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key_End, Qt.ControlModifier)
    assert w.document.title == davos[-1]
    qtbot.keyClick(panel.search_box, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClick(panel.search_box, Qt.Key_Delete)
    qtbot.keyClick(panel.search_box, Qt.Key_Return)
    assert len(panel.visible_titles()) == 5


def test_entity_list_and_article_follow_each_other(ui, qtbot):
    w = ui.window
    rows = w.entities.rows()
    spans = w.article.ordered_spans()
    flagged = {f.span.id for f in w.flags.flagged}  # the model's suspicious spans carry a ⚠ (issue 12, item 4)
    assert [r[0] for r in rows] == [("⚠ " if s.id in flagged else "") + " ".join(ui.text[s.start : s.end].split())
                                    for s in spans]
    # list → article: click the fifth row
    rect = w.entities.visualRect(w.entities.model_.index(4, 0))
    qtbot.mouseClick(w.entities.viewport(), Qt.LeftButton, pos=rect.center())
    assert w.article.current_id == spans[4].id and w.article.caret() == spans[4].start
    assert spans[4].label in w.position_label.text()
    # keys work with the list focused too
    ui.key(Qt.Key_Down, widget=w.entities)
    assert w.article.current_id == spans[5].id
    ui.key(Qt.Key_O, widget=w.entities)
    assert (spans[5].start, spans[5].end, "ORG") in ui.db_spans()
    # article → list
    ui.click_at(spans[9].start + 1)
    assert w.entities.currentIndex().row() == 9


def test_hovering_an_entity_shows_its_label(ui, qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent, QTextCursor
    from PySide6.QtWidgets import QApplication, QToolTip

    w = ui.window
    span = ui.span_of("Steve Witkoff")
    cur = QTextCursor(w.article.document())
    cur.setPosition(span.start + 2)
    point = w.article.cursorRect(cur).center()
    QApplication.sendEvent(w.article.viewport(), QHelpEvent(QEvent.ToolTip, point, w.article.viewport().mapToGlobal(point)))
    from PySide6.QtGui import QTextDocumentFragment

    assert QToolTip.isVisible() and QTextDocumentFragment.fromHtml(QToolTip.text()).toPlainText().startswith("PERSON")
    # outside any entity: no tooltip
    cur.setPosition(ui.text.index("special envoy") + 3)
    point = w.article.cursorRect(cur).center()
    QApplication.sendEvent(w.article.viewport(), QHelpEvent(QEvent.ToolTip, point, w.article.viewport().mapToGlobal(point)))
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)


def test_the_first_document_message_is_shown_once(ui):
    """Previous document on the first one: said once, in the notice under the article, not again in the status bar."""
    w = ui.window
    assert w.doc_id == 1
    ui.key(Qt.Key_PageUp, Qt.ControlModifier)
    assert w.doc_id == 1
    assert w.notice.isVisible() and w.notice.label.text() == "This is the first document."
    assert w.statusBar().currentMessage() == ""
    shown = [lb for lb in w.findChildren(QLabel) if lb.isVisible() and "first document" in lb.text()]
    assert shown == [w.notice.label]
