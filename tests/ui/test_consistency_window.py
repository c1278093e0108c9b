"""The Names and Actors panels and the label-every-occurrence key, driven like a user would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from annotator.core.records import Record
from annotator.session import Corpus
from annotator.session.importer import store_records

TEXTS = [
    ("Kyiv said on Monday that Kyiv would answer. Kiev officials agreed.", [(0, 4, "GPE"), (44, 48, "PERSON")], "in_progress"),
    ("Kyiv‘s mayor spoke. The Kyiv City Military Administration said so.", [(0, 4, "PERSON"), (24, 57, "ORG")], "new"),
    ("In Kyiv the talks went on.", [(3, 7, "ORG")], "accepted"),
    ("Talks in Kyiv resumed at kyivpost.", [], "new"),
]


@pytest.fixture
def small_db(tmp_path):
    path = tmp_path / "names.db"
    with Corpus(path) as corpus:
        store_records(corpus, [Record(t, f"doc {i}", spans=s, status=st) for i, (t, s, st) in enumerate(TEXTS, 1)])
    return path


def kyiv_labels(window) -> list[tuple[int, int, str]]:
    return window.corpus.db.execute(
        "SELECT doc_id, start, label FROM spans WHERE surface IN ('Kyiv', 'Kiev') ORDER BY doc_id, start").fetchall()


def test_names_panel_walks_occurrences_fixes_all_and_undoes(qtbot, open_window, small_db, monkeypatch):
    window = open_window(small_db)
    panel = window.consistency.names
    qtbot.keyClick(window.article, Qt.Key_7, Qt.ControlModifier)
    assert window.side.currentWidget() is panel
    tree = panel.tree
    assert tree.topLevelItemCount() >= 1
    assert tree.topLevelItem(0).text(1) == "Kyiv"
    assert tree.topLevelItem(0).text(2) == "2"  # unlabelled
    tree.setCurrentItem(tree.topLevelItem(0))
    assert panel.label_box.currentText() == "PERSON"  # the majority label is offered first

    # F4 opens the occurrences one by one in the article
    qtbot.keyClick(window.article, Qt.Key_F4)
    assert window.doc_id == 1 and window.article.selection() == (0, 4)
    qtbot.keyClick(window.article, Qt.Key_F4)
    assert window.doc_id == 1 and window.article.selection() == (25, 29)  # "that Kyiv would": no entity
    assert "Occurrence 2 of" in panel.position.text() and "no entity" in panel.position.text()

    before = kyiv_labels(window)
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer))
    panel.label_box.setCurrentText("GPE")
    qtbot.mouseClick(panel.fix_button, Qt.LeftButton)  # planned off the UI thread, then committed
    qtbot.waitUntil(lambda: kyiv_labels(window) != before, timeout=20000)
    assert asked and "accepted document(s): 3" in asked[0]
    assert kyiv_labels(window) == [(1, 0, "GPE"), (1, 25, "GPE"), (1, 44, "GPE"), (2, 0, "GPE"), (3, 3, "ORG"), (4, 9, "GPE")]
    # the open article shows the new entity at once
    assert (25, 29, "GPE") in window.article.highlighted_ranges()
    # one undo step takes it all back
    qtbot.keyClick(window.article, Qt.Key_Z, Qt.ControlModifier)
    assert kyiv_labels(window) == before
    assert (25, 29, "GPE") not in window.article.highlighted_ranges()


def test_label_all_with_accepted_documents_confirmed(qtbot, open_window, small_db, monkeypatch):
    window = open_window(small_db)
    panel = window.consistency.names
    qtbot.keyClick(window.article, Qt.Key_7, Qt.ControlModifier)
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.Yes))
    panel.label_box.setCurrentText("GPE")
    qtbot.mouseClick(panel.fix_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: (3, 3, "GPE") in kyiv_labels(window), timeout=20000)
    assert (1, 25, "GPE") in kyiv_labels(window)


def test_label_every_occurrence_in_the_article_key(qtbot, open_window, small_db):
    window = open_window(small_db)
    window.open_document(1)
    window.article.setFocus()
    window.article.set_current(window.corpus.db.execute("SELECT id FROM spans WHERE doc_id = 1 AND start = 0").fetchone()[0])
    qtbot.keyClick(window.article, Qt.Key_O, Qt.ControlModifier | Qt.ShiftModifier)
    assert (25, 29, "GPE") in window.article.highlighted_ranges()
    assert [(s.start, s.label) for s in window.corpus.spans(1)] == [(0, "GPE"), (25, "GPE"), (44, "PERSON")]


def test_actors_panel_confirms_links_and_undoes(qtbot, open_window, small_db):
    window = open_window(small_db)
    qtbot.keyClick(window.article, Qt.Key_8, Qt.ControlModifier)
    people = window.consistency.people
    assert window.side.currentWidget() is people
    names = [people.proposals.topLevelItem(i).text(0) for i in range(people.proposals.topLevelItemCount())]
    assert "Kyiv" in names
    people.proposals.setCurrentItem(people.proposals.topLevelItem(names.index("Kyiv")))
    qtbot.mouseClick(people.confirm_button, Qt.LeftButton)
    assert people.actors.topLevelItemCount() == 1
    row = people.actors.topLevelItem(0)
    assert (row.text(0), row.text(1), row.text(2)) == ("Kyiv", "person", "4")  # the model's majority label says person
    qtbot.keyClick(window.article, Qt.Key_Z, Qt.ControlModifier)
    assert people.actors.topLevelItemCount() == 0
