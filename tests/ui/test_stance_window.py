"""Stances in the real main window: keys in the article, the panel beside the entities, evidence
underlined in the article, one undo history with the entities, holders that outlive their entity."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QApplication

from annotator.session import Corpus
from annotator.ui.stance_editor import elide
from annotator.ui.stance_panel import VALUE_COLOURS

PEACE, CEASE, GUARANTEES = "peace deal / negotiations", "ceasefire", "security guarantees"
UMEROV_SAYS = ("Ukrainian negotiator Rustem Umerov said talks would continue “at the team level during the next "
               "phase of consultations in Davos”.")
SHOWN = elide(UMEROV_SAYS, 120)  # the list shows long evidence cut short
ZELENSKY_SAYS = "“If the Russians were seriously interested in ending the war, they would have focused on diplomacy,” " \
                "Zelensky said in his nightly video address."


# ---- reading back what the user sees and what the file holds ------------------------------------
def underlines(view) -> list[tuple[int, int, str]]:
    """Underlined runs as laid out in the article's blocks: (start, end, colour) in Python offsets."""
    runs: list[list] = []
    block = view.document().begin()
    while block.isValid():
        for r in sorted(block.layout().formats(), key=lambda r: r.start):
            if r.format.underlineStyle() in (QTextCharFormat.UnderlineStyle.NoUnderline,
                                             QTextCharFormat.UnderlineStyle.WaveUnderline):  # not flags' waves
                continue
            start = view.omap.to_py(block.position() + r.start)
            end = view.omap.to_py(block.position() + r.start + r.length)
            colour = r.format.underlineColor().name()
            if runs and runs[-1][1] == start and runs[-1][2] == colour:
                runs[-1][1] = end  # an entity inside the evidence splits the run in the layout
            else:
                runs.append([start, end, colour])
        block = block.next()
    return [tuple(r) for r in runs]


def db_stances(window, doc_id=None) -> list[tuple]:
    """(holder text, linked?, target, value, evidence text or None, note) from a fresh connection to the file."""
    with Corpus(window.db_path) as fresh:
        doc_id = doc_id or window.doc_id
        text = fresh.document(doc_id).text
        return [(s.holder_text, s.holder_span_id is not None, s.target, s.value,
                 None if s.document_level else text[s.ev_start : s.ev_end], s.note) for s in fresh.stances(doc_id)]


def tree_rows(panel) -> list:
    rows = []
    for i in range(panel.tree.topLevelItemCount()):
        head = panel.tree.topLevelItem(i)
        rows.append(head.text(0))
        rows += [tuple(head.child(j).text(c) for c in range(3)) for j in range(head.childCount())]
    return rows


def press(qtbot, *keys, modifier=Qt.NoModifier) -> None:
    """Keys go where the focus is, as for a user. (Offscreen, the window can lose activation after
    File ▸ Open rebuilds the stance panel; then the keys go to the open form, as the window would send them.)"""
    for k in keys:
        target = QApplication.focusWidget()
        if target is None:
            window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "main_window" and w.isVisible())
            target = window.stance.panel.editor if window.stance.form_open() else window.article
        qtbot.keyClick(target, k, modifier)


def click_record(qtbot, panel, holder: str) -> None:
    tree = panel.tree
    for item in panel._items().values():
        if item.text(0).startswith(holder):
            tree.scrollToItem(item)
            rect = tree.visualItemRect(item)
            qtbot.mouseClick(tree.viewport(), Qt.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"no record held by {holder!r}: {tree_rows(panel)}")


def wait_holder(qtbot, window) -> None:
    """The holder suggestion comes from a worker thread (the parse): wait until the form shows it."""
    editor = window.stance.panel.editor
    qtbot.waitUntil(lambda: not editor.suggestion_pending)


def tag_sentence(ui, qtbot, sentence: str, *keys, at: str | None = None) -> tuple[int, int]:
    """S on the sentence, then the keys; a target and a value are saved with Enter (nothing saves itself)."""
    start = ui.text.index(sentence)
    ui.click_at(ui.text.index(at, start) if at else start + 3)
    ui.key(Qt.Key_S)
    wait_holder(qtbot, ui.window)
    press(qtbot, *keys)
    if len(keys) >= 2:
        press(qtbot, Qt.Key_Return)
    return start, start + len(sentence)


