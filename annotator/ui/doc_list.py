"""The document list: a lazy, paged model over the corpus, with filter, search and progress."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QEvent, QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import ACCEPTED, IN_PROGRESS, NEW, SKIPPED
from annotator.session import Corpus, DocRow
from annotator.session.corpus import UNFINISHED
from annotator.session.doc_filter import NO_OUTLET, DocFilter, published_range
from annotator.session.metadata import outlets
from annotator.ui.plain import tip

STATUS_NAMES = {NEW: "new", IN_PROGRESS: "in progress", ACCEPTED: "accepted", SKIPPED: "skipped"}
STATUS_COLOURS = {NEW: "#8a8f98", IN_PROGRESS: "#d08a1c", ACCEPTED: "#2e9e4f", SKIPPED: "#8c6bb1"}
_ICONS: dict[str, QIcon] = {}


def status_icon(status: str) -> QIcon:
    """A small filled dot in the status colour (made once per status)."""
    if status not in _ICONS:
        pix = QPixmap(QSize(24, 24))
        pix.fill(Qt.transparent)
        painter = QPainter(pix)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(Qt.NoPen)
        painter.setBrush(QColor(STATUS_COLOURS.get(status, "#888888")))
        painter.drawEllipse(5, 5, 14, 14)
        painter.end()
        _ICONS[status] = QIcon(pix)
    return _ICONS[status]


DISPLAY, TOOLTIP, DECORATION, ALIGN, USER = (
    int(r.value) for r in (Qt.DisplayRole, Qt.ToolTipRole, Qt.DecorationRole, Qt.TextAlignmentRole, Qt.UserRole)
)
ROLES = frozenset((DISPLAY, TOOLTIP, DECORATION, ALIGN, USER))
RIGHT = int((Qt.AlignRight | Qt.AlignVCenter).value)
WIDE_TITLE_CHARS = 10  # below this much room for titles, the status column shows its dot only
COMPACT_TITLE_CHARS = 12  # the narrowest the title column gets
FILTERS = [("All documents", None), ("Unfinished", UNFINISHED), ("New", NEW), ("In progress", IN_PROGRESS),
           ("Accepted", ACCEPTED), ("Skipped", SKIPPED)]


class DocumentListModel(QAbstractTableModel):
    """rowCount is the filtered total; rows are read a page at a time when the view asks.

    Only visible pages are ever read (a bounded cache), so 100k documents cost one
    count and a page, and any document can be scrolled to directly.
    """

    PAGE = 256
    MAX_PAGES = 64
    HEADERS = ("Title", "Status", "Entities")
    compact = False  # a narrow list: the status is its dot alone (the name is in the tooltip)

    def __init__(self, corpus: Corpus, parent=None):
        super().__init__(parent)
        self.corpus = corpus
        self.status: str | None = None
        self.search: str | None = None
        self.where: DocFilter | None = None  # outlet and publication dates
        self.order = "id"  # or "unsure": the articles the models disagree on most first (Model menu)
        self._count = 0
        self._pages: OrderedDict[int, list[DocRow]] = OrderedDict()
        self.refresh()

    def set_corpus(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.refresh()

    def set_filter(self, status: str | None, search: str | None, where: DocFilter | None = None) -> None:
        self.status, self.search, self.where = status, (search or None), (where if where and not where.empty else None)
        self.refresh()

    def set_order(self, order: str) -> None:
        self.order = order
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._count = self.corpus.count_documents(self.status, self.search, self.where)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802
        if role == DISPLAY and orientation == Qt.Horizontal:
            if section == 0 and self.order == "unsure":
                return "Title · unsure first"  # the Model menu's order is on: say so where the list is
            return "" if (self.compact and section == 1) else self.HEADERS[section]
        return None

    def row(self, row: int) -> DocRow | None:
        if not 0 <= row < self._count:
            return None
        page_no = row // self.PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = self.corpus.document_rows(page_no * self.PAGE, self.PAGE, self.status, self.search, self.where,
                                             order=self.order)
            self._pages[page_no] = page
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        i = row - page_no * self.PAGE
        return page[i] if i < len(page) else None

    def data(self, index, role=DISPLAY):
        # plain ints: comparing with Qt's enum members costs microseconds, and views ask a lot
        if role not in ROLES:
            return None
        doc = self.row(index.row())
        if doc is None:
            return None
        col = index.column()
        if role == DISPLAY:
            if col == 0:
                return doc.title or f"document {doc.id}"
            if col == 1:
                return "" if self.compact else STATUS_NAMES.get(doc.status, doc.status)
            return doc.n_spans
        if role == USER:
            return doc.id
        if role == TOOLTIP and col == 0:
            return tip(f"#{doc.id}  {doc.title}")
        if role == TOOLTIP and col == 1:
            return STATUS_NAMES.get(doc.status, doc.status)
        if role == DECORATION and col == 1:
            return status_icon(doc.status)
        if role == ALIGN and col == 2:
            return RIGHT
        return None

    def row_of(self, doc_id: int) -> int | None:
        return self.corpus.document_index(doc_id, self.status, self.search, self.where, order=self.order)

    def update_document(self, doc_id: int) -> None:
        """Re-read one document's row after an edit; a status change under a filter re-counts."""
        fresh = self.corpus.document_row(doc_id)
        for page_no, page in self._pages.items():
            for i, doc in enumerate(page):
                if doc.id != doc_id:
                    continue
                if fresh is None or not self._passes(fresh.status):
                    self.refresh()
                    return
                page[i] = fresh
                row = page_no * self.PAGE + i
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
                return
        if self.status and fresh is not None and self._passes(fresh.status):
            self.refresh()  # it now passes the filter

    def _passes(self, status: str) -> bool:
        if self.status == UNFINISHED:
            return status in (NEW, IN_PROGRESS)
        return not self.status or status == self.status


