"""The window's dashboard (View ▸ Dashboard), metadata panel and list filters.

The dashboard is a window of its own beside the main one, reading the window's corpus; it is
recomputed when it is shown after an edit. Activating a stance record in it opens the article
at the evidence in the main window. The metadata panel is a side tab; its edits go through the
window's edit path (undoable), and the document list's outlet choices follow them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject

from annotator.core.doc_metadata import COLUMNS
from annotator.session.changes import Change
from annotator.ui.dashboard import Dashboard
from annotator.ui.metadata_panel import MetadataPanel

METADATA_COLUMNS = frozenset(COLUMNS)


class WindowDashboard(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.dashboard: Dashboard | None = None
        self.act_dashboard = window.add_action(
            "&Dashboard", self.show_dashboard, ["Ctrl+Shift+D"], menu="&View", section="Moving around",
            tip="Stance matrix and timeline, progress and entities, over filtered documents")
        self.act_metadata = window.add_action(
            "Document &metadata", self.focus_metadata, ["Ctrl+5"], menu="&View", section="Moving around",
            tip="Publication date, outlet, URL and author of the open document")
        self.panel = MetadataPanel(window.run_edit)
        window.add_side_panel(self.panel, "Metadata")
        window.docs.message.connect(window.notify)
        window.document_opened.connect(self._document_opened)
        window.corpus_changed.connect(self._changed)
        window.corpus_opened.connect(self._corpus_opened)
        self._document_opened(window.doc_id)

    # ---- metadata -----------------------------------------------------------------------
    def _document_opened(self, doc_id) -> None:
        self.panel.set_document(self.window.corpus, doc_id)

    def focus_metadata(self) -> None:
        w = self.window
        w.side.setCurrentWidget(self.panel)
        self.panel.edits["published"].setFocus()

    def _changed(self, change: Change) -> None:
        touched = {c for op in change.touched("documents") for row in (op.before, op.after) if row for c in row}
        if touched & METADATA_COLUMNS or (change.touched("documents") and change.doc_id is None):
            self.window.docs.metadata_changed()  # outlets and their counts; the list's filter may now hold others
            if self.panel.meta is not None:
                self.panel.reload()
        if self.dashboard is not None:
            self.dashboard.corpus_changed()

    def _corpus_opened(self) -> None:
        self._document_opened(self.window.doc_id)
        if self.dashboard is not None:
            self.dashboard.close()
            self.dashboard.deleteLater()
            self.dashboard = None

    # ---- the dashboard ----------------------------------------------------------------------
    def show_dashboard(self) -> Dashboard:
        if self.dashboard is None:
            # a window of its own, not a child of the main one: the main window's keys (Enter, the label
            # keys) must not act on the article while the dashboard has the focus; it closes with the window
            self.dashboard = Dashboard(self.window.corpus)
            self.window.installEventFilter(self)
            self.dashboard.setWindowTitle(f"Dashboard — {self.window.db_path.name}")
            self.dashboard.evidence_requested.connect(self.open_evidence)
            self.dashboard.resize(1100, 720)
        self.dashboard.show()
        self.dashboard.raise_()
        self.dashboard.activateWindow()
        self.dashboard.corpus_changed()
        return self.dashboard

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if obj is self.window and event.type() == QEvent.Close and self.dashboard is not None:
            self.dashboard.close()
        return False

    def open_evidence(self, doc_id: int, start, end) -> None:
        w = self.window
        w.open_document(doc_id)
        if w.doc_id != doc_id:
            return
        if start is not None and end is not None:
            w.article.select_range(end, start)  # caret at the start, so a long sentence shows from its beginning
            w.article.ensure_visible(start, end)
            w.article.flash((start, end))
        w.raise_()
        w.activateWindow()
        w.article.setFocus()
