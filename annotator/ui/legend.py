"""The legend is the label palette: a chip per visible label with its colour and key."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QApplication, QLayout, QSizePolicy, QToolButton, QWidget

from annotator.core.model import Label
from annotator.ui.plain import tip
from annotator.ui.theme import entity_colours


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping to new rows."""

    def __init__(self, parent=None, spacing: int = 6):
        super().__init__(parent)
        self._items = []
        self._spacing = spacing

    def addItem(self, item) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, i):  # noqa: N802
        return self._items[i] if 0 <= i < len(self._items) else None

    def takeAt(self, i):  # noqa: N802
        return self._items.pop(i) if 0 <= i < len(self._items) else None

    def expandingDirections(self):  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _place(self, rect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_h = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and line_h > 0:
                x, y, line_h = area.x(), y + line_h + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_h = max(line_h, hint.height())
        return y + line_h - rect.y() + m.bottom()


class Legend(QWidget):
    label_clicked = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("legend")
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        self._layout = FlowLayout(self)
        self._layout.setContentsMargins(10, 8, 10, 8)
        self.chips: dict[str, QToolButton] = {}

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """As wide as the column it is given: Qt takes a wrapping widget's minimum height at its minimum
        width, and at the width of one chip that is one row per chip."""
        hint = super().minimumSizeHint()
        width = max(hint.width(), self.minimumWidth())
        return QSize(width, self._layout.heightForWidth(width))

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSizeHint()

    def set_labels(self, labels: list[Label]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.chips = {}
        for lb in labels:
            if lb.hidden:
                continue
            bg, fg = entity_colours(lb.color, QApplication.palette())
            chip = QToolButton(self)
            chip.setFocusPolicy(Qt.NoFocus)  # keys do this from the article; the chips are for the mouse
            chip.setText(f"{lb.name}  {lb.key.upper()}" if lb.key else lb.name)
            chip.setToolTip(tip(
                f"{lb.name}: select text and press {lb.key.upper()} (Shift+{lb.key.upper()} for exact characters), or click"
                if lb.key else f"{lb.name}: select text and click (no key; set one in Edit ▸ Label scheme…)"
            ))
            chip.setAutoRaise(False)
            chip.setStyleSheet(
                f"QToolButton {{ background: {bg.name()}; color: {fg.name()}; border: 1px solid {bg.darker(125).name()};"
                " border-radius: 4px; padding: 2px 7px; }"
                f" QToolButton:hover {{ border-color: {fg.name()}; }}"
            )
            chip.clicked.connect(lambda _=False, name=lb.name: self.label_clicked.emit(name))
            self._layout.addWidget(chip)
            self.chips[lb.name] = chip
        self.updateGeometry()
