"""The team dialogs: Copy for another annotator…, New review…, Agreement….

Each runs its session function (handout.copy_for_annotators, review.build_review,
agreement.agreement) in a worker thread with a progress bar and a Cancel button, and shows the
report, or the error's message, in the dialog. The analysts' corpora are only read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError, Cancelled

STATUSES = ("accepted", "any", "in_progress", "skipped", "new")


class TaskThread(QThread):
    """Runs fn(progress, should_stop) off the UI thread; a known failure comes back as its message."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, fn: Callable, parent=None):
        super().__init__(parent)
        self.fn = fn
        self.stop = False

    def _progress(self, done: int, total: int) -> None:
        if self.stop:
            raise Cancelled("stopped: nothing was written")
        self.progress.emit(done, total)

    def run(self) -> None:
        try:
            result = self.fn(self._progress, lambda: self.stop)
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # a bug: say so in one line, the log has the traceback
            import logging

            logging.getLogger("annotator.ui").exception("team task failed")
            self.failed.emit(f"failed unexpectedly: {exc!r} (details in the log)")
            return
        self.succeeded.emit(result)


class _TaskDialog(QDialog):
    """A form, a Run/Cancel button, a progress bar, and a read-only report below."""

    run_text = "Run"

    def __init__(self, window, title: str, name: str):
        super().__init__(window)
        self.window = window
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.task: TaskThread | None = None
        self.result = None
        self.form = QFormLayout()
        self.run_button = QPushButton(self.run_text)
        self.run_button.setObjectName("run")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self._run_or_cancel)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.close)
        self.bar = QProgressBar()
        self.bar.setVisible(False)
        self.report = QPlainTextEdit()
        self.report.setObjectName("report")
        self.report.setReadOnly(True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        self.report.setPlaceholderText("The report appears here.")
        buttons = QHBoxLayout()
        buttons.addWidget(self.bar, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.close_button)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addLayout(self.form)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.report, 1)
        # never taller than the screen (200 % scaling on a 1080-line screen leaves 540 logical lines)
        screen = window.screen().availableGeometry() if window.screen() else None
        self._max = (screen.width() - 40, screen.height() - 60) if screen else (4000, 4000)

    def resize(self, w: int, h: int) -> None:  # noqa: D102 (QWidget.resize, kept on screen)
        super().resize(min(w, self._max[0]), min(h, self._max[1]))

    @property
    def running(self) -> bool:
        return self.task is not None and self.task.isRunning()

    def make_task(self) -> Callable | None:
        raise NotImplementedError

    def finished_ok(self, result) -> None:
        raise NotImplementedError

    def _run_or_cancel(self) -> None:
        if self.running:
            self.task.stop = True
            self.run_button.setEnabled(False)
            return
        try:
            fn = self.make_task()
        except AnnotatorError as exc:
            self._failed(str(exc))
            return
        if fn is None:
            return
        self.task = TaskThread(fn, self)
        self.task.progress.connect(self._progress)
        self.task.succeeded.connect(self._succeeded)
        self.task.failed.connect(self._failed)
        self.task.finished.connect(self._done)
        self.report.setPlainText("working…")
        self.bar.setRange(0, 0)
        self.bar.setVisible(True)
        self.run_button.setText("Cancel")
        self.task.start()

    def _progress(self, done: int, total: int) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)

    def _succeeded(self, result) -> None:
        self.result = result
        self.finished_ok(result)

    def _failed(self, message: str) -> None:
        self.report.setPlainText(f"error: {message}")
        self.window.notify(message.splitlines()[0], error=True)

    def _done(self) -> None:
        self.bar.setVisible(False)
        self.run_button.setText(self.run_text)
        self.run_button.setEnabled(True)

    def done(self, code: int) -> None:  # closing while it runs: stop and wait, nothing half-written stays
        if self.running:
            self.task.stop = True
            self.task.wait()
        super().done(code)

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.running:
            self.task.stop = True
            self.task.wait()
        super().closeEvent(event)


