"""The Model menu: Train… (live progress, Cancel, the side-by-side report, a learning curve),
Models… (the registry), Use for unfinished articles (re-annotation), and the "unsure first" order.

Training and re-annotation run in worker threads with their own Corpus on the same file (sqlite
connections stay in their thread); training itself runs in a child process below that (see
session.training), so the window stays responsive and a crash of the trainer costs nothing.
Re-annotation batches land on the window's undo history when they finish: Ctrl+Z undoes the last.
"""

from __future__ import annotations

import logging
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from annotator.core.errors import AnnotatorError

log = logging.getLogger("annotator.ui")
MENU, SECTION = "&Model", "Models"


# ---- workers ---------------------------------------------------------------------------
class CorpusWorker(QThread):
    """Runs `work` on its own Corpus on the same file (sqlite connections stay in their thread); Cancel asks it to
    stop. The result goes out by `succeeded`; a refusal's message by `failed`, and a bug's too, logged in full."""

    succeeded = Signal(object)
    failed = Signal(str)
    what = "The work"

    def __init__(self, db_path: Path, parent=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def work(self, corpus):
        raise NotImplementedError

    def run(self) -> None:
        from annotator.session.corpus import Corpus

        try:
            with Corpus(self.db_path) as corpus:
                result = self.work(corpus)
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # a bug: logged with its traceback, one line for the user
            log.error("%s failed\n%s", self.what.lower(), traceback.format_exc())
            self.failed.emit(f"{self.what} failed unexpectedly: {exc!r} (details in the log)")
            return
        self.succeeded.emit(result)


class TrainWorker(CorpusWorker):
    event = Signal(object)  # a TrainEvent; succeeded: TrainResult
    what = "Training"

    def __init__(self, db_path: Path, options, parent=None):
        super().__init__(db_path, parent)
        self.options = options

    def work(self, corpus):
        from annotator.session.training import train_model

        return train_model(corpus, self.options, progress=self.event.emit, cancelled=self._cancel.is_set)


class ReannotateWorker(CorpusWorker):
    progress = Signal(int, int)  # succeeded: ReannotateReport
    what = "Re-annotation"

    def __init__(self, db_path: Path, model_id: str, parent=None):
        super().__init__(db_path, parent)
        self.model_id = model_id

    def work(self, corpus):
        from annotator.session.reannotate import reannotate

        return reannotate(corpus, self.model_id, progress=self.progress.emit, cancelled=self._cancel.is_set)


def _mono(widget) -> None:
    widget.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))


def _pct(value) -> str:
    return "–" if value is None else f"{value * 100:.1f}"


