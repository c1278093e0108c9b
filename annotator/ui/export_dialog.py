"""File ▸ Export…: the options of `annotator export`, run off the UI thread with a progress dialog.

The worker opens its own read-only Corpus (sqlite connections stay in their thread, and the
export reads one snapshot while the window keeps editing). Messages are shown as plain text:
they can quote article text.
"""

from __future__ import annotations

import logging
import shlex
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QThread, QUrl, Signal
from PySide6.QtGui import QDesktopServices, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.io.formats import WRITERS, describe
from annotator.session.export import ExportCancelled, ExportError, ExportOptions, default_out

log = logging.getLogger("annotator.ui")


class ExportWorker(QThread):
    progress = Signal(int, int)  # documents done, total
    succeeded = Signal(object)  # ExportResult
    failed = Signal(str)

    def __init__(self, db_path: Path, options: ExportOptions, parent=None):
        super().__init__(parent)
        self.db_path, self.options = Path(db_path), options
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        from annotator.session import Corpus
        from annotator.session.export import export_corpus

        try:
            with Corpus(self.db_path, read_only=True) as corpus:
                result = export_corpus(corpus, self.options, progress=self.progress.emit, cancelled=self._cancel.is_set)
        except ExportCancelled:
            self.failed.emit("The export was cancelled; nothing was written.")
        except ExportError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug or an unreadable database: told to the user, logged with details
            log.error("export failed\n%s", traceback.format_exc())
            self.failed.emit(f"The export failed: {exc}")
        else:
            self.succeeded.emit(result)


