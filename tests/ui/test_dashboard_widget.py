"""The dashboard driven like a user: its numbers equal counts over the database, clicking a
matrix cell or a timeline bar lists the records behind it, Enter asks for the article at the
evidence, filters change the numbers, charts save as PNG and SVG."""

from __future__ import annotations

import csv

import pytest
from PySide6.QtCharts import QStackedBarSeries
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from annotator.session.corpus import Corpus
from annotator.session.metadata import plan_set_metadata
from annotator.session.stances import plan_add_stance
from annotator.ui.dashboard import Dashboard

STANCES = [
    (1, "Zelensky", "ceasefire", "FAVOR", (0, 40)),
    (1, "Putin", "ceasefire", "AGAINST", (41, 80)),
    (2, "Zelensky", "ceasefire", "FAVOR", None),
    (2, "zelensky", "security guarantees", "NEUTRAL", (0, 30)),
    (3, "Putin", "ceasefire", "AGAINST", None),
    (4, "", "ceasefire", "NEUTRAL", None),
]


@pytest.fixture
def corpus(seeded_db):
    c = Corpus(seeded_db)
    c.apply(plan_set_metadata(c, 1, published="2024-01-20", outlet="BBC News"))
    c.apply(plan_set_metadata(c, 3, published="2024-02-03", outlet="BBC News"))
    for doc, holder, target, value, ev in STANCES:
        c.apply(plan_add_stance(c, doc, target, value, holder_text=holder, ev_start=ev and ev[0], ev_end=ev and ev[1]))
    c.apply(c.plan_set_status(2, "accepted"))
    yield c
    c.close()


@pytest.fixture
def dash(qtbot, corpus):
    d = Dashboard(corpus)
    qtbot.addWidget(d)
    d.resize(1024, 640)
    d.show()
    qtbot.waitExposed(d)
    return d


def sql(corpus, query, args=()):
    return corpus.db.execute(query, args).fetchone()[0]


def shown_cells(d: Dashboard) -> dict[tuple[str, str], str]:
    model = d.matrix_model
    return {(model.m.holders[r], model.m.targets[c]): model.data(model.index(r, c))
            for r in range(model.rowCount()) for c in range(model.columnCount())}


def test_the_matrix_shows_the_counts_of_the_database_and_a_click_lists_the_records(dash, corpus, qtbot):
    cells = shown_cells(dash)
    assert cells[("Zelensky", "ceasefire")] == "2 · 0 · 0"  # FAVOR · AGAINST · NEUTRAL
    assert cells[("Putin", "ceasefire")] == "0 · 2 · 0"
    assert cells[("the article", "ceasefire")] == "0 · 0 · 1"
    assert cells[("Zelensky", "security guarantees")] == "0 · 0 · 1"  # "zelensky" is the same holder
    assert "6 stances" in dash.legend.text()
    assert dash.summary.text().startswith("5 documents: 1 accepted")

    model = dash.matrix_model
    index = model.index(model.m.holders.index("Putin"), model.m.targets.index("ceasefire"))
    QTest.mouseClick(dash.matrix.viewport(), Qt.LeftButton, pos=dash.matrix.visualRect(index).center())
    expected = sql(corpus, "SELECT count(*) FROM stances WHERE holder_text = 'Putin' AND target = 'ceasefire'")
    assert dash.records.rowCount() == expected == 2
    assert dash.records_label.text().startswith("2 stance records: Putin on ceasefire")
    assert {dash.records.item(r, 2).text() for r in range(2)} == {"Putin"}

    dash.records.setFocus()
    dash.records.setCurrentCell(0, 0)
    with qtbot.waitSignal(dash.evidence_requested) as signal:
        QTest.keyClick(dash.records, Qt.Key_Return)
    doc_id, start, end = signal.args
    assert (doc_id, start, end) in {(r[0], r[1], r[2]) for r in corpus.db.execute(
        "SELECT doc_id, ev_start, ev_end FROM stances WHERE holder_text = 'Putin'")}


def test_a_filter_changes_every_number(dash, corpus, qtbot):
    dash.outlet.setCurrentIndex(dash.outlet.findData("BBC News"))
    cells = shown_cells(dash)
    assert cells == {("Putin", "ceasefire"): "0 · 2 · 0", ("Zelensky", "ceasefire"): "1 · 0 · 0"}
    assert dash.summary.text().startswith("2 documents (filtered)")

    qtbot.keyClicks(dash.date_from, "2024-02-01")
    QTest.keyClick(dash.date_from, Qt.Key_Return)
    assert shown_cells(dash) == {("Putin", "ceasefire"): "0 · 1 · 0"}  # 20 January is out; 3 February in

    dash.date_to.setText("")
    qtbot.keyClicks(dash.date_to, "sometime")
    QTest.keyClick(dash.date_to, Qt.Key_Return)
    assert "'sometime' is not a date" in dash.summary.text()
    assert shown_cells(dash) == {("Putin", "ceasefire"): "0 · 1 · 0"}  # unchanged

    dash.outlet.setCurrentIndex(0)
    dash.status.setCurrentIndex(dash.status.findData("accepted"))
    dash.date_from.clear()
    dash.date_to.clear()
    n = sql(corpus, "SELECT count(*) FROM stances s JOIN documents d ON d.id = s.doc_id WHERE d.status = 'accepted'")
    assert sum(sum(int(x) for x in v.split(" · ")) for v in shown_cells(dash).values() if v) == n == 2