# ---- Model ▸ Train… ----------------------------------------------------------------------
class TrainDialog(QDialog):
    trained = Signal(object)  # TrainResult

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.worker: TrainWorker | None = None
        self.result = None
        self._busy = False
        self.setObjectName("train_dialog")
        self.setWindowTitle("Train a model on the accepted articles")
        self.base = QComboBox()
        self.base.setObjectName("train_base")
        self.base.addItem("", "default")
        self.refresh_base()
        self.base.addItem("From scratch (no base model)", "none")
        self.steps = QSpinBox()
        self.steps.setObjectName("train_steps")
        self.steps.setRange(1, 100_000)
        self.steps.setValue(500)
        self.seed = QSpinBox()
        self.seed.setRange(0, 1_000_000)
        form = QFormLayout()
        form.addRow("Start from:", self.base)
        form.addRow("Steps:", self.steps)
        form.addRow("Seed:", self.seed)

        self.bar = QProgressBar()
        self.bar.setObjectName("train_progress")
        self.bar.setTextVisible(True)
        self.bar.setFormat("not started")
        self.bar.setValue(0)
        self.status = QLabel("Trains on the accepted articles (80 % train, 20 % dev), then compares with the base model on dev.")
        self.status.setObjectName("train_status")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.PlainText)
        self.report = QPlainTextEdit()
        self.report.setObjectName("train_report")
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.report.setPlaceholderText("The report (base vs trained, per label) appears here when training ends.")
        _mono(self.report)

        self.start_button = QPushButton("&Train")
        self.start_button.setObjectName("train_start")
        self.start_button.setDefault(True)
        self.curve_button = QPushButton("&Learning curve")
        self.curve_button.setObjectName("train_curve")
        self.curve_button.setToolTip("Train on 25/50/75/100 % of the train split: does more annotation still pay?")
        self.cancel_button = QPushButton("&Cancel training")
        self.cancel_button.setObjectName("train_cancel")
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        self.start_button.clicked.connect(lambda: self.start(curve=False))
        self.curve_button.clicked.connect(lambda: self.start(curve=True))
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.curve_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.report, 1)
        layout.addLayout(buttons)
        self.resize(self.fontMetrics().horizontalAdvance("x") * 96, self.fontMetrics().height() * 28)

    def refresh_base(self) -> None:
        """Name the model a fine-tune starts from now: re-annotating changes it, a deleted folder falls back."""
        from annotator.session.models import base_model

        self.base.setItemText(0, f"The corpus's model, {base_model(self.window_.corpus)[1]} (fine-tune it)")

    @property
    def running(self) -> bool:
        # until the worker's finished signal is handled here, after its result: the dialog shows the outcome first
        return self._busy

    def start(self, curve: bool = False) -> TrainWorker | None:
        from annotator.session.training import TrainOptions

        if self.running:
            return None
        options = TrainOptions(base=self.base.currentData(), max_steps=self.steps.value(), seed=self.seed.value(), curve=curve)
        self.result = None
        self.report.clear()
        self.bar.setRange(0, options.max_steps)
        self.bar.setValue(0)
        self.bar.setFormat("preparing: exporting the accepted articles, loading the base model…")
        self.status.setText("Starting…")
        self.worker = TrainWorker(self.window_.db_path, options, self)
        self.worker.event.connect(self._on_event)
        self.worker.succeeded.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(self._on_finished)
        self._busy = True
        self._set_running(True)
        self.worker.start()
        return self.worker

    def cancel(self) -> None:
        if self.running:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Stopping at the next step; the best model so far is kept…")

    def _set_running(self, running: bool) -> None:
        for w in (self.start_button, self.curve_button, self.base, self.steps, self.seed):
            w.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def _on_event(self, event) -> None:
        d = event.data
        if event.event == "run":
            self.bar.setRange(0, d["steps"])
            self.bar.setValue(0)
            part = "" if d["fraction"] >= 1 else f" ({d['run']} of the train split)"
            self.bar.setFormat(f"step %v / %m · {d['train_documents']} train articles{part}")
        elif event.event == "step":
            self.bar.setValue(min(d["step"], self.bar.maximum()))
        elif event.event == "eval":
            self.bar.setValue(min(d["step"], self.bar.maximum()))
            self.status.setText(f"step {d['step']} · loss {d['loss']:.2f} · dev P {_pct(d['p'])}  R {_pct(d['r'])}  F {_pct(d['f'])}")
        elif event.event == "model":
            self.report.appendPlainText(f"{d['run']}: dev F {_pct(d['scores']['overall']['f'])} in {d['seconds']:.0f} s")
        elif event.event == "base":
            self.status.setText("Scoring the base model on the same dev articles…")

    def _on_done(self, result) -> None:
        self.result = result
        self.bar.setValue(self.bar.maximum())
        self.bar.setFormat("cancelled: the best model so far was kept" if result.model.cancelled else "done")
        text = result.report()
        if result.warnings:
            text += "\n\n" + "\n".join(f"warning: {w}" for w in result.warnings)
        self.report.setPlainText(text)
        self.status.setText(f"Saved as model {result.model.id}. Model ▸ Use for unfinished articles puts it to work.")
        self.trained.emit(result)

    def _on_failed(self, message: str) -> None:
        self.bar.setFormat("not trained")
        self.status.setText(message)
        self.report.setPlainText(message)

    def _on_finished(self) -> None:
        self._busy = False
        self._set_running(False)

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.worker is not None and self.worker.isRunning():  # stop the trainer and wait for it
            self.worker.cancel()
            self.worker.wait(120_000)
        super().closeEvent(event)


