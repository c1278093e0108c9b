"""Flagged model spans in the window: a wavy mark in the article, ⚠ in the entity list, the count on
the Accept button, a key to go to the next flag and one-key fixes (annotator.session.flags)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import QPushButton

from annotator.session.changes import Change
from annotator.session.flags import FlaggedSpan, flagged_in, next_flag, plan_fix_all_flags, plan_fix_flag, plan_keep_span
from annotator.ui.stance_panel import is_dark

MARK_LAYER = "flags"


def flag_format(dark: bool = False) -> QTextCharFormat:
    """A wavy underline and a text colour of its own: a thin wave alone is lost on the entity colours."""
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    fmt.setUnderlineColor(QColor("#ffd43b" if dark else "#c00000"))
    fmt.setForeground(QColor("#ffe066" if dark else "#8b0000"))
    return fmt


class WindowFlags(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.flagged: list[FlaggedSpan] = []
        a = window.add_action
        self.act_next = a("Next &flagged entity", self.go_next, ["Ctrl+G"], local=True, menu="&Edit", section="Flags",
                          tip="Go to the next entity the model probably got wrong (line break, punctuation, possessive)")
        self.act_fix = a("&Fix the flagged entity", self.fix_current, ["Ctrl+T"], local=True, menu="&Edit", section="Flags",
                         tip="Trim the punctuation or possessive of the current flagged entity")
        self.act_fix_all = a("Fix every flagged entity", self.fix_all, ["Ctrl+Shift+F"], local=True, menu="&Edit",
                             section="Flags", tip="Every obvious fix of the article in one step (one undo)")
        self.act_keep = a("&Keep the entity as it is", self.keep_current, ["Ctrl+K"], local=True, menu="&Edit",
                          section="Flags", tip="Reviewed: the flag goes (undo brings it back)")
        self.button = QPushButton("Accept")
        self.button.setObjectName("accept_button")
        self.button.setToolTip("Mark this article accepted and open the next unfinished one")
        self.button.clicked.connect(window.accept_document)
        window.statusBar().addPermanentWidget(self.button)
        self._spans_seen: dict | None = None  # the article's span dict the flags were found in
        window.document_opened.connect(lambda _doc=None: self.refresh())
        # only an entity edit can change the flags (a status or stance edit costs nothing here)
        window.corpus_changed.connect(lambda change=None: self.refresh(change) if change is None or change.touched("spans")
                                      else None)

    # ---- state ------------------------------------------------------------------------
    def refresh(self, change: Change | None = None) -> None:
        """Find the flags of the open article; after an edit of its entities (`change`, already drawn in the
        article) look again at the entities the edit touched only, not at all of them."""
        w = self.window
        if w.document is None:
            self.flagged = []
        elif (change is not None and change.doc_id == w.document.id and not change.touched("labels")
              and w.article.spans is self._spans_seen):  # the article changed by edits alone since
            self.flagged = self._after(change)
        else:
            self.flagged = flagged_in(w.document.text, w.article.ordered_spans())
        self._spans_seen = w.article.spans if w.document is not None else None
        w.article.set_marks(MARK_LAYER, [(f.span.start, f.span.end) for f in self.flagged],
                            flag_format(is_dark(w.article)) if self.flagged else None)
        w.entities.model_.set_flags({f.span.id: f.message for f in self.flagged})
        n = len(self.flagged)
        self.button.setText(f"Accept  ·  {n} flag{'s' if n != 1 else ''} to review" if n else "Accept")
        self.button.setEnabled(w.document is not None)
        self.button.setToolTip(
            f"{self.accept_key()}: mark this article accepted and open the next unfinished one"
            + (f". {n} flagged entit{'y' if n == 1 else 'ies'} not reviewed: {self.act_next.shortcut().toString()} "
               "goes to the next one" if n else "")
        )

    def _after(self, change: Change) -> list[FlaggedSpan]:
        """The flags once `change` is applied: flagged_in over the touched entities, the rest kept."""
        touched = {row["id"] for op in change.touched("spans") for row in (op.before, op.after) if row}
        spans = self.window.article.spans
        kept = [f for f in self.flagged if f.span.id not in touched]
        fresh = flagged_in(self.window.document.text, [spans[i] for i in touched if i in spans])
        if not fresh and len(kept) == len(self.flagged):
            return self.flagged
        return sorted(kept + fresh, key=lambda f: (f.span.start, f.span.end))

    def accept_key(self) -> str:
        keys = self.window.act_accept.shortcuts()
        return keys[0].toString() if keys else "no key"

    def flag_of(self, span_id) -> FlaggedSpan | None:
        return next((f for f in self.flagged if f.span.id == span_id), None)

    # ---- actions ----------------------------------------------------------------------
    def go_next(self) -> None:
        w = self.window
        if not self.flagged:
            w.notify("No flagged entity in this article.")
            return
        current = w.article.current()
        f = next_flag(self.flagged, current.start if current else w.article.caret() - 1)
        w.article.set_current(f.span.id, move_caret=True)
        fix = f"{self.act_fix.shortcut().toString()} fixes it" if f.fix else "no obvious fix"
        w.notify(f"{f.message} ({fix}; {self.act_keep.shortcut().toString()} keeps it as it is).")

    def _current_flag(self) -> FlaggedSpan | None:
        w = self.window
        current = w.article.current()
        f = self.flag_of(current.id) if current else None
        if f is None:
            w.notify("The current entity is not flagged: " + (f"{self.act_next.shortcut().toString()} goes to the next flag."
                                                                if self.flagged else "this article has no flags."))
        return f

    def fix_current(self) -> None:
        f = self._current_flag()
        if f is not None and self.window.run_edit(lambda: plan_fix_flag(self.window.corpus, f.span.id)).ok:
            self.window.article.set_current(f.span.id)

    def fix_all(self) -> None:
        w = self.window
        if w.document is None:
            return
        doc_id = w.document.id
        w.run_edit(lambda: plan_fix_all_flags(w.corpus, doc_id))

    def keep_current(self) -> None:
        f = self._current_flag()
        if f is not None:
            self.window.run_edit(lambda: plan_keep_span(self.window.corpus, f.span.id))
