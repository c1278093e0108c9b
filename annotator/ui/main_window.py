"""The main window: document list | article | entities (and other panels), keyboard first.

Every edit goes through `run_edit(plan)` (annotator.ui.edits): the session plans, commits and
records it on the undo history, and the result is reported one way. The view updates from the
corpus's change notification, i.e. only after the commit, and redraws only the blocks the change
touched. The window is composed: the session owns the open corpus and its history; controllers
(files and imports, settings, stances) are objects with explicit constructors; other features add
their actions with `add_action` and their panels with `add_side_panel`.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QKeySequence, QTextCharFormat
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import ACCEPTED, SKIPPED, Document, Label
from annotator.session import Change, Corpus
from annotator.session.session import EditResult, Session
from annotator.storage.search import search_hits
from annotator.ui.article import ArticleView
from annotator.ui.doc_list import STATUS_NAMES, DocumentPanel
from annotator.ui.edits import EditRunner, Reporter
from annotator.ui.entity_list import EntityList
from annotator.ui.keymap import KeyMap, key_id_for
from annotator.ui.legend import Legend
from annotator.ui.model_window import ModelController
from annotator.ui.plain import plain_box
from annotator.ui.shortcuts import WINDOW_KEYS, CheatSheet, cheat_sheet_rows, stance_form_rows
from annotator.ui.snapping import TokenCache
from annotator.ui.stance_editor import value_keys
from annotator.ui.theme import apply_theme, entity_colours
from annotator.ui.window_consistency import WindowConsistency
from annotator.ui.window_dashboard import WindowDashboard
from annotator.ui.window_files import NO_DOCUMENT, FilesController
from annotator.ui.window_flags import WindowFlags
from annotator.ui.window_relations import WindowRelations
from annotator.ui.window_review import WindowReview
from annotator.ui.window_settings import SettingsController
from annotator.ui.window_stances import WindowStances
from annotator.ui.workers import ImportWorker, run_in_background

log = logging.getLogger("annotator.ui")
MIN_LINE_CHARS = 60  # the article is never narrower than this: the side panels shrink first
SEARCH_HIT_COLOUR = "#ffd84d"  # search hits: a marker yellow, over the entity colours


class Notice(QFrame):
    """A message line under the article: never over the text being read, never cut off (it wraps), never
    stale (it goes after a while, on Escape, and when another article opens).

    It sits below the article, so the article's top and width stay: the text being read neither
    moves nor re-wraps when a message comes or goes; only the bottom of the view is shorter for a while.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("notice")
        self.setAutoFillBackground(True)
        self.label = QLabel()
        self.label.setObjectName("notice_text")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.PlainText)  # messages quote article text
        self.label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setFocusPolicy(Qt.NoFocus)
        close.setToolTip("Close (Escape)")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 4, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignTop)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.hide)
        self.is_error = False
        self.hide()

    def show_message(self, text: str, error: bool = False) -> None:
        colour = "#c0392b" if error else "#2f6db5"
        self.setStyleSheet(f"#notice {{ border-top: 1px solid palette(mid); border-left: 4px solid {colour}; }}")
        self.label.setText(text)
        self.is_error = error
        self.show()
        # long enough to read: a second per 15 characters, at least 6 s (12 s for an error)
        self._timer.start(max(12000 if error else 6000, 1000 * len(text) // 15))

class WindowReporter(Reporter):
    """How the window shows the result of an edit, an undo or a redo."""

    def __init__(self, window: MainWindow):
        super().__init__()
        self.window = window

    def saved(self, result: EditResult) -> None:
        if ", replacing " in result.message and not result.undo:  # entities went: say which, in full
            self.window.notify(result.message.replace("saved · ", "Saved: ") + " (undo brings them back).")
            return
        if self.window.notice.isVisible():
            self.window.notice.hide()  # a message about an earlier try is stale once an edit succeeds
        self.window.statusBar().showMessage(result.message, 6000)

    def message(self, text: str, error: bool = False) -> None:
        self.window.notify(text, error=error)

    def storage_failed(self, result: EditResult) -> None:
        w = self.window
        w.notify(result.message, error=True)
        w.show_box("Edit not saved",
                   f"{result.message}\n\nNothing was half-written; the window shows what is in the database. "
                   "If the disk is full, or the file is read-only or busy in another program, fix that and try again.")
        w.reload_view()

    def view_failed(self, result: EditResult) -> None:
        super().view_failed(result)
        self.window.reload_view()

    def before_step(self, change: Change) -> None:
        w = self.window
        if change.doc_id is not None and change.doc_id != w.doc_id:
            w.open_document(change.doc_id)  # undo and redo return to the document of the edit

    def revealed(self, result: EditResult) -> None:
        self.window.reveal(result.change)


class MainWindow(QMainWindow):
    document_opened = Signal(object)  # doc id or None
    corpus_changed = Signal(object)  # a Change, after the window has drawn it
    corpus_opened = Signal()  # another database was opened
    labels_changed = Signal()
    import_finished = Signal(object)  # ImportReport or None when it failed

    def __init__(self, db_path: Path, parent=None):
        super().__init__(parent)
        # the one owner of the open corpus and its undo history: switching corpus is session.open()
        self.session = Session(Corpus(Path(db_path).resolve()))
        self.session.subscribe(self._on_change)
        self.session.on_open(self._corpus_opened)
        self.edits = EditRunner(self.session, WindowReporter(self), self)
        self.document: Document | None = None
        self.tokens: TokenCache | None = None
        self.labels: list[Label] = []
        self._warmed = False
        self._message_boxes: list[QMessageBox] = []
        self._doc_row: int | None = None
        self._doc_total = 0
        self._menus: dict[str, QMenu] = {}
        self._sections: dict[str, list[QAction]] = {}
        # features that plan a document's status change their own way (a review corpus's accept):
        # each is asked (doc_id, status) and returns a plan, or None to leave it to the next / the default
        self.status_planners: list[Callable[[int, str], Callable[[], Change] | None]] = []
        self.setObjectName("main_window")

        self.settings = SettingsController(self)
        self.keymap = KeyMap(parent=self)  # every action's keys, re-bindable (QSettings group "keys")
        self._accept_warned: int | None = None  # the document whose accept was warned about its flags
        self.files = FilesController(self)
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self.stance = WindowStances(self)  # the stance panel beside the entities, its keys and evidence marks
        self.consistency = WindowConsistency(self)  # the Names and Actors panels, the label-every-occurrence key
        self.flags = WindowFlags(self)  # suspicious model spans: marks, count on the Accept button, fixes
        self.dashboard = WindowDashboard(self)  # View ▸ Dashboard, the metadata panel, the list's metadata filter
        self.models = ModelController(self)  # the Model menu: train, the registry, re-annotate, unsure first
        self.review = WindowReview(self)  # several analysts: copies, agreement, review corpora and their panel
        self.relations = WindowRelations(self)  # imported relations and rejected suggestions, read-only
        self.settings.restore()
        self.reload_labels()
        self._update_title()
        self.open_document(self.first_document())
        self.resume()
        self.article.setFocus()  # keyboard first: Tab and the label keys work at once, not in the search box
        QApplication.instance().styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    @property
    def corpus(self) -> Corpus:
        return self.session.corpus

    @property
    def db_path(self) -> Path:
        return self.session.path

    # ---- the edit path ------------------------------------------------------------
    def run_edit(self, plan: Callable[[], Change]) -> EditResult:
        """Plan, commit, record and report one edit (see annotator.ui.edits)."""
        return self.edits.run(plan)

    # ---- files, imports, settings (their controllers) ---------------------------------
    def new_database(self) -> None:
        self.files.new_database()

    def choose_database(self) -> None:
        self.files.choose_database()

    def open_database(self, path: Path, force: bool = False) -> bool:
        return self.files.open_database(path, force)

    def first_run(self) -> ImportWorker | None:
        return self.files.first_run()

    def choose_import(self) -> None:
        self.files.choose_import()

    def start_import(self, paths: list[Path], model: str | None = "default") -> ImportWorker:
        return self.files.start_import(paths, model)

    @property
    def import_dialog(self):
        return self.files.import_dialog

    def recent_databases(self) -> list[str]:
        return self.settings.recent_databases()

    def save_settings(self) -> None:
        self.settings.save()

    def _corpus_opened(self) -> None:
        """The session opened another corpus: everything shown is redrawn from it."""
        self.document = None
        self.docs.set_corpus(self.corpus)
        self.reload_labels()
        self.settings.remember_recent(self.db_path)
        self._update_title()
        self.corpus_opened.emit()
        self.open_document(self.first_document())
        self.resume()

    def resume(self) -> None:
        """Back where the analyst left off: the caret and the scroll position of the last document."""
        place = self.settings.last_position(self.doc_id)
        if place is not None:
            # the layout is final only once the window has its size: restore after this event loop turn
            QTimer.singleShot(0, lambda: self.article.restore_position(*place) if self.doc_id is not None else None)

    # ---- construction ----------------------------------------------------------
    def _build_widgets(self) -> None:
        self.docs = DocumentPanel(self.corpus)
        self.docs.document_chosen.connect(self.open_document)
        self.docs.filter_changed.connect(lambda _search: self.mark_search_hits())
        self.docs.table.activated.connect(lambda _index: self.article.setFocus())  # Enter: read and edit it

        self.legend = Legend()
        self.legend.label_clicked.connect(lambda name: self.apply_label(name))
        self.article = ArticleView()
        self.notice = Notice()
        self.article.setPlaceholderText(NO_DOCUMENT)
        self.article.current_changed.connect(self._current_changed)
        centre = QWidget()
        centre.setObjectName("centre")
        self.centre = centre
        # the article is the work: in a small window the side panels give way before it does
        self._fit_article_minimum()
        self.article.font_changed.connect(lambda *_: self._fit_article_minimum(self._room))
        col = QVBoxLayout(centre)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self.legend)
        col.addWidget(self.article, 1)
        col.addWidget(self.notice)

        self.entities = EntityList()
        self.entities.entity_chosen.connect(self._entity_chosen)
        self.entities.activated.connect(lambda _index: self.article.setFocus())  # Enter: go there, keys act on it
        # the side panel is a tab widget so other panels (stances) can sit beside the entities
        self.side = QTabWidget()
        self.side.setObjectName("side_panels")
        self.side.setDocumentMode(True)
        self.side.addTab(self.entities, "Entities")

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.docs)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([280, 720, 400])  # the side holds the stance list too: room for its evidence
        # on a small screen (1024x640, or 200 % scaling) the lists can be dragged shut; the article cannot
        self.splitter.setChildrenCollapsible(True)
        self.splitter.setCollapsible(1, False)
        self.setCentralWidget(self.splitter)

        self.position_label = QLabel()
        self.position_label.setTextFormat(Qt.PlainText)  # it quotes the current entity's text and label
        self.position_label.setObjectName("position")
        self.statusBar().addPermanentWidget(self.position_label)

    def _fit_article_minimum(self, room: int | None = None) -> None:
        """The article keeps at least MIN_LINE_CHARS characters a line (at its current text size); `room`: the most
        the window may take (its screen's width), so that on a small or scaled screen the article gives way instead
        of pushing the window past the screen's edge (never below MIN_LINE_CHARS // 5 characters)."""
        metrics = self.article.fontMetrics()
        extra = 2 * self.article.document().documentMargin() + self.article.verticalScrollBar().sizeHint().width() + 4
        width = int(MIN_LINE_CHARS * metrics.averageCharWidth() + extra)
        if room is not None:
            others = self.minimumSizeHint().width() - self.centre.minimumWidth()  # what the rest needs beside it
            width = max(int(MIN_LINE_CHARS // 5 * metrics.averageCharWidth() + extra), min(width, room - others))
        self._room = room
        self.centre.setMinimumWidth(width)
        # the legend's chips wrap: its minimum height is taken at this width, not at its narrowest chip's
        self.legend.setMinimumWidth(self.centre.minimumWidth())

    def fit_to_screen(self) -> None:
        """A window never opens larger than the screen it is on, nor off it (a saved size from a bigger screen, or
        from another scale factor: 200 %): clamped to the screen's available geometry."""
        if self.screen() is None or QApplication.platformName() == "offscreen":  # no real screen to fit (tests)
            return
        screen = self.screen().availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()
        if frame.height() <= 0:  # not shown yet: leave room for a usual title bar and border
            frame = QSize(8, 36)
        room = screen.size() - frame
        if self.minimumSizeHint().width() > room.width():  # the article's minimum would push the window past the edge
            self._fit_article_minimum(room.width())
        width, height = min(self.width(), room.width()), min(self.height(), room.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        geo = self.frameGeometry()
        if not screen.contains(geo):
            self.move(max(screen.left(), min(geo.left(), screen.right() - geo.width())),
                      max(screen.top(), min(geo.top(), screen.bottom() - geo.height())))

    def add_side_panel(self, widget: QWidget, title: str) -> int:
        """Where other panels (stances, and any feature's own) go: a tab beside the entity list."""
        return self.side.addTab(widget, title)

    def menu(self, title: str) -> QMenu:
        """The menu bar's menu of that title ("&Model" and "Model" are one), made before Help if missing."""
        key = title.replace("&", "")
        if key not in self._menus:
            help_menu = self._menus.get("Help")
            if help_menu is None:
                self._menus[key] = self.menuBar().addMenu(title)
            else:  # Help stays last, where people look for it
                self._menus[key] = QMenu(title, self)
                self.menuBar().insertMenu(help_menu.menuAction(), self._menus[key])
        return self._menus[key]

    def add_action(self, text: str, slot: Callable, keys=(), *, menu: str | None = None, section: str | None = None,
                   local: bool = False, tip: str = "", key_id: str | None = None) -> QAction:
        """The public way to add a command to the window: an action with its default keys, in a menu (by
        title, e.g. "&Model") and in a section of the F1 key sheet. `local`: only while the article or the
        entity list has focus (bare keys must not fire in the search box). The keys are the user's to
        re-bind (annotator.ui.keymap), under `key_id` (default: from the text)."""
        action = self._action(text, slot, keys, local=local, tip=tip, key_id=key_id)
        if menu:
            self.menu(menu).addAction(action)
        if section:
            self._sections.setdefault(section, []).append(action)
        return action

    def _action(self, text: str, slot: Callable, keys=(), *, local: bool = False, tip: str = "",
                key_id: str | None | bool = None) -> QAction:
        action = QAction(text, self)
        if key_id is False:  # a label's key belongs to the label scheme, not to the key map
            if keys:
                action.setShortcuts([QKeySequence(k) for k in keys])
        else:
            self.keymap.register(key_id or key_id_for(text), action, keys)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _=False: slot())
        if local:
            action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            self.article.addAction(action)
            self.entities.addAction(action)
        else:
            self.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.act_new = a("&New database…", self.new_database, [QKeySequence.New])
        self.act_open = a("&Open database…", self.choose_database, [QKeySequence.Open])
        self.act_import = a("&Import articles…", self.choose_import, ["Ctrl+I"])
        self.act_export = a("&Export…", self.show_export, ["Ctrl+E"])
        self.act_restore = a("&Restore backup…", self.show_restore)
        self.act_quit = a("&Quit", self.close, [QKeySequence.Quit])
        self.act_export.setEnabled(importlib.util.find_spec("annotator.ui.export_dialog") is not None)
        self.act_restore.setEnabled(importlib.util.find_spec("annotator.ui.restore_dialog") is not None)

        self.act_undo, self.act_redo = self.edits.undo_actions(self)
        self.addActions([self.act_undo, self.act_redo])
        for key_id, act in (("undo", self.act_undo), ("redo", self.act_redo)):
            self.keymap.register(key_id, act, [s.toString(QKeySequence.PortableText) for s in act.shortcuts()])
        # accepting is deliberate: its own key (never Enter, which saves forms and opens list rows) and a button
        self.act_accept = a("&Accept and open next", self.accept_document, ["Ctrl+Shift+A"], key_id="accept",
                            tip="Every entity is checked: mark accepted and open the next unfinished article")
        self.act_skip = a("&Skip and open next", self.skip_document, ["Ctrl+Shift+Return", "Ctrl+Shift+Enter"])
        self.act_delete = a("&Delete entity", self.delete_entity, [QKeySequence.Delete, "Backspace"], local=True)
        self.act_next_entity = a("Next entity", lambda: self.move_entity(1), ["Tab"], local=True)
        self.act_prev_entity = a("Previous entity", lambda: self.move_entity(-1), ["Shift+Tab"], local=True)
        self.act_grow_end = a("Grow entity end by a token", lambda: self.step_edge("end", True), ["Alt+Right"], local=True)
        self.act_shrink_end = a("Shrink entity end by a token", lambda: self.step_edge("end", False), ["Alt+Left"], local=True)
        # not Alt+Shift+Left/Right: window managers take those (openbox sends the window to another desktop)
        self.act_grow_start = a("Grow entity start by a token", lambda: self.step_edge("start", True), ["Alt+,"],
                                local=True)
        self.act_shrink_start = a("Shrink entity start by a token", lambda: self.step_edge("start", False),
                                  ["Alt+."], local=True)
        self.act_clear = a("Clear selection", self.clear_selection, ["Escape"], local=True)
        self.act_scheme = a("&Label scheme…", self.show_label_scheme, ["Ctrl+L"])

        self.act_next_doc = a("&Next document", lambda: self.step_document(1), ["Ctrl+PgDown", "Alt+Down"])
        self.act_prev_doc = a("&Previous document", lambda: self.step_document(-1), ["Ctrl+PgUp", "Alt+Up"])
        self.act_next_unfinished = a("Next &unfinished document", self.open_next_unfinished, ["Ctrl+J"])
        self.act_find = a("&Find documents", self.focus_search, [QKeySequence.Find])
        self.act_next_hit = a("Next search &hit", lambda: self.step_hit(1), ["F3"],
                              tip="The next place in the article the search finds; past the last, the next document found")
        self.act_prev_hit = a("Previous search hit", lambda: self.step_hit(-1), ["Shift+F3"])
        self.act_focus_docs = a("Go to document list", lambda: self.docs.table.setFocus(), ["Ctrl+1"])
        self.act_focus_article = a("Go to article", lambda: self.article.setFocus(), ["Ctrl+2"])
        self.act_focus_entities = a("Go to entity list", self.focus_entities, ["Ctrl+3"])
        self.act_bigger = a("&Larger text", lambda: self.zoom(1), [QKeySequence.ZoomIn, "Ctrl+="])
        self.act_smaller = a("&Smaller text", lambda: self.zoom(-1), [QKeySequence.ZoomOut])
        self.act_help = a("&Keyboard shortcuts", self.show_shortcuts, ["F1"])
        self.act_about = a("&About annotator", self.show_about)
        self.label_actions: list[QAction] = []

    def _build_menus(self) -> None:
        file = self.menu("&File")
        file.addActions([self.act_new, self.act_open])
        self.recent_menu = file.addMenu("Open &recent")
        file.addSeparator()
        file.addActions([self.act_import, self.act_export, self.act_restore])
        file.addSeparator()
        file.addAction(self.act_quit)

        edit = self.menu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions([self.act_accept, self.act_skip])
        edit.addSeparator()
        edit.addActions([self.act_next_entity, self.act_prev_entity, self.act_delete, self.act_grow_end,
                         self.act_shrink_end, self.act_grow_start, self.act_shrink_start, self.act_clear])
        edit.addSeparator()
        edit.addAction(self.act_scheme)

        self.label_menu = self.menu("&Label")

        view = self.menu("&View")
        view.addActions([self.act_next_doc, self.act_prev_doc, self.act_next_unfinished])
        view.addSeparator()
        view.addActions([self.act_find, self.act_next_hit, self.act_prev_hit, self.act_focus_docs, self.act_focus_article, self.act_focus_entities])
        view.addSeparator()
        view.addActions([self.act_bigger, self.act_smaller])
        self.act_tags = view.addAction("Labels on &entities")
        self.act_tags.setCheckable(True)
        self.act_tags.setChecked(True)
        self.act_tags.setStatusTip("Write each entity's label after it; off: colour only")
        self.act_tags.toggled.connect(self.show_tags)
        theme = view.addMenu("&Theme")
        group = QActionGroup(self)
        self.theme_actions = {}
        for key, text in (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark")):
            act = theme.addAction(text)
            act.setCheckable(True)
            act.setActionGroup(group)
            act.triggered.connect(lambda _=False, k=key: self.set_theme(k))
            self.theme_actions[key] = act

        self.help_menu = self.menu("&Help")
        self.help_menu.addActions([self.act_help, self.act_about])

    def _rebuild_label_actions(self) -> None:
        for action in self.label_actions:
            self.article.removeAction(action)
            self.entities.removeAction(action)
            action.deleteLater()
        self.label_actions = []
        self.label_menu.clear()
        for lb in self.labels:
            if lb.hidden:
                continue
            keys = [lb.key.upper()] if lb.key else []
            act = self._action(lb.name, lambda name=lb.name: self.apply_label(name), keys, local=True, key_id=False,
                               tip=f"Label the selection {lb.name}, or relabel the current entity")
            self.label_menu.addAction(act)
            self.label_actions.append(act)
            if lb.key:
                exact = self._action(f"{lb.name} (exact characters)", lambda name=lb.name: self.apply_label(name, exact=True),
                                     [f"Shift+{lb.key.upper()}"], local=True, key_id=False)
                self.label_actions.append(exact)
        self.label_menu.addSeparator()
        self.label_menu.addAction(self.act_scheme)

    def key_sections(self) -> list[tuple[str, list[QAction]]]:
        """The F1 sheet's sections: the window's own, then what features added with add_action(section=…)."""
        own = [
            ("Entities", [self.act_next_entity, self.act_prev_entity, self.act_delete, self.act_grow_end,
                          self.act_shrink_end, self.act_grow_start, self.act_shrink_start, self.act_clear]),
            ("Documents", [self.act_accept, self.act_skip, self.act_next_doc, self.act_prev_doc,
                           self.act_next_unfinished]),
            ("Editing", [self.act_undo, self.act_redo, self.act_scheme]),
            ("Moving around", [self.act_find, self.act_next_hit, self.act_prev_hit, self.act_focus_docs, self.act_focus_article, self.act_focus_entities,
                               self.act_bigger, self.act_smaller]),
            ("Files", [self.act_new, self.act_open, self.act_import, self.act_export, self.act_quit, self.act_help]),
        ]
        names = [name for name, _ in own]
        merged = [(name, acts + self._sections.get(name, [])) for name, acts in own]
        extra = [(name, acts) for name, acts in self._sections.items() if name not in names]
        return merged[:1] + extra + merged[1:]

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if not getattr(self, "_fitted", False):  # the window manager's frame is known once shown
            self._fitted = True
            QTimer.singleShot(0, self.fit_to_screen)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.save_settings()
        for dialog in self.findChildren(QDialog):
            if getattr(dialog, "running", False):  # an export: cancel it and wait, its folder is removed;
                dialog.done(0)  # a running QThread destroyed with the window would abort the process
        self.files.stop_imports()
        self.models.stop()
        self.session.close()
        super().closeEvent(event)

    # ---- opening documents ----------------------------------------------------
    def first_document(self) -> int | None:
        last = self.settings.last_docs().get(str(self.db_path))
        if last is not None and self.corpus.document_row(int(last)) is not None:
            return int(last)
        return self.corpus.next_unfinished() or self.corpus.neighbour(0, 1)

    @property
    def doc_id(self) -> int | None:
        return self.document.id if self.document else None

    def open_document(self, doc_id: int | None) -> None:
        if doc_id is None:
            self.document = None
            self.tokens = None
            self.article.show_document("", [])
            self.entities.model_.set_spans("", [])
            self.docs.select_document(None)
            self._update_position()
            self.document_opened.emit(None)
            return
        if doc_id == self.doc_id:
            return
        try:
            doc = self.corpus.document(doc_id)
            spans = self.corpus.spans(doc_id)
        except AnnotatorError as exc:
            self.notify(f"Could not open document {doc_id}: {exc}", error=True)
            return
        if self.document is not None and self.document.id != doc_id:
            self.notice.hide()  # a message about the article left behind would be stale here
        self.document = doc
        self.tokens = TokenCache(doc.text, self.corpus.meta("lang", "en") or "en")
        self.article.show_document(doc.text, spans)
        self.entities.model_.set_spans(doc.text, self.article.ordered_spans())
        self.docs.select_document(doc_id)
        self._update_position()
        self.mark_search_hits()
        self.document_opened.emit(doc_id)
        if not self._warmed:
            self._warmed = True
            QTimer.singleShot(500, self._warm_tokenizer)

    def _warm_tokenizer(self) -> None:
        """Load the tokenizer off the GUI thread once the article is on screen, so the first snap is instant."""
        from annotator.nlp.tokens import tokenizer

        lang = self.tokens.lang if self.tokens else "en"
        run_in_background(lambda: tokenizer(lang))

    def reload_view(self) -> None:
        """Re-read what is shown from the database (after an error, so the view never lies)."""
        try:
            self.reload_labels()
            self.docs.model.refresh()
            self.docs.update_progress()
            if self.document is not None:
                doc_id = self.document.id
                if self.corpus.document_row(doc_id) is None:
                    self.document = None
                    self.open_document(self.corpus.next_unfinished())
                    return
                self.document = self.corpus.document(doc_id)
                self.article.reload_spans(self.corpus.spans(doc_id))
                self.entities.model_.set_spans(self.document.text, self.article.ordered_spans())
                self.entities.show_current(self.article.current_id)
                self.docs.select_document(doc_id)
                self.stance.panel.reload()
            self._update_position()
        except AnnotatorError as exc:
            log.error("could not re-read the database: %s", exc)
            self.notify(f"Could not re-read the database: {exc}", error=True)

    def reload_labels(self) -> None:
        # an imported scheme may give a label a key the window uses itself: the window's key wins
        self.labels = [replace(lb, key="") if lb.key in WINDOW_KEYS else lb for lb in self.corpus.labels()]
        self.article.set_labels(self.labels)
        self.legend.set_labels(self.labels)
        self.entities.model_.colours = {lb.name: entity_colours(lb.color, QApplication.palette(), lb.hidden) for lb in self.labels}
        self._rebuild_label_actions()
        if self.document is not None:
            self.article.reload_spans(self.corpus.spans(self.document.id))
            self.entities.model_.set_spans(self.document.text, self.article.ordered_spans())
            self.entities.show_current(self.article.current_id)
        self.labels_changed.emit()

    def step_document(self, step: int) -> None:
        if self.document is None:
            return
        row = self.docs.model.row_of(self.document.id)
        target = None
        if row is not None:
            doc = self.docs.model.row(row + step)
            target = doc.id if doc else None
        else:
            target = self.corpus.neighbour(self.document.id, step)
        if target is None:
            self.notify("This is the last document." if step > 0 else "This is the first document.")
            return
        self.open_document(target)

    def open_next_unfinished(self) -> None:
        nxt = self.corpus.next_unfinished(self.doc_id)
        if nxt is None or nxt == self.doc_id:
            self.notify("Every document is accepted or skipped.")
            return
        self.open_document(nxt)

    # ---- editing ------------------------------------------------------------------
    def reveal(self, change: Change) -> None:
        """After an undo or redo: frame the entity it touched (or put the caret where one went), so the
        user sees what changed instead of the top of a reopened article."""
        if self.document is None or change.doc_id != self.document.id:
            return
        ops = change.touched("spans")
        present = [op.after for op in ops if op.after and op.after["id"] in self.article.spans]
        if present:
            self.article.set_current(min(present, key=lambda r: r["start"])["id"], move_caret=True)
        elif ops:
            start = min(op.before["start"] for op in ops if op.before)
            self.article.select_range(start, start)
            self.article.ensure_visible(start, start)

    def show_box(self, title: str, text: str) -> QMessageBox:
        """A non-modal warning: work can go on while it is open."""
        box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Ok, self)
        box.setModal(False)
        box.setTextFormat(Qt.PlainText)
        box.finished.connect(lambda _=0, b=box: self._message_boxes.remove(b) if b in self._message_boxes else None)
        self._message_boxes.append(box)
        box.show()
        return box

    def _on_change(self, change: Change) -> None:
        """Called by the corpus after each commit: draw exactly what changed."""
        try:
            self._draw_change(change)
        except Exception:  # the edit is committed; show the bug and redraw from the database
            sys.excepthook(*sys.exc_info())
            self.reload_view()
        self.corpus_changed.emit(change)

    def _draw_change(self, change: Change) -> None:
        if change.touched("labels"):
            self.reload_labels()
        elif self.document is not None and change.doc_id == self.document.id:
            ops = change.touched("spans")
            if ops:
                removed = [op.before for op in ops if op.before]
                added = [op.after for op in ops if op.after and op.after["doc_id"] == self.document.id]
                self.article.apply_span_rows(removed, added)
                self.entities.model_.update_spans(self.article.ordered_spans())
                self.entities.show_current(self.article.current_id)
        for op in change.touched("documents"):
            row = op.after or {}
            if self.document is not None and row.get("id") == self.document.id and "status" in row:
                self.document = Document(**{**self.document.__dict__, "status": row["status"]})
        if change.doc_id is not None:
            self.docs.model.update_document(change.doc_id)
        if change.touched("documents"):
            self.docs.update_progress()
            if self.document is not None:
                self.docs.select_document(self.document.id)
        self._update_position(recount=bool(change.touched("documents")))

    # ---- user actions ---------------------------------------------------------------
    def notify(self, text: str, error: bool = False) -> None:
        """A message for the user, shown once: in the notice under the article (the status bar keeps the edit status,
        and drops an older message there so the two never show the same or conflicting words)."""
        self.statusBar().clearMessage()
        self.notice.show_message(text, error)

    def apply_label(self, label: str, exact: bool = False) -> None:
        if self.document is None:
            self.notify("No document is open.")
            return
        selection = self.article.selection()
        if selection:
            start, end = self.tokens.snap_selection(*selection, exact=exact)
            if start >= end:
                self.notify("The selection holds only spaces.")
                return
            doc_id = self.document.id
            if self.run_edit(lambda: self.corpus.plan_add_span(doc_id, start, end, label)).ok:
                added = [s for s in self.article.ordered_spans() if (s.start, s.end) == (start, end)]
                if added:
                    self.article.set_current(added[0].id, move_caret=True)
                # snapping stops at a ‘s possessive the tokenizer keeps whole ("Kyiv‘s"): warn then too
                self._warn_if_split_token(start, end, label)
            return
        current = self.article.current()
        if current is None:
            self.notify("Select some text, or move to an entity with Tab, then press a label key.")
            return
        self.run_edit(lambda: self.corpus.plan_relabel_span(current.id, label))

    def _warn_if_split_token(self, start: int, end: int, label: str) -> None:
        """An entity inside a token of spaCy's own tokenizer ("Kyiv" in "Kyiv‘s") is kept as asked and exported on
        split tokens, but a model trained on the export still reads the whole token: say so now, in the floating
        message (the status bar would cut it off)."""
        from annotator.nlp.tokens import model_whole_tokens

        text = self.document.text
        whole = self.tokens.whole_tokens(start, end)  # the lines' tokens, tokenized once per article
        if whole == (start, end):
            whole = model_whole_tokens(text, start, end, self.tokens.lang)
        if whole == (start, end):
            return
        self.notify(f"{label} “{text[start:end]}” is saved on exactly those characters and exported on split tokens, "
                    f"but spaCy's tokenizer reads “{text[whole[0]:whole[1]]}” as whole tokens: a model trained on the "
                    "export may not find such entities.")

    def delete_entity(self) -> None:
        current = self.article.current()
        if current is None:
            self.notify("No entity here: move to one with Tab, or click it.")
            return
        ordered = self.article.ordered_spans()
        i = ordered.index(current)
        if self.run_edit(lambda: self.corpus.plan_delete_span(current.id)).ok:
            rest = self.article.ordered_spans()
            if rest:
                self.article.set_current(rest[min(i, len(rest) - 1)].id, move_caret=True)

    def step_edge(self, edge: str, grow: bool) -> None:
        current = self.article.current()
        if current is None:
            self.notify("No entity here: move to one with Tab, or click it.")
            return
        start, end = self.tokens.step(current.start, current.end, edge, grow)
        if (start, end) == (current.start, current.end):
            self.notify("The entity cannot move that way.")
            return
        if self.run_edit(lambda: self.corpus.plan_resize_span(current.id, start, end)).ok:
            self.article.set_current(current.id)

    def move_entity(self, step: int) -> None:
        spans = self.article.ordered_spans()
        if not spans:
            self.notify("This article has no entities.")
            return
        current = self.article.current()
        if current is not None:
            i = spans.index(current) + step
        else:
            caret = self.article.caret()
            if step > 0:
                i = next((k for k, s in enumerate(spans) if s.start >= caret), len(spans))
            else:
                i = next((k for k in range(len(spans) - 1, -1, -1) if spans[k].end <= caret), -1)
        if 0 <= i < len(spans):
            self.article.set_current(spans[i].id, move_caret=True)
        else:
            self.notify("No more entities this way.")

    def clear_selection(self) -> None:
        cur = self.article.textCursor()
        cur.clearSelection()
        self.article.setTextCursor(cur)
        self.notice.hide()

    def accept_document(self) -> None:
        """Accept, but never over an open stance form (what was typed would be lost), and only after a
        warning while flagged entities remain (a second accept then goes ahead)."""
        if self.document is None:
            return
        if self.stance.form_open():
            self.notify("The stance form is open: save it (Return) or cancel it (Esc) first; the article was not accepted.",
                        error=True)
            return
        n = len(self.flags.flagged)
        if n and self._accept_warned != self.document.id and self.document.status != ACCEPTED:
            self._accept_warned = self.document.id
            key = self.flags.act_next.shortcut().toString()
            self.notify(f"{n} flagged entit{'y is' if n == 1 else 'ies are'} not reviewed ({key} goes to the next). "
                        "Accept again to accept the article as it is.", error=True)
            return
        self._accept_warned = None
        self._finish_document(ACCEPTED)

    def skip_document(self) -> None:
        self._finish_document(SKIPPED)

    def _finish_document(self, status: str) -> None:
        if self.document is None:
            return
        doc_id = self.document.id
        plan = next((p for p in (f(doc_id, status) for f in self.status_planners) if p is not None), None)
        plan = plan or (lambda: self.corpus.plan_set_status(doc_id, status))
        if self.document.status != status and not self.run_edit(plan).ok:
            return
        self.open_next_unfinished()

    def _current_changed(self, span_id) -> None:
        self.entities.show_current(span_id)
        self._update_position(recount=False)

    def _entity_chosen(self, span_id) -> None:
        self.article.set_current(span_id, move_caret=True)

    def mark_search_hits(self) -> list[tuple[int, int]]:
        """Mark where the list's search finds its words in the open article (F3 steps through them)."""
        query = self.docs.model.search or ""
        hits = search_hits(self.document.text, query) if self.document is not None and query else []
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(SEARCH_HIT_COLOUR))
        fmt.setForeground(QColor("#000000"))
        self.article.set_marks("search", hits, fmt if hits else None)
        self._hits = hits
        return hits

    def step_hit(self, step: int) -> None:
        """F3 / Shift+F3: select the next (previous) search hit after the caret, scrolled into view with
        context; past the last one, open the next document the search found at its first hit."""
        if not self.docs.model.search:
            self.notify("Type a search first (Ctrl+F): F3 steps through what it finds.")
            return
        hits = getattr(self, "_hits", [])
        selection = self.article.selection()
        caret = self.article.caret() if selection is None else (selection[1] if step > 0 else selection[0])
        ahead = [h for h in hits if h[0] >= caret] if step > 0 else [h for h in hits if h[1] <= caret]
        if ahead:
            hit = ahead[0] if step > 0 else ahead[-1]
            self.article.select_range(*hit)
            self.article.ensure_visible(*hit)
            return
        row = self.docs.model.row_of(self.doc_id) if self.doc_id is not None else None
        nxt = self.docs.model.row((row if row is not None else -1) + step) if (row is not None or step > 0) else None
        if nxt is None:
            self.notify("No more search hits this way." if hits else "The search finds nothing more.")
            return
        self.open_document(nxt.id)
        if self._hits:
            hit = self._hits[0] if step > 0 else self._hits[-1]
            self.article.select_range(*hit)
            self.article.ensure_visible(*hit)

    def focus_search(self) -> None:
        self.docs.search_box.setFocus()
        self.docs.search_box.selectAll()

    def focus_entities(self) -> None:
        self.side.setCurrentWidget(self.entities)
        self.entities.setFocus()

    def zoom(self, step: int) -> None:
        font = self.article.font()
        font.setPointSizeF(min(28.0, max(8.0, font.pointSizeF() + step)))
        self.article.setFont(font)

    def show_tags(self, shown: bool) -> None:
        self.article.set_tags_shown(shown)
        self.settings.store("view/tags", shown)

    def set_theme(self, key: str) -> None:
        self.settings.store("view/theme", key)
        app = QApplication.instance()
        apply_theme(app, None if key == "system" else key == "dark")
        self.refresh_colours()

    def refresh_colours(self) -> None:
        self.reload_labels()

    def _system_scheme_changed(self, *_args) -> None:
        if self.settings.value("view/theme", "system") == "system":
            self.set_theme("system")

    # ---- dialogs -------------------------------------------------------------------
    def show_label_scheme(self) -> None:
        from annotator.ui.labels_dialog import LabelSchemeDialog

        if getattr(self, "label_dialog", None) is None:
            self.label_dialog = LabelSchemeDialog(self)
        self.label_dialog.show()
        self.label_dialog.raise_()
        self.label_dialog.activateWindow()

    def show_shortcuts(self) -> None:
        extra = stance_form_rows(value_keys(self.corpus.stance_values()))
        ids = {}
        for section, actions in self.key_sections():
            for action in actions:
                name = (action.property("cheat_text") or action.text()).replace("&", "").rstrip("…").strip()
                if action.property("key_id"):
                    ids[(section, name)] = action.property("key_id")
        self.cheat_sheet = CheatSheet(cheat_sheet_rows(self.key_sections(), self.labels, extra), self, self.keymap, ids)
        self.cheat_sheet.show()

    def show_about(self) -> None:
        plain_box(QMessageBox.Information, "About annotator",
                  "annotator: correct spaCy entities, tag stances and export gold training data.\n"
                  f"Database: {self.db_path}", self).exec()

    def show_export(self) -> None:
        from annotator.ui.export_dialog import ExportDialog  # written by the export work; optional until then

        self.export_dialog = ExportDialog(self.db_path, self)
        self.export_dialog.show()

    def show_restore(self) -> None:
        from annotator.ui.restore_dialog import RestoreDialog

        self.restore_dialog = RestoreDialog(self.db_path, self)
        self.restore_dialog.accepted.connect(lambda: self.open_database(self.db_path, force=True))
        self.restore_dialog.show()

    # ---- status -------------------------------------------------------------------------
    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.db_path.name} — annotator")

    def _update_position(self, recount: bool = True) -> None:
        if self.document is None:
            self.position_label.setText("no document")
            return
        if recount:
            self._doc_row = self.corpus.document_index(self.document.id)
            self._doc_total = self.corpus.count_documents()
        row = self._doc_row
        status = STATUS_NAMES.get(self.document.status, self.document.status)
        current = self.article.current()
        where = ""
        if current is not None:
            words = " ".join(self.document.text[current.start : current.end].split())
            where = f"  ·  {current.label} “{words[:40]}{'…' if len(words) > 40 else ''}”"
        self.position_label.setText(
            f"document {row + 1 if row is not None else '?'} of {self._doc_total}  ·  {status}"
            f"  ·  {len(self.article.spans)} entities{where}"
        )
