"""A read-only side panel for what imports keep beside entities: relations (Prodigy, doccano, Label
Studio) and rejected suggestions (Prodigy binary answers) of the open article. Shown only for a
corpus that has any; double-clicking a line selects its head span in the article."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from annotator.session.format_data import has_format_data, rejected_spans, relations


class RelationsPanel(QWidget):
    def __init__(self):
        super().__init__()
        self.setObjectName("relations_panel")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        note = QLabel("Imported with the articles; read-only here.")
        note.setTextFormat(Qt.PlainText)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addWidget(note)

    def lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


class WindowRelations(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.panel: RelationsPanel | None = None
        window.corpus_opened.connect(self.bind)
        window.document_opened.connect(lambda _doc_id: self.refresh())
        window.import_finished.connect(lambda _report: self.bind())
        self.bind()

    def bind(self) -> None:
        w = self.window
        wanted = has_format_data(w.corpus)
        if self.panel is None and wanted:
            self.panel = RelationsPanel()
            self.panel.list.itemActivated.connect(self._go_to)
            w.add_side_panel(self.panel, "Relations")
        elif self.panel is not None and not wanted:
            w.side.removeTab(w.side.indexOf(self.panel))
            self.panel.deleteLater()
            self.panel = None
        self.refresh()

    def refresh(self) -> None:
        if self.panel is None:
            return
        w = self.window
        self.panel.list.clear()
        doc = w.document
        if doc is None:
            return
        text = doc.text
        for rel in relations(w.corpus, doc.id):
            head, child = text[rel.head[0]:rel.head[1]], text[rel.child[0]:rel.child[1]]
            self._add(f"{head} ({rel.head[2]}) → {rel.label} → {child} ({rel.child[2]})", rel.head[:2])
        for start, end, label in rejected_spans(w.corpus, doc.id):
            self._add(f"not {label}: {text[start:end]}", (start, end))
        if not self.panel.list.count():
            self.panel.list.addItem("No relations or rejected suggestions in this article.")

    def _add(self, line: str, where: tuple[int, int]) -> None:
        item = QListWidgetItem(line)
        item.setData(Qt.UserRole, where)
        self.panel.list.addItem(item)

    def _go_to(self, item: QListWidgetItem) -> None:
        where = item.data(Qt.UserRole)
        if where:
            self.window.article.select_range(*where)
