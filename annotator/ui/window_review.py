"""Several analysts in the window: File ▸ Copy for another annotator…, File ▸ New review…, the
agreement dialog, and the review view of a review corpus.

In a review corpus the gold starts as what every analyst agrees on; each place where the
versions differ is marked in the article (a wavy underline while it is open) and listed in the
Review panel with every analyst's version side by side. The keys settle the current difference
through the window's one edit path (undoable like any edit): take analyst 1, 2… (1, 2…), take
both where they do not overlap (=), reject (−), settle by hand (Ctrl+H: the place is selected,
label it as usual), take all agreed (*), and next / previous difference (] and [). Accepting
(Ctrl+Enter) a review document is refused while a difference is open, and records who said what.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QTextCharFormat

from annotator.core.errors import AnnotatorError
from annotator.core.model import ACCEPTED
from annotator.session.review import (
    Item,
    document_by_sha,
    is_review,
    plan_accept_review,
    plan_by_hand,
    plan_reject,
    plan_take,
    plan_take_agreed,
    plan_take_both,
    review_items,
    versions,
)
from annotator.ui.review_panel import ReviewPanel, kind_text

MARK_OPEN = "review:open"
MAX_ANALYST_KEYS = 9


def open_format(dark: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    fmt.setUnderlineColor(QColor("#ff6e6e" if dark else "#d62828"))
    return fmt


class WindowReview(QObject):
    """Owns the review panel (shown only for review corpora), the review keys and the team dialogs."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.panel: ReviewPanel | None = None
        self.items: list[Item] = []
        self.current: str | None = None
        self.dialog = None  # the last team dialog opened (tests reach it here)
        a = window.add_action
        file_menu = window.menu("&File")
        self.act_copy = a("&Copy for another annotator…", self.show_copy, tip="A corpus for each analyst: the chosen documents, "
                          "their label scheme and stance targets, the model's entities or none")
        self.act_new_review = a("New revie&w…", self.show_new_review, tip="One corpus with every analyst's version, to settle their differences")
        self.act_agreement = a("&Agreement…", self.show_agreement, ["Ctrl+Shift+G"],
                               tip="How far analysts agree: span F1, Cohen's κ, Krippendorff's α, stances")
        quit_action = window.act_quit
        for act in (self.act_copy, self.act_new_review, self.act_agreement):
            file_menu.insertAction(quit_action, act)
        file_menu.insertSeparator(quit_action)

        sec = "Review"
        self.act_next = a("Next difference", lambda: self.step(1), ["]", "F8"], local=True, section=sec)
        self.act_prev = a("Previous difference", lambda: self.step(-1), ["[", "Shift+F8"], local=True, section=sec)
        self.act_take = [
            a(f"Take analyst {i + 1}'s version" + (" (A)" if i == 0 else " (B)" if i == 1 else ""),
              lambda i=i: self.take(i), [str(i + 1)], local=True, section=sec if i < 2 else None)
            for i in range(MAX_ANALYST_KEYS)
        ]
        self.act_both = a("Take both (where they do not overlap)", self.take_both, ["=", "+"], local=True, section=sec)
        self.act_reject = a("Reject every version here", self.reject, ["-"], local=True, section=sec)
        self.act_hand = a("Settle by hand (select the place, label it as usual)", self.by_hand, ["Ctrl+H"], local=True,
                          section=sec)
        self.act_agreed = a("Take all agreed (and clear majorities)", self.take_agreed, ["*", "Ctrl+Shift+A"], local=True,
                            section=sec)
        self.review_actions = [self.act_next, self.act_prev, *self.act_take, self.act_both, self.act_reject, self.act_hand,
                               self.act_agreed]
        # in the Edit menu, shown only while a review corpus is open
        self.menu = window.menu("&Edit").addMenu("Re&view")
        self.menu.addActions([self.act_next, self.act_prev, *self.act_take[:3], self.act_both, self.act_reject, self.act_hand,
                              self.act_agreed])
        window.status_planners.append(self._plan_status)
        window.corpus_opened.connect(self.bind)
        window.document_opened.connect(self._document_opened)
        window.corpus_changed.connect(self._changed)
        window.labels_changed.connect(self._draw_marks)  # also sent after a theme change
        self.bind()

    # ---- one panel, for review corpora only ---------------------------------------------
    @property
    def active(self) -> bool:
        return self.panel is not None

    def bind(self) -> None:
        w = self.window
        review = is_review(w.corpus)
        if self.panel is not None and not review:
            w.side.removeTab(w.side.indexOf(self.panel))
            self.panel.deleteLater()
            self.panel = None
        elif self.panel is None and review:
            self.panel = ReviewPanel()
            self.panel.difference_chosen.connect(self.go_to)
            self.panel.table.addActions(self.review_actions)
            index = w.add_side_panel(self.panel, "Review")
            w.side.tabBar().moveTab(index, 0)
            w.side.setCurrentWidget(self.panel)
        self.menu.menuAction().setVisible(review)
        for act in self.review_actions:
            act.setEnabled(review)
        self.current = None
        if w.document is not None:
            self._document_opened(w.document.id)

    def _document_opened(self, doc_id) -> None:
        self.current = None
        if self.active:
            self.refresh()
            first = next((it for it in self.items if it.open), None)
            if first is not None:
                self.go_to(first.key, flash=False)

    def _changed(self, change) -> None:
        w = self.window
        if self.active and w.document is not None and w.document.id in change.docs():
            self.refresh()

    def refresh(self) -> None:
        w = self.window
        if w.document is None:
            self.items = []
            self.panel.show_document([], [], "", None)
            return
        doc_id = w.document.id
        try:
            items = review_items(w.corpus, doc_id)
            vers = versions(w.corpus, doc_id)
        except AnnotatorError as exc:
            w.notify(f"Could not read the versions: {exc}", error=True)
            return
        self.items = [it for it in items if not it.agreed]
        if self.current not in {it.key for it in self.items}:
            self.current = None
        self.panel.show_document(vers, items, w.document.text, self.current)
        self._draw_marks()
        tab = w.side.indexOf(self.panel)
        n_open = sum(1 for it in self.items if it.open)
        title = f"Review ({n_open})" if n_open else "Review"
        if w.side.tabText(tab) != title:
            w.side.setTabText(tab, title)

    def _draw_marks(self) -> None:
        if not self.active:
            return
        article = self.window.article
        dark = article.palette().color(article.palette().ColorRole.Base).lightness() < 128
        ranges = _union([(it.start, it.end) for it in self.items if it.open and it.end > it.start])
        article.set_marks(MARK_OPEN, ranges, open_format(dark) if ranges else None)

    # ---- moving between differences ----------------------------------------------------------
    def _item(self) -> Item | None:
        return next((it for it in self.items if it.key == self.current), None)

    def go_to(self, key: str, flash: bool = True) -> None:
        item = next((it for it in self.items if it.key == key), None)
        if item is None:
            return
        self.current = key
        self.panel.select(key)
        article = self.window.article
        if item.end > item.start:
            article.select_range(item.start, item.start)
            article.ensure_visible(item.start, item.end)
            if flash:
                article.flash((item.start, item.end))
        where = kind_text(item) + (" (stance)" if item.what == "stance" else "")
        self.window.notify(f"Difference {self.items.index(item) + 1} of {len(self.items)}: {where}, {_status(item)}")

    def step(self, step: int) -> None:
        if not self._ready():
            return
        if not self.items:
            self.window.notify("The analysts agree on everything in this article: Ctrl+Enter accepts it.")
            return
        keys = [it.key for it in self.items]
        if self.current in keys:
            i = keys.index(self.current) + step
        else:
            caret = self.window.article.caret()
            i = next((k for k, it in enumerate(self.items) if it.start >= caret), len(keys)) if step > 0 else \
                next((k for k in range(len(keys) - 1, -1, -1) if self.items[k].start < caret), -1)
        if not 0 <= i < len(keys):
            self.window.notify("No more differences this way." + (" Ctrl+Enter accepts the article." if not self._open() else ""))
            return
        self.go_to(keys[i])

    def _open(self) -> list[Item]:
        return [it for it in self.items if it.open]

    def _ready(self) -> bool:
        w = self.window
        if not self.active:
            w.notify("This is not a review corpus: File ▸ New review… makes one.")
            return False
        if w.document is None:
            w.notify("No document is open.")
            return False
        return True

    def _target(self) -> Item | None:
        if not self._ready():
            return None
        item = self._item()
        if item is None:
            item = next(iter(self._open()), None)
            if item is None:
                self.window.notify("No open difference in this article: Ctrl+Enter accepts it.")
                return None
            self.go_to(item.key)
        return item

    def _settled(self, result, item: Item) -> None:
        """After a decision: on to the next open difference (after this one, else from the top)."""
        if not result.ok:
            return
        keys = [it.key for it in self.items]
        after = keys.index(item.key) if item.key in keys else -1
        nxt = next((it for it in self.items[after + 1:] if it.open), None) or next(iter(self._open()), None)
        if nxt is not None:
            self.go_to(nxt.key)
        else:
            self.current = item.key
            self.panel.select(item.key)
            self.window.notify(f"{result.message} · every difference is settled: Ctrl+Enter accepts the article")

    # ---- decisions: each one edit, through the window's edit path --------------------------------
    def take(self, index: int) -> None:
        item = self._target()
        if item is None:
            return
        names = list(item.variants)
        if index >= len(names):
            self.window.notify(f"There are {len(names)} analysts in this review; no analyst {index + 1}.")
            return
        corpus, doc_id = self.window.corpus, self.window.document.id
        self._settled(self.window.run_edit(lambda: plan_take(corpus, doc_id, item.key, [names[index]])), item)

    def take_both(self) -> None:
        item = self._target()
        if item is not None:
            corpus, doc_id = self.window.corpus, self.window.document.id
            self._settled(self.window.run_edit(lambda: plan_take_both(corpus, doc_id, item.key)), item)

    def reject(self) -> None:
        item = self._target()
        if item is not None:
            corpus, doc_id = self.window.corpus, self.window.document.id
            self._settled(self.window.run_edit(lambda: plan_reject(corpus, doc_id, item.key)), item)

    def by_hand(self) -> None:
        item = self._target()
        if item is None:
            return
        corpus, doc_id = self.window.corpus, self.window.document.id
        if self.window.run_edit(lambda: plan_by_hand(corpus, doc_id, item.key)).ok:
            article = self.window.article
            if item.end > item.start:
                article.select_range(item.start, item.end)
            else:
                self.window.side.setCurrentWidget(self.window.stance.panel)
            article.setFocus()
            self.window.notify("Settled by hand: label the selection (or edit the stances) as usual.")

    def take_agreed(self) -> None:
        if not self._ready():
            return
        corpus, doc_id = self.window.corpus, self.window.document.id
        result = self.window.run_edit(lambda: plan_take_agreed(corpus, doc_id))
        if result.ok and self._open():
            self.go_to(self._open()[0].key)

    def _plan_status(self, doc_id: int, status: str):
        if self.active and status == ACCEPTED:
            corpus = self.window.corpus
            return lambda: plan_accept_review(corpus, doc_id)
        return None

    # ---- the team dialogs ---------------------------------------------------------------------------
    def show_copy(self) -> None:
        from annotator.ui.team_dialogs import CopyDialog

        self.dialog = CopyDialog(self.window)
        self.dialog.show()

    def show_new_review(self) -> None:
        from annotator.ui.team_dialogs import NewReviewDialog

        self.dialog = NewReviewDialog(self.window)
        self.dialog.show()

    def show_agreement(self) -> None:
        from annotator.ui.team_dialogs import AgreementDialog

        self.dialog = AgreementDialog(self.window)
        self.dialog.show()

    def open_by_sha(self, sha256: str) -> bool:
        """Open a document of the current (review) corpus by the hash of its text, from the agreement dialog."""
        w = self.window
        doc_id = document_by_sha(w.corpus, sha256)
        if doc_id is None:
            w.notify("That article is not in this corpus: open the review corpus (or File ▸ New review…) first.", error=True)
            return False
        w.open_document(doc_id)
        w.activateWindow()
        return True


def _status(item: Item) -> str:
    from annotator.ui.review_panel import decision_text

    return decision_text(item)


def _union(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]
