"""The open document's metadata, editable: publication date, outlet, URL, author.

Each field says where its value came from (the import's meta, found in the text, or typed).
Enter in a field (or Save) runs one edit through the window's edit path, so it is undoable
like any other; a value that cannot be stored is refused with the message and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from annotator.core.doc_metadata import FIELDS, DocumentMetadata
from annotator.session.changes import Change
from annotator.session.metadata import document_metadata, plan_set_metadata

SOURCE_TEXT = {"meta": "from the import's meta", "text": "found in the text", "typed": "typed", None: "unknown"}
PLACEHOLDERS = {"published": "YYYY-MM-DD", "outlet": "e.g. Reuters", "url": "https://…", "author": "name(s)"}
TITLES = {"published": "Published", "outlet": "Outlet", "url": "URL", "author": "Author"}


class MetadataPanel(QWidget):
    saved = Signal()

    def __init__(self, run_edit: Callable[[Callable[[], Change]], object], parent: QWidget | None = None):
        """`run_edit(plan)` commits a planned change (the window's run_edit)."""
        super().__init__(parent)
        self.setObjectName("metadata_panel")
        self.run_edit = run_edit
        self.corpus = None
        self.meta: DocumentMetadata | None = None
        self.edits: dict[str, QLineEdit] = {}
        self.sources: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        for name in FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"meta_{name}")
            edit.setPlaceholderText(PLACEHOLDERS[name])
            edit.setAccessibleName(TITLES[name])
            edit.returnPressed.connect(self.save)
            source = QLabel()
            source.setTextFormat(Qt.PlainText)
            source.setObjectName(f"meta_{name}_source")
            source.setEnabled(False)  # the palette's quieter text
            box = QVBoxLayout()
            box.setSpacing(0)
            box.addWidget(edit)
            box.addWidget(source)
            form.addRow(TITLES[name], box)
            self.edits[name], self.sources[name] = edit, source
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton("Revert")
        self.revert_button.clicked.connect(self.show_values)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        self.hint = QLabel("Enter saves; Ctrl+Z undoes it like any edit.")
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.set_document(None, None)

    def set_document(self, corpus, doc_id: int | None) -> None:
        self.corpus = corpus
        self.meta = document_metadata(corpus, doc_id) if corpus is not None and doc_id is not None else None
        self.show_values()

    def reload(self) -> None:
        if self.meta is not None:
            self.set_document(self.corpus, self.meta.doc_id)

    def show_values(self) -> None:
        for name in FIELDS:
            edit, source = self.edits[name], self.sources[name]
            edit.setEnabled(self.meta is not None)
            edit.setText((self.meta.value(name) if self.meta else None) or "")
            edit.setCursorPosition(0)
            source.setText(SOURCE_TEXT[self.meta.source(name)] if self.meta else "")
        self.save_button.setEnabled(self.meta is not None)
        self.revert_button.setEnabled(self.meta is not None)

    def typed(self) -> dict[str, str]:
        """The fields whose text differs from what is stored."""
        if self.meta is None:
            return {}
        return {name: edit.text().strip() for name, edit in self.edits.items()
                if edit.text().strip() != (self.meta.value(name) or "")}

    def save(self) -> None:
        if self.meta is None:
            return
        values = self.typed()
        if not values:
            self.show_values()
            return
        corpus, doc_id = self.corpus, self.meta.doc_id
        result = self.run_edit(lambda: plan_set_metadata(corpus, doc_id, **values))
        if getattr(result, "ok", False):
            self.reload()
            self.saved.emit()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key_Escape and self.typed():
            self.show_values()  # Esc drops what was typed
            return
        super().keyPressEvent(event)