class CorporaPicker(QWidget):
    """The analysts' corpora: a list with Add… and Remove."""

    def __init__(self, start: Path, parent=None):
        super().__init__(parent)
        self.start = start
        self.list = QListWidget()
        self.list.setObjectName("corpora")
        self.list.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.list.setMinimumHeight(60)
        self.list.setMaximumHeight(110)  # a few corpora; the report below gets the room
        add = QPushButton("Add…")
        add.clicked.connect(self.choose)
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: [self.list.takeItem(self.list.row(i)) for i in self.list.selectedItems()])
        side = QVBoxLayout()
        side.addWidget(add)
        side.addWidget(remove)
        side.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addLayout(side)

    def choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Analysts' corpora", str(self.start), "Annotation databases (*.db);;All files (*)")
        self.add_paths([Path(p) for p in paths])

    def add_paths(self, paths: list[Path]) -> None:
        have = set(self.paths())
        for p in paths:
            if Path(p) not in have:
                self.list.addItem(str(p))

    def paths(self) -> list[Path]:
        return [Path(self.list.item(i).text()) for i in range(self.list.count())]


def _status_box() -> QComboBox:
    box = QComboBox()
    box.setObjectName("status")
    for s in STATUSES:
        box.addItem(s.replace("_", " "), s)
    return box


def _mapping(text: str) -> dict[str, str]:
    from annotator.session.analysts import parse_mapping

    return parse_mapping([p.strip() for p in text.replace(";", ",").split(",") if p.strip()])


def _review_sources(window) -> list[Path]:
    """In a review corpus, the analysts' corpora it was made from (a starting point for the pickers)."""
    raw = window.corpus.meta("review_of")
    try:
        return [Path(r["path"]) for r in json.loads(raw)] if raw else []
    except (ValueError, KeyError, TypeError):
        return []


# ---- File ▸ Copy for another annotator… -----------------------------------------------------------
class CopyDialog(_TaskDialog):
    run_text = "Make copies"

    def __init__(self, window):
        super().__init__(window, "Copy for another annotator", "copy_dialog")
        src = window.db_path
        self.source = QLabel(str(src))
        self.names = QLineEdit()
        self.names.setObjectName("annotators")
        self.names.setPlaceholderText("alice, bob (one copy each)")
        self.out = QLineEdit(str(src.parent / f"{src.stem}-copies"))
        self.out.setObjectName("out")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        self.query = QLineEdit(window.docs.search_box.text() if hasattr(window.docs, "search_box") else "")
        self.query.setObjectName("documents")
        self.query.setPlaceholderText("all documents (or words to search for)")
        self.sample = QSpinBox()
        self.sample.setObjectName("sample")
        self.sample.setRange(0, 10_000_000)
        self.sample.setSpecialValueText("all")
        self.seed = QSpinBox()
        self.seed.setObjectName("seed")
        self.seed.setRange(0, 2**31 - 1)
        self.overlap = QSpinBox()
        self.overlap.setObjectName("overlap")
        self.overlap.setRange(0, 10_000_000)
        self.pre = QCheckBox("With the model's entities (pre-annotations)")
        self.pre.setObjectName("preannotations")
        self.pre.setChecked(True)
        f = self.form
        f.addRow("Source:", self.source)
        f.addRow("&Analysts:", self.names)
        f.addRow("&Into folder:", out_row)
        f.addRow("&Documents:", self.query)
        f.addRow("&Sample:", self.sample)
        f.addRow("S&eed:", self.seed)
        f.addRow("&Overlap:", self.overlap)
        f.addRow("", self.pre)
        hint = QLabel("Overlap: that many documents go to every analyst (for agreement); the rest are split among them. "
                      "Nothing done by hand is copied.")
        hint.setWordWrap(True)
        f.addRow("", hint)
        self.resize(620, 520)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder for the copies", self.out.text())
        if path:
            self.out.setText(path)

    def make_task(self):
        from annotator.session.handout import copy_for_annotators

        names = [n.strip() for n in self.names.text().split(",") if n.strip()]
        src, out = self.window.db_path, Path(self.out.text().strip())
        query = self.query.text().strip() or None
        sample = self.sample.value() or None
        seed, overlap, pre = self.seed.value(), self.overlap.value(), self.pre.isChecked()
        return lambda progress, _stop: copy_for_annotators(src, out, names, query=query, sample=sample, seed=seed,
                                                           overlap=overlap, preannotations=pre, progress=progress)

    def finished_ok(self, report) -> None:
        self.report.setPlainText("\n".join(report.lines()))
        self.window.notify(f"Made {len(report.outputs)} copies in {self.out.text()}")


