"""The stance panel: the article's stance records grouped by target; the stance key opens its editor.

Offsets in and out of this module are Python code points; the window converts at its Qt boundary.
Every edit is planned by annotator.session.stances and handed to push(change): in the window that is
the window's own push, so entity and stance edits are one undo history whose commands commit on
their first redo; nothing is shown as saved before it is in the file.
"""

from __future__ import annotations

import itertools
import weakref

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Stance
from annotator.nlp.sentences import sentence_at
from annotator.session import Change
from annotator.session.stances import (
    ARTICLE_HOLDER,
    default_speaker,
    holder_choices,
    new_stance_id,
    plan_add_stance,
    plan_delete_stance,
    plan_update_stance,
    snap_to_tokens,
)
from annotator.ui.edits import EditRunner
from annotator.ui.plain import tip
from annotator.ui.stance_editor import StanceEditor, elide, value_keys
from annotator.ui.workers import run_in_background

# entities that cannot hold an opinion are not offered as holders
TREE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2)
STANCE_ID = Qt.ItemDataRole.UserRole
SCHEME_TABLES = ("stances", "stance_targets", "stance_values")  # what the tree shows
# a colour per value, for the list and the evidence underlines: readable on light and dark entity colours
VALUE_COLOURS = {"FAVOR": "#2b8a3e", "AGAINST": "#c92a2a", "NEUTRAL": "#4c6ef5"}
SPARE_COLOURS = ("#e67700", "#862e9c", "#0b7285", "#5f3dc4", "#495057")


def value_colours(values: list[str], dark: bool = False) -> dict[str, str]:
    """Lighter on a dark theme, where the plain ones sink into the background."""
    spare = iter(SPARE_COLOURS)
    colours = {v: VALUE_COLOURS.get(v) or next(spare, SPARE_COLOURS[-1]) for v in values}
    return {v: QColor(c).lighter(165).name() for v, c in colours.items()} if dark else colours


def is_dark(widget: QWidget) -> bool:
    return widget.palette().color(QPalette.ColorRole.Base).lightness() < 128


class _Relay(QObject):
    """Carries a worker thread's result to the GUI thread (a queued signal).

    One for the process, made on the GUI thread and never released: a worker holding a panel's own relay
    could drop the last reference to it after the panel closed, in the worker's thread, which crashed
    PySide (see annotator.ui.workers.run_in_background)."""

    done = Signal(object, object)  # request token (the asking panel's serial first), result


_RELAY: _Relay | None = None
_PANELS = itertools.count(1)


def _relay() -> _Relay:
    global _RELAY
    if _RELAY is None:
        _RELAY = _Relay()
    return _RELAY


