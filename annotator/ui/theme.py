"""Light and dark palettes, and entity colours readable on both."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

from annotator.core import palette as palette_colours

READING_FONTS = ("Source Serif 4", "Source Serif Pro", "Noto Serif", "Georgia", "DejaVu Serif", "Liberation Serif")


def wants_dark(app: QApplication, dark: bool | None = None) -> bool:
    """An explicit choice, else ANNOTATOR_THEME=dark|light, else the system's colour scheme."""
    if dark is not None:
        return dark
    env = os.environ.get("ANNOTATOR_THEME", "").lower()
    if env in ("dark", "light"):
        return env == "dark"
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#2b2d30"), QColor("#1f2023"), QColor("#e6e6e6")
    roles = {
        QPalette.Window: window,
        QPalette.WindowText: text,
        QPalette.Base: base,
        QPalette.AlternateBase: QColor("#27292c"),
        QPalette.ToolTipBase: QColor("#3a3d41"),
        QPalette.ToolTipText: text,
        QPalette.PlaceholderText: QColor("#8c8c8c"),
        QPalette.Text: text,
        QPalette.Button: QColor("#35373b"),
        QPalette.ButtonText: text,
        QPalette.BrightText: QColor("#ff6b6b"),
        QPalette.Light: QColor("#45484d"),
        QPalette.Midlight: QColor("#3a3d41"),
        QPalette.Mid: QColor("#303236"),
        QPalette.Dark: QColor("#191a1c"),
        QPalette.Shadow: QColor("#000000"),
        QPalette.Highlight: QColor("#3d6fb4"),
        QPalette.HighlightedText: QColor("#ffffff"),
        QPalette.Link: QColor("#7ab0ff"),
        QPalette.LinkVisited: QColor("#b894ff"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, QColor("#7a7a7a"))
    return p


def apply_theme(app: QApplication, dark: bool | None = None) -> bool:
    """Fusion with a light or dark palette; returns whether dark was chosen."""
    app.setStyle("Fusion")
    is_dark = wants_dark(app, dark)
    app.setPalette(dark_palette() if is_dark else app.style().standardPalette())
    return is_dark


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.Base).lightnessF() < 0.5


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio (coloraide's)."""
    return palette_colours.contrast(a.name(), b.name())


def entity_colours(hex_colour: str, palette: QPalette, hidden: bool = False) -> tuple[QColor, QColor]:
    """(background, text) for an entity: the label's colour on light themes, its dark variant (same hue,
    darker, annotator.core.palette) on dark ones; the text is whichever of the theme's text colours
    reads best on it (WCAG contrast)."""
    c = QColor(hex_colour)
    if not c.isValid():
        c = QColor("#cccccc")
    dark = is_dark(palette)
    if hidden:
        c = QColor.fromHslF(0, 0, 0.30 if dark else 0.88)
    elif dark:
        c = QColor(palette_colours.dark_variant(c.name()))
    return c, QColor(palette_colours.text_colour(c.name(), dark))


def reading_font(point_size: float = 12.5) -> QFont:
    families = set(QFontDatabase.families())
    font = QFont()
    for name in READING_FONTS:
        if name in families:
            font = QFont(name)
            break
    else:
        font.setStyleHint(QFont.Serif)
    font.setPointSizeF(point_size)
    return font