# ---- File ▸ New review… ------------------------------------------------------------------------
class NewReviewDialog(_TaskDialog):
    run_text = "Build review"

    def __init__(self, window):
        super().__init__(window, "New review", "review_dialog")
        here = window.db_path.parent
        self.picker = CorporaPicker(here)
        self.picker.add_paths(_review_sources(window))
        self.out = QLineEdit(str(here / "review.db"))
        self.out.setObjectName("out")
        self.status = _status_box()
        self.maps = QLineEdit()
        self.maps.setObjectName("maps")
        self.maps.setPlaceholderText("MISC=ORG, PER=PERSON (only when the label schemes differ)")
        self.open_button = QPushButton("Open the review")
        self.open_button.setObjectName("open_review")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open)
        f = self.form
        f.addRow("Analysts' &corpora:", self.picker)
        f.addRow("&Review corpus:", self.out)
        f.addRow("&Versions with status:", self.status)
        f.addRow("Label &mapping:", self.maps)
        f.addRow("", self.open_button)
        self.resize(640, 520)

    def make_task(self):
        from annotator.session.review import build_review

        paths, out = self.picker.paths(), Path(self.out.text().strip())
        status, mapping = self.status.currentData(), _mapping(self.maps.text())
        reviewer = self.window.corpus.annotator
        return lambda progress, _stop: build_review(paths, out, mapping=mapping, status=status, reviewer=reviewer, progress=progress)

    def finished_ok(self, report) -> None:
        self.report.setPlainText("\n".join(report.lines()))
        self.open_button.setEnabled(True)
        self.open_button.setFocus()

    def _open(self) -> None:
        if self.result is not None and self.window.open_database(self.result.path):
            self.close()


# ---- Agreement… ----------------------------------------------------------------------------------
RANK_COLUMNS = ("Differences", "F1 exact", "Article")


class AgreementDialog(_TaskDialog):
    run_text = "Compute"

    def __init__(self, window):
        super().__init__(window, "Agreement", "agreement_dialog")
        self.picker = CorporaPicker(window.db_path.parent)
        self.picker.add_paths(_review_sources(window))
        self.status = _status_box()
        self.maps = QLineEdit()
        self.maps.setObjectName("maps")
        self.maps.setPlaceholderText("MISC=ORG (only when the label schemes differ)")
        f = self.form
        f.addRow("Analysts' &corpora:", self.picker)
        f.addRow("&Compare documents:", self.status)
        f.addRow("Label &mapping:", self.maps)
        self.ranked = QTableWidget(0, len(RANK_COLUMNS))
        self.ranked.setObjectName("ranked")
        self.ranked.setHorizontalHeaderLabels(RANK_COLUMNS)
        self.ranked.verticalHeader().setVisible(False)
        self.ranked.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.ranked.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.ranked.setWordWrap(False)
        head = self.ranked.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        head.setSectionResizeMode(2, QHeaderView.Stretch)
        self.ranked.activated.connect(self._open_row)
        self.ranked.doubleClicked.connect(self._open_row)
        self.layout_.addWidget(QLabel("Articles by disagreement (Enter or double-click opens one in the review):"))
        self.layout_.addWidget(self.ranked, 1)
        self.resize(760, 600)

    def make_task(self):
        from annotator.session.agreement import agreement

        paths, status, mapping = self.picker.paths(), self.status.currentData(), _mapping(self.maps.text())
        return lambda progress, stop: agreement(paths, status=status, mapping=mapping, progress=progress, should_stop=stop)

    def finished_ok(self, report) -> None:
        from annotator.session.agreement import summary_lines

        lines = summary_lines(report, top=0)
        if not report["documents"]["compared"]:
            lines.append(f"No document is {report['status'].replace('_', ' ')} in every corpus: nothing to compare.")
        self.report.setPlainText("\n".join(lines))
        rows = report["ranked"]
        self.ranked.setRowCount(len(rows))
        for r, d in enumerate(rows):
            f1 = d["span_f1_exact"]
            for c, value in enumerate((str(d["differences"]), "—" if f1 is None else f"{f1:.3f}", d["title"])):
                cell = QTableWidgetItem(value)
                cell.setData(Qt.UserRole, d["sha256"])
                if c < 2:
                    cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.ranked.setItem(r, c, cell)

    def _open_row(self, index) -> None:
        cell = self.ranked.item(index.row(), 0)
        if cell is not None:
            self.window.review.open_by_sha(cell.data(Qt.UserRole))
