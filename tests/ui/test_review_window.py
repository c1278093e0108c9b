"""The review view driven from the keyboard: differences marked and listed, settled by keys, accepted as gold."""

import pytest
from multi_team import TEXTS, annotate, team
from PySide6.QtCore import Qt

from annotator.session.corpus import Corpus
from annotator.session.review import build_review

T0 = TEXTS[0]  # "Zelensky met Trump in Davos on Monday."
ALICE = [("Zelensky", "PERSON"), ("Trump", "PERSON"), ("Davos", "GPE"), ("Monday", "DATE")]
BOB = [("Zelensky", "PERSON"), ("Trump", "ORG"), ("Davos on", "GPE")]


@pytest.fixture
def review_db(tmp_path):
    paths = team(tmp_path, texts=[T0, TEXTS[2]], overlap=2)
    annotate(paths["alice"], "alice", {T0: ALICE, TEXTS[2]: [("Kyiv", "GPE")]}, {T0: [{"target": "ceasefire", "value": "FAVOR"}]})
    annotate(paths["bob"], "bob", {T0: BOB, TEXTS[2]: [("Kyiv", "GPE")]}, {T0: [{"target": "ceasefire", "value": "AGAINST"}]})
    build_review([paths["alice"], paths["bob"]], tmp_path / "review.db", reviewer="rita")
    return tmp_path / "review.db"


def _open_t0(window):
    with Corpus(window.db_path, read_only=True) as c:
        doc_id = next(r.id for r in c.document_rows() if c.document(r.id).text == T0)
    window.open_document(doc_id)
    return doc_id


def _rows(window):
    table = window.review.panel.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_keys_settle_every_difference_and_accept_makes_adjudicated_gold(open_window, drive, review_db):
    window = open_window(review_db)
    ui = drive(window)
    doc_id = _open_t0(window)
    panel = window.review.panel
    assert window.side.currentWidget() is panel and window.side.tabText(window.side.indexOf(panel)) == "Review (4)"
    header = [panel.table.horizontalHeaderItem(c).text() for c in range(panel.table.columnCount())]
    assert header == ["Differs", "1 alice", "2 bob", "Settled"]  # the versions side by side
    rows = _rows(window)
    assert rows[0] == ["label", "PERSON “Trump”", "ORG “Trump”", "open"]
    assert rows[1] == ["boundary", "GPE “Davos”", "GPE “Davos on”", "open"]
    assert rows[2] == ["only alice", "DATE “Monday”", "—", "open"]
    assert rows[3] == ["stance: value", "ceasefire: FAVOR (the article)", "ceasefire: AGAINST (the article)", "open"]
    # what they agree on shows as usual; each open difference is marked in the article
    assert ui.shown() == [(0, 8, "PERSON")]
    marks, _fmt = window.article._marks["review:open"]
    assert marks == [(13, 18), (22, 30), (31, 37)]
    window.article.setFocus()
    assert panel.current_key() == window.review.items[0].key  # the first open difference is current on opening
    ui.key(Qt.Key_1)  # take alice's Trump
    assert ui.db_spans() == [(0, 8, "PERSON"), (13, 18, "PERSON")]
    assert panel.current_key() == window.review.items[1].key  # on to the next open difference
    ui.key(Qt.Key_Equal)  # take both: Davos and "Davos on" overlap: refused, nothing written
    assert "overlap" in window.notice.label.text()
    ui.key(Qt.Key_2)  # take bob's "Davos on"
    ui.key(Qt.Key_Minus)  # reject Monday
    ui.key(Qt.Key_A, Qt.ControlModifier | Qt.ShiftModifier)  # accept: refused, the stance is still open
    assert ui.db_status(doc_id) != "accepted" and "1 difference still open" in window.notice.label.text()
    ui.key(Qt.Key_BracketLeft)  # back one difference, then forward again
    assert panel.current_key() == window.review.items[2].key
    ui.key(Qt.Key_BracketRight)
    ui.key(Qt.Key_2)  # bob's stance
    ui.key(Qt.Key_Z, Qt.ControlModifier)  # undo the last decision ...
    assert window.review.items[3].open
    ui.key(Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)  # ... and redo it
    assert not window.review.items[3].open
    assert [r[-1] for r in _rows(window)] == ["took alice", "took bob", "rejected", "took bob"]
    assert "review:open" not in window.article._marks
    ui.key(Qt.Key_A, Qt.ControlModifier | Qt.ShiftModifier)  # accept and open the next article
    with Corpus(review_db, read_only=True) as c:
        assert c.document(doc_id).status == "accepted"
        gold = sorted((T0[s.start:s.end], s.label, s.origin) for s in c.spans(doc_id))
        assert gold == [("Davos on", "GPE", "adjudicated"), ("Trump", "PERSON", "adjudicated"), ("Zelensky", "PERSON", "adjudicated")]
        [st] = c.stances(doc_id)
        assert (st.value, st.annotator) == ("AGAINST", "bob")
        assert c.history(doc_id, 1)[0]["action"] == "accept adjudicated: 1 agreed, reject 1, take alice 1, take bob 2"
    assert window.doc_id != doc_id and window.review.items == []  # the other article: they agreed on all of it