# ---- tests ------------------------------------------------------------------------------------
def test_stance_key_tags_the_sentence_and_underlines_it(ui, qtbot):
    w, panel = ui.window, ui.window.stance.panel
    entities_before = ui.shown()
    start = ui.text.index(UMEROV_SAYS)
    ui.click_at(ui.text.index("talks would", start))
    ui.key(Qt.Key_S)
    wait_holder(qtbot, w)
    assert w.side.currentWidget() is panel and panel.editor.isVisible() and panel.editor.hasFocus()
    assert panel.editor.holder.currentText() == "Rustem Umerov"  # the speaker of the sentence
    assert panel.editor.proposal.text() == "Holder: Rustem Umerov"  # shown large above the form
    assert panel.editor.evidence_label.text() == f"“{UMEROV_SAYS}”"
    assert w.article.selection() == (start, start + len(UMEROV_SAYS))  # the evidence shown in the article
    press(qtbot, Qt.Key_1, Qt.Key_F)  # target 1, value FAVOR: not saved until Enter
    assert db_stances(w) == [] and panel.editor.isVisible()
    press(qtbot, Qt.Key_Return)
    assert db_stances(w) == [("Rustem Umerov", True, PEACE, "FAVOR", UMEROV_SAYS, "")]
    assert w.statusBar().currentMessage().startswith("saved · add stance")
    assert not panel.editor.isVisible() and w.article.hasFocus()
    assert w.article.selection() is None and w.article.caret() == ui.text.index("talks would", start)  # back to reading
    assert (start, start + len(UMEROV_SAYS), VALUE_COLOURS["FAVOR"]) in underlines(w.article)
    assert ui.shown() == entities_before == ui.expected_shown()  # the underline hides no entity colour
    assert tree_rows(panel) == [f"{PEACE} (1)", ("Rustem Umerov", "FAVOR", SHOWN)]
    assert w.side.tabText(w.side.indexOf(panel)) == "Stances (1)"


def test_a_selected_quote_becomes_the_evidence_and_overlaps_draw_once(ui, qtbot):
    w = ui.window
    quote = "they would have focused on diplomacy"
    q = ui.text.index(quote)
    ui.select(q + 2, q + len(quote) - 3)  # inside words: grown to whole tokens
    ui.key(Qt.Key_S)
    wait_holder(qtbot, w)
    assert w.stance.panel.editor.holder.currentText() == "Zelensky"  # "…,” Zelensky said: the speaker after the quote
    press(qtbot, Qt.Key_2, Qt.Key_A, Qt.Key_Return)
    whole = tag_sentence(ui, qtbot, ZELENSKY_SAYS, Qt.Key_1, Qt.Key_A, at="ending")
    assert [r[4] for r in db_stances(w)] == [quote, ZELENSKY_SAYS]
    assert [u for u in underlines(w.article) if u[0] >= whole[0] - 1 and u[1] <= whole[1] + 1] == [
        (*whole, VALUE_COLOURS["AGAINST"])]


def test_change_holder_target_and_value_of_a_record(ui, qtbot):
    w, panel = ui.window, ui.window.stance.panel
    start, end = tag_sentence(ui, qtbot, UMEROV_SAYS, Qt.Key_1, Qt.Key_F, at="talks would")
    click_record(qtbot, panel, "Rustem Umerov")
    assert w.article.selection() == (start, end) and w.article.flashed() == (start, end)
    press(qtbot, Qt.Key_Return)  # edit the selected record
    assert panel.editor.title.text() == "Edit stance"
    press(qtbot, Qt.Key_H)
    assert panel.editor.holder.lineEdit().hasFocus()
    panel.editor.holder.lineEdit().selectAll()
    qtbot.keyClicks(panel.editor.holder.lineEdit(), "Volodymyr Zelensky")
    press(qtbot, Qt.Key_Escape)  # back to the form, the form stays open
    assert panel.editor.isVisible() and panel.editor.hasFocus()
    press(qtbot, Qt.Key_4, Qt.Key_A, Qt.Key_C)
    qtbot.keyClicks(panel.editor.note, "reported speech")
    press(qtbot, Qt.Key_Return, Qt.Key_Return)
    assert db_stances(w) == [("Volodymyr Zelensky", True, GUARANTEES, "AGAINST", UMEROV_SAYS, "reported speech")]
    assert (start, end, VALUE_COLOURS["AGAINST"]) in underlines(w.article)
    assert not [u for u in underlines(w.article) if u[2] == VALUE_COLOURS["FAVOR"]]
    assert tree_rows(panel) == [f"{GUARANTEES} (1)", ("Volodymyr Zelensky", "AGAINST", SHOWN)]
    ui.key(Qt.Key_Z, Qt.ControlModifier)
    assert db_stances(w) == [("Rustem Umerov", True, PEACE, "FAVOR", UMEROV_SAYS, "")]
    assert (start, end, VALUE_COLOURS["FAVOR"]) in underlines(w.article)


