"""Correcting entities from the keyboard on the seed corpus: what is drawn and what is stored."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt


def test_select_and_label_snaps_to_tokens_and_is_saved(ui):
    w = ui.window
    start = ui.text.index("negotiator")
    before = ui.db_spans()
    ui.select(start + 2, start + 7)  # "gotia": inside one word
    ui.key(Qt.Key_P)
    added = (start, start + len("negotiator"), "PERSON")
    assert ui.db_spans() == sorted(before + [added])
    assert ui.db_status(w.doc_id) == "in_progress"
    assert added in ui.shown() and ui.shown() == ui.expected_shown()
    assert ("negotiator", "PERSON", "hand") in w.entities.rows()
    assert w.entities.currentIndex().data() == "negotiator"  # the list follows the new current entity
    assert w.article.current().start == start
    assert w.statusBar().currentMessage().startswith("saved")


def test_shift_label_key_takes_the_exact_characters(ui):
    start = ui.text.index("son-in-law")
    ui.select(start, start + 3)  # "son" of "son-in-law"
    ui.key(Qt.Key_O, Qt.ShiftModifier)
    assert (start, start + 3, "ORG") in ui.db_spans()
    assert (start, start + 3, "ORG") in ui.shown()


def test_tab_then_label_key_relabels_the_current_entity(ui):
    w = ui.window
    ui.key(Qt.Key_Tab)
    first = w.article.ordered_spans()[0]
    assert w.article.current() == first and w.entities.currentIndex().row() == 0
    assert ui.text[first.start : first.end] == "Ukraine" and first.label == "GPE"
    ui.key(Qt.Key_O)
    assert (first.start, first.end, "ORG") in ui.db_spans()
    assert (first.start, first.end, "ORG") in ui.shown()
    assert w.entities.rows()[0] == ("Ukraine", "ORG", "hand")
    # Shift+Tab goes back, Tab forward again
    ui.key(Qt.Key_Tab)
    ui.key(Qt.Key_Tab)
    ui.key(Qt.Key_Tab, Qt.ShiftModifier)
    assert w.article.current() == w.article.ordered_spans()[1]


def test_click_on_an_entity_then_delete_and_backspace_remove(ui):
    w = ui.window
    davos = ui.span_of("Davos")
    ui.click_at(davos.start + 2)
    assert w.article.current_id == davos.id
    ui.key(Qt.Key_Delete)
    assert (davos.start, davos.end, "GPE") not in ui.db_spans()
    assert ui.shown() == ui.expected_shown()
    assert all(r.start != davos.start for r in w.article.ordered_spans())
    # the next entity becomes current; Backspace removes it too
    nxt = w.article.current()
    assert nxt is not None and nxt.start > davos.start
    ui.key(Qt.Key_Backspace)
    assert (nxt.start, nxt.end, nxt.label) not in ui.db_spans()
    assert ui.shown() == ui.expected_shown()


def test_alt_arrows_grow_and_shrink_by_a_token(ui):
    w = ui.window
    trump = ui.span_of("Donald Trump’s")
    ui.click_at(trump.start + 1)

    def current_text():
        span = w.article.current()
        db = [(s, e) for s, e, _ in ui.db_spans() if s <= span.start < e]
        assert db == [(span.start, span.end)]
        return ui.text[span.start : span.end]

    ui.key(Qt.Key_Left, Qt.AltModifier)
    assert current_text() == "Donald Trump"
    ui.key(Qt.Key_Right, Qt.AltModifier | Qt.ShiftModifier)
    assert current_text() == "Trump"
    ui.key(Qt.Key_Left, Qt.AltModifier | Qt.ShiftModifier)
    ui.key(Qt.Key_Left, Qt.AltModifier | Qt.ShiftModifier)
    assert current_text() == "by Donald Trump"
    ui.key(Qt.Key_Right, Qt.AltModifier)
    assert current_text() == "by Donald Trump’s"
    assert ui.shown() == ui.expected_shown()
    # growing into the next entity is refused with a message, nothing changes
    stored = ui.db_spans()
    ui.key(Qt.Key_Right, Qt.AltModifier)
    ui.key(Qt.Key_Right, Qt.AltModifier)
    ui.key(Qt.Key_Right, Qt.AltModifier)
    assert "overlap" in w.notice.label.text() and w.notice.isVisible()
    assert current_text() == "by Donald Trump’s special envoy"
    assert ui.db_spans() != stored and ui.shown() == ui.expected_shown()


def test_a_new_entity_replaces_the_ones_it_overlaps_and_undo_brings_them_back(ui):
    w = ui.window
    start = ui.text.index("Steve Witkoff")
    end = ui.text.index("Jared Kush") + len("Jared Kush")
    before = ui.db_spans()
    ui.select(start + 2, end)
    ui.key(Qt.Key_P)
    after = ui.db_spans()
    whole = (ui.text.index("Steve Witkoff"), ui.text.index("Jared Kushner") + len("Jared Kushner"), "PERSON")
    assert whole in after and len(after) == len(before) - 1
    assert ui.shown() == ui.expected_shown()
    assert w.edits.count() == 1
    ui.key(Qt.Key_Z, Qt.ControlModifier)
    assert ui.db_spans() == before and ui.shown() == ui.expected_shown()
    ui.key(Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert ui.db_spans() == after and ui.shown() == ui.expected_shown()


def test_undo_and_redo_cross_documents_and_open_the_document_of_the_edit(ui):
    w = ui.window
    doc1_before = ui.db_spans(1)
    ui.key(Qt.Key_Tab)
    ui.key(Qt.Key_Delete)
    doc1_after = ui.db_spans(1)
    ui.key(Qt.Key_PageDown, Qt.ControlModifier)
    assert w.doc_id == 2 and w.docs.table.currentIndex().row() == 1
    doc2_before = ui.db_spans(2)
    ui.key(Qt.Key_Tab)
    ui.key(Qt.Key_G)
    doc2_after = ui.db_spans(2)
    assert doc2_after != doc2_before

    ui.key(Qt.Key_Z, Qt.ControlModifier)
    assert w.doc_id == 2 and ui.db_spans(2) == doc2_before
    ui.key(Qt.Key_Z, Qt.ControlModifier)
    assert w.doc_id == 1 and ui.db_spans(1) == doc1_before
    assert ui.shown() == ui.expected_shown(1)
    assert w.docs.table.currentIndex().row() == 0
    ui.key(Qt.Key_Y, Qt.ControlModifier)
    assert w.doc_id == 1 and ui.db_spans(1) == doc1_after
    ui.key(Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert w.doc_id == 2 and ui.db_spans(2) == doc2_after and ui.shown() == ui.expected_shown(2)


def test_only_the_touched_blocks_are_rehighlighted(ui):
    w = ui.window
    hl = w.article.highlighter
    assert w.article.document().blockCount() > 20
    ui.key(Qt.Key_Tab)
    drawn = hl.blocks_drawn
    ui.key(Qt.Key_O)
    assert hl.blocks_drawn - drawn == 1


def test_refused_edits_say_why_and_keep_the_undo_stack_clean(ui):
    w = ui.window
    ui.key(Qt.Key_Tab)
    first = w.article.current()
    ui.key(Qt.Key_G)  # it is GPE already
    assert "already GPE" in w.notice.label.text()
    assert w.edits.count() == 0
    ui.click_at(ui.text.index("continue"))  # not an entity
    ui.key(Qt.Key_Delete)
    assert "No entity here" in w.notice.label.text()
    ui.select(first.end, first.end + 1)  # a lone space
    ui.key(Qt.Key_P)
    assert "only spaces" in w.notice.label.text()
    assert w.edits.count() == 0


def test_a_locked_database_refuses_the_edit_with_a_message_and_the_view_stays_true(ui):
    w = ui.window
    w.corpus.db.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(w.db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        before = ui.db_spans()
        ui.key(Qt.Key_Tab)
        first = w.article.current()
        ui.key(Qt.Key_O)
        assert "busy" in w.notice.label.text() and "Not saved" in w.notice.label.text()
        assert w.edits.count() == 0
        assert any(box.isVisible() and "busy" in box.text() for box in w._message_boxes)
        assert not w.statusBar().currentMessage().startswith("saved")
    finally:
        other.rollback()
        other.close()
    assert ui.db_spans() == before
    assert ui.shown() == ui.expected_shown()
    assert w.article.spans[first.id].label == "GPE"
    # once the lock is gone the same keys work
    w.article.set_current(first.id, move_caret=True)
    ui.key(Qt.Key_O)
    assert (first.start, first.end, "ORG") in ui.db_spans()


def test_a_read_only_database_refuses_the_edit(ui):
    w = ui.window
    w.corpus.db.execute("PRAGMA query_only = ON")
    before = ui.db_spans()
    ui.key(Qt.Key_Tab)
    ui.key(Qt.Key_Delete)
    assert "read-only" in w.notice.label.text() and "Not saved" in w.notice.label.text()
    assert ui.db_spans() == before and ui.shown() == ui.expected_shown()
    assert w.edits.count() == 0
