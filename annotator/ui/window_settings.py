"""What the window remembers between runs, with QSettings: geometry, splitter, text size,
theme, recent databases and the last document of each."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings

from annotator.ui.theme import reading_font

MAX_RECENT = 8


class SettingsMixin:
    """Part of MainWindow; uses its splitter, article, theme actions and recent menu."""

    def _settings(self) -> QSettings:
        return QSettings()

    def _restore_settings(self) -> None:
        s = self._settings()
        if s.value("window/geometry"):
            self.restoreGeometry(s.value("window/geometry"))
        else:
            self.resize(1400, 860)
        if s.value("window/splitter"):
            self.splitter.restoreState(s.value("window/splitter"))
        size = s.value("view/font_size")
        if size:
            font = reading_font(float(size))
            self.article.setFont(font)
        theme = s.value("view/theme", "system")
        if theme in self.theme_actions:
            self.theme_actions[theme].setChecked(True)
        self._remember_recent(self.db_path)

    def save_settings(self) -> None:
        s = self._settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("view/font_size", self.article.font().pointSizeF())
        if self.document is not None:
            last = self._last_docs()
            last[str(self.db_path)] = self.document.id
            s.setValue("last_documents", json.dumps(dict(list(last.items())[-20:])))
        s.sync()

    def _last_docs(self) -> dict:
        try:
            return json.loads(self._settings().value("last_documents", "{}") or "{}")
        except (TypeError, ValueError):
            return {}

    def recent_databases(self) -> list[str]:
        value = self._settings().value("recent_databases", [])
        if isinstance(value, str):
            value = [value]
        return [v for v in (value or []) if v]

    def _remember_recent(self, path: Path) -> None:
        recent = [str(path)] + [p for p in self.recent_databases() if p != str(path)]
        self._settings().setValue("recent_databases", recent[:MAX_RECENT])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for i, p in enumerate(self.recent_databases()):
            act = self.recent_menu.addAction(f"&{i + 1} {p}" if i < 9 else p)
            act.triggered.connect(lambda _=False, path=p: self.open_database(Path(path)))
            act.setEnabled(Path(p).exists())
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none)").setEnabled(False)
