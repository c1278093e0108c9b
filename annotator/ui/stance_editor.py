"""The form behind the stance key: digits pick the target, letters the value, Enter saves.

Nothing is saved until Enter (or the Save button): the proposed holder is shown in large type
above the form, found from the sentence's parse (session.holders) while the analyst picks the
target and value, and a wrong guess is corrected with H before saving. Offsets are Python code
points. The form only collects a choice; the panel plans and commits it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.plain import tip

RESERVED_KEYS = {"h": "holder", "w": "whole article", "c": "comment"}
TARGET_NAME = Qt.ItemDataRole.UserRole
SPAN_ID = Qt.ItemDataRole.UserRole + 1


def value_keys(values: list[str]) -> dict[str, str]:
    """A key per value: its first free letter (FAVOR f, AGAINST a, NEUTRAL n); letters of the editor excluded."""
    taken = set(RESERVED_KEYS)
    keys = {}
    for value in values:
        for ch in value.lower():
            if ch.isalpha() and ch not in taken:
                keys[value] = ch
                taken.add(ch)
                break
    return keys


def target_key(row: int) -> str:
    return str(row + 1) if row < 9 else ("0" if row == 9 else "")


class StanceEditor(QFrame):
    """The form behind the stance key: digits pick the target, letters the value, Enter saves."""

    save_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.adding = True
        self.evidence: tuple[int, int] | None = None
        self._keys: dict[str, str] = {}

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # it names a target, which the user typed
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        # the proposed holder, prominent: a stance is only as good as who holds it
        self.proposal = QLabel()
        self.proposal.setObjectName("holder_proposal")
        self.proposal.setWordWrap(True)
        self.proposal.setTextFormat(Qt.TextFormat.PlainText)  # names come from the article
        big = QFont(self.proposal.font())
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.25)
        self.proposal.setFont(big)
        self.proposal_reason = QLabel()
        self.proposal_reason.setObjectName("holder_reason")
        self.proposal_reason.setWordWrap(True)
        self.proposal_reason.setTextFormat(Qt.TextFormat.PlainText)
        small = QFont(self.proposal_reason.font())
        small.setItalic(True)  # the theme's own text colour: readable light and dark
        self.proposal_reason.setFont(small)
        self._holder_touched = False
        self.suggestion_pending = False
        self.evidence_label = QLabel()
        self.evidence_label.setWordWrap(True)
        self.evidence_label.setTextFormat(Qt.TextFormat.PlainText)  # article text is untrusted
        self.holder = QComboBox()
        self.holder.setEditable(True)
        self.holder.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.holder.setToolTip("An entity of the article, or any text such as 'the article'  [h]")
        self.targets = QListWidget()
        self.targets.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the form
        self.targets.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # two value buttons a row, the labels above their fields when the panel is narrow, the check
        # box on a line of its own: the whole form fits a side panel of 1024x640 or 200 % (no sideways scroll)
        self.values_row = QGridLayout()
        self.value_group = QButtonGroup(self)
        self.value_group.setExclusive(True)
        self.whole = QCheckBox("Whole article, no evidence  [w]")
        self.whole.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.note = QLineEdit()
        self.note.setPlaceholderText("optional  [c]")
        self.save_button = QPushButton("Save  [Enter]")
        self.cancel_button = QPushButton("Cancel  [Esc]")
        for button in (self.save_button, self.cancel_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.setTextFormat(Qt.TextFormat.PlainText)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Holder  [h]", self.holder)
        form.addRow("Target  [1–9]", self.targets)
        form.addRow("Value", self.values_row)
        form.addRow("Note", self.note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.proposal)
        layout.addWidget(self.proposal_reason)
        layout.addWidget(self.evidence_label)
        layout.addLayout(form)
        layout.addWidget(self.whole)
        layout.addLayout(buttons)
        layout.addWidget(self.error)

        self.save_button.clicked.connect(self.save_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.whole.toggled.connect(self._show_evidence)
        self._text = ""
        self.holder.lineEdit().textEdited.connect(self._holder_edited)
        # the combo box has the focus (its line edit is a proxy): filter both
        for field in (self.holder, self.holder.lineEdit(), self.note):
            field.installEventFilter(self)

    # ---- filling ----------------------------------------------------------
    def load(self, *, adding: bool, text: str, evidence: tuple[int, int] | None, holders: list[tuple[str, int | None, str]],
             holder: str, targets: list[str], target: str | None, values: list[str], value: str | None, note: str) -> None:
        self.adding = adding
        self._text = text
        self.evidence = evidence
        self.title.setText("New stance" if adding else "Edit stance")
        self.holder.clear()
        for name, span_id, label in holders:
            self.holder.addItem(name)
            i = self.holder.count() - 1
            self.holder.setItemData(i, span_id, SPAN_ID)
            self.holder.setItemData(i, tip(label), Qt.ItemDataRole.ToolTipRole)
        self.holder.setEditText(holder)
        self._holder_touched = False
        self.suggestion_pending = bool(adding and evidence)  # the panel asks a worker for ranked holders
        self._show_holder(holder, "the nearest entity; looking at the sentence…" if adding and evidence else "")
        self.targets.clear()
        for row, name in enumerate(targets):
            key = target_key(row)
            item = QListWidgetItem(f"{key}  {name}" if key else f"    {name}")
            item.setData(TARGET_NAME, name)
            self.targets.addItem(item)
            if name == target:
                self.targets.setCurrentItem(item)
        self.targets.setFixedHeight(min(len(targets), 10) * (self.targets.sizeHintForRow(0) + 1) + 6)
        for button in self.value_group.buttons():
            self.value_group.removeButton(button)
            self.values_row.removeWidget(button)
            button.setParent(None)
            button.deleteLater()
        self._keys = value_keys(values)
        for name in values:
            key = self._keys.get(name, "")
            button = QPushButton(f"{name}  [{key}]" if key else name)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("value", name)
            button.setChecked(name == value)
            self.value_group.addButton(button)
            n = len(self.value_group.buttons()) - 1
            self.values_row.addWidget(button, n // 2, n % 2)
        self.whole.blockSignals(True)
        self.whole.setChecked(evidence is None)
        self.whole.setEnabled(evidence is not None)
        self.whole.blockSignals(False)
        self.note.setText(note)
        self.error.clear()
        self._show_evidence()

    # ---- the holder -------------------------------------------------------
    def _holder_edited(self, text: str) -> None:
        self._holder_touched = True
        self._show_holder(text, "typed")

    def _show_holder(self, holder: str, reason: str) -> None:
        self.proposal.setText(f"Holder: {holder or 'the article'}")
        self.proposal_reason.setText(f"({reason}; H changes it)" if reason else "H changes it")

    def propose_holders(self, candidates: list[tuple[str, int | None, str, str]]) -> bool:
        """Ranked (text, entity id or None, label, reason), best first: offered first in the holder list,
        the best one chosen unless the analyst has already typed or picked a holder."""
        self.suggestion_pending = False
        if not candidates:
            self._show_holder(self.holder.currentText(), "no attribution found in the sentence: the nearest entity")
            return False
        for row, (text, span_id, label, reason) in enumerate(candidates):
            i = self.holder.findText(text, Qt.MatchFlag.MatchExactly)
            if i >= 0:
                self.holder.removeItem(i)
            self.holder.insertItem(row, text)
            self.holder.setItemData(row, span_id, SPAN_ID)
            self.holder.setItemData(row, f"{label} · {reason}" if label else reason, Qt.ItemDataRole.ToolTipRole)
        if self._holder_touched:
            return False
        text, _span, _label, reason = candidates[0]
        self.holder.setCurrentIndex(0)
        self.holder.setEditText(text)
        self._show_holder(text, reason)
        return True

    def set_evidence(self, evidence: tuple[int, int] | None) -> None:
        self.evidence = evidence
        self.whole.blockSignals(True)
        self.whole.setChecked(evidence is None)
        self.whole.setEnabled(evidence is not None)
        self.whole.blockSignals(False)
        self._show_evidence()

    def _show_evidence(self) -> None:
        if self.evidence is None or self.whole.isChecked():
            self.evidence_label.setText("The article's overall stance (no evidence)")
        else:
            s, e = self.evidence
            self.evidence_label.setText(f"“{elide(self._text[s:e], 400)}”")

    # ---- reading ----------------------------------------------------------
    def target(self) -> str | None:
        item = self.targets.currentItem()
        return item.data(TARGET_NAME) if item is not None else None

    def value(self) -> str | None:
        button = self.value_group.checkedButton()
        return button.property("value") if button is not None else None

    def chosen_evidence(self) -> tuple[int, int] | None:
        return None if self.whole.isChecked() else self.evidence

    def chosen_holder(self) -> tuple[str, int | None]:
        """(text, entity id) when the text is one of the offered entities, else (text, None): free text."""
        text = " ".join(self.holder.currentText().split())
        i = self.holder.findText(text, Qt.MatchFlag.MatchExactly)
        return text, (self.holder.itemData(i, SPAN_ID) if i >= 0 else None)

    def show_error(self, message: str) -> None:
        self.error.setStyleSheet("color: #b00020")
        self.error.setText(message)

    # ---- keys -------------------------------------------------------------
    def handles(self, event) -> bool:
        """A key the form reads (the window forwards these to it from wherever the focus is)."""
        return self._handles(event)

    def _handles(self, event) -> bool:
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                                | Qt.KeyboardModifier.MetaModifier):
            return False  # chords stay the window's (Ctrl+Z, the accept key …)
        ch = event.text().lower()
        return (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
                or (ch != "" and (ch.isdigit() or ch in self._keys.values() or ch in RESERVED_KEYS)))

    def event(self, event: QEvent) -> bool:
        # the window's single-letter shortcuts (entity labels) must not steal the form's keys
        if event.type() == QEvent.Type.ShortcutOverride and self._handles(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        ch = event.text().lower()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save_requested.emit()
        elif key == Qt.Key.Key_Escape:
            self.cancel_requested.emit()
        elif ch.isdigit():
            row = 9 if ch == "0" else int(ch) - 1
            if row < self.targets.count():
                self.targets.setCurrentRow(row)
                self._ready_hint()
        elif ch in (v for v in self._keys.values()):
            value = next(v for v, k in self._keys.items() if k == ch)
            for button in self.value_group.buttons():
                if button.property("value") == value:
                    button.setChecked(True)
            self._ready_hint()
        elif ch == "h":
            self.holder.setFocus()
            self.holder.lineEdit().selectAll()
        elif ch == "w" and self.whole.isEnabled():
            self.whole.toggle()
        elif ch == "c":
            self.note.setFocus()
        else:
            super().keyPressEvent(event)

    def _ready_hint(self) -> None:
        # saving is one deliberate key: the holder above may still need correcting
        if self.target() and self.value():
            self.error.setStyleSheet("")
            self.error.setText("Enter saves it; check the holder above first (H changes it).")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter or Esc in the holder or note field hands the keys back to the form
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            if not (watched in (self.holder, self.holder.lineEdit()) and self.holder.view().isVisible()):
                self.setFocus()
                return True
        return super().eventFilter(watched, event)


def elide(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
