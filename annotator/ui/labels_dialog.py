"""Edit ▸ Label scheme…: add, rename, recolour, re-key and hide entity labels.

Every change is a session Change pushed on the window's undo stack, so it is committed
at once and can be undone like any edit (a rename renames the label on every entity).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.core.model import Label
from annotator.ui.shortcuts import reserved_key_message
from annotator.ui.theme import entity_colours


class LabelSchemeDialog(QDialog):
    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Label scheme")
        self.setObjectName("label_scheme")
        self.labels: list[Label] = []

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Label", "Colour", "Key", "Hidden"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        for col in (1, 2, 3):
            self.table.horizontalHeader().setSectionResizeMode(col, QHeaderView.ResizeToContents)
        self.table.currentCellChanged.connect(lambda *_: self._fill_form())

        self.name = QLineEdit()
        self.name.setObjectName("label_name")
        self.colour = QLineEdit()
        self.colour.setObjectName("label_colour")
        self.colour.setPlaceholderText("#rrggbb")
        pick = QPushButton("Pick…")
        pick.clicked.connect(self._pick_colour)
        self.key = QLineEdit()
        self.key.setObjectName("label_key")
        self.key.setMaxLength(1)
        self.key.setPlaceholderText("one letter or digit, or empty")
        self.hidden = QCheckBox("Hidden (not in the palette, no key; its entities are drawn grey)")
        self.hidden.setObjectName("label_hidden")
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour, 1)
        colour_row.addWidget(pick)
        form = QFormLayout()
        form.addRow("&Name", self.name)
        colour_label = QLabel("&Colour")
        colour_label.setBuddy(self.colour)
        form.addRow(colour_label, colour_row)
        form.addRow("&Key", self.key)
        form.addRow("", self.hidden)

        self.apply_button = QPushButton("&Apply to selected label")
        self.apply_button.setObjectName("apply_label")
        self.apply_button.clicked.connect(self.apply_changes)
        self.add_button = QPushButton("A&dd as new label")
        self.add_button.setObjectName("add_label")
        self.add_button.clicked.connect(self.add_label)
        self.message = QLabel()
        self.message.setObjectName("label_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.PlainText)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.addButton(self.apply_button, QDialogButtonBox.ActionRole)
        buttons.addButton(self.add_button, QDialogButtonBox.ActionRole)
        buttons.rejected.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, 620)
        window.labels_changed.connect(self.refresh)
        self.addActions([window.act_undo, window.act_redo])  # Ctrl+Z works while the dialog has focus
        self.refresh()

    def refresh(self) -> None:
        keep = self.selected_name()
        self.labels = self.window_.corpus.labels()
        self.table.setRowCount(len(self.labels))
        for row, lb in enumerate(self.labels):
            bg, fg = entity_colours(lb.color, QApplication.palette(), lb.hidden)
            name = QTableWidgetItem(lb.name)
            name.setBackground(bg)
            name.setForeground(fg)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(lb.color))
            self.table.setItem(row, 2, QTableWidgetItem(lb.key.upper()))
            self.table.setItem(row, 3, QTableWidgetItem("hidden" if lb.hidden else ""))
        names = [lb.name for lb in self.labels]
        self.table.selectRow(names.index(keep) if keep in names else 0)
        self._fill_form()

    def selected_name(self) -> str | None:
        row = self.table.currentRow()
        return self.labels[row].name if 0 <= row < len(self.labels) else None

    def select(self, name: str) -> None:
        self.table.selectRow([lb.name for lb in self.labels].index(name))

    def _fill_form(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.labels):
            return
        lb = self.labels[row]
        self.name.setText(lb.name)
        self.colour.setText(lb.color)
        self.key.setText(lb.key)
        self.hidden.setChecked(lb.hidden)

    def _pick_colour(self) -> None:
        colour = QColorDialog.getColor(QColor(self.colour.text() or "#cccccc"), self, "Label colour")
        if colour.isValid():
            self.colour.setText(colour.name())

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def _form_fields(self, current_key: str = "") -> dict | None:
        colour = self.colour.text().strip()
        if colour and not QColor.isValidColorName(colour):
            self._say(f"{colour!r} is not a colour; use #rrggbb")
            return None
        key = self.key.text().strip().lower()
        if key and not key.isalnum():
            self._say("a key is one letter or digit")
            return None
        reserved = reserved_key_message(key) if key != current_key else None
        if reserved:
            self._say(reserved)
            return None
        return {"color": QColor(colour).name() if colour else "", "key": key, "hidden": self.hidden.isChecked()}

    def apply_changes(self) -> None:
        old = self.selected_name()
        if old is None:
            return
        current = next(lb for lb in self.labels if lb.name == old)
        fields = self._form_fields(current.key)
        if fields is None:
            return
        new_name = self.name.text().strip()
        changed = {k: v for k, v in fields.items() if v != getattr(current, k) and not (k == "color" and not v)}
        if new_name != old:
            changed["name"] = new_name
        if not changed:
            self._say("nothing to change")
            return
        result = self.window_.run_edit(lambda: self.window_.corpus.plan_update_label(old, **changed))
        self._say("saved" if result.ok else result.message)
        if result.ok and new_name in [lb.name for lb in self.labels]:
            self.select(new_name)

    def add_label(self) -> None:
        fields = self._form_fields()
        if fields is None:
            return
        name = self.name.text().strip()
        result = self.window_.run_edit(lambda: self.window_.corpus.plan_add_label(name, fields["color"] or None, fields["key"]))
        self._say(f"added {name}" if result.ok else result.message)
        if result.ok:
            self.select(name)
