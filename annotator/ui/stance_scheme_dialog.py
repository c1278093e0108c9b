"""Stance targets and values: add, rename, merge, hide, remove; every edit undoable on the window's stack."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.session.stances import (
    plan_add_target,
    plan_add_value,
    plan_hide_target,
    plan_merge_targets,
    plan_remove_target,
    plan_remove_value,
    plan_rename_target,
    plan_rename_value,
    target_counts,
)
from annotator.ui.edits import EditRunner

NAME = Qt.ItemDataRole.UserRole


class StanceSchemeDialog(QDialog):
    """Type a name and press a button: the selected row is renamed, merged, hidden or removed."""

    def __init__(self, edits: EditRunner, parent: QWidget | None = None):
        """`edits`: the window's edit path, so the scheme's edits join its one undo history."""
        super().__init__(parent)
        self.setWindowTitle("Stance targets and values")
        self.setObjectName("stance_scheme")
        self.edits = edits
        self.corpus = edits.session.corpus

        self.targets = QListWidget()
        self.target_name = QLineEdit()
        self.target_name.setPlaceholderText("target name")
        self.add_target_button = QPushButton("Add")
        self.rename_target_button = QPushButton("Rename")
        self.hide_target_button = QPushButton("Hide")
        self.remove_target_button = QPushButton("Remove")
        self.merge_into = QComboBox()
        self.merge_button = QPushButton("Merge into")
        self.values = QListWidget()
        self.value_name = QLineEdit()
        self.value_name.setPlaceholderText("value name")
        self.add_value_button = QPushButton("Add")
        self.rename_value_button = QPushButton("Rename")
        self.remove_value_button = QPushButton("Remove")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_button = QPushButton("Undo")
        self.undo_button.clicked.connect(lambda: self._step(edits.undo))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        target_box = QGroupBox("Targets (renames and merges apply to every record)")
        grid = QGridLayout(target_box)
        grid.addWidget(self.targets, 0, 0, 1, 4)
        grid.addWidget(self.target_name, 1, 0, 1, 2)
        grid.addWidget(self.add_target_button, 1, 2)
        grid.addWidget(self.rename_target_button, 1, 3)
        grid.addWidget(self.merge_button, 2, 0)
        grid.addWidget(self.merge_into, 2, 1)
        grid.addWidget(self.hide_target_button, 2, 2)
        grid.addWidget(self.remove_target_button, 2, 3)
        value_box = QGroupBox("Values")
        vgrid = QGridLayout(value_box)
        vgrid.addWidget(self.values, 0, 0, 1, 4)
        vgrid.addWidget(self.value_name, 1, 0, 1, 2)
        vgrid.addWidget(self.add_value_button, 1, 2)
        vgrid.addWidget(self.rename_value_button, 1, 3)
        vgrid.addWidget(self.remove_value_button, 2, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.undo_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(target_box, 3)
        layout.addWidget(value_box, 1)
        layout.addWidget(self.status)
        layout.addLayout(bottom)

        self.add_target_button.clicked.connect(lambda: self._do(plan_add_target, self.target_name.text(), select=self.target_name.text()))
        self.rename_target_button.clicked.connect(self._rename_target)
        self.merge_button.clicked.connect(self._merge)
        self.hide_target_button.clicked.connect(self._toggle_hidden)
        self.remove_target_button.clicked.connect(lambda: self._do(plan_remove_target, self.selected_target()))
        self.add_value_button.clicked.connect(lambda: self._do(plan_add_value, self.value_name.text()))
        self.rename_value_button.clicked.connect(
            lambda: self._do(plan_rename_value, self.selected_value(), self.value_name.text())
        )
        self.remove_value_button.clicked.connect(lambda: self._do(plan_remove_value, self.selected_value()))
        self.targets.currentItemChanged.connect(self._on_target)
        self.values.currentItemChanged.connect(
            lambda item, _: self.value_name.setText(item.data(NAME) if item else "")
        )
        edits.history_changed.connect(self._history_changed)  # an undo from anywhere shows here
        # a modal dialog blocks the window's undo shortcuts: offer them here
        QShortcut(QKeySequence.StandardKey.Undo, self, lambda: self._step(edits.undo))
        QShortcut(QKeySequence.StandardKey.Redo, self, lambda: self._step(edits.redo))
        self.reload()
        self.resize(520, 560)

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def selected_target(self) -> str | None:
        item = self.targets.currentItem()
        return item.data(NAME) if item else None

    def selected_value(self) -> str | None:
        item = self.values.currentItem()
        return item.data(NAME) if item else None

    def reload(self, select: str | None = None) -> None:
        current = select or self.selected_target()
        value = self.selected_value()
        counts = target_counts(self.corpus)
        visible = set(self.corpus.stance_targets(include_hidden=False))
        self.targets.blockSignals(True)
        self.targets.clear()
        for name in self.corpus.stance_targets():
            label = f"{name}   ({counts.get(name, 0)})" + ("" if name in visible else "   [hidden]")
            item = QListWidgetItem(label)
            item.setData(NAME, name)
            if name not in visible:
                item.setForeground(Qt.GlobalColor.gray)
            self.targets.addItem(item)
            if name == current:
                self.targets.setCurrentItem(item)
        self.targets.blockSignals(False)
        self.values.blockSignals(True)
        self.values.clear()
        for name in self.corpus.stance_values():
            item = QListWidgetItem(name)
            item.setData(NAME, name)
            self.values.addItem(item)
            if name == value:
                self.values.setCurrentItem(item)
        self.values.blockSignals(False)
        self._on_target(self.targets.currentItem(), None)

    def _history_changed(self) -> None:
        if self.isVisible():
            self.reload()

    def _step(self, step) -> None:
        result = step()
        self.status.setText(result.message)
        self.reload()

    def _on_target(self, item, _previous) -> None:
        name = item.data(NAME) if item else None
        if name is not None and self.sender() is self.targets:
            self.target_name.setText(name)
        hidden = name is not None and name not in self.corpus.stance_targets(include_hidden=False)
        self.hide_target_button.setText("Show" if hidden else "Hide")
        self.merge_into.clear()
        self.merge_into.addItems([t for t in self.corpus.stance_targets() if t != name])
        for button in (self.rename_target_button, self.hide_target_button, self.remove_target_button, self.merge_button):
            button.setEnabled(name is not None)

    def _rename_target(self) -> None:
        new = " ".join(self.target_name.text().split())
        self._do(plan_rename_target, self.selected_target(), self.target_name.text(), select=new)

    def _merge(self) -> None:
        into = self.merge_into.currentText()
        self._do(plan_merge_targets, self.selected_target(), into, select=into)

    def _toggle_hidden(self) -> None:
        name = self.selected_target()
        hidden = name in self.corpus.stance_targets(include_hidden=False)
        self._do(plan_hide_target, name, hidden)

    def _do(self, plan, *args, select: str | None = None) -> bool:
        if any(a is None for a in args):
            self.status.setText("select a row first")
            return False
        result = self.edits.run(lambda: plan(self.corpus, *args))
        if not result.ok:
            self.status.setText(result.message)
            return False
        self.status.setText(f"{result.change.action} (undo: Ctrl+Z)")
        self.reload(select=" ".join(select.split()) if select else None)
        return True