class DocumentPanel(QWidget):
    document_chosen = Signal(int)
    message = Signal(str, bool)  # text, error: for the window's status line
    filter_changed = Signal(str)  # the search text now applied ("" for none)

    def __init__(self, corpus: Corpus, parent=None):
        super().__init__(parent)
        self.model = DocumentListModel(corpus, self)
        self.filter_box = QComboBox()
        self.filter_box.setObjectName("status_filter")
        for name, status in FILTERS:
            self.filter_box.addItem(name, status)
        self.filter_box.setToolTip("Show documents with this status")
        self.search_box = QLineEdit()
        self.search_box.setObjectName("search")
        self.search_box.setPlaceholderText("Search titles and text (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setObjectName("documents")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.Fixed)  # uniform rows: scrolling 100k rows stays cheap
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.Stretch)
        hh.setSectionResizeMode(1, QHeaderView.Fixed)
        hh.setSectionResizeMode(2, QHeaderView.Fixed)
        hh.resizeSection(1, self.fontMetrics().horizontalAdvance("in progress") + 40)
        hh.resizeSection(2, self.fontMetrics().horizontalAdvance("Entities") + 18)
        hh.setHighlightSections(False)
        self.table.setTextElideMode(Qt.ElideMiddle)  # "Delegations…negotiator": both ends of a title tell
        # the list may be narrow (a small screen): the status narrows to its dot and the entity count goes
        # before the title is cut below COMPACT_TITLE_CHARS characters
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * COMPACT_TITLE_CHARS + 60)
        self.table.installEventFilter(self)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        # when the open article is not among the results, the list says so (instead of showing nothing selected)
        self.missing_note = QLabel()
        self.missing_note.setObjectName("not_in_results")
        self.missing_note.setTextFormat(Qt.PlainText)
        self.missing_note.setWordWrap(True)
        self.missing_note.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("progress")
        self.progress.setTextVisible(True)

        self.outlet_box = QComboBox()
        self.outlet_box.setObjectName("outlet_filter")
        self.outlet_box.setToolTip("Show documents from this outlet")
        self.outlet_box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.outlet_box.setMinimumContentsLength(8)
        self.published_box = QLineEdit()
        self.published_box.setObjectName("published_filter")
        self.published_box.setPlaceholderText("Published: any")
        self.published_box.setClearButtonEnabled(True)
        self.published_box.setToolTip("Publication dates: 2024-01-01..2024-03-31, 2024-01-01.. (from), ..2024-03-31 (to), "
                                      "one day, or none (documents without a date). Enter applies.")
        self._fill_outlets()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search_box, 3)
        top.addWidget(self.filter_box, 2)
        # on a narrow list both shrink; the search box keeps room for a word
        self.filter_box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.filter_box.setMinimumContentsLength(5)
        self.search_box.setMinimumWidth(self.fontMetrics().averageCharWidth() * 8)
        meta_row = QHBoxLayout()
        meta_row.setContentsMargins(0, 0, 0, 0)
        meta_row.addWidget(self.outlet_box, 1)
        meta_row.addWidget(self.published_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addLayout(top)
        layout.addLayout(meta_row)
        layout.addWidget(self.missing_note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.progress)

        self._search_timer = QTimer(self, singleShot=True, interval=200)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search_box.textChanged.connect(lambda _: self._search_timer.start())
        self.search_box.returnPressed.connect(self._apply_filter)
        self.filter_box.currentIndexChanged.connect(lambda _: self._apply_filter())
        self.outlet_box.currentIndexChanged.connect(lambda _: self._apply_filter())
        self.published_box.returnPressed.connect(self._apply_filter)
        self.published_box.textChanged.connect(lambda text: text or self._apply_filter())  # the clear button
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._selecting = False
        self._shown: int | None = None
        self.update_progress()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.table and event.type() == QEvent.Resize:
            self._fit_columns(event.size().width())
        return False

    def _fit_columns(self, width: int) -> None:
        """Wide: title, status name, entity count. Narrow: the status is its dot; narrower still, the
        entity count goes too: the title keeps at least COMPACT_TITLE_CHARS characters."""
        metrics = self.fontMetrics()
        hh = self.table.horizontalHeader()
        status_w = metrics.horizontalAdvance("in progress") + 40
        count_w = metrics.horizontalAdvance("Entities") + 18
        width -= self.table.verticalScrollBar().sizeHint().width() + 4
        char = metrics.averageCharWidth()
        compact = width - status_w - count_w < char * WIDE_TITLE_CHARS
        no_count = compact and width - 28 - count_w < char * COMPACT_TITLE_CHARS
        self.model.compact = compact
        hh.resizeSection(1, 28 if compact else status_w)
        self.table.setColumnHidden(2, no_count)
        self.model.headerDataChanged.emit(Qt.Horizontal, 0, 2)
        self.table.viewport().update()

    def title_width(self) -> int:
        """How wide the title column is now (tests read it)."""
        return self.table.horizontalHeader().sectionSize(0)

    def set_corpus(self, corpus: Corpus) -> None:
        self.model.set_corpus(corpus)
        self._fill_outlets()
        self.update_progress()

    def _fill_outlets(self) -> None:
        """The outlets of the corpus, with their counts (again after an import or a metadata edit)."""
        keep = self.outlet_box.currentData()
        self.outlet_box.blockSignals(True)
        self.outlet_box.clear()
        self.outlet_box.addItem("Any outlet", None)
        for name, n in outlets(self.model.corpus):
            self.outlet_box.addItem(f"{name or '(unknown)'} ({n:,})", NO_OUTLET if name is None else name)
        self.outlet_box.setCurrentIndex(max(self.outlet_box.findData(keep), 0) if keep is not None else 0)
        self.outlet_box.blockSignals(False)

    def metadata_changed(self) -> None:
        self._fill_outlets()
        self.model.refresh()
        if self.current_doc_id is not None:
            self.select_document(self.current_doc_id)

    def meta_filter(self) -> DocFilter:
        outlet = self.outlet_box.currentData()
        return DocFilter(outlets=(outlet,) if outlet is not None else (), **published_range(self.published_box.text()))

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        status = self.filter_box.currentData()
        search = self.search_box.text().strip()
        try:
            where = self.meta_filter()
        except AnnotatorError as exc:
            self.published_box.setStyleSheet("QLineEdit { color: #d64545; }")
            self.message.emit(str(exc), True)
            return
        self.published_box.setStyleSheet("")
        if (status, search or None, where if not where.empty else None) == (self.model.status, self.model.search, self.model.where):
            return
        current = self.current_doc_id
        self.model.set_filter(status, search, where)
        self.select_document(current)
        self.filter_changed.emit(search)

    @property
    def current_doc_id(self) -> int | None:
        return self._shown

    def select_document(self, doc_id: int | None) -> None:
        """Mark the open document in the list without reopening it."""
        self._shown = doc_id
        row = self.model.row_of(doc_id) if doc_id is not None else None
        filtered = bool(self.model.status or self.model.search)
        if doc_id is not None and row is None and filtered:
            n = self.model.rowCount()
            self.missing_note.setText(f"The open article is not among these {n} result{'s' if n != 1 else ''}."
                                      if n else "No document matches; the open article stays open.")
            self.missing_note.show()
        else:
            self.missing_note.hide()
        self._selecting = True
        try:
            if row is None:
                self.table.selectionModel().clearSelection()
                self.table.selectionModel().setCurrentIndex(QModelIndex(), QItemSelectionModel.NoUpdate)
            else:
                index = self.model.index(row, 0)
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows
                )
                self.table.scrollTo(index)
        finally:
            self._selecting = False

    def _row_changed(self, current, _previous) -> None:
        if self._selecting or not current.isValid():
            return
        doc = self.model.row(current.row())
        if doc is not None and doc.id != self._shown:
            self.document_chosen.emit(doc.id)

    def update_progress(self) -> None:
        accepted, total = self.model.corpus.progress()
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(accepted)
        self.progress.setFormat(f"{accepted} / {total} accepted" if total else "no documents")

    def visible_titles(self) -> list[str]:
        return [self.model.data(self.model.index(r, 0)) for r in range(self.model.rowCount())]
