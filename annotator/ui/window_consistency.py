"""The window's consistency and actor features: two side panels and their keys.

Added through the window's public seams (add_side_panel, add_action, run_edit / edits.apply);
the lists are read from annotator.session.consistency and .actors, each fix is one Change.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.session.actors import (
    actors,
    get_actor,
    plan_confirm,
    plan_delete_actor,
    plan_link,
    plan_merge_actors,
    plan_split_actor,
    plan_update_actor,
    proposals,
)
from annotator.session.changes import Change
from annotator.session.consistency import (
    FixPlan,
    Group,
    consistency,
    occurrence_docs,
    occurrences,
    plan_label_all,
    plan_label_all_in_document,
)
from annotator.session.corpus import EditError
from annotator.ui.consistency_panel import ActorsPanel, ConsistencyPanel

log = logging.getLogger("annotator.ui")
LOAD_DOCS = 50  # articles read at a time while walking a name's occurrences


class WindowConsistency(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.names = ConsistencyPanel()
        self.people = ActorsPanel()
        self.group: Group | None = None
        self.found = []
        self.docs: list[int] = []
        self.loaded = 0
        self.index = -1
        self._stale = True
        self._planner: _FixPlanner | None = None
        window.add_side_panel(self.names, "Names")
        window.add_side_panel(self.people, "Actors")
        a = window.add_action
        self.act_all_here = a("Label every &occurrence in this article", self.label_all_here, ["Ctrl+Shift+O"], local=True,
                              menu="&Edit", section="Entities",
                              tip="Give the current entity's label to every other occurrence of its text in this article")
        self.act_names = a("Go to names panel", lambda: self._show(self.names), ["Ctrl+7"], menu="&View", section="Names")
        self.act_next = a("Next occurrence of the name", lambda: self.step(1), ["F4"], menu="&View", section="Names")
        self.act_prev = a("Previous occurrence of the name", lambda: self.step(-1), ["Shift+F4"], menu="&View", section="Names")
        self.act_actors = a("Go to actors panel", lambda: self._show(self.people), ["Ctrl+8"], menu="&View", section="Names")

        self.names.refresh_requested.connect(self.refresh)
        self.names.group_opened.connect(self.open_group)
        self.names.step_requested.connect(self.step)
        self.names.label_all_requested.connect(self.label_all)
        p = self.people
        p.confirm_requested.connect(lambda prop: self._edit(lambda: plan_confirm(self.corpus, prop)))
        p.link_requested.connect(self.link_current)
        p.merge_requested.connect(lambda src, into: self._edit(lambda: plan_merge_actors(self.corpus, src, into)))
        p.split_requested.connect(self.split)
        p.external_id_requested.connect(self.set_external_id)
        p.delete_requested.connect(lambda aid: self._edit(lambda: plan_delete_actor(self.corpus, aid)))
        window.corpus_changed.connect(self._changed)
        window.corpus_opened.connect(self._opened)
        window.labels_changed.connect(self._labels)
        window.side.currentChanged.connect(lambda _i: self._refresh_if_shown())
        self._labels()

    @property
    def corpus(self):
        return self.window.corpus

    # ---- names ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            self.names.set_groups(consistency(self.corpus))
            self.people.set_rows(actors(self.corpus), proposals(self.corpus))
            self._stale = False
        except AnnotatorError as exc:
            self.window.notify(str(exc), error=True)

    def open_group(self, group: Group) -> None:
        """Occurrences are read a few articles at a time as F4 walks on: a name in 100k articles opens at once."""
        self.group = group
        self.docs = occurrence_docs(self.corpus, group)
        self.loaded = 0
        self.found = []
        self.index = -1
        self._load_more()
        more = "+" if self.loaded < len(self.docs) else ""
        self.names.position.setText(f"{len(self.found)}{more} occurrences in {len(self.docs)} article(s): "
                                    "Next (F4) opens them one by one.")

    def _load_more(self) -> bool:
        start = len(self.found)
        while len(self.found) == start and self.loaded < len(self.docs):
            chunk = self.docs[self.loaded : self.loaded + LOAD_DOCS]
            self.loaded += len(chunk)
            self.found += occurrences(self.corpus, self.group, chunk)
        return len(self.found) > start

    def step(self, delta: int) -> None:
        if self.group is None:
            group = self.names.current_group()
            if group is None:
                self.window.notify("Pick a name in the Names panel first.")
                return
            self.open_group(group)
        if self.index + delta >= len(self.found):
            self._load_more()
        if not self.found:
            return
        if self.index + delta < 0:
            self.window.notify("This is the first occurrence.")
            return
        self.index = (self.index + delta) % len(self.found)
        occ = self.found[self.index]
        w = self.window
        w.open_document(occ.doc_id)
        if occ.span_id is not None and occ.span_id in w.article.spans:
            w.article.set_current(occ.span_id, move_caret=True)
        else:
            w.article.set_current(None)
        w.article.select_range(occ.start, occ.end)
        w.article.ensure_visible(occ.start, occ.end)
        self.names.show_position(self.index, self.found, more=self.loaded < len(self.docs))

    def label_all(self, group: Group, label: str, include_accepted: bool = False) -> None:
        """Planned off the UI thread (a name may be in every article of a large corpus), committed here."""
        if self._planner is not None:
            self.window.notify("Still looking for the occurrences of the last name…")
            return
        self.names.fix_button.setEnabled(False)
        self.window.notify(f"Finding every occurrence of {group.name!r}…")
        planner = _FixPlanner(self.window.db_path, group, label, include_accepted, self)
        planner.planned.connect(lambda plan: self._planned(group, label, include_accepted, plan))
        planner.failed.connect(self._plan_failed)
        planner.finished.connect(planner.deleteLater)
        self._planner = planner
        planner.start()

    def _plan_failed(self, message: str) -> None:
        self._planner = None
        self.names.fix_button.setEnabled(True)
        self.window.notify(message, error=True)

    def _planned(self, group: Group, label: str, include_accepted: bool, plan: FixPlan) -> None:
        self._planner = None
        self.names.fix_button.setEnabled(self.names.current_group() is not None)
        if plan.accepted_left and not include_accepted:
            n, docs = sum(plan.accepted_left.values()), len(plan.accepted_left)
            answer = QMessageBox.question(
                self.window, "Accepted documents",
                f"{n} occurrence(s) of {group.name!r} are in {docs} accepted document(s): "
                f"{', '.join(map(str, list(plan.accepted_left)[:10]))}{'…' if docs > 10 else ''}.\n\n"
                f"Change them to {label} too?",
                QMessageBox.Yes | QMessageBox.No | QMessageBox.Cancel, QMessageBox.No,
            )
            if answer == QMessageBox.Cancel:
                return
            if answer == QMessageBox.Yes:
                self.label_all(group, label, include_accepted=True)
                return
        if plan.change is None:
            self.window.notify(f"Nothing to change: {plan.message()}")
            return
        result = self.window.edits.apply(plan.change)
        if result.ok:
            self.window.notify(plan.message() + ". Undo with Ctrl+Z.")

    def label_all_here(self) -> None:
        span_id = self.window.article.current_id
        if span_id is None:
            self.window.notify("Select an entity first (Tab): its label goes to every other occurrence in this article.")
            return
        holder = {}

        def plan() -> Change:
            fix = plan_label_all_in_document(self.corpus, span_id)
            holder["fix"] = fix
            if fix.change is None:
                raise EditError(f"every occurrence in this article is {fix.label} already")
            return fix.change

        result = self.window.run_edit(plan)
        if result.ok:
            self.window.notify(holder["fix"].message())

    # ---- actors ---------------------------------------------------------------------------------
    def link_current(self, actor_id: int) -> None:
        span_id = self.window.article.current_id
        if span_id is None:
            self.window.notify("Select an entity in the article first, then link it.")
            return
        self._edit(lambda: plan_link(self.corpus, [span_id], actor_id))

    def split(self, actor_id: int) -> None:
        actor = get_actor(self.corpus, actor_id)
        forms, ok = QInputDialog.getText(self.window, "Split actor",
                                         f"Mentions of {actor.name} written as (comma-separated):",
                                         text=", ".join(actor.aliases))
        if not ok or not forms.strip():
            return
        name, ok = QInputDialog.getText(self.window, "Split actor", "Name of the new actor:", text=forms.split(",")[0].strip())
        if ok and name.strip():
            self._edit(lambda: plan_split_actor(self.corpus, actor_id, [f.strip() for f in forms.split(",") if f.strip()], name))

    def set_external_id(self, actor_id: int) -> None:
        actor = get_actor(self.corpus, actor_id)
        qid, ok = QInputDialog.getText(self.window, "External id", f"Wikidata QID (or another id) of {actor.name}:",
                                       text=actor.external_id)
        if ok:
            self._edit(lambda: plan_update_actor(self.corpus, actor_id, external_id=qid))

    def _edit(self, plan) -> None:
        self.window.run_edit(plan)

    # ---- keeping up -----------------------------------------------------------------------------
    def _changed(self, change: Change) -> None:
        w = self.window
        if change.doc_id is None and w.document is not None:
            # a fix over many documents: the window draws single-document changes itself
            if any((op.after or op.before or {}).get("doc_id") == w.document.id for op in change.touched("spans")):
                w.reload_view()
        self.group = None
        self._stale = True
        self._refresh_if_shown()

    def _opened(self) -> None:
        self.group = None
        self._stale = True
        self._labels()
        self._refresh_if_shown()

    def _labels(self) -> None:
        self.names.set_labels([lb.name for lb in self.window.labels if not lb.hidden])

    def _refresh_if_shown(self) -> None:
        if self._stale and self.window.side.currentWidget() in (self.names, self.people):
            self.refresh()

    def _show(self, panel) -> None:
        self.window.side.setCurrentWidget(panel)
        self._refresh_if_shown()
        (panel.tree if panel is self.names else panel.actors).setFocus()


class _FixPlanner(QThread):
    """Plans "label all as X" on its own read-only connection (SQLite connections stay in their thread).
    The plan is committed by the window; if the rows moved meanwhile the commit is refused as a conflict."""

    planned = Signal(object)  # FixPlan
    failed = Signal(str)

    def __init__(self, db_path: Path, group: Group, label: str, include_accepted: bool, parent=None):
        super().__init__(parent)
        self.db_path, self.group, self.label, self.include_accepted = Path(db_path), group, label, include_accepted

    def run(self) -> None:
        from annotator.session.corpus import Corpus

        try:
            with Corpus(self.db_path, read_only=True) as corpus:
                plan = plan_label_all(corpus, self.group, self.label, include_accepted=self.include_accepted)
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # a bug: logged with its traceback, one line for the user
            log.error("planning a fix failed\n%s", traceback.format_exc())
            self.failed.emit(f"Could not plan the change: {exc!r} (details in the log)")
            return
        self.planned.emit(plan)