class _FormArea(QScrollArea):
    """Holds the stance form: shown and hidden with it, as tall as it, never wider than the panel."""

    def __init__(self, form: QWidget):
        super().__init__()
        self.setObjectName("stance_form_area")
        hidden = form.isHidden()
        self.setWidget(form)  # this shows the form: keep it as it was
        form.setHidden(hidden)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        # never sideways: the form takes the panel's width (its texts wrap, its lists narrow), so at
        # 200 % nothing of it (the holder, the targets) hides behind a scroll bar
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # on a short screen (1024x640, 200 %) the panel cannot give the form all its height: let it scroll
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        form.installEventFilter(self)
        self.setVisible(not form.isHidden())

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent):  # show()/hide() on the form
            self.setVisible(event.type() == QEvent.Type.ShowToParent)
            self.updateGeometry()
        elif event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return False

    def resizeEvent(self, event) -> None:  # noqa: N802
        bar = self.verticalScrollBar()
        room = self.viewport().width() if not bar.isVisible() else self.width() - bar.width()
        self.widget().setFixedWidth(max(0, room))
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802
        form = self.widget()
        height = form.heightForWidth(self.width()) if form.hasHeightForWidth() else -1
        return QSize(0, height if height > 0 else form.sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # as tall as the form when there is room; on a short screen a few lines, the rest scrolls
        # (its full height as a minimum grew the window past a 200 % screen when the form opened)
        return QSize(0, min(self.sizeHint().height(), 6 * self.fontMetrics().height()))


class StancePanel(QWidget):
    """Stance records of the current article, grouped by target.

    The window calls set_document() when an article opens and tag_at() on the stance key.
    Signals (offsets in code points): evidence_selected(start, end) when a record or a pending
    stance has evidence to show, evidence_cleared() when it has none, records_changed() after
    the records were reloaded (redraw evidence marks from evidence_spans()), editing_finished()
    when the editor closes (give the focus back to the article), message(str) for the status bar.
    """

    evidence_selected = Signal(int, int)
    evidence_cleared = Signal()
    records_changed = Signal()
    editing_finished = Signal()
    message = Signal(str)

    def __init__(self, edits: EditRunner, parent: QWidget | None = None):
        """`edits`: the window's edit path (so entity and stance edits are one undo history); a panel used
        alone gets an EditRunner of its own session."""
        super().__init__(parent)
        self.edits = edits
        edits.reporter.adopt(lambda text, _error=False: self._say(text))
        corpus = self.corpus = edits.session.corpus
        self.lang = corpus.meta("lang", "en")
        self.doc_id: int | None = None
        self.text = ""
        self._stances: list[Stance] = []
        self._spans_cache: list | None = None
        self._colours: dict[str, str] = {}
        self._editing: Stance | None = None  # the record in the editor, None when adding

        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Holder", "Value", "Evidence", "Note"])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.installEventFilter(self)
        self.article_button = QPushButton("Article stance")
        self.article_button.setToolTip("A stance of the whole article on a target, with no evidence span")
        self.edit_button = QPushButton("Edit")
        self.delete_button = QPushButton("Delete")
        self.scheme_button = QPushButton("Targets…")
        # the list cuts long evidence short: the selected record is shown in full below it
        self.detail = QLabel()
        self.detail.setObjectName("stance_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)  # article text is untrusted
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setContentsMargins(6, 4, 6, 4)
        self.detail.hide()
        self.editor = StanceEditor()
        self.editor.hide()

        # two rows of buttons, and the form in a scroll area that scrolls sideways if need be: the panel
        # stays narrow enough for a small screen, and opening the form never widens it (the article
        # beside it keeps its line length; nothing reflows)
        buttons = QGridLayout()
        buttons.addWidget(self.article_button, 0, 0)
        buttons.addWidget(self.scheme_button, 0, 1)
        buttons.addWidget(self.edit_button, 1, 0)
        buttons.addWidget(self.delete_button, 1, 1)
        self.form_area = _FormArea(self.editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addLayout(buttons)
        layout.addWidget(self.form_area)

        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit_selected())
        self.article_button.clicked.connect(self.tag_document)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.scheme_button.clicked.connect(self.open_scheme)
        self._serial = next(_PANELS)  # which panel asked: answers for another are not this one's
        _relay().done.connect(self._holders_found)
        self._holder_request = 0  # the newest suggestion asked for; older answers are dropped
        self.editor.save_requested.connect(self.save)
        self.editor.cancel_requested.connect(self.cancel)

        ref = weakref.ref(self)

        def listener(change: Change) -> None:
            panel = ref()
            if panel is not None and shiboken6.isValid(panel):
                panel._on_corpus_change(change)

        corpus.subscribe(listener)
        self._update_buttons()

    # ---- the window's entry points ----------------------------------------------
    def set_document(self, doc_id: int | None, text: str | None = None) -> None:
        if not self.editor.isHidden() and doc_id != self.doc_id:  # leaving an unfinished form: say so
            self._say("the stance being tagged was not saved: another article was opened before it had a target and a value"
                      if self._editing is None else "the changes to the stance were not saved: another article was opened")
        self.cancel(quiet=True)
        self.doc_id = doc_id
        self.text = "" if doc_id is None else (text if text is not None else self.corpus.document(doc_id).text)
        self.reload()

    def tag_at(self, cursor_pos: int, selection: tuple[int, int] | None = None) -> bool:
        """The stance key: the selection (or the sentence at the cursor) becomes the evidence.

        With the editor already open, the evidence of the pending stance moves there instead.
        Returns False (with a message) when there is nothing to tag.
        """
        if self.doc_id is None or not self._has_targets():
            return False
        s, e = sorted(max(0, min(p, len(self.text))) for p in selection) if selection else (0, 0)
        if self.text[s:e].strip():
            evidence = snap_to_tokens(self.text, s, e, self.lang)
        else:
            evidence = sentence_at(self.text, max(0, min(cursor_pos, len(self.text))), self.lang)
            if evidence is None:
                self._say("put the cursor in a sentence (or select a quote) to tag a stance")
                return False
        if not self.editor.isHidden():  # open (isVisible would be False while the panel's dock is closed)
            self.editor.set_evidence(evidence)
            self.evidence_selected.emit(*evidence)
            self.editor.setFocus()
            if self._editing is None:
                self.editor.suggestion_pending = True
                self.suggest_holders(evidence)
            return True
        self._open_editor(None, evidence, self._default_speaker(evidence))
        return True

    def _has_targets(self) -> bool:
        """A new corpus has no stance targets: say where they come from, and offer the dialog that takes them."""
        if self.corpus.stance_targets(include_hidden=False):
            return True
        self._say("this corpus has no stance targets yet: add them, or take them from a file or another corpus "
                  "(Edit ▸ Stance targets and values…)")
        self.scheme_dialog = self.open_scheme()
        return False

    def tag_document(self) -> bool:
        """A stance of the whole article: no evidence; the holder defaults to 'the article'."""
        if self.doc_id is None or not self._has_targets():
            return False
        self._open_editor(None, None, None)
        return True

    def edit_selected(self) -> bool:
        stance = self.selected_stance()
        if stance is None:
            self._say("select a stance to edit")
            return False
        self._open_editor(stance, None if stance.document_level else (stance.ev_start, stance.ev_end), None)
        return True

    def delete_selected(self) -> bool:
        stance = self.selected_stance()
        if stance is None:
            self._say("select a stance to delete")
            return False
        return self._commit(lambda: plan_delete_stance(self.corpus, stance.id)) is not None

    def evidence_spans(self) -> list[tuple[int, int, str]]:
        """(start, end, 'TARGET=VALUE') of every evidence span of the article, for the window to mark."""
        return [(s.ev_start, s.ev_end, f"{s.target}={s.value}") for s in self._stances if not s.document_level]

    def records(self) -> list[Stance]:
        """The article's records as the tree shows them."""
        return list(self._stances)

    def selected_stance(self) -> Stance | None:
        item = self.tree.currentItem()
        stance_id = item.data(0, STANCE_ID) if item is not None else None
        return next((s for s in self._stances if s.id == stance_id), None)

    def select_stance(self, stance_id: int) -> None:
        item = self._items().get(stance_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def open_scheme(self):
        from annotator.ui.stance_scheme_dialog import StanceSchemeDialog

        dialog = StanceSchemeDialog(self.edits, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ---- the editor ---------------------------------------------------------
    def _open_editor(self, stance: Stance | None, evidence: tuple[int, int] | None, speaker) -> None:
        self._editing = stance
        targets = self.corpus.stance_targets(include_hidden=False)
        if stance is not None and stance.target not in targets:
            targets.append(stance.target)  # a hidden target stays on its records
        if stance is not None:
            holder = stance.holder_text
        else:
            holder = " ".join(self.text[speaker.start : speaker.end].split()) if speaker is not None else ARTICLE_HOLDER
        self.editor.load(
            adding=stance is None,
            text=self.text,
            evidence=evidence,
            holders=self._holder_choices(evidence, speaker),
            holder=holder,
            targets=targets,
            target=stance.target if stance else None,
            values=self.corpus.stance_values(),
            value=stance.value if stance else None,
            note=stance.note if stance else "",
        )
        self.editor.show()
        self.editor.setFocus()
        self._show_detail()
        if evidence is not None:
            self.evidence_selected.emit(*evidence)
        else:
            self.evidence_cleared.emit()
        if stance is None and evidence is not None:
            self.suggest_holders(evidence)

    def suggest_holders(self, evidence: tuple[int, int]) -> None:
        """Rank holders from the sentence's parse on a worker thread (the parser loads on first use);
        the form shows the best when it arrives, unless the analyst has chosen one meanwhile."""
        from annotator.session.holders import rank_holders

        self._holder_request += 1
        token = (self._serial, self._holder_request, self.doc_id, evidence)
        text, spans, relay = self.text, list(self._spans), _relay()
        key = (str(self.corpus.path), self.doc_id)

        def work():
            try:
                result = rank_holders(text, spans, evidence[0], evidence[1], key=key)
            except Exception as exc:  # a missing parser must not break the form: the nearest entity stays
                result = exc
            relay.done.emit(token, result)

        run_in_background(work)

    def _holders_found(self, token, result) -> None:
        if not shiboken6.isValid(self) or token[0] != self._serial:
            return
        if token[1] != self._holder_request or self.editor.isHidden() or token[2] != self.doc_id:
            return
        if isinstance(result, Exception):
            self.editor.propose_holders([])
            self._say(f"holder suggestions are unavailable: {result}")
            return
        spans = {s.id: s for s in self._spans}
        cands = [(c.text, c.span_id if c.span_id in spans else None, c.label, c.reason) for c in result]
        self.editor.propose_holders(cands)

    def save(self) -> bool:
        ed = self.editor
        if ed.isHidden() or self.doc_id is None:
            return False
        target, value = ed.target(), ed.value()
        if not target:
            ed.show_error("pick a target: press its number")
            return False
        if not value:
            keys = ", ".join(f"{k} {v}" for v, k in value_keys(self.corpus.stance_values()).items())
            ed.show_error(f"pick a value: {keys}")
            return False
        holder_text, holder_id = ed.chosen_holder()
        evidence = ed.chosen_evidence()
        note = ed.note.text()
        stance = self._editing
        if stance is None:
            doc_id = self.doc_id

            def plan():
                return plan_add_stance(self.corpus, doc_id, target, value, holder_span_id=holder_id, holder_text=holder_text,
                                       ev_start=evidence[0] if evidence else None, ev_end=evidence[1] if evidence else None,
                                       note=note)
        else:
            fields = {}
            if target != stance.target:
                fields["target"] = target
            if value != stance.value:
                fields["value"] = value
            if note.strip() != stance.note:
                fields["note"] = note
            if holder_text != stance.holder_text:
                fields.update(holder_span_id=holder_id, holder_text=holder_text)
            if evidence != (None if stance.document_level else (stance.ev_start, stance.ev_end)):
                fields.update(ev_start=evidence[0] if evidence else None, ev_end=evidence[1] if evidence else None)
            if not fields:
                self.cancel()
                return True

            def plan():
                return plan_update_stance(self.corpus, stance.id, **fields)
        change = self._commit(plan, show=ed.show_error)
        if change is None:
            return False
        self.cancel(quiet=True)
        self.select_stance(new_stance_id(change) if stance is None else stance.id)
        self.editing_finished.emit()
        return True

    def cancel(self, quiet: bool = False) -> None:
        was_open = not self.editor.isHidden()
        self._editing = None
        self.editor.hide()
        self._show_detail()
        if was_open and not quiet:
            self._on_current(self.tree.currentItem())
            self.editing_finished.emit()

    # ---- committing -----------------------------------------------------------
    def _commit(self, plan, show=None) -> Change | None:
        """The one edit path; a refused edit leaves everything as it was and says why (in the form too)."""
        result = self.edits.run(plan)
        if not result.ok:
            if show:
                show(result.message if result.change is None else "not saved: the file refused the edit (see the message)")
            if result.change is None:  # refused while planning: the runner said it in the window's way
                self._say(result.message)
            return None
        return result.change

    def _on_corpus_change(self, change: Change) -> None:
        if self.doc_id is None or change.doc_id not in (self.doc_id, None):
            return
        if any(change.touched(table) for table in SCHEME_TABLES):
            self.reload()
        else:
            # an entity or label edit (the hot path) costs the panel nothing until it next offers holders
            self._spans_cache = None

    @property
    def _spans(self) -> list:
        if self._spans_cache is None:
            self._spans_cache = self.corpus.spans(self.doc_id) if self.doc_id is not None else []
        return self._spans_cache

    # ---- the tree ---------------------------------------------------------------
    def reload(self) -> None:
        current = self.selected_stance()
        self._stances = self.corpus.stances(self.doc_id) if self.doc_id is not None else []
        self._spans_cache = None
        self.tree.blockSignals(True)
        self.tree.clear()
        order = {t: i for i, t in enumerate(self.corpus.stance_targets())}
        by_target: dict[str, list[Stance]] = {}
        for stance in self._stances:
            by_target.setdefault(stance.target, []).append(stance)
        self._colours = value_colours(self.corpus.stance_values(), is_dark(self.tree))
        no_notes = not any(s.note for s in self._stances)
        if self.tree.isColumnHidden(3) != no_notes:
            self.tree.setColumnHidden(3, no_notes)
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for target in sorted(by_target, key=lambda t: (order.get(t, len(order)), t)):
            records = sorted(by_target[target], key=lambda s: (s.ev_start is not None, s.ev_start or 0, s.id))
            head = QTreeWidgetItem([f"{target} ({len(records)})"])
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(head)
            head.setFirstColumnSpanned(True)
            for stance in records:
                head.addChild(self._record_item(stance))
            head.setExpanded(True)
        if current is not None:
            self.select_stance(current.id)  # quietly: a reload must not scroll the article
        self.tree.blockSignals(False)
        self._update_buttons()
        self.records_changed.emit()

    def _record_item(self, stance: Stance) -> QTreeWidgetItem:
        evidence = "— whole article —" if stance.document_level else elide(self.text[stance.ev_start : stance.ev_end], 120)
        holder = stance.holder_text
        item = QTreeWidgetItem([holder, stance.value, evidence, stance.note])
        item.setData(0, STANCE_ID, stance.id)
        item.setForeground(1, QColor(self._colours.get(stance.value, SPARE_COLOURS[-1])))
        item.setToolTip(1, "the underline colour of its evidence in the article")
        if stance.holder_span_id is None and stance.holder_start is not None:
            item.setText(0, f"{holder} (entity removed)")
            item.setToolTip(0, "The entity that held this stance was deleted; the record keeps its text.")
        if not stance.document_level:
            item.setToolTip(2, tip(elide(self.text[stance.ev_start : stance.ev_end], 1000)))
        return item

    def _items(self) -> dict[int, QTreeWidgetItem]:
        out = {}
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            for j in range(head.childCount()):
                out[head.child(j).data(0, STANCE_ID)] = head.child(j)
        return out

    def _on_current(self, item, *_):
        self._update_buttons()
        stance = self.selected_stance()
        if stance is None or not self.editor.isHidden():
            return
        if stance.document_level:
            self.evidence_cleared.emit()
        else:
            self.evidence_selected.emit(stance.ev_start, stance.ev_end)

    def _update_buttons(self) -> None:
        has_doc = self.doc_id is not None
        selected = self.selected_stance() is not None
        self.article_button.setEnabled(has_doc)
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
        self._show_detail()

    def _show_detail(self) -> None:
        stance = self.selected_stance()
        if stance is None or not self.editor.isHidden():
            self.detail.hide()
            return
        if stance.document_level:
            evidence = "The article's overall stance (no evidence)."
        else:
            evidence = f"“{elide(self.text[stance.ev_start : stance.ev_end], 600)}”"
        lines = [f"{stance.holder_text} → {stance.target}: {stance.value}", evidence]
        if stance.note:
            lines.append(f"Note: {stance.note}")
        self.detail.setText("\n".join(lines))
        self.detail.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree and event.type() == QEvent.Type.ShortcutOverride and event.key() in TREE_KEYS:
            event.accept()
            return True
        if watched is self.tree and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.delete_selected()
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
                self.edit_selected()
                return True
        return super().eventFilter(watched, event)

    # ---- helpers --------------------------------------------------------------------
    def _default_speaker(self, evidence: tuple[int, int]):
        return default_speaker(self.text, self._spans, evidence, self.lang)

    def _holder_choices(self, evidence: tuple[int, int] | None, speaker) -> list[tuple[str, int | None, str]]:
        return holder_choices(self.text, self._spans, evidence, speaker)

    def _say(self, text: str) -> None:
        self.message.emit(text)
