"""File ▸ Copy for another annotator…, File ▸ New review… and the agreement dialog, driven like a user."""

from multi_team import TEXTS, annotate, team
from PySide6.QtCore import Qt

from annotator.session.corpus import Corpus


def _menu_action(window, text):
    file_menu = window.menu("&File")
    return next(a for a in file_menu.actions() if a.text().replace("&", "") == text)


def test_copy_for_two_analysts_from_the_file_menu(qtbot, window, tmp_path):
    _menu_action(window, "Copy for another annotator…").trigger()
    dialog = window.review.dialog
    qtbot.keyClicks(dialog.names, "alice, bob")
    dialog.out.setText(str(tmp_path / "copies"))
    dialog.overlap.setValue(3)
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running and "alice: 4 documents" in dialog.report.toPlainText(), timeout=20000)
    assert "3 documents shared by both analysts" in dialog.report.toPlainText()
    with Corpus(tmp_path / "copies" / "bob.db", read_only=True) as c:
        assert c.count_documents() == 4 and c.meta("annotator") == "bob"
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)  # again: the copies exist, a clear message, nothing overwritten
    qtbot.waitUntil(lambda: not dialog.running and dialog.report.toPlainText().startswith("error:"), timeout=20000)
    assert "exists already" in dialog.report.toPlainText()


def test_new_review_then_agreement_opens_the_worst_article_in_the_review(qtbot, window, tmp_path):
    paths = team(tmp_path)
    annotate(paths["alice"], "alice", {TEXTS[0]: [("Trump", "PERSON")], TEXTS[1]: [("Putin", "PERSON")], TEXTS[2]: [("Kyiv", "GPE")]})
    annotate(paths["bob"], "bob", {TEXTS[0]: [("Trump", "ORG")], TEXTS[1]: [("Putin", "PERSON")], TEXTS[2]: [("Kyiv", "GPE")]})
    _menu_action(window, "New review…").trigger()
    dialog = window.review.dialog
    dialog.picker.add_paths([paths["alice"], paths["bob"]])
    dialog.out.setText(str(tmp_path / "review.db"))
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.open_button.isEnabled(), timeout=20000)
    assert "3 documents from alice, bob" in dialog.report.toPlainText()
    qtbot.mouseClick(dialog.open_button, Qt.LeftButton)
    assert window.db_path == (tmp_path / "review.db").resolve() and window.review.panel is not None

    window.review.show_agreement()
    agree = window.review.dialog
    assert agree.picker.paths() == [paths["alice"], paths["bob"]]  # taken from the review corpus
    qtbot.mouseClick(agree.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: agree.ranked.rowCount() == 3, timeout=20000)
    text = agree.report.toPlainText()
    assert "span F1 exact 0.667" in text and "Krippendorff's α" in text
    assert agree.ranked.item(0, 2).text() == "article 1" and agree.ranked.item(0, 0).text() == "1"
    agree.ranked.setFocus()
    agree.ranked.selectRow(0)
    qtbot.keyClick(agree.ranked, Qt.Key_Return)
    assert window.document.text == TEXTS[0]
    assert [it.kind for it in window.review.items] == ["different labels"]


def test_agreement_on_a_corpus_open_for_editing_says_so(qtbot, window, tmp_path):
    paths = team(tmp_path)
    window.review.show_agreement()
    dialog = window.review.dialog
    dialog.picker.add_paths([paths["alice"], paths["bob"]])
    with Corpus(paths["bob"]):
        qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: not dialog.running and dialog.report.toPlainText().startswith("error:"), timeout=20000)
    assert "bob.db is already open for editing" in dialog.report.toPlainText()


def test_cancel_stops_a_review_build_and_leaves_no_file(qtbot, window, tmp_path):
    paths = team(tmp_path)
    annotate(paths["alice"], "alice", {TEXTS[0]: [("Trump", "PERSON")]})
    annotate(paths["bob"], "bob", {TEXTS[0]: [("Trump", "ORG")]})
    window.review.show_new_review()
    dialog = window.review.dialog
    dialog.picker.add_paths([paths["alice"], paths["bob"]])
    dialog.out.setText(str(tmp_path / "review.db"))
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    dialog.task.stop = True  # Cancel, as the button does, before the first document is written
    qtbot.waitUntil(lambda: not dialog.running, timeout=20000)
    if dialog.report.toPlainText().startswith("error:"):  # stopped in time (the usual case)
        assert "stopped: nothing was written" in dialog.report.toPlainText()
        assert not list(tmp_path.glob("review.db*"))
    else:  # the worker finished before the flag was read: then the review is whole
        assert dialog.open_button.isEnabled()