# ---- Model ▸ Models… -------------------------------------------------------------------
class ModelsDialog(QDialog):
    COLUMNS = ("Model", "Created", "Articles", "Dev F", "Base F", "ΔF", "Folder")

    def __init__(self, window, controller):
        super().__init__(window)
        self.window_, self.controller = window, controller
        self.setObjectName("models_dialog")
        self.setWindowTitle("Models trained on this corpus")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("models_table")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.report = QPlainTextEdit()
        self.report.setObjectName("models_report")
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.NoWrap)
        _mono(self.report)
        self.use_button = QPushButton("&Use for unfinished articles")
        self.use_button.setObjectName("models_use")
        self.use_button.setToolTip("Re-annotate the untouched new articles with this model; new imports use it too")
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        self.use_button.clicked.connect(self._use)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.report, 2)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._show_report)
        self.resize(self.fontMetrics().horizontalAdvance("x") * 100, self.fontMetrics().height() * 30)
        self.reload()

    def reload(self) -> None:
        from annotator.session.models import list_models, preannotation_model

        self.models = list_models(self.window_.corpus)
        _path, warning = preannotation_model(self.window_.corpus)
        self.table.setRowCount(len(self.models))
        for row, m in enumerate(self.models):
            bf = (m.base_scores.get("overall") or {}).get("f")
            diff = f"{(m.f - bf) * 100:+.1f}" if m.f is not None and bf is not None else "–"
            cells = (
                f"{m.id}{' (current)' if m.current else ''}{' (cancelled)' if m.cancelled else ''}", m.created.replace("T", " ")[:16],
                str(m.documents), _pct(m.f), _pct(bf), diff, str(m.path) if m.present else f"missing: {m.path}",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (2, 3, 4, 5):
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, col, item)
        if self.models:
            self.table.selectRow(len(self.models) - 1)
        else:
            self.report.setPlainText("No models yet: Model ▸ Train… trains one on the accepted articles.")
        self.use_button.setEnabled(bool(self.models))
        if warning:
            self.report.appendPlainText(f"\nwarning: {warning}")

    @property
    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.models[rows[0].row()] if rows else None

    def _show_report(self) -> None:
        from annotator.session.training import side_by_side

        m = self.selected
        if m is None:
            return
        text = side_by_side(m)
        if not m.present:
            text = f"The folder of {m.id} is missing ({m.path}): it was deleted or moved. Imports use the default model.\n\n" + text
        self.report.setPlainText(text)
        self.use_button.setEnabled(m.present)

    def _use(self) -> None:
        m = self.selected
        if m is not None:
            self.controller.reannotate(m.id)