def test_take_all_agreed_and_by_hand_from_the_keyboard(open_window, drive, review_db):
    window = open_window(review_db)
    ui = drive(window)
    _open_t0(window)
    ui.click_at(0)
    ui.key(Qt.Key_Delete)  # the reviewer removes an agreed entity by mistake
    assert ui.db_spans() == []
    ui.key(Qt.Key_Asterisk)  # take all agreed puts it back
    assert ui.db_spans() == [(0, 8, "PERSON")]
    window.article.setFocus()
    assert window.review._item().kind == "different labels"  # the first open difference again: Trump
    ui.key(Qt.Key_BracketRight)  # Davos / "Davos on"
    assert window.review._item().kind == "overlapping boundaries"
    ui.key(Qt.Key_H, Qt.ControlModifier | Qt.ShiftModifier)  # by hand: the place is selected, label it as usual
    assert window.article.selection() == (22, 30)
    ui.key(Qt.Key_L)  # LOC
    assert (22, 30, "LOC") in ui.db_spans()
    assert _rows(window)[1][-1] == "by hand"


def test_review_panel_is_only_there_for_review_corpora(window):
    assert window.review.panel is None
    tabs = [window.side.tabText(i) for i in range(window.side.count())]
    assert "Review" not in tabs and tabs[:2] == ["Entities", "Stances"]  # entities, stances, metadata, names, actors
    assert not window.review.menu.menuAction().isVisible()


def test_review_keys_are_reserved_from_label_keys():
    from annotator.ui.shortcuts import reserved_key_message

    assert "analyst 1" in reserved_key_message("1")
    assert "next difference" in reserved_key_message("]")
    assert reserved_key_message("q") is None


def test_the_current_difference_is_written_out_in_full_when_the_panel_is_narrow(open_window, drive, review_db):
    # at 200 % or 1024x640 the analyst columns shrink to "…": the versions are also written out, wrapped
    window = open_window(review_db)
    ui = drive(window)
    _open_t0(window)
    panel = window.review.panel
    window.side.setMaximumWidth(260)
    window.article.setFocus()
    detail = panel.findChild(type(panel.header), "review_detail")
    assert detail is not None and detail.isVisible()
    assert detail.text().splitlines() == ["different labels · open", "1 alice: PERSON “Trump”", "2 bob: ORG “Trump”"]
    ui.key(Qt.Key_BracketRight)  # next difference: the text follows
    assert detail.text().splitlines() == ["overlapping boundaries · open", "1 alice: GPE “Davos”", "2 bob: GPE “Davos on”"]
    ui.key(Qt.Key_1)  # take alice's: the next open difference is shown
    assert detail.text().splitlines()[0] == "only in alice · open"
