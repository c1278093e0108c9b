"""The keyboard cheat sheet, built from the window's live actions so it never goes stale."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout

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
        ("Stance form", "Save (a new stance saves itself once target and value are picked)", "Return"),
        ("Stance form", "Cancel", "Esc"),
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


class CheatSheet(QDialog):
    def __init__(self, rows: list[tuple[str, str, str]], parent=None):
        super().__init__(parent)
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
        self.tree.expandAll()
        self.tree.setItemsExpandable(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(12)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.resize(680, 640)

    def all_text(self) -> str:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            out.append(head.text(0))
            out += [f"{head.child(j).text(0)}\t{head.child(j).text(1)}" for j in range(head.childCount())]
        return "\n".join(out)