# ---- the controller: the Model menu ---------------------------------------------------------
class ModelController(QObject):
    """Adds the Model menu to the window and runs its work."""

    reannotated = Signal(object)  # ReannotateReport or None when it failed

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.train_dialog: TrainDialog | None = None
        self.models_dialog: ModelsDialog | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.worker: ReannotateWorker | None = None
        w = window
        self.act_train = w.add_action("&Train…", self.show_train, ["Ctrl+Shift+T"], menu=MENU, section=SECTION,
                                      tip="Fine-tune a model on the accepted articles and compare it with the base model")
        self.act_models = w.add_action("&Models…", self.show_models, menu=MENU, section=SECTION,
                                       tip="The models trained on this corpus, their scores and folders")
        self.act_use = w.add_action("&Use for unfinished articles", self.use_latest, menu=MENU, section=SECTION,
                                    tip="Re-annotate the untouched new articles with the newest model")
        self.act_unsure = w.add_action("&Unsure articles first", self.toggle_unsure, menu=MENU, section=SECTION,
                                       tip="Sort the list: the articles the models disagree on most come first")
        self.act_unsure.setCheckable(True)

    def show_train(self) -> TrainDialog:
        if self.train_dialog is None:
            self.train_dialog = TrainDialog(self.window)
            self.train_dialog.trained.connect(lambda _r: self.models_dialog and self.models_dialog.reload())
        elif not self.train_dialog.running:
            self.train_dialog.refresh_base()
        self.train_dialog.show()
        self.train_dialog.raise_()
        return self.train_dialog

    def show_models(self) -> ModelsDialog:
        if self.models_dialog is None:
            self.models_dialog = ModelsDialog(self.window, self)
        else:
            self.models_dialog.reload()
        self.models_dialog.show()
        self.models_dialog.raise_()
        return self.models_dialog

    def use_latest(self) -> ReannotateWorker | None:
        from annotator.session.models import list_models

        present = [m for m in list_models(self.window.corpus) if m.present]
        if not present:
            self.window.notify("No trained model yet: Model ▸ Train… first.", error=True)
            return None
        return self.reannotate(present[-1].id)

    def reannotate(self, model_id: str) -> ReannotateWorker | None:
        if self.worker is not None and self.worker.isRunning():
            return None
        w = self.window
        worker = ReannotateWorker(w.db_path, model_id, self)
        dialog = QProgressDialog(f"Loading model {model_id}…", "Cancel", 0, 0, w)
        dialog.setObjectName("reannotate_progress")
        dialog.setWindowTitle("Re-annotating unfinished articles")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(420)

        def progress(done: int, total: int) -> None:
            dialog.setMaximum(max(total, 1))
            dialog.setValue(done)
            dialog.setLabelText(f"Re-annotated or scored {done} of {total} unfinished article(s)…")

        worker.progress.connect(progress)
        dialog.canceled.connect(worker.cancel)
        worker.succeeded.connect(self._reannotated)
        worker.failed.connect(self._failed)
        worker.finished.connect(dialog.close)
        self.worker, self.progress_dialog = worker, dialog
        dialog.show()
        worker.start()
        return worker

    def _reannotated(self, report) -> None:
        w = self.window
        for history_id in report.history_ids:  # each batch is one step on the window's undo history
            w.session.history.record(history_id, "reannotate")
        w.reload_view()
        if self.act_unsure.isChecked():
            w.docs.model.refresh()
        if self.models_dialog is not None:
            self.models_dialog.reload()
        if self.train_dialog is not None and not self.train_dialog.running:
            self.train_dialog.refresh_base()
        prefix = "Re-annotation cancelled: kept so far — " if report.interrupted else ""
        w.notify(f"{prefix}{report.documents} untouched article(s) re-annotated with {report.model} "
                 f"({report.unchanged} already matched); {report.skipped} hand-edited left alone. Ctrl+Z undoes the last batch.")
        self.reannotated.emit(report)

    def _failed(self, message: str) -> None:
        self.window.notify(message, error=True)
        self.reannotated.emit(None)

    def toggle_unsure(self) -> None:
        model = self.window.docs.model
        model.set_order("unsure" if self.act_unsure.isChecked() else "id")
        self.window.docs.select_document(self.window.docs.current_doc_id)

    def stop(self) -> None:
        """Closing the window: stop the workers and wait (what they finished is kept)."""
        worker = self.train_dialog.worker if self.train_dialog is not None else None
        if worker is not None and worker.isRunning():
            worker.cancel()
            worker.wait(120_000)
        if self.worker is not None and self.worker.isRunning():
            self.worker.cancel()
            self.worker.wait(60_000)