def test_document_level_stance_has_no_evidence_and_no_underline(ui, qtbot):
    w, panel = ui.window, ui.window.stance.panel
    ui.click_at(ui.text.index("Davos"))
    ui.key(Qt.Key_S, Qt.ShiftModifier)
    assert panel.editor.isVisible() and panel.editor.holder.currentText() == "the article"
    assert panel.editor.evidence_label.text() == "The article's overall stance (no evidence)"
    press(qtbot, Qt.Key_2, Qt.Key_N, Qt.Key_Return)
    assert db_stances(w) == [("the article", False, CEASE, "NEUTRAL", None, "")]
    assert underlines(w.article) == []
    assert tree_rows(panel) == [f"{CEASE} (1)", ("the article", "NEUTRAL", "— whole article —")]
    # a second overall stance on the same target is refused, the form stays open and says why
    ui.key(Qt.Key_S, Qt.ShiftModifier)
    press(qtbot, Qt.Key_2, Qt.Key_F, Qt.Key_Return)
    assert "already has an overall stance" in panel.editor.error.text() and panel.editor.isVisible()
    assert len(db_stances(w)) == 1
    press(qtbot, Qt.Key_Escape)
    assert not panel.editor.isVisible() and w.article.hasFocus()


def test_undo_and_redo_are_one_history_with_entities_and_cross_documents(ui, qtbot):
    w = ui.window
    first = w.doc_id
    span = tag_sentence(ui, qtbot, UMEROV_SAYS, Qt.Key_1, Qt.Key_F, at="talks would")
    negotiator = ui.text.index("negotiator")
    ui.select(negotiator, negotiator + len("negotiator"))
    ui.key(Qt.Key_P)  # an entity edit between the stances
    ui.key(Qt.Key_PageDown, Qt.ControlModifier)  # the next article
    second = w.doc_id
    assert second != first and w.stance.panel.doc_id == second and underlines(w.article) == []
    w.article.setFocus()
    ui.key(Qt.Key_S, Qt.ShiftModifier)
    press(qtbot, Qt.Key_5, Qt.Key_A, Qt.Key_Return)
    assert db_stances(w) == [("the article", False, "NATO membership for Ukraine", "AGAINST", None, "")]

    ui.key(Qt.Key_Z, Qt.ControlModifier)
    assert db_stances(w, second) == [] and w.doc_id == second
    ui.key(Qt.Key_Z, Qt.ControlModifier)  # back to the first article for its entity
    assert w.doc_id == first and w.stance.panel.doc_id == first
    assert (negotiator, negotiator + len("negotiator"), "PERSON") not in ui.db_spans()
    assert (*span, VALUE_COLOURS["FAVOR"]) in underlines(w.article)
    ui.key(Qt.Key_Z, Qt.ControlModifier)
    assert db_stances(w) == [] and underlines(w.article) == [] and tree_rows(w.stance.panel) == []

    ui.key(Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert db_stances(w) == [("Rustem Umerov", True, PEACE, "FAVOR", UMEROV_SAYS, "")]
    assert (*span, VALUE_COLOURS["FAVOR"]) in underlines(w.article)
    ui.key(Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    ui.key(Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert w.doc_id == second and db_stances(w) == [("the article", False, "NATO membership for Ukraine", "AGAINST", None, "")]
    assert w.edits.count() == 3


def test_deleting_or_resizing_the_holder_entity_keeps_the_stance_and_undo_relinks(ui, qtbot):
    w, panel = ui.window, ui.window.stance.panel
    tag_sentence(ui, qtbot, UMEROV_SAYS, Qt.Key_1, Qt.Key_F, at="talks would")
    umerov = ui.span_of("Rustem Umerov")
    ui.click_at(umerov.start + 2)
    assert w.article.current_id == umerov.id
    ui.key(Qt.Key_Left, Qt.AltModifier)  # shrink the end by a token: the holder's text follows
    assert db_stances(w)[0][:2] == ("Rustem", True)
    assert tree_rows(panel)[1][0] == "Rustem"
    ui.key(Qt.Key_Z, Qt.ControlModifier)
    assert db_stances(w)[0][:2] == ("Rustem Umerov", True)

    ui.key(Qt.Key_Delete)  # the current entity goes; the stance stays with the holder's text
    assert (umerov.start, umerov.end, "PERSON") not in ui.db_spans()
    assert db_stances(w) == [("Rustem Umerov", False, PEACE, "FAVOR", UMEROV_SAYS, "")]
    assert tree_rows(panel)[1][0] == "Rustem Umerov (entity removed)"
    ui.key(Qt.Key_Z, Qt.ControlModifier)
    assert db_stances(w) == [("Rustem Umerov", True, PEACE, "FAVOR", UMEROV_SAYS, "")]
    with Corpus(w.db_path) as fresh:
        assert fresh.stances(w.doc_id)[0].holder_span_id == umerov.id
    assert tree_rows(panel)[1][0] == "Rustem Umerov"
    ui.key(Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert tree_rows(panel)[1][0] == "Rustem Umerov (entity removed)"


def test_a_stance_needs_a_target_and_a_value(ui, qtbot):
    w, panel = ui.window, ui.window.stance.panel
    depth = w.edits.count()
    ui.click_at(ui.text.index("talks would"))
    ui.key(Qt.Key_S)
    press(qtbot, Qt.Key_Return)
    assert panel.editor.error.text() == "pick a target: press its number"
    press(qtbot, Qt.Key_3, Qt.Key_Return)
    assert panel.editor.error.text() == "pick a value: f FAVOR, a AGAINST, n NEUTRAL"
    assert panel.editor.isVisible() and db_stances(w) == [] and w.edits.count() == depth
    press(qtbot, Qt.Key_Escape)
    assert not panel.editor.isVisible() and w.article.hasFocus() and db_stances(w) == []


def test_scheme_dialog_rename_applies_to_records_and_undoes(ui, qtbot):
    w, panel = ui.window, ui.window.stance.panel
    tag_sentence(ui, qtbot, UMEROV_SAYS, Qt.Key_2, Qt.Key_F, at="talks would")
    edit_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Edit")
    assert w.stance.act_scheme in edit_menu.actions()
    w.stance.act_scheme.trigger()
    dialog = QApplication.activeModalWidget()
    assert dialog is w.stance.scheme_dialog and dialog.windowTitle() == "Stance targets and values"
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    names = [dialog.targets.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.targets.count())]
    dialog.targets.setCurrentRow(names.index(CEASE))
    dialog.target_name.selectAll()
    qtbot.keyClicks(dialog.target_name, "truce")
    qtbot.mouseClick(dialog.rename_target_button, Qt.LeftButton)
    assert [r[2] for r in db_stances(w)] == ["truce"]
    assert tree_rows(panel)[0] == "truce (1)"
    assert "truce" in dialog.status.text()
    qtbot.keyClick(dialog.targets, Qt.Key_Z, Qt.ControlModifier)  # undo from inside the (modal) dialog
    assert [r[2] for r in db_stances(w)] == [CEASE] and tree_rows(panel)[0] == f"{CEASE} (1)"
    dialog.close()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.article.setFocus()
    ui.key(Qt.Key_Z, Qt.ShiftModifier | Qt.ControlModifier)  # the window's redo: it is one history
    assert [r[2] for r in db_stances(w)] == ["truce"]
    with Corpus(w.db_path) as fresh:
        assert "truce" in fresh.stance_targets() and CEASE not in fresh.stance_targets()


def test_entity_edits_do_not_reload_the_stance_list(ui, qtbot):
    w, panel = ui.window, ui.window.stance.panel
    tag_sentence(ui, qtbot, UMEROV_SAYS, Qt.Key_1, Qt.Key_F, at="talks would")
    reloads = []
    panel.records_changed.connect(lambda: reloads.append(1))
    drawn = w.article.highlighter.blocks_drawn
    ui.key(Qt.Key_Tab)
    ui.key(Qt.Key_O)  # relabel the first entity
    ui.key(Qt.Key_Z, Qt.ControlModifier)
    assert reloads == []
    assert w.article.highlighter.blocks_drawn - drawn <= 2  # just the entity's block, twice
    # a stance edit redraws only the block of its evidence
    drawn = w.article.highlighter.blocks_drawn
    tag_sentence(ui, qtbot, ZELENSKY_SAYS, Qt.Key_2, Qt.Key_A, at="ending")
    # (three times: the open form's evidence mark comes and goes, then the stance's underline)
    assert reloads == [1] and w.article.highlighter.blocks_drawn - drawn <= 3


def test_label_scheme_refuses_the_stance_key(ui, qtbot):
    w = ui.window
    ui.key(Qt.Key_L, Qt.ControlModifier)
    dialog = w.label_dialog
    qtbot.waitExposed(dialog)
    dialog.select("PRODUCT")
    dialog.key.setText("s")
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    assert dialog.message.text() == "key S is reserved for the stance key (Shift+S: the article's stance); pick another"
    dialog.name.setText("TREATY")
    qtbot.mouseClick(dialog.add_button, Qt.LeftButton)
    assert "reserved" in dialog.message.text()
    with Corpus(w.db_path) as fresh:
        assert all(lb.key != "s" for lb in fresh.labels()) and "TREATY" not in [lb.name for lb in fresh.labels()]
    dialog.close()


def test_cheat_sheet_lists_the_stance_keys(ui):
    w = ui.window
    ui.key(Qt.Key_F1)
    text = w.cheat_sheet.all_text()
    assert "Stances\nTag a stance here\tS\nStance of the whole article\tShift+S" in text
    for row in ("Value FAVOR\tF", "Value AGAINST\tA", "Value NEUTRAL\tN", "Whole article: no evidence\tW"):
        assert row in text
    w.cheat_sheet.close()


def test_open_another_database_rebinds_the_panel(ui, qtbot, tmp_path):
    import shutil

    w = ui.window
    other = tmp_path / "other.db"
    shutil.copyfile(w.db_path, other)
    old_panel = w.stance.panel
    assert w.open_database(other)
    panel = w.stance.panel
    assert panel is not old_panel and panel.corpus is w.corpus and w.side.indexOf(panel) == 1
    assert panel.doc_id == w.doc_id
    w.article.setFocus()
    tag_sentence(ui, qtbot, UMEROV_SAYS, Qt.Key_1, Qt.Key_N, at="talks would")
    assert db_stances(w) == [("Rustem Umerov", True, PEACE, "NEUTRAL", UMEROV_SAYS, "")]
    assert w.db_path == other.resolve()


def test_opening_another_article_with_an_unfinished_stance_says_it_was_not_saved(ui, qtbot):
    w, panel = ui.window, ui.window.stance.panel
    tag_sentence(ui, qtbot, UMEROV_SAYS, Qt.Key_1)  # a target, no value yet
    assert panel.editor.isVisible()
    first = w.doc_id
    w.open_document(w.corpus.neighbour(first, 1))  # as a click in the document list does
    assert not panel.editor.isVisible()
    assert "was not saved" in w.notice.label.text() and w.notice.isVisible()
    assert db_stances(w, first) == []


def test_the_selected_record_frames_its_holder_and_draws_an_arc_to_the_evidence(ui, qtbot):
    from annotator.session.stances import plan_add_stance

    w, panel = ui.window, ui.window.stance.panel
    ev = ui.text.index(ZELENSKY_SAYS)
    holder = next(s for s in w.article.ordered_spans() if ui.text[s.start:s.end] == "Zelensky" and s.start > ev)
    assert w.run_edit(lambda: plan_add_stance(w.corpus, w.doc_id, CEASE, "AGAINST", holder_span_id=holder.id,
                                              ev_start=ev, ev_end=ev + len(ZELENSKY_SAYS))).ok
    assert w.run_edit(lambda: plan_add_stance(w.corpus, w.doc_id, PEACE, "NEUTRAL")).ok  # the article's own stance
    click_record(qtbot, panel, "Zelensky")
    link = w.article.link()
    assert link is not None and link[0] == (holder.start, holder.end) and link[1] == (ev, ev + len(ZELENSKY_SAYS))
    assert link[2].name() == VALUE_COLOURS["AGAINST"]
    frames, arc = w.article.link_geometry()
    assert frames == w.article.span_rects(holder.start, holder.end) and not arc.isEmpty()
    first_line = w.article.span_rects(ev, ev + len(ZELENSKY_SAYS))[0]
    assert abs(arc.currentPosition().x() - (first_line.left() + 4)) < 1  # it ends at the evidence's start
    assert arc.boundingRect().top() < min(frames[0].top(), first_line.top())  # an arc above the text
    click_record(qtbot, panel, "the article")  # a stance with no evidence: no link
    assert w.article.link() is None
