"""The stance panel in the main window: its tab, its keys and the evidence drawn in the article.

The panel pushes its edits through the window's push(), so entity and stance edits share one
undo history and undo returns to the document of the edit. Offsets are Python code points on
both sides (the article converts at its Qt boundary).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QTextCharFormat

from annotator.ui.stance_panel import StancePanel, is_dark, value_colours

MARK_LAYER = "stance:"  # one article mark layer per stance value


def union(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping evidence (a quote inside a tagged sentence) drawn as one run: the highlighter wants disjoint ranges."""
    out: list[list[int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def mark_format(colour: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    fmt.setUnderlineColor(QColor(colour))
    return fmt


class WindowStances(QObject):
    """Owns the window's stance panel (one per open corpus) and its actions."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.panel: StancePanel | None = None
        self._layers: set[str] = set()
        self.scheme_dialog = None
        self._dark = False
        self._caret: int | None = None  # where the stance key was pressed, given back when the form closes
        a = window.add_action
        self.act_tag = a("Tag a &stance here", self.tag_here, ["S"], local=True, menu="&Edit", section="Stances",
                         tip="The sentence at the caret (or the selected quote) becomes the evidence of a new stance")
        self.act_document = a("Stance of the whole &article", self.tag_document, ["Shift+S"], local=True, menu="&Edit",
                              section="Stances", tip="The article's overall stance on a target, with no evidence span")
        self.act_scheme = a("Stance &targets and values…", self.show_scheme, menu="&Edit",
                            tip="Add, rename, merge, hide or remove stance targets and values")
        self.act_focus = a("Go to stance list", self.focus_list, ["Ctrl+4"], menu="&View", section="Stances")
        window.corpus_opened.connect(self.bind)
        window.document_opened.connect(self._document_opened)
        window.labels_changed.connect(self._recolour)  # also sent after a theme change
        self.bind()

    # ---- one panel per corpus ---------------------------------------------------------
    def bind(self) -> None:
        """(Re)create the panel on the window's current corpus (called again after File ▸ Open)."""
        w = self.window
        old = self.panel
        index = w.side.indexOf(old) if old is not None else -1
        panel = StancePanel(w.edits)
        panel.setObjectName("stance_panel")
        panel.tree.addActions([self.act_tag, self.act_document])
        panel.evidence_selected.connect(self._show_evidence)
        panel.evidence_cleared.connect(self._clear_evidence)
        panel.records_changed.connect(self._draw_marks)
        panel.editing_finished.connect(self._editing_finished)
        panel.message.connect(w.notify)
        if old is not None:
            w.side.removeTab(index)
            old.deleteLater()
            w.side.insertTab(index, panel, "Stances")
        else:
            w.add_side_panel(panel, "Stances")
        self.panel = panel
        if w.document is not None:
            self._document_opened(w.document.id)

    def _document_opened(self, doc_id) -> None:
        if self.panel is None:
            return
        self._layers.clear()  # the article dropped its marks with the previous text
        self._caret = None
        text = self.window.document.text if doc_id is not None else None
        self.panel.set_document(doc_id, text)

    def _recolour(self) -> None:
        if self.panel is not None and self.panel.doc_id is not None and is_dark(self.window.article) != self._dark:
            self.panel.reload()  # the list's value colours, then the underlines through records_changed

    # ---- keys ---------------------------------------------------------------------------
    def _show_panel(self) -> bool:
        w = self.window
        if w.document is None:
            w.notify("No document is open.")
            return False
        w.side.setCurrentWidget(self.panel)  # the form lives in the panel: it must be on screen to take the keys
        return True

    def tag_here(self) -> None:
        if self._show_panel():
            article = self.window.article
            caret = article.caret()
            if self.panel.tag_at(caret, article.selection()):
                self._caret = caret

    def tag_document(self) -> None:
        if self._show_panel():
            self.panel.tag_document()

    def _editing_finished(self) -> None:
        """Back to reading: the caret where it was, the evidence no longer selected (a label key
        pressed next must not turn the sentence into an entity)."""
        article = self.window.article
        selection = article.selection()
        caret = self._caret if self._caret is not None else (selection[0] if selection else None)
        self._caret = None
        if caret is not None:
            article.select_range(caret, caret)
        article.setFocus()

    def focus_list(self) -> None:
        self.window.side.setCurrentWidget(self.panel)
        self.panel.tree.setFocus()

    def show_scheme(self) -> None:
        self.scheme_dialog = self.panel.open_scheme()

    # ---- drawing -----------------------------------------------------------------------
    def _show_evidence(self, start: int, end: int) -> None:
        article = self.window.article
        article.select_range(end, start)  # caret at the start, so a long sentence shows from its beginning
        article.ensure_visible(start, end)
        article.flash((start, end))
        stance = self.panel.selected_stance() if self.panel.editor.isHidden() else None
        if stance is not None and stance.holder_start is not None and not stance.document_level:
            colours = value_colours(self.window.corpus.stance_values(), is_dark(article))
            article.set_link((stance.holder_start, stance.holder_end), (start, end), colours.get(stance.value, "#495057"))
        else:
            article.set_link(None, None)

    def _clear_evidence(self) -> None:
        self.window.article.flash(None)
        self.window.article.set_link(None, None)

    def _draw_marks(self) -> None:
        records = self.panel.records()
        by_value: dict[str, list[tuple[int, int]]] = {}
        for st in records:
            if not st.document_level:
                by_value.setdefault(st.value, []).append((st.ev_start, st.ev_end))
        article = self.window.article
        self._dark = is_dark(article)
        colours = value_colours(self.window.corpus.stance_values(), self._dark)
        layers = set()
        for value, ranges in by_value.items():
            name = MARK_LAYER + value
            layers.add(name)
            article.set_marks(name, union(ranges), mark_format(colours.get(value, "#495057")))
        for name in self._layers - layers:
            article.set_marks(name, [], None)
        self._layers = layers
        tab = self.window.side.indexOf(self.panel)
        title = f"Stances ({len(records)})" if records else "Stances"
        if self.window.side.tabText(tab) != title:  # a new title relays out the tab bar: not on every open
            self.window.side.setTabText(tab, title)

