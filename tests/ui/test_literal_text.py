"""Untrusted article text is shown literally, and offsets stay right after astral characters."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.records import Record
from annotator.session import Corpus
from annotator.session.importer import store_records

TEXT = (
    "<b>bold</b> claims, <img src=x> &amp; &lt;script&gt; 👍🏽 Kyiv replied.\n"
    "Second line 😀🇺🇦 with Zelensky and <i>NATO</i> in <a href='x'>Brussels</a> and Odesa\n"
    "\u202eRTL\u202c and e\u0301 combining, then Moscow."
)


def hostile_db(tmp_path):
    path = tmp_path / "hostile.db"
    spans = [(TEXT.index("Kyiv"), TEXT.index("Kyiv") + 4, "GPE"), (TEXT.index("Zelensky"), TEXT.index("Zelensky") + 8, "PERSON"),
             (TEXT.index("Odesa"), TEXT.index("Odesa") + 5, "GPE")]  # the last word of a line after emoji
    with Corpus(path) as corpus:
        store_records(corpus, [Record(TEXT, "hostile", spans=spans, source="x.jsonl", line=1)])
    return path, spans


def test_html_and_emoji_are_shown_literally_with_entities_at_the_right_characters(tmp_path, open_window, drive):
    path, spans = hostile_db(tmp_path)
    w = open_window(path)
    ui = drive(w)
    pieces = ui.pieces
    assert w.article.toPlainText() == TEXT
    assert w.article.document().blockCount() == 3  # no markup was interpreted
    assert ui.shown() == pieces(TEXT, spans)
    assert [r[0] for r in w.entities.rows()] == ["Kyiv", "Zelensky", "Odesa"]
    # select "NATO" (after two astral characters on its line) and label it ORG: the tokenizer keeps
    # "NATO</i" as one token, so snapping takes it whole; Shift+O takes exactly the selection
    nato = TEXT.index("NATO")
    ui.select(nato, nato + 4)
    ui.key(Qt.Key_O)
    assert (nato, nato + len("NATO</i"), "ORG") in ui.db_spans()
    ui.key(Qt.Key_Z, Qt.ControlModifier)
    ui.select(nato, nato + 4)
    ui.key(Qt.Key_O, Qt.ShiftModifier)
    brussels = TEXT.index("Brussels")
    ui.select(brussels, brussels + 8)
    ui.key(Qt.Key_G, Qt.ShiftModifier)
    moscow = TEXT.index("Moscow")
    ui.select(moscow + 1, moscow + 3)  # after RTL marks and a combining accent: snaps to "Moscow"
    ui.key(Qt.Key_G)
    expected = sorted(spans + [(nato, nato + 4, "ORG"), (brussels, brussels + 8, "GPE"), (moscow, moscow + 6, "GPE")])
    assert ui.db_spans() == expected
    assert ui.shown() == pieces(TEXT, expected)
    assert [TEXT[s:e] for s, e, _ in ui.db_spans()] == ["Kyiv", "Zelensky", "NATO", "Brussels", "Odesa", "Moscow"]
    # the entity after the emoji can be resized by tokens too
    ui.click_at(TEXT.index("Kyiv") + 1)
    ui.key(Qt.Key_Right, Qt.AltModifier)
    assert (TEXT.index("Kyiv"), TEXT.index("Kyiv replied") + len("Kyiv replied"), "GPE") in ui.db_spans()


def test_marks_are_drawn_over_entities_without_hiding_their_colours(tmp_path, open_window, drive):
    from PySide6.QtGui import QTextCharFormat

    path, spans = hostile_db(tmp_path)
    w = open_window(path)
    kyiv = TEXT.index("Kyiv")
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.SingleUnderline)
    w.article.set_marks("evidence", [(kyiv - 3, kyiv + len("Kyiv replied"))], fmt)  # from the emoji into the entity and on
    block = w.article.document().begin()
    omap = w.article.omap
    by_pos = {}
    for r in block.layout().formats():
        f = QTextCharFormat(r.format)  # a copy: the range object is a temporary
        for q in range(r.start, r.start + r.length):
            by_pos[q] = f
    underlined = sorted(omap.to_py(q) for q, f in by_pos.items() if f.fontUnderline())
    assert underlined[0] == kyiv - 3 and underlined[-1] == kyiv + len("Kyiv replied") - 1
    inside = by_pos[omap.to_qt(kyiv + 1)]
    assert inside.fontUnderline() and inside.background().color() == w.article.entity_colour("GPE")
    assert drive(w).shown() == drive(w).pieces(TEXT, spans)  # the entities are still drawn as before
    w.article.set_marks("evidence", [], None)
    assert not any(r.format.fontUnderline() for r in w.article.document().begin().layout().formats())


def test_labels_titles_and_entity_text_with_markup_show_literally_in_labels_and_tooltips(tmp_path, open_window, drive):
    """No rich text anywhere: the status bar's position label, tooltips of the lists, the legend and the article."""
    from PySide6 import QtGui
    from PySide6.QtGui import QTextDocumentFragment

    from annotator.ui.entity_list import TOOLTIP

    path = tmp_path / "markup.db"
    text = "Talks: <img src=x> met <b>Kyiv</b> today."
    start = text.index("<b>Kyiv</b>")
    with Corpus(path) as corpus:
        store_records(corpus, [Record(text, "<i>title</i>", spans=[(start, start + 11, "<b>BOLD</b>")], source="m.jsonl", line=1)])
    w = open_window(path)
    ui = drive(w)
    ui.key(Qt.Key_Tab)

    def shown(tip: str) -> str:
        return QTextDocumentFragment.fromHtml(tip).toPlainText() if QtGui.Qt.mightBeRichText(tip) else tip

    assert w.position_label.textFormat() == Qt.PlainText
    assert "<b>BOLD</b> “<b>Kyiv</b>”" in w.position_label.text()
    entity_tip = w.entities.model_.data(w.entities.model_.index(0, 0), TOOLTIP)
    assert shown(entity_tip).startswith("<b>BOLD</b> [")
    doc_tip = w.docs.model.data(w.docs.model.index(0, 0), Qt.ToolTipRole)
    assert shown(doc_tip) == "#1  <i>title</i>"
    chip = w.legend.chips["<b>BOLD</b>"]
    assert shown(chip.toolTip()).startswith("<b>BOLD</b>: select text")
    fmt = w.article.highlighter.format_for("<b>BOLD</b>")
    assert shown(fmt.toolTip()) == "<b>BOLD</b>"
