"""The dashboard, the metadata panel and the list's metadata filter in the real window, by keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.session.metadata import document_metadata
from annotator.session.stances import plan_add_stance


def menu_action(window, menu: str, text: str):
    return next(a for a in window.menu(menu).actions() if a.text().replace("&", "") == text)


def test_the_metadata_panel_edits_by_keys_and_undo_reverts(window, qtbot):
    window.open_document(2)  # the MENAFN seed: its date and outlet were found in the text
    panel = window.dashboard.panel
    QTest.keyClick(window, Qt.Key_5, Qt.ControlModifier)
    assert window.side.currentWidget() is panel
    assert panel.edits["published"].text() == "2024-01-02" and panel.sources["published"].text() == "found in the text"
    url = panel.edits["url"]
    url.setFocus()
    qtbot.keyClicks(url, "https://menafn.com/article/1")
    QTest.keyClick(url, Qt.Key_Return)
    meta = document_metadata(window.corpus, 2)
    assert meta.url == "https://menafn.com/article/1" and meta.source("url") == "typed"
    assert panel.sources["url"].text() == "typed"

    published = panel.edits["published"]
    published.selectAll()
    qtbot.keyClicks(published, "02/01/2024")  # 2 January or 1 February: refused
    QTest.keyClick(published, Qt.Key_Return)
    assert "is not a date" in window.notice.label.text()
    assert document_metadata(window.corpus, 2).published == "2024-01-02"

    window.article.setFocus()
    QTest.keyClick(window.article, Qt.Key_Z, Qt.ControlModifier)
    assert document_metadata(window.corpus, 2).url is None
    assert panel.edits["url"].text() == "" and panel.sources["url"].text() == "unknown"


def test_the_list_filters_by_outlet_and_publication_date(window, qtbot):
    docs = window.docs
    assert docs.outlet_box.itemText(1).startswith("MENAFN (1)")
    docs.outlet_box.setCurrentIndex(docs.outlet_box.findData("MENAFN"))
    assert docs.model.rowCount() == 1 and docs.model.row(0).id == 2
    docs.outlet_box.setCurrentIndex(0)
    docs.published_box.setFocus()
    qtbot.keyClicks(docs.published_box, "none")
    QTest.keyClick(docs.published_box, Qt.Key_Return)
    assert docs.model.rowCount() == 4 and 2 not in [docs.model.row(i).id for i in range(4)]
    docs.published_box.clear()
    qtbot.keyClicks(docs.published_box, "2024-01-01..2024-01-31")
    QTest.keyClick(docs.published_box, Qt.Key_Return)
    assert [docs.model.row(i).id for i in range(docs.model.rowCount())] == [2]
    docs.published_box.clear()
    qtbot.keyClicks(docs.published_box, "last week")
    QTest.keyClick(docs.published_box, Qt.Key_Return)
    assert "'last week' is not a date" in window.notice.label.text()
    docs.published_box.clear()  # the clear button: every document again
    assert docs.model.rowCount() == 5


def test_view_dashboard_lists_records_and_opens_the_article_at_the_evidence(window, qtbot):
    c = window.corpus
    text = c.document(3).text
    start = text.index("Russian attacks cut off")
    window.run_edit(lambda: plan_add_stance(c, 3, "ceasefire", "AGAINST", holder_text="Putin", ev_start=start, ev_end=start + 40))
    window.run_edit(lambda: plan_add_stance(c, 1, "ceasefire", "FAVOR", holder_text="Zelensky"))
    window.open_document(1)
    menu_action(window, "&View", "Dashboard").trigger()
    dash = window.dashboard.dashboard
    qtbot.waitExposed(dash)
    model = dash.matrix_model
    assert model.m.holders == ["Putin", "Zelensky"] and model.m.total == 2
    index = model.index(0, model.m.targets.index("ceasefire"))
    QTest.mouseClick(dash.matrix.viewport(), Qt.LeftButton, pos=dash.matrix.visualRect(index).center())
    assert dash.records.rowCount() == 1
    dash.records.setFocus()
    dash.records.setCurrentCell(0, 0)
    QTest.keyClick(dash.records, Qt.Key_Return)
    assert window.doc_id == 3
    assert window.corpus.document(1).status != "accepted"  # Enter in the dashboard is not the window's "accept"
    sel = window.article.selection()
    assert sel is not None and sel[0] <= start and sel[1] >= start + 30  # the evidence, grown to whole tokens

    # an edit in the window shows in the dashboard
    window.run_edit(lambda: plan_add_stance(c, 3, "ceasefire", "AGAINST", holder_text="Lavrov"))
    assert "Lavrov" in dash.matrix_model.m.holders
