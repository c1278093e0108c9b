"""The Names panel (one name labelled the same way everywhere) and the Actors panel.

Views only: what they show comes from annotator.session.consistency / .actors, and every edit
is a planned Change handed to the window's one edit path (so it is one undo step).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.session.actors import ActorRow, Proposal
from annotator.session.consistency import Group, Occurrence


def _tree(columns: list[str], multi: bool = False) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setColumnCount(len(columns))
    tree.setHeaderLabels(columns)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAlternatingRowColors(True)
    tree.setSelectionMode(QAbstractItemView.ExtendedSelection if multi else QAbstractItemView.SingleSelection)
    header = tree.header()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeToContents)
    header.setSectionResizeMode(len(columns) - 1, QHeaderView.Stretch)  # the long column is cut, not scrolled to
    return tree


class ConsistencyPanel(QWidget):
    """Names labelled more than one way (or missed), most inconsistent first; a row walks its occurrences."""

    refresh_requested = Signal()
    group_opened = Signal(object)  # Group
    step_requested = Signal(int)  # +1 / -1: the next / previous occurrence
    label_all_requested = Signal(object, str)  # Group, label

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("consistency_panel")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh_requested)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)

        self.tree = _tree(["Off", "Name", "Missed", "Labels (documents)"])
        self.tree.headerItem().setToolTip(0, "Occurrences without the name's most common label (unlabelled ones included)")
        self.tree.headerItem().setToolTip(2, "Occurrences with no entity ('≥': only the first articles were read; open the row for all)")
        self.tree.setObjectName("consistency_tree")
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemActivated.connect(lambda *_: self.step_requested.emit(1))

        self.position = QLabel("Pick a name to walk through its occurrences.")
        self.position.setWordWrap(True)
        self.prev_button = QPushButton("◀ Previous")
        self.next_button = QPushButton("Next ▶")
        self.prev_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_button.clicked.connect(lambda: self.step_requested.emit(1))
        steps = QHBoxLayout()
        steps.addWidget(self.prev_button)
        steps.addWidget(self.next_button)
        steps.addStretch(1)

        self.label_box = QComboBox()
        self.label_box.setObjectName("consistency_label")
        # the longest label name must not widen the side panels (the article keeps its 60 characters)
        self.label_box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.label_box.setMinimumContentsLength(3)
        self.fix_button = QPushButton("Label all as")
        self.fix_button.setObjectName("consistency_fix")
        self.fix_button.clicked.connect(self._fix)
        fix = QHBoxLayout()
        fix.addWidget(self.fix_button)
        fix.addWidget(self.label_box, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.position)
        layout.addLayout(steps)
        layout.addLayout(fix)
        self._enable(False)

    # ---- filled by the controller ---------------------------------------------------------------
    def set_groups(self, groups: list[Group]) -> None:
        key = self.current_group().key if self.current_group() else None
        self.tree.clear()
        current = None
        for g in groups:
            labels = ", ".join(f"{lb} {n} ({g.label_docs.get(lb, 0)})" for lb, n in g.labels.items())
            unl = ("≥" if not g.complete else "") + str(g.unlabelled)
            item = QTreeWidgetItem([str(g.inconsistency), g.name, unl, labels])
            item.setData(0, Qt.UserRole, g)
            item.setTextAlignment(0, Qt.AlignRight | Qt.AlignVCenter)
            item.setTextAlignment(2, Qt.AlignRight | Qt.AlignVCenter)
            item.setToolTip(3, labels)
            spellings = " | ".join(g.forms)
            item.setToolTip(1, f"Written: {spellings}" + (f"; {g.overlapping} inside other entities (left alone)" if g.overlapping else ""))
            self.tree.addTopLevelItem(item)
            if g.key == key:
                current = item
        n = len(groups)
        self.summary.setText(f"{n} name{'s' if n != 1 else ''} labelled more than one way or missed somewhere"
                             if n else "Every name is labelled the same way everywhere.")
        if current is not None:
            self.tree.setCurrentItem(current)
        self._enable(self.current_group() is not None)

    def set_labels(self, names: list[str]) -> None:
        keep = self.label_box.currentText()
        self.label_box.clear()
        self.label_box.addItems(names)
        if keep in names:
            self.label_box.setCurrentText(keep)

    def show_position(self, index: int, occurrences: list[Occurrence], more: bool = False) -> None:
        if not occurrences:
            self.position.setText("No occurrence left.")
            return
        occ = occurrences[index]
        what = occ.label or ("inside another entity" if occ.overlaps else "no entity")
        accepted = " (accepted)" if occ.status == "accepted" else ""
        total = f"{len(occurrences)}+" if more else str(len(occurrences))
        self.position.setText(f"Occurrence {index + 1} of {total}: document {occ.doc_id}{accepted}, {what}")

    def current_group(self) -> Group | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item else None

    # ---- own behaviour --------------------------------------------------------------------------
    def _current_changed(self, item, _previous) -> None:
        group = item.data(0, Qt.UserRole) if item else None
        self._enable(group is not None)
        if group is not None:
            self.label_box.setCurrentText(group.majority)
            self.group_opened.emit(group)

    def _fix(self) -> None:
        group = self.current_group()
        if group is not None and self.label_box.currentText():
            self.label_all_requested.emit(group, self.label_box.currentText())

    def _enable(self, on: bool) -> None:
        for w in (self.prev_button, self.next_button, self.fix_button, self.label_box):
            w.setEnabled(on)


class ActorsPanel(QWidget):
    """Actors with their mentions and stances, and the ones the mentions propose."""

    confirm_requested = Signal(object)  # Proposal
    link_requested = Signal(int)  # actor id: link the current entity
    merge_requested = Signal(int, int)  # source, into
    split_requested = Signal(int)  # actor id
    external_id_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("actors_panel")
        self.actors = _tree(["Actor", "Kind", "Mentions", "Stances"], multi=True)
        self.actors.setObjectName("actors_tree")
        # short names in two columns: the side panels may shrink to ~180 px so the article keeps its width
        self.link_button = QPushButton("Link")
        self.link_button.setToolTip("Link the entity selected in the article to this actor")
        self.merge_button = QPushButton("Merge")
        self.merge_button.setToolTip("Select two or more actors: the others are merged into the first selected")
        self.split_button = QPushButton("Split…")
        self.qid_button = QPushButton("QID…")
        self.qid_button.setToolTip("Set the external id (e.g. a Wikidata QID) of the selected actor")
        self.split_button.setToolTip("Move the mentions written one way to a new actor")
        self.delete_button = QPushButton("Delete")
        self.link_button.clicked.connect(lambda: self._one(self.link_requested))
        self.split_button.clicked.connect(lambda: self._one(self.split_requested))
        self.qid_button.clicked.connect(lambda: self._one(self.external_id_requested))
        self.delete_button.clicked.connect(lambda: self._one(self.delete_requested))
        self.merge_button.clicked.connect(self._merge)
        buttons = QGridLayout()
        for i, b in enumerate((self.link_button, self.merge_button, self.split_button, self.qid_button, self.delete_button)):
            buttons.addWidget(b, i // 2, i % 2)

        self.proposals = _tree(["Proposed actor", "Kind", "Mentions", "Written"])
        self.proposals.setObjectName("proposals_tree")
        self.confirm_button = QPushButton("Confirm")
        self.confirm_button.setToolTip("Create the actor (or use the existing one of that name) and link its mentions")
        self.confirm_button.clicked.connect(self._confirm)
        self.proposals.itemActivated.connect(lambda *_: self._confirm())
        confirm = QHBoxLayout()
        confirm.addWidget(self.confirm_button)
        confirm.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.actors, 3)
        layout.addLayout(buttons)
        proposed = QLabel("Proposed from the entities not linked yet:")
        proposed.setWordWrap(True)
        layout.addWidget(proposed)
        layout.addWidget(self.proposals, 2)
        layout.addLayout(confirm)

    def set_rows(self, actors: list[ActorRow], proposals: list[Proposal]) -> None:
        selected = set(self.selected_actors())
        self.actors.clear()
        for r in actors:
            a = r.actor
            item = QTreeWidgetItem([a.name + (f"  ({a.external_id})" if a.external_id else ""), a.kind, str(r.mentions), str(r.stances)])
            item.setData(0, Qt.UserRole, a.id)
            item.setToolTip(0, "Also: " + ", ".join(a.aliases) if a.aliases else a.name)
            self.actors.addTopLevelItem(item)
            item.setSelected(a.id in selected)
        self.proposals.clear()
        for p in proposals:
            item = QTreeWidgetItem([p.name, p.kind, str(p.mentions), " | ".join(p.forms)])
            item.setData(0, Qt.UserRole, p)
            self.proposals.addTopLevelItem(item)

    def selected_actors(self) -> list[int]:
        items = self.actors.selectedItems()
        current = self.actors.currentItem()
        # the current item (the one clicked first) leads: the others merge into it
        items.sort(key=lambda it: it is not current)
        return [it.data(0, Qt.UserRole) for it in items]

    def _one(self, signal) -> None:
        ids = self.selected_actors()
        if ids:
            signal.emit(ids[0])

    def _merge(self) -> None:
        ids = self.selected_actors()
        for source in ids[1:]:
            self.merge_requested.emit(source, ids[0])

    def _confirm(self) -> None:
        item = self.proposals.currentItem()
        if item is not None:
            self.confirm_requested.emit(item.data(0, Qt.UserRole))