class ExportDialog(QDialog):
    def __init__(self, db_path: Path, parent=None):
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.setWindowTitle("Export gold annotations")
        self.worker: ExportWorker | None = None
        self.progress: QProgressDialog | None = None
        self.result = None  # the last ExportResult
        self.error: str | None = None

        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText(f"a new folder under {self.db_path.parent / 'exports'}")
        browse = QPushButton("Browse…")
        browse.setAutoDefault(False)  # Return exports; it opened the folder chooser
        browse.clicked.connect(self._browse)
        folder_row = QWidget()
        row = QHBoxLayout(folder_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)

        self.format_combo = QComboBox()
        for fmt, description in describe(WRITERS):  # the registry's: plugins' formats too
            self.format_combo.addItem(f"{fmt}: {description}" if description else fmt, fmt)
            self.format_combo.setItemData(self.format_combo.count() - 1, description, Qt.ToolTipRole)
        self.dev_spin = QDoubleSpinBox()
        self.dev_spin.setRange(0.0, 0.9)
        self.dev_spin.setSingleStep(0.05)
        self.dev_spin.setValue(0.2)
        self.dev_spin.setToolTip("Fraction of the documents held out for evaluation (split by document).")
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setToolTip("The same seed gives the same train/dev split.")
        self.include_check = QCheckBox("Also documents in progress (unannotated tokens marked missing)")
        self.shard_spin = QSpinBox()
        self.shard_spin.setRange(1, 10_000_000)
        self.shard_spin.setValue(10_000)
        self.shard_spin.setSuffix(" documents")
        self.shard_spin.setToolTip("Documents per .spacy file at most (a file also closes at 500k tokens).")
        self.skip_check = QCheckBox("Skip spans that do not align with tokens (listed in manifest.json)")
        self.optimize_combo = QComboBox()
        self.optimize_combo.addItems(["efficiency", "accuracy"])

        form = QFormLayout()
        form.addRow("Output folder:", folder_row)
        form.addRow("Format:", self.format_combo)
        form.addRow("Dev fraction:", self.dev_spin)
        form.addRow("Seed:", self.seed_spin)
        form.addRow("", self.include_check)
        form.addRow("Shard size:", self.shard_spin)
        form.addRow("", self.skip_check)
        form.addRow("config.cfg preset:", self.optimize_combo)

        self.status_label = QLabel("Accepted documents are exported; tokens outside their entities are O.")
        self.status_label.setTextFormat(Qt.PlainText)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.export_button = self.buttons.addButton("Export", QDialogButtonBox.AcceptRole)
        self.open_button = self.buttons.addButton("Open folder", QDialogButtonBox.ActionRole)
        self.open_button.hide()
        self.export_button.clicked.connect(self.start)
        self.open_button.clicked.connect(self.open_folder)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        # the default once the buttons are in the dialog (set before, the dialog did not know it); no other
        # button takes Return by having the focus
        for button in self.buttons.buttons():
            button.setAutoDefault(False)
        self.export_button.setDefault(True)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self._format_changed()
        self.resize(640, self.sizeHint().height())

    # ---- options ------------------------------------------------------------
    def _format_changed(self) -> None:
        fmt = self.format_combo.currentData()
        self.optimize_combo.setEnabled(fmt == "spacy")
        self.shard_spin.setEnabled(fmt == "spacy")
        no_missing = not getattr(WRITERS.get(fmt), "marks_missing", True)
        if no_missing:
            self.include_check.setChecked(False)
        self.include_check.setEnabled(not no_missing)
        self.include_check.setToolTip(f"{fmt} cannot mark tokens as missing." if no_missing else "")

    def _browse(self) -> None:
        start = self.folder_edit.text() or str(self.db_path.parent)
        folder = QFileDialog.getExistingDirectory(self, "Export into a new or empty folder", start)
        if folder:
            self.folder_edit.setText(folder)

    def options(self) -> ExportOptions:
        text = self.folder_edit.text().strip()
        return ExportOptions(
            out=Path(text).expanduser() if text else default_out(self.db_path.parent),
            fmt=self.format_combo.currentData(),
            dev=round(self.dev_spin.value(), 4),
            seed=self.seed_spin.value(),
            include=("in_progress",) if self.include_check.isChecked() else (),
            shard_size=self.shard_spin.value(),
            skip_misaligned=self.skip_check.isChecked(),
            optimize=self.optimize_combo.currentText(),
        )

    # ---- running --------------------------------------------------------------
    def start(self) -> None:
        if self.worker is not None:
            return
        self.result, self.error = None, None
        self.open_button.hide()
        self.export_button.setEnabled(False)
        self.status_label.setText("Exporting…")
        self.worker = ExportWorker(self.db_path, self.options(), self)
        self.progress = QProgressDialog("Exporting documents…", "Cancel", 0, 0, self)
        self.progress.setWindowTitle("Export")
        self.progress.setWindowModality(Qt.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.worker.cancel)
        self.worker.progress.connect(self._progressed)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.finished.connect(self._finished)
        self.worker.start()

    def _progressed(self, done: int, total: int) -> None:
        box = self.progress
        if box is not None:
            box.setMaximum(total)
            box.setLabelText(f"Exporting documents… {done:,} of {total:,}")
            # last: a modal progress dialog's setValue runs the event loop, where the export may finish
            # and the box go (the progress signal then found it gone: a rare crash seen under load)
            box.setValue(done)

    def _succeeded(self, result) -> None:
        self.result = result
        lines = [result.summary()]
        if result.problems:
            lines.append(f"{len(result.problems)} span(s) could not be exported and were left out (listed in manifest.json).")
        lines += result.notes
        if result.fmt == "spacy":
            lines.append(f"Train: cd {shlex.quote(str(result.folder))} && python -m spacy train config.cfg --output model")
        self.open_button.show()
        self._show_status("\n".join(lines))

    def _failed(self, message: str) -> None:
        # the session's message is written for the command line; here the option is a check box
        message = message.replace("export with --skip-misaligned", f"tick “{self.skip_check.text()}”")
        self.error = message
        self._show_status(message)

    def _show_status(self, text: str) -> None:
        """A result can be many lines: grow the dialog to hold it rather than squash the fields above."""
        self.status_label.setText(text)
        self.layout().activate()
        needed = self.sizeHint().height()
        if self.height() < needed:
            self.resize(self.width(), needed)

    def _finished(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        if self.worker is not None:
            self.worker.deleteLater()
            self.worker = None
        self.export_button.setEnabled(True)

    def open_folder(self) -> None:
        if self.result is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result.folder)))

    @property
    def running(self) -> bool:
        return self.worker is not None

    def done(self, code: int) -> None:
        # closing while exporting cancels it and waits: the temporary folder is removed, nothing is left behind
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait()
            self._finished()
        super().done(code)
