"""The keyboard cheat sheet, built from the window's live actions so it never goes stale."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from annotator.core.model import Label

# bare keys the window itself uses in the article: a label may not take them (Shift+key is taken too)
WINDOW_KEYS = {"s": "the stance key (Shift+S: the article's stance)"}
# the review view's keys (annotator.ui.window_review): a label key must not shadow them
WINDOW_KEYS.update({str(i): f"taking analyst {i}'s version in a review" for i in range(1, 10)})
WINDOW_KEYS.update({"]": "the next difference in a review", "[": "the previous difference in a review",
                    "=": "taking both versions in a review", "-": "rejecting the versions in a review",
                    "*": "taking all agreed in a review"})


def reserved_key_message(key: str) -> str | None:
    key = key.strip().lower()
    return f"key {key.upper()} is reserved for {WINDOW_KEYS[key]}; pick another" if key in WINDOW_KEYS else None


def stance_form_rows(value_keys: dict[str, str]) -> list[tuple[str, str, str]]:
    """The keys of the stance form (not actions: the form reads them itself while it has the focus)."""
    rows = [("Stance form", "Pick the target (in the order listed)", "1 … 9, 0")]
    rows += [("Stance form", f"Value {value}", key.upper()) for value, key in value_keys.items()]
    rows += [
        ("Stance form", "Change the holder (an entity of the article, or any text)", "H"),
        ("Stance form", "Whole article: no evidence", "W"),
        ("Stance form", "Write a note", "C"),
        ("Stance form", "Save (nothing saves itself: check the holder shown above the form first)", "Return"),
        ("Stance form", "Cancel (also with the caret in the article)", "Esc"),
        ("Stance form", "Move the evidence: put the caret elsewhere in the article, press S again", "S"),
    ]
    return rows


def keys_text(action: QAction) -> str:
    return ",  ".join(s.toString(QKeySequence.NativeText) for s in action.shortcuts())


def cheat_sheet_rows(sections: list[tuple[str, list[QAction]]], labels: list[Label],
                     extra: list[tuple[str, str, str]] = ()) -> list[tuple[str, str, str]]:
    rows = []
    for section, actions in sections:
        for action in actions:
            keys = keys_text(action)
            if keys:
                # undo/redo actions are named after the command on the stack: the sheet wants a stable name
                name = action.property("cheat_text") or action.text()
                rows.append((section, name.replace("&", "").rstrip("…").strip(), keys))
    for lb in labels:
        if lb.key and not lb.hidden:
            k = lb.key.upper()
            rows.append(("Labels", f"{lb.name}: label the selection (whole tokens) / relabel", k))
            rows.append(("Labels", f"{lb.name}: label exactly the selected characters", f"Shift+{k}"))
    return rows + list(extra)


KEY_ID = Qt.ItemDataRole.UserRole


class CheatSheet(QDialog):
    """The F1 sheet: the live keys; with a key map, any action's keys can be changed here (stored with QSettings)."""

    def __init__(self, rows: list[tuple[str, str, str]], parent=None, keymap=None, ids: dict | None = None):
        super().__init__(parent)
        self.keymap = keymap
        ids = ids or {}
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("cheat_sheet")
        intro = QLabel(
            "Everything works from the keyboard. Select text in the article (Shift+arrows, Ctrl+Shift+arrows) "
            "and press a label key; the label keys, Delete and the boundary keys act on the current entity "
            "(the one under the caret, framed) when nothing is selected."
        )
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Action", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        sections: dict[str, QTreeWidgetItem] = {}
        for section, what, keys in rows:
            if section not in sections:
                head = QTreeWidgetItem([section, ""])
                font = head.font(0)
                font.setBold(True)
                head.setFont(0, font)
                head.setFirstColumnSpanned(True)
                self.tree.addTopLevelItem(head)
                sections[section] = head
            item = QTreeWidgetItem(sections[section], [what, keys])
            item.setTextAlignment(1, Qt.AlignLeft | Qt.AlignVCenter)
            item.setData(0, KEY_ID, ids.get((section, what)))
        self.tree.expandAll()
        self.tree.setItemsExpandable(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(12)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        self.change_button = QPushButton("Change key…")
        self.change_button.setObjectName("change_key")
        self.change_button.clicked.connect(self.change_selected)
        self.reset_button = QPushButton("Default keys")
        self.reset_button.clicked.connect(self.reset_all)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.PlainText)
        self.tree.itemActivated.connect(lambda *_: self.change_selected())
        row = QHBoxLayout()
        row.addWidget(self.change_button)
        row.addWidget(self.reset_button)
        row.addWidget(self.status, 1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        if keymap is not None:
            layout.addLayout(row)
        else:
            layout.addWidget(buttons)
        self.resize(680, 640)

    # ---- re-binding -----------------------------------------------------------------------
    def change_selected(self) -> None:
        item = self.tree.currentItem()
        key_id = item.data(0, KEY_ID) if item is not None else None
        if self.keymap is None or key_id is None:
            self.status.setText("Pick an action of the window (label keys are set in the label scheme, Ctrl+L).")
            return
        self.key_dialog = KeyDialog(item.text(0), self.keymap, key_id, self)
        self.key_dialog.finished.connect(lambda _r: self._refresh(item, key_id))
        self.key_dialog.open()

    def _refresh(self, item: QTreeWidgetItem, key_id: str) -> None:
        action = self.keymap.actions.get(key_id)
        if action is not None:
            item.setText(1, keys_text(action))
        if self.key_dialog.result() == QDialog.Accepted:
            self.status.setText(f"{item.text(0)}: {item.text(1) or 'no key'}")

    def reset_all(self) -> None:
        if self.keymap is None:
            return
        self.keymap.reset()
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            for j in range(head.childCount()):
                item = head.child(j)
                key_id = item.data(0, KEY_ID)
                if key_id in self.keymap.actions:
                    item.setText(1, keys_text(self.keymap.actions[key_id]))
        self.status.setText("Every action has its default keys again.")

    def all_text(self) -> str:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            out.append(head.text(0))
            out += [f"{head.child(j).text(0)}\t{head.child(j).text(1)}" for j in range(head.childCount())]
        return "\n".join(out)


class KeyDialog(QDialog):
    """Press the new keys for one action; refused (with the reason) when taken or a window-manager key."""

    def __init__(self, name: str, keymap, key_id: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Key for “{name}”")
        self.keymap, self.key_id = keymap, key_id
        self.edit = QKeySequenceEdit()
        self.edit.setObjectName("key_edit")
        self.edit.setMaximumSequenceLength(1)
        current = keymap.keys(key_id)
        if current:
            self.edit.setKeySequence(QKeySequence(current[0]))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.PlainText)
        self.error.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.RestoreDefaults)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.RestoreDefaults).clicked.connect(self.restore)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Press the new keys for “{name}”:"))
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.edit.setFocus()

    def save(self) -> None:
        seq = self.edit.keySequence().toString(QKeySequence.PortableText)
        why = self.keymap.bind(self.key_id, [seq] if seq else [])
        if why:
            self.error.setText(why)
            return
        self.accept()

    def restore(self) -> None:
        self.keymap.reset(self.key_id)
        self.accept()
