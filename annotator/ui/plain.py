"""Untrusted text (article text, entity text, labels, titles, file names) is never rendered as rich text.

Qt renders any label or tooltip that looks like HTML ("<b>", "<img …>") as HTML. QLabels showing such
text get `Qt.PlainText`; tooltips, which have no such switch, get their text escaped inside a
pre-wrapped paragraph, so it shows literally, line breaks kept.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def tip(text: str) -> str:
    """A tooltip that shows `text` literally."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.PlainText)
    label.setText(text)
    return label


def plain_box(icon, title: str, text: str, parent: QWidget | None = None) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.Ok, parent)
    box.setTextFormat(Qt.PlainText)
    return box


__all__ = ["plain_box", "plain_label", "tip"]
