"""What the window remembers between runs, with QSettings: geometry, splitter, text size,
theme, recent databases and the last document of each."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, QSettings

from annotator.ui.theme import reading_font

MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings()


class SettingsController(QObject):
    """Saves and restores the window's geometry, splitter, text size, theme, recent databases and
    the last document of each. Uses the window's public parts: splitter, article, theme_actions,
    recent_menu, db_path, document and open_database()."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    def restore(self) -> None:
        w, s = self.window, settings()
        if s.value("window/geometry"):
            w.restoreGeometry(s.value("window/geometry"))
        else:
            w.resize(1400, 860)
        if s.value("window/splitter"):
            w.splitter.restoreState(s.value("window/splitter"))
        size = s.value("view/font_size")
        if size:
            w.article.setFont(reading_font(float(size)))
        w.fit_to_screen()  # after the text size: it sets the article's minimum width
        tags = s.value("view/tags", True)
        w.act_tags.setChecked(tags not in (False, "false", "0"))
        theme = s.value("view/theme", "system")
        if theme in w.theme_actions:
            w.theme_actions[theme].setChecked(True)
        self.remember_recent(w.db_path)
        w.recent_menu.aboutToShow.connect(self.fill_recent)

    def save(self) -> None:
        w, s = self.window, settings()
        s.setValue("window/geometry", w.saveGeometry())
        s.setValue("window/splitter", w.splitter.saveState())
        s.setValue("view/font_size", w.article.font().pointSizeF())
        if w.document is not None:
            last = self.last_docs()
            last[str(w.db_path)] = w.document.id
            s.setValue("last_documents", json.dumps(dict(list(last.items())[-20:])))
            places = self._places()
            places[str(w.db_path)] = [w.document.id, *w.article.position()]
            s.setValue("last_positions", json.dumps(dict(list(places.items())[-20:])))
        s.sync()

    def value(self, key: str, default=None):
        return settings().value(key, default)

    def store(self, key: str, value) -> None:
        settings().setValue(key, value)

    def _places(self) -> dict:
        try:
            return json.loads(settings().value("last_positions", "{}") or "{}")
        except (TypeError, ValueError):
            return {}

    def last_position(self, doc_id: int | None) -> tuple[int, int] | None:
        """(caret, first visible line) where the analyst left this document of this corpus, if known."""
        place = self._places().get(str(self.window.db_path))
        if place and doc_id is not None and place[0] == doc_id and len(place) == 3:
            return int(place[1]), int(place[2])
        return None

    def last_docs(self) -> dict:
        try:
            return json.loads(settings().value("last_documents", "{}") or "{}")
        except (TypeError, ValueError):
            return {}

    def recent_databases(self) -> list[str]:
        value = settings().value("recent_databases", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in (value or []) if v]

    def remember_recent(self, path: Path) -> None:
        recent = [str(path)] + [p for p in self.recent_databases() if p != str(path)]
        settings().setValue("recent_databases", recent[:MAX_RECENT])

    def fill_recent(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        for i, p in enumerate(self.recent_databases()):
            act = menu.addAction(f"&{i + 1} {p}" if i < 9 else p)
            act.triggered.connect(lambda _=False, path=p: self.window.open_database(Path(path)))
            act.setEnabled(Path(p).exists())
        if menu.isEmpty():
            menu.addAction("(none)").setEnabled(False)
