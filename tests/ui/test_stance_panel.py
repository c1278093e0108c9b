"""The stance panel and scheme dialog driven with keys and clicks on a real corpus file."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow

from annotator.core.records import Record
from annotator.session.importer import store_records
from annotator.session.session import Session
from annotator.ui.edits import EditRunner
from annotator.ui.stance_panel import StancePanel

TEXT = (
    "Talks resume in Davos\n"
    "Zelensky said the ceasefire must hold. Russia rejected the plan.\n"
    "“We will not give up the Donbas,” Zelensky said on Monday.\n"
    "Ukrainian negotiator Rustem Umerov said talks would continue."
)
PEACE, CEASE, LAND = "peace deal / negotiations", "ceasefire", "territorial concessions (Donbas)"


def at(piece, nth=0):
    s = -1
    for _ in range(nth + 1):
        s = TEXT.index(piece, s + 1)
    return s, s + len(piece)


@pytest.fixture
def doc(empty_corpus):
    spans = [(*at("Davos"), "GPE"), (*at("Zelensky"), "PERSON"), (*at("Russia"), "GPE"), (*at("Donbas"), "GPE"),
             (*at("Zelensky", 1), "PERSON"), (*at("Monday"), "DATE"), (*at("Ukrainian"), "NORP"),
             (*at("Rustem Umerov"), "PERSON")]
    added = store_records(empty_corpus, [Record(TEXT, "talks", spans=spans, source="t.jsonl", line=1)]).added
    return empty_corpus, added[0]


@pytest.fixture
def panel(qtbot, doc):
    corpus, d = doc
    window = QMainWindow()
    p = StancePanel(EditRunner(Session(corpus)))
    window.setCentralWidget(p)
    qtbot.addWidget(window)
    window.resize(700, 800)
    window.show()
    p.set_document(d)
    yield p  # the fixture's frame keeps the window (and its stack) alive


def key(widget, *keys):
    for k in keys:
        QTest.keyClick(widget, k)


def stances(panel):
    return [(s.holder_text, s.target, s.value, TEXT[s.ev_start : s.ev_end] if s.ev_start is not None else None)
            for s in panel.corpus.stances(panel.doc_id)]


def tree_rows(panel):
    rows = []
    for i in range(panel.tree.topLevelItemCount()):
        head = panel.tree.topLevelItem(i)
        rows.append(head.text(0))
        rows += [tuple(head.child(j).text(c) for c in range(3)) for j in range(head.childCount())]
    return rows


def test_stance_key_tags_the_sentence_with_the_nearest_speaker_then_undo_redo(qtbot, panel):
    with qtbot.waitSignal(panel.evidence_selected) as shown:
        assert panel.tag_at(TEXT.index("must"))
    assert shown.args == list(at("Zelensky said the ceasefire must hold."))
    assert panel.editor.isVisible() and panel.editor.hasFocus()
    assert panel.editor.holder.currentText() == "Zelensky"
    assert panel.editor.evidence_label.text() == "“Zelensky said the ceasefire must hold.”"
    with qtbot.waitSignal(panel.editing_finished):
        key(panel.editor, "2", "f")  # target 2 (ceasefire), value f (FAVOR): saved at once
    assert stances(panel) == [("Zelensky", CEASE, "FAVOR", "Zelensky said the ceasefire must hold.")]
    assert panel.corpus.stances(panel.doc_id)[0].holder_span_id is not None
    assert not panel.editor.isVisible()
    assert tree_rows(panel) == [f"{CEASE} (1)", ("Zelensky", "FAVOR", "Zelensky said the ceasefire must hold.")]
    assert panel.selected_stance().target == CEASE
    assert panel.evidence_spans() == [(*at("Zelensky said the ceasefire must hold."), f"{CEASE}=FAVOR")]
    panel.edits.undo()
    assert stances(panel) == [] and tree_rows(panel) == []
    panel.edits.redo()
    assert tree_rows(panel) == [f"{CEASE} (1)", ("Zelensky", "FAVOR", "Zelensky said the ceasefire must hold.")]


def test_a_selected_quote_gets_the_speaker_after_it(qtbot, panel):
    quote = at("We will not give up the Don")  # a selection ending inside a word
    panel.tag_at(quote[1], selection=quote)
    assert panel.editor.evidence == at("We will not give up the Donbas")
    assert panel.editor.holder.currentText() == "Zelensky"
    key(panel.editor, "3", "a")
    st = panel.corpus.stances(panel.doc_id)[0]
    assert (st.holder_start, st.target, st.value) == (at("Zelensky", 1)[0], LAND, "AGAINST")  # the second Zelensky, the speaker


def test_change_holder_target_and_value_of_a_record_and_undo(qtbot, panel):
    panel.tag_at(TEXT.index("rejected"))
    assert panel.editor.holder.currentText() == "Russia"
    key(panel.editor, "1", "a")
    original = panel.corpus.stances(panel.doc_id)
    key(panel.tree, Qt.Key.Key_Return)  # edit the selected record
    assert panel.editor.isVisible() and panel.editor.title.text() == "Edit stance"
    key(panel.editor, "h")
    assert panel.editor.holder.lineEdit().hasFocus()
    panel.editor.holder.lineEdit().selectAll()
    qtbot.keyClicks(panel.editor.holder.lineEdit(), "Rustem Umerov")
    key(panel.editor.holder.lineEdit(), Qt.Key.Key_Return)  # back to the form's keys
    assert panel.editor.hasFocus()
    key(panel.editor, "2", "n")  # editing does not save on its own
    assert panel.editor.isVisible()
    key(panel.editor, "c")
    qtbot.keyClicks(panel.editor.note, "rejects the plan")
    key(panel.editor.note, Qt.Key.Key_Escape)
    key(panel.editor, Qt.Key.Key_Return)
    st = panel.corpus.stances(panel.doc_id)[0]
    assert (st.holder_text, st.holder_start, st.target, st.value, st.note) == (
        "Rustem Umerov", TEXT.index("Rustem"), CEASE, "NEUTRAL", "rejects the plan")
    assert st.holder_span_id is not None
    assert tree_rows(panel)[1] == ("Rustem Umerov", "NEUTRAL", "Russia rejected the plan.")
    panel.edits.undo()
    assert panel.corpus.stances(panel.doc_id) == original


def test_free_text_holder(qtbot, panel):
    panel.tag_at(TEXT.index("talks would"))
    key(panel.editor, "h")
    panel.editor.holder.lineEdit().selectAll()
    qtbot.keyClicks(panel.editor.holder.lineEdit(), "Kyiv officials")
    key(panel.editor.holder.lineEdit(), Qt.Key.Key_Return)
    key(panel.editor, "1", "f")
    st = panel.corpus.stances(panel.doc_id)[0]
    assert (st.holder_text, st.holder_span_id, st.holder_start) == ("Kyiv officials", None, None)


def test_document_level_stance_and_its_uniqueness(qtbot, panel):
    with qtbot.waitSignal(panel.evidence_cleared):
        qtbot.mouseClick(panel.article_button, Qt.MouseButton.LeftButton)
    assert panel.editor.holder.currentText() == "the article"
    key(panel.editor, "1", "n")
    assert stances(panel) == [("the article", PEACE, "NEUTRAL", None)]
    assert tree_rows(panel) == [f"{PEACE} (1)", ("the article", "NEUTRAL", "— whole article —")]
    assert panel.evidence_spans() == []
    panel.tag_document()
    with qtbot.waitSignal(panel.message) as said:
        key(panel.editor, "1", "f")
    assert "already has an overall stance" in said.args[0]
    assert "already has an overall stance" in panel.editor.error.text() and panel.editor.isVisible()
    assert len(stances(panel)) == 1
    key(panel.editor, Qt.Key.Key_Escape)
    assert not panel.editor.isVisible()
    # an evidence-level record can become the overall stance of another target with w
    panel.tag_at(TEXT.index("Umerov"))
    key(panel.editor, "w", "4", "f")
    assert stances(panel)[-1] == ("Rustem Umerov", "security guarantees", "FAVOR", None)


def test_no_target_or_no_value_cannot_be_saved(qtbot, panel):
    panel.tag_at(TEXT.index("hold"))
    key(panel.editor, Qt.Key.Key_Return)
    assert panel.editor.error.text() == "pick a target: press its number"
    key(panel.editor, "2", Qt.Key.Key_Return)
    assert panel.editor.error.text() == "pick a value: f FAVOR, a AGAINST, n NEUTRAL"
    assert stances(panel) == [] and panel.edits.count() == 0
    with qtbot.waitSignal(panel.editing_finished):
        key(panel.editor, Qt.Key.Key_Escape)
    assert not panel.editor.isVisible()


def test_nothing_to_tag_on_a_blank_line(qtbot, panel):
    other = store_records(panel.corpus, [Record("Headline\n\nZelensky spoke.", "blank")]).added[0]
    panel.set_document(other)
    with qtbot.waitSignal(panel.message) as said:
        assert not panel.tag_at(len("Headline\n"))
    assert said.args == ["put the cursor in a sentence (or select a quote) to tag a stance"]
    assert not panel.editor.isVisible()
    assert panel.tag_at(12, selection=(8, 10))  # a whitespace-only selection: the sentence at the cursor instead
    assert panel.editor.evidence == (10, 25)


def test_selecting_records_shows_their_evidence_and_delete_key_deletes(qtbot, panel):
    panel.tag_at(TEXT.index("must"))
    key(panel.editor, "2", "f")
    panel.tag_document()
    key(panel.editor, "1", "a")
    ids = {s.target: s.id for s in panel.corpus.stances(panel.doc_id)}
    items = panel._items()
    with qtbot.waitSignal(panel.evidence_selected) as shown:
        panel.tree.setCurrentItem(items[ids[CEASE]])
    assert tuple(shown.args) == at("Zelensky said the ceasefire must hold.")
    with qtbot.waitSignal(panel.evidence_cleared):
        panel.tree.setCurrentItem(items[ids[PEACE]])
    panel.tree.setFocus()
    key(panel.tree, Qt.Key.Key_Delete)
    assert [s[1] for s in stances(panel)] == [CEASE]
    panel.edits.undo()
    assert sorted(s[1] for s in stances(panel)) == [CEASE, PEACE]


def test_deleting_the_holder_entity_keeps_the_record_and_undo_relinks(qtbot, panel):
    panel.tag_at(TEXT.index("must"))
    key(panel.editor, "2", "f")
    holder = panel.corpus.stances(panel.doc_id)[0].holder_span_id
    # the window deletes entities through the same corpus and stack; the panel follows the change
    change = panel.corpus.apply(panel.corpus.plan_delete_span(holder))
    assert tree_rows(panel)[1][0] == "Zelensky (entity removed)"
    assert stances(panel)[0][0] == "Zelensky"
    panel.corpus.apply(change.inverse())
    assert tree_rows(panel)[1][0] == "Zelensky"
    assert panel.corpus.stances(panel.doc_id)[0].holder_span_id == holder


def test_the_forms_keys_win_over_window_shortcuts(qtbot, panel):
    fired = []
    action = QAction("NORP", panel.window())
    action.setShortcut("n")
    action.triggered.connect(lambda: fired.append(1))
    panel.window().addAction(action)
    panel.tag_at(TEXT.index("must"))
    key(panel.editor, "n")
    assert fired == [] and panel.editor.value() == "NEUTRAL"
    panel.cancel()
    panel.tree.setFocus()
    key(panel.tree, "n")
    assert fired == [1]  # outside the form the window's key works


def test_scheme_dialog_rename_merge_hide_and_undo(qtbot, panel):
    panel.tag_at(TEXT.index("must"))
    key(panel.editor, "2", "f")
    panel.tag_at(TEXT.index("rejected"))
    key(panel.editor, "1", "a")
    dialog = panel.open_scheme()
    qtbot.waitExposed(dialog)
    names = [dialog.targets.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.targets.count())]
    dialog.targets.setCurrentRow(names.index(CEASE))
    assert dialog.target_name.text() == CEASE
    dialog.target_name.setText("truce")
    qtbot.mouseClick(dialog.rename_target_button, Qt.MouseButton.LeftButton)
    assert sorted(s[1] for s in stances(panel)) == [PEACE, "truce"]
    assert "truce (1)" in tree_rows(panel)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert sorted(s[1] for s in stances(panel)) == [CEASE, PEACE]
    assert CEASE in panel.corpus.stance_targets()
    # merge ceasefire into peace deal: one undoable step
    dialog.targets.setCurrentRow(names.index(CEASE))
    dialog.merge_into.setCurrentText(PEACE)
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert [s[1] for s in stances(panel)] == [PEACE, PEACE] and CEASE not in panel.corpus.stance_targets()
    assert tree_rows(panel)[0] == f"{PEACE} (2)"
    panel.edits.undo()
    assert sorted(s[1] for s in stances(panel)) == [CEASE, PEACE]
    # hide: no longer offered to new stances, still on its record
    dialog.targets.setCurrentRow(names.index(CEASE))
    qtbot.mouseClick(dialog.hide_target_button, Qt.MouseButton.LeftButton)
    assert CEASE not in panel.corpus.stance_targets(include_hidden=False)
    assert dialog.hide_target_button.text() == "Show"
    panel.tag_document()
    offered = [panel.editor.targets.item(i).text() for i in range(panel.editor.targets.count())]
    assert not any(CEASE in t for t in offered) and offered[1] == f"2  {LAND}"
    panel.cancel()
    # a value in use cannot be removed; the message says why
    dialog.values.setCurrentRow(0)
    qtbot.mouseClick(dialog.remove_value_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "the value 'FAVOR' is used by 1 stance; change or delete those first, or rename it"
    dialog.value_name.setText("MIXED")
    qtbot.mouseClick(dialog.add_value_button, Qt.MouseButton.LeftButton)
    panel.tag_document()
    assert [b.text() for b in panel.editor.value_group.buttons()][-1] == "MIXED  [m]"
    key(panel.editor, "1", "m")
    assert ("the article", PEACE, "MIXED", None) in stances(panel)
    dialog.close()


def test_undo_of_a_record_changed_elsewhere_is_refused_with_a_message(qtbot, panel):
    from annotator.session import Corpus
    from annotator.session.stances import plan_update_stance

    panel.tag_at(TEXT.index("must"))
    key(panel.editor, "2", "f")
    other = Corpus(panel.corpus.path, annotator="someone else")
    try:
        other.apply(plan_update_stance(other, other.stances(panel.doc_id)[0].id, value="AGAINST"))
    finally:
        other.close()
    with qtbot.waitSignal(panel.message) as said:
        panel.edits.undo()
    assert said.args[0].startswith("cannot undo add stance") and "changed elsewhere" in said.args[0]
    assert [s[2] for s in stances(panel)] == ["AGAINST"]  # the other edit is kept
    assert panel.edits.count() == 0  # the stale command is dropped, redo cannot replay it
