"""The review panel: the analysts' versions of the current article side by side, one row per difference.

It only shows; the keys and the edits are the window's (annotator.ui.window_review). Rows are
the differences of the open document in text order (entities, then article-level stances); a
column per analyst says what each of them has at that place; the last column says how it was
settled. The current difference is the selected row.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.session.review import ARTICLE, BOUNDARY, EVIDENCE, HOLDER, LABEL, ONLY_IN, VALUE, Item, VersionRow

KEYS_HINT = ("] / [ next / previous difference · 1, 2… take analyst 1, 2… · = take both · − reject · "
             "Ctrl+H settle by hand · * take all agreed · Ctrl+Enter accept")


def said(item: Item, who: str, text: str) -> str:
    """What one analyst has at this place, in a few words."""
    variant = item.variants.get(who, [])
    if not variant:
        return "—"
    if item.what == "entity":
        return "; ".join(f"{lb} “{' '.join(text[s:e].split())}”" for s, e, lb in variant)
    return "; ".join(f"{st['target']}: {st['value']} ({st.get('holder_text') or ARTICLE})" for st in variant)


def kind_text(item: Item) -> str:
    """The kind of difference in words (the status bar)."""
    if item.kind == ONLY_IN:
        return "only in " + ", ".join(item.who())
    return item.kind


SHORT_KINDS = {LABEL: "label", BOUNDARY: "boundary", VALUE: "value", HOLDER: "holder", EVIDENCE: "evidence"}


def short_kind(item: Item) -> str:
    """The kind of difference in a word or two (the panel's narrow first column)."""
    kind = "only " + ", ".join(item.who()) if item.kind == ONLY_IN else SHORT_KINDS.get(item.kind, item.kind)
    return kind if item.what == "entity" else f"stance: {kind}"


def decision_text(item: Item) -> str:
    if item.decision is None:
        return "open"
    if item.decision.startswith("take "):
        return "took " + item.decision[5:].replace("+", " and ")
    if item.decision == "majority reject":
        return "majority: none"
    if item.decision.startswith("majority "):
        return "majority: " + item.decision[9:].replace("+", ", ")
    return {"reject": "rejected", "hand": "by hand"}.get(item.decision, item.decision)


class ReviewPanel(QWidget):
    difference_chosen = Signal(str)  # an item key, when the user picks a row

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("review_panel")
        self.items: list[Item] = []
        self.names: list[str] = []
        self.header = QLabel()
        self.header.setObjectName("review_versions")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.PlainText)
        self.summary = QLabel()
        self.summary.setObjectName("review_summary")
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("review_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._selected)
        self.hint = QLabel(KEYS_HINT)
        self.hint.setObjectName("review_keys")
        self.hint.setWordWrap(True)
        font = self.hint.font()
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        self.hint.setFont(font)
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 6, 6, 6)
        col.addWidget(self.header)
        col.addWidget(self.summary)
        col.addWidget(self.table, 1)
        col.addWidget(self.hint)
        self._quiet = False

    def show_document(self, versions: list[VersionRow], items: list[Item], text: str, current: str | None) -> None:
        self.names = [v.annotator for v in versions]
        self.header.setText("Versions: " + " · ".join(
            f"{i + 1} {v.annotator} ({v.status.replace('_', ' ')}, {v.ts[:16].replace('T', ' ')})" for i, v in enumerate(versions)
        ) if versions else "This document has no analysts' versions.")
        self.items = [it for it in items if not it.agreed]
        n_open = sum(1 for it in self.items if it.open)
        agreed = sum(1 for it in items if it.agreed)
        if len(versions) == 1:
            self.summary.setText(f"Only {versions[0].annotator} annotated this article: their version is the gold to check "
                                 f"({agreed} places). Ctrl+Enter accepts it.")
        else:
            self.summary.setText(f"{len(self.items)} differences, {n_open} open · {agreed} places agreed")
        self.summary.setWordWrap(True)
        self._quiet = True
        try:
            cols = ["Differs", *[f"{i + 1} {n}" for i, n in enumerate(self.names)], "Settled"]
            self.table.clear()
            self.table.setColumnCount(len(cols))
            self.table.setHorizontalHeaderLabels(cols)
            self.table.setRowCount(len(self.items))
            muted = QBrush(self.palette().color(self.palette().ColorRole.PlaceholderText))
            for r, it in enumerate(self.items):
                cells = [short_kind(it),
                         *[said(it, n, text) for n in self.names], decision_text(it)]
                for c, value in enumerate(cells):
                    cell = QTableWidgetItem(value)
                    cell.setData(Qt.UserRole, it.key)
                    cell.setToolTip(kind_text(it) if c == 0 else value)
                    if not it.open:
                        cell.setForeground(muted)
                    elif c == len(cells) - 1:
                        bold = QFont(cell.font())
                        bold.setBold(True)
                        cell.setFont(bold)
                        cell.setForeground(QBrush(QColor("#c0392b") if not _dark(self) else QColor("#ff8a80")))
                    self.table.setItem(r, c, cell)
            head = self.table.horizontalHeader()
            head.setSectionResizeMode(QHeaderView.Interactive)
            for c in range(len(cols)):
                head.setSectionResizeMode(c, QHeaderView.Stretch if 0 < c < len(cols) - 1 else QHeaderView.ResizeToContents)
            self.table.resizeRowsToContents()
            self.select(current)
        finally:
            self._quiet = False

    def select(self, key: str | None) -> None:
        self._quiet = True
        try:
            row = next((r for r, it in enumerate(self.items) if it.key == key), None)
            if row is None:
                self.table.clearSelection()
            else:
                self.table.selectRow(row)
                self.table.scrollToItem(self.table.item(row, 0))
        finally:
            self._quiet = False

    def current_key(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.items[rows[0].row()].key if rows else None

    def _selected(self) -> None:
        if not self._quiet:
            key = self.current_key()
            if key is not None:
                self.difference_chosen.emit(key)


def _dark(widget: QWidget) -> bool:
    return widget.palette().color(widget.palette().ColorRole.Base).lightness() < 128
