"""Fixtures for driving the real main window: isolated settings, a window on a seed-corpus copy,
and a driver that clicks and types like a user and reads back what is drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QSettings, Qt
from PySide6.QtGui import QTextCursor

from annotator.session import Corpus
from annotator.ui.main_window import MainWindow
from annotator.ui.theme import apply_theme


@pytest.fixture(scope="package", autouse=True)
def gui_thread_collector(qapp):
    """As the app does (annotator.ui.gc_guard): cycles are collected on the GUI thread only, never in a
    background parse's thread. Automatic again for the tests after these."""
    from annotator.ui.gc_guard import install

    collector = install(qapp)
    yield collector
    collector.stop()
    collector.setParent(None)


@pytest.fixture(autouse=True)
def _collect_after_each_test(gui_thread_collector):
    yield
    gui_thread_collector.check()  # a test that never ran the event loop still gets its cycles collected


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    """Never touch the user's settings: own names, an INI file under the test's tmp dir, light theme."""
    QCoreApplication.setOrganizationName("annotator-tests")
    QCoreApplication.setApplicationName("annotator-tests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    apply_theme(qapp, dark=False)
    yield tmp_path / "settings"


def pieces(text: str, spans) -> list[tuple[int, int, str]]:
    """Spans as drawn: split at line breaks, one piece per block."""
    out = []
    for s, e, label in spans:
        pos = s
        for part in text[s:e].split("\n"):
            if part:
                out.append((pos, pos + len(part), label))
            pos += len(part) + 1
    return sorted(out)


class Driver:
    def __init__(self, qtbot, window: MainWindow):
        self.qtbot = qtbot
        self.window = window

    @property
    def view(self):
        return self.window.article

    @property
    def text(self) -> str:
        return self.window.document.text

    def click_at(self, pos: int) -> None:
        """Click in the article just before the character at `pos` (scrolling to it first, as a reader would)."""
        view = self.view
        cur = QTextCursor(view.document())
        cur.setPosition(view.omap.to_qt(pos))
        rect = view.cursorRect(cur)
        if not view.viewport().rect().adjusted(0, 0, 0, -10).contains(rect):
            # scroll it into view (QPlainTextEdit scrolls by lines, so let it do the sum); the click below sets the caret
            view.setTextCursor(cur)
            view.ensureCursorVisible()
            rect = view.cursorRect(cur)
        self.qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=QPoint(rect.left() + 1, rect.center().y()))
        assert view.caret() == pos

    def select(self, start: int, end: int) -> None:
        """Click at start, then Shift+Right up to end."""
        self.click_at(start)
        n = self.view.omap.to_qt(end) - self.view.omap.to_qt(start)
        for _ in range(n):
            self.qtbot.keyClick(self.view, Qt.Key_Right, Qt.ShiftModifier)
        assert self.view.selection() == (start, end)

    def key(self, key, modifier=Qt.NoModifier, widget=None) -> None:
        self.qtbot.keyClick(widget or self.view, key, modifier)

    def shown(self) -> list[tuple[int, int, str]]:
        return sorted(self.view.highlighted_ranges())

    def db_spans(self, doc_id: int | None = None) -> list[tuple[int, int, str]]:
        doc_id = doc_id or self.window.doc_id
        with Corpus(self.window.db_path) as fresh:
            return [(s.start, s.end, s.label) for s in fresh.spans(doc_id)]

    def db_status(self, doc_id: int) -> str:
        with Corpus(self.window.db_path) as fresh:
            return fresh.document(doc_id).status

    pieces = staticmethod(pieces)

    def expected_shown(self, doc_id: int | None = None) -> list[tuple[int, int, str]]:
        return pieces(self.text, self.db_spans(doc_id))

    def span_of(self, phrase: str, nth: int = 0):
        """The entity whose text is `phrase` (the nth such) in the open article."""
        found = [s for s in self.view.ordered_spans() if self.text[s.start : s.end] == phrase]
        return found[nth]


@pytest.fixture
def open_window(qtbot):
    def make(path: Path) -> MainWindow:
        window = MainWindow(path)
        qtbot.addWidget(window)
        window.resize(1300, 850)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts only fire in the active window
        window.article.setFocus()
        return window

    return make


@pytest.fixture
def window(open_window, seeded_db) -> MainWindow:
    return open_window(seeded_db)


@pytest.fixture
def ui(qtbot, window) -> Driver:
    return Driver(qtbot, window)


@pytest.fixture
def drive(qtbot):
    """Driver for a window the test opened itself."""
    return lambda window: Driver(qtbot, window)