def test_the_timeline_has_a_no_date_bucket_and_a_bar_lists_its_records(dash, corpus, qtbot):
    dash.tabs.setCurrentIndex(1)
    chart = dash.timeline_view.chart()
    (series,) = [s for s in chart.series() if isinstance(s, QStackedBarSeries)]
    axis = chart.axes(Qt.Horizontal)[0]
    buckets = axis.categories()
    assert buckets[-1] == "no date" and buckets[0] == "2024-01-01" and buckets[-2] == "2024-01-29"
    total = sum(s.at(i) for s in series.barSets() for i in range(s.count()))
    assert total == sql(corpus, "SELECT count(*) FROM stances")
    undated = sql(corpus, "SELECT count(*) FROM stances s JOIN documents d ON d.id = s.doc_id WHERE d.published IS NULL")
    no_date = len(buckets) - 1
    assert sum(s.at(no_date) for s in series.barSets()) == undated == 1  # the article's stance on document 4

    neutral = next(s for s in series.barSets() if s.label() == "NEUTRAL")
    assert neutral.at(no_date) == 1
    # click the "no date" bar (NEUTRAL, the lowest set with a count there), where the chart draws it
    point = chart.mapToPosition(QPointF(no_date, 0.5), series)
    pos = dash.timeline_view.mapFromScene(chart.mapToScene(point))
    QTest.mouseClick(dash.timeline_view.viewport(), Qt.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: dash.records.rowCount() == 1)
    assert dash.records_label.text().startswith("1 stance record: NEUTRAL, no date")
    assert dash.records.item(0, 0).text() == "no date"

    dash.by.setCurrentIndex(dash.by.findData("holder"))
    dash.group.setCurrentIndex(dash.group.findData("Putin"))
    chart = dash.timeline_view.chart()
    (series,) = [s for s in chart.series() if isinstance(s, QStackedBarSeries)]
    assert sum(s.at(i) for s in series.barSets() for i in range(s.count())) == 2
    assert "holder Putin" in chart.title()


def test_progress_and_entities_tabs_equal_the_database(dash, corpus):
    dash.tabs.setCurrentIndex(2)
    assert dash.status_view.chart().title() == "1 of 5 accepted, 4 left"
    dash.tabs.setCurrentIndex(3)
    bars = dash.entities_view.chart().series()[0].barSets()[0]
    assert sum(bars.at(i) for i in range(bars.count())) == sql(corpus, "SELECT count(*) FROM spans")


def test_an_edit_elsewhere_updates_the_numbers(dash, corpus):
    corpus.subscribe(dash.corpus_changed)
    corpus.apply(plan_add_stance(corpus, 5, "ceasefire", "FAVOR", holder_text="Zelensky"))
    assert shown_cells(dash)[("Zelensky", "ceasefire")] == "3 · 0 · 0"


def test_charts_save_as_png_and_svg_and_the_records_as_a_table(dash, corpus, tmp_path):
    for tab in range(4):
        dash.tabs.setCurrentIndex(tab)
        png, svg = dash.save_chart(tmp_path / f"c{tab}.png"), dash.save_chart(tmp_path / f"c{tab}.svg")
        image = QImage(str(png))
        assert not image.isNull() and image.width() > 200
        assert "<svg" in svg.read_text(encoding="utf-8")
    dash.outlet.setCurrentIndex(dash.outlet.findData("BBC News"))
    result = dash.save_table(tmp_path / "s.csv")
    with open(tmp_path / "s.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert result.rows == len(rows) == 3 and {r["outlet"] for r in rows} == {"BBC News"}
    result = dash.save_table(tmp_path / "d.jsonl", "documents")
    assert result.rows == 2 == sql(corpus, "SELECT count(*) FROM documents WHERE outlet = 'BBC News'")


def test_names_from_the_corpus_are_shown_literally_never_as_rich_text(dash, corpus):
    corpus.apply(plan_add_stance(corpus, 5, "ceasefire", "FAVOR", holder_text="<b>Shoigu</b>"))
    dash.corpus_changed()
    assert ("<b>Shoigu</b>", "ceasefire") in shown_cells(dash)
    dash.tabs.setCurrentIndex(1)
    dash.by.setCurrentIndex(dash.by.findData("holder"))
    dash.group.setCurrentIndex(dash.group.findData("<b>Shoigu</b>"))
    assert "&lt;b&gt;Shoigu&lt;/b&gt;" in dash.timeline_view.chart().title()
    dash._timeline_clicked(len(dash._timeline.buckets) - 1, "FAVOR")
    assert dash.records_label.textFormat() == Qt.PlainText and "<b>Shoigu</b>" in dash.records_label.text()
