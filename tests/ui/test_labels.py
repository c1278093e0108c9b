"""Edit ▸ Label scheme…: rename (every entity follows, undoably), recolour, re-key, hide, add."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from annotator.core.scheme import DEFAULT_LABELS
from annotator.session import Corpus

ORG_COLOUR = next(lb.color for lb in DEFAULT_LABELS if lb.name == "ORG")


def db_labels(path):
    with Corpus(path) as fresh:
        return {lb.name: lb for lb in fresh.labels()}


def open_scheme(ui, qtbot):
    ui.key(Qt.Key_L, Qt.ControlModifier)
    dialog = ui.window.label_dialog
    qtbot.waitExposed(dialog)
    return dialog


def retype(qtbot, field, text):
    field.setFocus()
    qtbot.keyClick(field, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(field, text) if text else qtbot.keyClick(field, Qt.Key_Delete)


def test_rename_a_label_renames_every_entity_and_undo_restores(ui, qtbot):
    w = ui.window
    persons = [s for s in ui.db_spans() if s[2] == "PERSON"]
    assert persons
    dialog = open_scheme(ui, qtbot)
    dialog.select("PERSON")
    retype(qtbot, dialog.name, "PER")
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    assert "PER" in db_labels(w.db_path) and "PERSON" not in db_labels(w.db_path)
    assert [s for s in ui.db_spans() if s[2] == "PER"] == [(a, b, "PER") for a, b, _ in persons]
    with Corpus(w.db_path) as fresh:  # every document, not only the open one
        assert fresh.db.execute("SELECT count(*) FROM spans WHERE label = 'PERSON'").fetchone()[0] == 0
    assert ui.shown() == ui.expected_shown()
    assert "PER" in w.legend.chips and "PERSON" not in w.legend.chips
    assert any(r[1] == "PER" for r in w.entities.rows())
    assert dialog.selected_name() == "PER"
    # the label key still works under the new name
    ui.select(ui.text.index("negotiator"), ui.text.index("negotiator") + 4)
    ui.key(Qt.Key_P)
    assert (ui.text.index("negotiator"), ui.text.index("negotiator") + 10, "PER") in ui.db_spans()
    ui.key(Qt.Key_Z, Qt.ControlModifier)
    ui.key(Qt.Key_Z, Qt.ControlModifier)
    assert "PERSON" in db_labels(w.db_path)
    assert [s for s in ui.db_spans() if s[2] == "PERSON"] == persons
    assert ui.shown() == ui.expected_shown() and "PERSON" in w.legend.chips


def test_recolour_rekey_and_hide_in_one_apply_is_one_undo_step(ui, qtbot):
    w = ui.window
    dialog = open_scheme(ui, qtbot)
    dialog.select("ORG")
    retype(qtbot, dialog.colour, "#123456")
    retype(qtbot, dialog.key, "k")
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    org = db_labels(w.db_path)["ORG"]
    assert (org.color, org.key) == ("#123456", "k")
    # the article draws ORG in the new colour, text readable on it
    fmt = w.article.highlighter.format_for("ORG")
    assert fmt.background().color() == QColor("#123456") and fmt.foreground().color() == QColor("#ffffff")
    assert w.legend.chips["ORG"].text() == "ORG  K"
    ui.key(Qt.Key_Tab)
    ui.key(Qt.Key_K)  # the new key relabels
    first = w.article.ordered_spans()[0]
    assert first.label == "ORG" and (first.start, first.end, "ORG") in ui.db_spans()
    # a key that is taken is refused with a message
    dialog.select("GPE")
    retype(qtbot, dialog.key, "p")
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    assert "already used by PERSON" in dialog.message.text()
    assert db_labels(w.db_path)["GPE"].key == "g"
    # hide: gone from the palette and the keys, its entities drawn grey
    dialog.select("CARDINAL")
    dialog.hidden.setChecked(True)
    qtbot.mouseClick(dialog.apply_button, Qt.LeftButton)
    assert db_labels(w.db_path)["CARDINAL"].hidden
    assert "CARDINAL" not in w.legend.chips
    assert "CARDINAL" not in [a.text() for a in w.label_menu.actions()]
    # undo: one step per apply
    w.edits.undo()
    assert not db_labels(w.db_path)["CARDINAL"].hidden
    w.edits.undo()  # the ORG relabel
    w.edits.undo()  # colour and key together
    assert db_labels(w.db_path)["ORG"].color == ORG_COLOUR and db_labels(w.db_path)["ORG"].key == "o"


def test_add_a_label_and_use_it(ui, qtbot):
    w = ui.window
    dialog = open_scheme(ui, qtbot)
    retype(qtbot, dialog.name, "TREATY")
    retype(qtbot, dialog.colour, "#ffcc00")
    retype(qtbot, dialog.key, "y")
    dialog.hidden.setChecked(False)
    qtbot.mouseClick(dialog.add_button, Qt.LeftButton)
    assert db_labels(w.db_path)["TREATY"].key == "y"
    assert "TREATY" in w.legend.chips
    start = ui.text.index("peace deal")
    ui.select(start, start + 10)
    ui.key(Qt.Key_Y)
    assert (start, start + 10, "TREATY") in ui.db_spans()
    assert (start, start + 10, "TREATY") in ui.shown()
    # an existing name is refused
    retype(qtbot, dialog.name, "GPE")
    retype(qtbot, dialog.key, "")
    qtbot.mouseClick(dialog.add_button, Qt.LeftButton)
    assert "exists already" in dialog.message.text()


def test_entity_colours_stay_readable_in_light_and_dark_themes(window, qapp, qtbot):
    from annotator.ui.theme import contrast, is_dark

    for theme in ("dark", "light"):
        window.theme_actions[theme].trigger()
        assert is_dark(qapp.palette()) == (theme == "dark")
        qtbot.waitUntil(lambda t=theme: is_dark(window.article.palette()) == (t == "dark"))
        for lb in window.labels:
            fmt = window.article.highlighter.format_for(lb.name)
            bg, fg = fmt.background().color(), fmt.foreground().color()
            assert contrast(bg, fg) >= 4.5, (theme, lb.name, bg.name(), fg.name())
            if theme == "dark":  # dark backgrounds under light text, not pastel blocks
                assert fg.lightnessF() > 0.8 and bg.lightnessF() < 0.6
    window.theme_actions["system"].trigger()
