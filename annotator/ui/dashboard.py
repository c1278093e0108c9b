"""The dashboard: stance matrix, stance timeline, progress and entities, over filtered documents.

A widget over a Corpus that it only reads (numbers from annotator.session.dashboard, one SQL
GROUP BY each). Only the tab on show is computed, and again when the filter changes, so a
filter change costs one aggregate. Clicking a matrix cell or a timeline bar lists the stance
records behind it; activating a record emits `evidence_requested(doc_id, start, end)` (start
and end are None for a document-level stance), for the window to open the article there.
Each chart saves as PNG or SVG; the stance records of the filter save as a table.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import STATUSES
from annotator.session import dashboard as dsh
from annotator.session import tables
from annotator.session.corpus import Corpus
from annotator.session.doc_filter import NO_OUTLET, DocFilter
from annotator.session.metadata import date_span, outlets
from annotator.ui.plain import tip

VALUE_COLOURS = {"FAVOR": "#2e9d4f", "AGAINST": "#d64545", "NEUTRAL": "#8f96a3"}
OTHER_COLOURS = ["#3d7dd8", "#e0a030", "#9b59b6", "#16a2a2", "#c0608a"]
STATUS_COLOURS = {"accepted": "#2e9d4f", "in_progress": "#e0a030", "new": "#8f96a3", "skipped": "#c0608a"}
RECORDS_LIMIT = 500
TABS = ("matrix", "timeline", "progress", "entities")


def value_colour(value: str, values: list[str]) -> QColor:
    if value in VALUE_COLOURS:
        return QColor(VALUE_COLOURS[value])
    others = [v for v in values if v not in VALUE_COLOURS]
    return QColor(OTHER_COLOURS[others.index(value) % len(OTHER_COLOURS)] if value in others else "#888888")


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.Window).lightness() < 128


# ---- the matrix ------------------------------------------------------------------------------
class MatrixModel(QAbstractTableModel):
    """Holders down, targets across; a cell holds the value counts of (holder, target)."""

    def __init__(self) -> None:
        super().__init__()
        self.m = dsh.StanceMatrix()
        self.peak = 1

    def set_matrix(self, m: dsh.StanceMatrix) -> None:
        self.beginResetModel()
        self.m = m
        self.peak = max((c.total() for c in m.counts.values()), default=1) or 1
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.m.holders)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.m.targets)

    def counts(self, index: QModelIndex) -> Counter:
        return self.m.counts.get((self.m.holders[index.row()], self.m.targets[index.column()]), Counter())

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        counts = self.counts(index)
        if role == Qt.DisplayRole:
            return " · ".join(f"{counts.get(v, 0)}" for v in self.m.values) if counts else ""
        if role == Qt.ToolTipRole:
            holder, target = self.m.holders[index.row()], self.m.targets[index.column()]
            parts = ", ".join(f"{v} {counts.get(v, 0)}" for v in self.m.values)
            return tip(f"{holder} on {target}: {parts}" + ("\nclick to list the records" if counts else ""))
        if role == Qt.AccessibleTextRole:
            return ", ".join(f"{v} {counts.get(v, 0)}" for v in self.m.values)
        return None

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        if orientation == Qt.Horizontal:
            return self.m.targets[section]
        holder = self.m.holders[section]
        return f"{holder}  ({self.m.holder_total(holder)})"


class MatrixDelegate(QStyledItemDelegate):
    """A cell as a stacked bar (its length: the cell's share of the busiest cell) with the counts."""

    def paint(self, painter: QPainter, option, index: QModelIndex) -> None:
        model: MatrixModel = index.model()
        counts = model.counts(index)
        painter.save()
        if option.state & QStyle.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        if counts:
            r = option.rect.adjusted(4, 4, -4, -option.rect.height() // 2)
            width = max(2, int(r.width() * counts.total() / model.peak))
            x = r.left()
            for value in model.m.values:
                n = counts.get(value, 0)
                if n:
                    w = max(1, round(width * n / counts.total()))
                    painter.fillRect(QRect(x, r.top(), w, r.height()), value_colour(value, model.m.values))
                    x += w
            text_rect = option.rect.adjusted(4, option.rect.height() // 2, -4, 0)
            painter.setPen(option.palette.color(QPalette.HighlightedText if option.state & QStyle.State_Selected
                                                else QPalette.Text))
            painter.drawText(text_rect, Qt.AlignLeft | Qt.AlignVCenter, index.data())
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        return QSize(110, 2 * option.fontMetrics.height() + 8)


# ---- the widget ------------------------------------------------------------------------------
class Dashboard(QWidget):
    evidence_requested = Signal(int, object, object)  # doc_id, start or None, end or None
    refreshed = Signal(str)  # the tab whose numbers were just shown

    def __init__(self, corpus: Corpus, parent: QWidget | None = None):
        super().__init__(parent)
        self.corpus = corpus
        self.where = DocFilter()
        self._fresh: set[str] = set()  # tabs whose numbers match the filter and the corpus
        self.setWindowTitle("Dashboard")
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.PlainText)
        self.summary.setObjectName("dashboard-summary")
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.outlet = QComboBox()
        self.outlet.setAccessibleName("Outlet")
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        self.status.addItem("All statuses", None)
        for s in STATUSES:
            self.status.addItem(s.replace("_", " "), s)
        self.date_from, self.date_to = self._date_edit("From"), self._date_edit("To")
        self.by = QComboBox()
        self.by.setAccessibleName("Timeline by")
        self.by.addItem("by target", "target")
        self.by.addItem("by holder", "holder")
        self.group = QComboBox()
        self.group.setAccessibleName("Timeline of")
        self.group.setMinimumContentsLength(18)
        self.size = QComboBox()
        self.size.setAccessibleName("Bucket")
        for s in ("week", "day", "month"):
            self.size.addItem(f"per {s}", s)
        save_chart = QPushButton("Save chart…")
        save_chart.clicked.connect(self._ask_save_chart)
        save_table = QPushButton("Save table")
        save_table.setToolTip("The records of this filter, one row each, with the documents' metadata (CSV, JSON Lines, Parquet)")
        table_menu = QMenu(save_table)
        for kind in tables.KINDS[::-1]:  # stances first
            table_menu.addAction(f"{kind.capitalize()}…", lambda k=kind: self._ask_save_table(k))
        save_table.setMenu(table_menu)

        bar = QHBoxLayout()
        for label, w in (("Outlet", self.outlet), ("Status", self.status), ("From", self.date_from), ("To", self.date_to)):
            bar.addWidget(QLabel(label))
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(save_chart)
        bar.addWidget(save_table)

        self.matrix = QTableView()
        self.matrix.setObjectName("stance-matrix")
        self.matrix_model = MatrixModel()
        self.matrix.setModel(self.matrix_model)
        self.matrix.setItemDelegate(MatrixDelegate(self.matrix))
        self.matrix.setSelectionMode(QAbstractItemView.SingleSelection)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.matrix.horizontalHeader().setMinimumSectionSize(90)
        self.matrix.horizontalHeader().setTextElideMode(Qt.ElideRight)
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.matrix.verticalHeader().setDefaultSectionSize(2 * self.fontMetrics().height() + 8)
        self.matrix.clicked.connect(self._matrix_clicked)
        self.matrix.activated.connect(self._matrix_clicked)

        self.timeline_view = self._chart_view("timeline")
        timeline_box = QWidget()
        tl = QVBoxLayout(timeline_box)
        tl.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        for w in (self.by, self.group, self.size):
            row.addWidget(w)
        row.addStretch(1)
        tl.addLayout(row)
        tl.addWidget(self.timeline_view)

        self.status_view = self._chart_view("statuses")
        self.per_day_view = self._chart_view("accepted per day")
        progress_box = QWidget()
        pl = QHBoxLayout(progress_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.status_view, 2)
        pl.addWidget(self.per_day_view, 3)
        self.entities_view = self._chart_view("entities")

        self.legend = QLabel()
        self.legend.setTextFormat(Qt.RichText)
        self.legend.setObjectName("matrix-legend")
        matrix_box = QWidget()
        ml = QVBoxLayout(matrix_box)
        ml.setContentsMargins(0, 0, 0, 0)
        ml.addWidget(self.legend)
        ml.addWidget(self.matrix)
        self.tabs = QTabWidget()
        self.tabs.addTab(matrix_box, "Stance matrix")
        self.tabs.addTab(timeline_box, "Timeline")
        self.tabs.addTab(progress_box, "Progress")
        self.tabs.addTab(self.entities_view, "Entities")
        self.tabs.currentChanged.connect(lambda _i: self.refresh())

        self.records_label = QLabel("Click a cell of the matrix or a bar of the timeline to list its stance records.")
        self.records_label.setWordWrap(True)
        self.records_label.setTextFormat(Qt.PlainText)
        self.records = QTableWidget(0, 7)
        self.records.setObjectName("stance-records")
        self.records.setHorizontalHeaderLabels(["Published", "Outlet", "Holder", "Target", "Value", "Evidence", "Article"])
        self.records.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.records.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.records.verticalHeader().hide()
        self.records.horizontalHeader().setStretchLastSection(True)
        self.records.itemActivated.connect(self._record_activated)
        self.records.itemDoubleClicked.connect(self._record_activated)
        self.records.installEventFilter(self)
        records_box = QWidget()
        rl = QVBoxLayout(records_box)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.records_label)
        rl.addWidget(self.records)

        split = QSplitter(Qt.Vertical)
        split.addWidget(self.tabs)
        split.addWidget(records_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

        self._rows: list[dsh.StanceRow] = []
        self._timeline: dsh.Timeline | None = None
        self._fill_outlets()
        for combo in (self.outlet, self.status):
            combo.currentIndexChanged.connect(lambda _i: self._filter_edited())
        for edit in (self.date_from, self.date_to):
            edit.editingFinished.connect(self._filter_edited)
            edit.textChanged.connect(lambda text: text or self._filter_edited())  # the clear button
        self.by.currentIndexChanged.connect(lambda _i: self._timeline_changed())
        self.size.currentIndexChanged.connect(lambda _i: self._timeline_changed())
        self.group.currentIndexChanged.connect(lambda _i: self._draw_timeline())
        self.refresh()

    # ---- building ------------------------------------------------------------------------
    def _date_edit(self, name: str) -> QLineEdit:
        # typed, not a calendar: a calendar has no "any date", and analysts know the day they want
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText("any date")
        edit.setClearButtonEnabled(True)
        edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("2024-01-31") + 48)
        return edit

    def _chart_view(self, name: str) -> QChartView:
        view = QChartView()
        view.setObjectName(name)
        view.setRenderHint(QPainter.Antialiasing)
        view.setMinimumSize(240, 180)
        return view

    def _fill_outlets(self) -> None:
        self.outlet.blockSignals(True)
        self.outlet.clear()
        self.outlet.addItem("All outlets", None)
        for name, n in outlets(self.corpus):
            self.outlet.addItem(f"{name or '(unknown)'}  ({n:,})", NO_OUTLET if name is None else name)
        self.outlet.blockSignals(False)
        first, last = date_span(self.corpus)
        span = f"Publication dates in this corpus: {first} to {last}." if first else "No document has a publication date yet."
        for edit in (self.date_from, self.date_to):
            edit.setToolTip(f"YYYY-MM-DD (or 2 January 2024); empty: no limit. {span}")

    def _new_chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        chart.setTheme(QChart.ChartThemeDark if is_dark(self) else QChart.ChartThemeLight)
        chart.setBackgroundBrush(self.palette().color(QPalette.Base))
        chart.setAnimationOptions(QChart.NoAnimation)
        chart.legend().setAlignment(Qt.AlignBottom)
        return chart

    # ---- the filter ----------------------------------------------------------------------
    def filter_from_controls(self) -> DocFilter:
        outlet = self.outlet.currentData()
        status = self.status.currentData()
        return DocFilter(
            statuses=(status,) if status else (),
            outlets=(outlet,) if outlet is not None else (),
            date_from=self.date_from.text().strip() or None,
            date_to=self.date_to.text().strip() or None,
        )

    def _filter_edited(self) -> None:
        try:
            where = self.filter_from_controls()
        except AnnotatorError as exc:
            self.summary.setText(f"{exc} (the numbers shown are for the previous filter)")
            return
        if where != self.where:
            self.set_filter(where)

    def set_filter(self, where: DocFilter) -> None:
        """Show the numbers of these documents (the controls are not changed)."""
        self.where = where
        self._fresh.clear()
        self.refresh()

    def corpus_changed(self, *_args) -> None:
        """The corpus was edited: numbers are recomputed when next shown (now, for the tab on show)."""
        self._fresh.clear()
        if self.isVisible():
            self.refresh()

    # ---- computing and drawing -----------------------------------------------------------
    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def refresh(self) -> None:
        """Compute and draw the summary and the tab on show, if not done for this filter already."""
        tab = self.current_tab()
        if tab in self._fresh:
            return
        progress = dsh.progress(self.corpus, self.where)
        self._draw_summary(progress)
        if tab == "matrix":
            m = dsh.stance_matrix(self.corpus, self.where)
            self.matrix_model.set_matrix(m)
            self._draw_legend(m)
        elif tab == "timeline":
            self._timeline_changed()
        elif tab == "progress":
            self._draw_progress(progress)
        else:
            self._draw_entities(dsh.entities_by_label(self.corpus, self.where))
        self._fresh.add(tab)
        self.refreshed.emit(tab)

    def _draw_legend(self, m: dsh.StanceMatrix) -> None:
        # rich text for the colour keys; the names (the user's) escaped
        keys = " ".join(f'<span style="color:{value_colour(v, m.values).name()}">■</span> {escape(v)}' for v in m.values)
        self.legend.setText(f"{m.total:,} stances, holders by number of stances. Each cell counts {keys}, in that order; "
                            "click one to list its records.")

    def _draw_summary(self, p: dsh.Progress) -> None:
        scope = "" if self.where.empty else " (filtered)"
        self.summary.setText(
            f"{p.total:,} documents{scope}: {p.statuses['accepted']:,} accepted, {p.left:,} left "
            f"({p.statuses['new']:,} new, {p.statuses['in_progress']:,} in progress), {p.statuses['skipped']:,} skipped"
        )

    def _timeline_changed(self) -> None:
        """New numbers for the timeline; the target or holder chosen stays chosen if it still has stances."""
        by, size = self.by.currentData(), self.size.currentData()
        self._timeline = dsh.timeline(self.corpus, self.where, by=by, size=size)
        keep = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(f"all {'targets' if by == 'target' else 'holders'}", None)
        for g in self._timeline.groups:
            self.group.addItem(g, g)
        self.group.setCurrentIndex(max(self.group.findData(keep), 0) if keep is not None else 0)
        self.group.blockSignals(False)
        self._draw_timeline()

    def _draw_timeline(self) -> None:
        t = self._timeline
        if t is None:
            return
        group = self.group.currentData()
        what = f"{t.by} {group}" if group else f"all {t.by}s"
        chart = self._new_chart(escape(f"Stances per {t.size} of publication, {what}"))  # chart text is rich text
        series = QStackedBarSeries()
        for value, counts in t.series(group).items():
            s = QBarSet(escape(value))
            s.setColor(value_colour(value, t.values))
            s.append([float(n) for n in counts])
            s.clicked.connect(lambda i, v=value: self._timeline_clicked(i, v))
            series.append(s)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([escape(b) for b in t.buckets] or ["no stances"])
        axis_x.setLabelsAngle(-60 if len(t.buckets) > 12 else 0)
        chart.addAxis(axis_x, Qt.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        peak = max((sum(col) for col in zip(*t.series(group).values())), default=0)
        axis_y.setRange(0, max(peak, 1))
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_y, Qt.AlignLeft)
        series.attachAxis(axis_y)
        series.setBarWidth(0.9)
        self.timeline_view.setChart(chart)

    def _draw_progress(self, p: dsh.Progress) -> None:
        chart = self._new_chart(f"{p.statuses['accepted']:,} of {p.total:,} accepted, {p.left:,} left")
        pie = QPieSeries()
        pie.setHoleSize(0.45)
        for status in STATUSES:
            n = p.statuses[status]
            if n:
                sl = pie.append(f"{status.replace('_', ' ')} {n:,}", n)
                sl.setColor(QColor(STATUS_COLOURS[status]))
        chart.addSeries(pie)
        self.status_view.setChart(chart)

        chart = self._new_chart("Accepted per day")
        series = QBarSeries()
        s = QBarSet("accepted")
        s.setColor(QColor(STATUS_COLOURS["accepted"]))
        s.append([float(n) for _, n in p.accepted_per_day])
        series.append(s)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([d for d, _ in p.accepted_per_day] or ["none yet"])
        axis_x.setLabelsAngle(-60 if len(p.accepted_per_day) > 8 else 0)
        chart.addAxis(axis_x, Qt.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        axis_y.setRange(0, max((n for _, n in p.accepted_per_day), default=1))
        axis_y.applyNiceNumbers()
        chart.addAxis(axis_y, Qt.AlignLeft)
        series.attachAxis(axis_y)
        chart.legend().hide()
        self.per_day_view.setChart(chart)

    def _draw_entities(self, counts: list[tuple[str, int]]) -> None:
        total = sum(n for _, n in counts)
        chart = self._new_chart(f"{total:,} entities by label")
        series = QHorizontalBarSeries()
        s = QBarSet("entities")
        s.setColor(QColor("#3d7dd8"))
        shown = list(reversed(counts))  # the largest on top
        s.append([float(n) for _, n in shown])
        series.append(s)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QHorizontalBarSeries.LabelsOutsideEnd)
        s.setLabelColor(self.palette().color(QPalette.Text))
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([escape(label) for label, _ in shown] or ["none"])
        chart.addAxis(axis_y, Qt.AlignLeft)
        series.attachAxis(axis_y)
        axis_x = QValueAxis()
        axis_x.setLabelFormat("%d")
        axis_x.setRange(0, max((n for _, n in counts), default=1) * 1.08)  # room for the label past the longest bar
        axis_x.applyNiceNumbers()
        chart.addAxis(axis_x, Qt.AlignBottom)
        series.attachAxis(axis_x)
        chart.legend().hide()
        self.entities_view.setChart(chart)

    # ---- the records behind a number -----------------------------------------------------
    def _matrix_clicked(self, index: QModelIndex) -> None:
        m = self.matrix_model.m
        if not index.isValid():
            return
        holder, target = m.holders[index.row()], m.targets[index.column()]
        self.show_records(dsh.Cell(holder=holder, target=target), f"{holder} on {target}")

    def _timeline_clicked(self, index: int, value: str) -> None:
        t = self._timeline
        if t is None or index >= len(t.buckets):
            return
        bucket, group = t.buckets[index], self.group.currentData()
        cell = dsh.Cell(value=value, bucket=bucket, size=t.size, **({t.by: group} if group else {}))
        when = bucket if bucket == dsh.NO_DATE else f"{t.size} of {bucket}"
        self.show_records(cell, f"{value}, {when}" + (f", {group}" if group else ""))

    def show_records(self, cell: dsh.Cell, what: str) -> None:
        total = dsh.count_stances(self.corpus, self.where, cell)
        self._rows = dsh.stance_rows(self.corpus, self.where, cell, limit=RECORDS_LIMIT)
        more = f" (the first {len(self._rows)} shown)" if total > len(self._rows) else ""
        self.records_label.setText(f"{total:,} stance record{'s' if total != 1 else ''}: {what}{more}. "
                                   "Enter or double-click opens the article at the evidence.")
        self.records.setRowCount(len(self._rows))
        for i, r in enumerate(self._rows):
            cells = [r.published or dsh.NO_DATE, r.outlet or "", r.holder, r.target, r.value,
                     " ".join(r.evidence.split()) or "(the whole article)", r.title]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 4:
                    item.setForeground(value_colour(r.value, self.matrix_model.m.values or list(VALUE_COLOURS)))
                self.records.setItem(i, j, item)
        self.records.resizeColumnsToContents()
        for j in (5, 6):
            self.records.setColumnWidth(j, min(self.records.columnWidth(j), 420))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        # Enter in the records opens one: it must not reach a shortcut of another window on the same
        # key (the main window's "accept and open next" is Enter on the article)
        if obj is self.records and event.type() == QEvent.ShortcutOverride and event.key() in (Qt.Key_Return, Qt.Key_Enter):
            event.accept()
            return True
        return super().eventFilter(obj, event)

    def _record_activated(self, item: QTableWidgetItem) -> None:
        r = self._rows[item.row()]
        self.evidence_requested.emit(r.doc_id, r.ev_start, r.ev_end)

    # ---- saving ----------------------------------------------------------------------------
    def current_chart_widget(self) -> QWidget:
        return {"matrix": self.tabs.currentWidget(), "timeline": self.timeline_view, "progress": self.tabs.currentWidget(),
                "entities": self.entities_view}[self.current_tab()]

    def save_chart(self, path: Path) -> Path:
        """The tab on show as PNG or SVG (by the file's suffix)."""
        path = Path(path)
        widget = self.current_chart_widget()
        if path.suffix.lower() == ".svg":
            gen = QSvgGenerator()
            gen.setFileName(str(path))
            gen.setSize(widget.size())
            gen.setViewBox(QRect(0, 0, widget.width(), widget.height()))
            gen.setTitle(self.tabs.tabText(self.tabs.currentIndex()))
            painter = QPainter(gen)
            try:
                # drawn as vectors (a chart's scene directly): text and bars stay sharp at any size
                QWidget.render(widget, painter, QPoint())
            finally:
                painter.end()
        else:
            if not widget.grab().save(str(path), "PNG"):
                raise OSError(f"could not write {path}")
        if not path.exists():
            raise OSError(f"could not write {path}")
        return path

    def save_table(self, path: Path, kind: str = "stances") -> tables.TableResult:
        """The stance records (or entities, or documents) of the filter, one row each, in the format
        of the file's suffix, as `annotator table` writes them."""
        path = Path(path)
        fmt = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}.get(path.suffix.lower(), "csv")
        return tables.write(self.corpus, kind, fmt, path, self.where)

    def _ask_save_chart(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save chart", f"{self.current_tab()}.png", "PNG image (*.png);;SVG drawing (*.svg)")
        if name:
            try:
                self.summary.setText(f"saved {self.save_chart(Path(name))}")
            except OSError as exc:
                self.summary.setText(str(exc))

    def _ask_save_table(self, kind: str) -> None:
        name, _ = QFileDialog.getSaveFileName(self, f"Save the {kind} table", f"{kind}.csv",
                                              "CSV (*.csv);;JSON Lines (*.jsonl);;Parquet (*.parquet)")
        if name:
            try:
                result = self.save_table(Path(name), kind)
                self.summary.setText(f"saved {result.rows:,} {kind} to {name}")
            except AnnotatorError as exc:
                self.summary.setText(str(exc))

    # ---- for tests and benchmarks -----------------------------------------------------------
    def wait_painted(self) -> None:
        """Paint now (every chart of the tab on show), as the event loop would."""
        QApplication.processEvents()
        self.repaint()
        QApplication.processEvents()
