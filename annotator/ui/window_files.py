"""The window's databases and imports: File ▸ New/Open, the first-run seed import, imports
in a worker thread behind a progress dialog."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QProgressDialog

from annotator.session import Corpus
from annotator.storage import DatabaseError
from annotator.ui.workers import ImportWorker

NO_DOCUMENT = "No document open. File ▸ Import articles… (Ctrl+I) adds some."


class DatabasesMixin:
    """Part of MainWindow; switching corpora resets its undo stack, lists and panels."""

    def new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New annotation database", str(self.db_path.parent / "new.db"),
                                              "Annotation databases (*.db);;All files (*)")
        if path:
            target = Path(path)
            if target.exists():
                self.notify(f"{target.name} exists already; opening it instead.")
            self.open_database(target)

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open annotation database", str(self.db_path.parent),
                                              "Annotation databases (*.db);;All files (*)")
        if path:
            self.open_database(Path(path))

    def open_database(self, path: Path, force: bool = False) -> bool:
        path = Path(path).resolve()
        if path == self.db_path and not force:
            return True
        try:
            corpus = Corpus(path)
        except (DatabaseError, sqlite3.Error, OSError) as exc:
            self.notify(f"Cannot open {path.name}: {exc}", error=True)
            self._show_box("Cannot open the database", f"{path}\n\n{exc}")
            return False
        self.save_settings()
        self.undo_stack.clear()  # commands refer to the previous corpus
        old = self.corpus
        self.corpus, self.db_path = corpus, path
        corpus.subscribe(self._on_change)
        old.close()
        self.document = None
        self.docs.set_corpus(corpus)
        self.reload_labels()
        self._remember_recent(path)
        self._update_title()
        self.corpus_opened.emit()
        self.open_document(self._first_document())
        return True

    def first_run(self) -> ImportWorker | None:
        """An empty database gets the seed articles, pre-annotated by the default model, so there is work at once."""
        from annotator.session.imports import seeds_dir

        seeds = seeds_dir()
        if self.corpus.count_documents() or not seeds.is_dir():
            return None
        return self.start_import([seeds])

    def choose_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import articles", str(Path.cwd()),
                                                "Articles (*.txt *.jsonl *.json);;All files (*)")
        if paths:
            self.start_import([Path(p) for p in paths])

    def start_import(self, paths: list[Path], model: str | None = "default") -> ImportWorker:
        worker = ImportWorker(self.db_path, paths, model, self)
        dialog = QProgressDialog("Loading the spaCy model…", "Cancel", 0, 0, self)
        dialog.setObjectName("import_progress")
        dialog.setWindowTitle("Importing articles")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        worker.progress.connect(lambda n: dialog.setLabelText(f"Pre-annotated and stored {n} article(s)…"))
        dialog.canceled.connect(worker.cancel)
        worker.succeeded.connect(self._import_done)
        worker.failed.connect(self._import_failed)
        worker.finished.connect(dialog.close)
        worker.finished.connect(lambda: self._workers.remove(worker) if worker in self._workers else None)
        self._workers.append(worker)
        dialog.setMinimumWidth(380)
        self.import_dialog = dialog
        if self.document is None:
            self.article.setPlaceholderText("Importing articles; the first one opens when they are stored…")
        dialog.show()
        worker.start()
        return worker

    def _import_done(self, report) -> None:
        self.import_dialog.close()
        self.article.setPlaceholderText(NO_DOCUMENT)
        self.reload_view()
        if self.document is None:
            self.open_document(self._first_document())
        n = len(report.added)
        parts = [f"Imported {n} article{'s' if n != 1 else ''}"]
        if report.interrupted:
            parts[0] = f"Import cancelled: the {n} article{'s' if n != 1 else ''} annotated so far are kept (importing again adds the rest)"
        if report.duplicates:
            parts.append(f"{report.duplicates} already in the corpus")
        if report.rejected:
            parts.append(f"{len(report.rejected)} rejected")
        self.notify(", ".join(parts) + ".", error=bool(report.rejected))
        if report.rejected:
            self._show_box("Some records were rejected", "\n".join(str(r) for r in report.rejected[:200]))
        self.import_finished.emit(report)

    def _import_failed(self, message: str, details: str) -> None:
        self.import_dialog.close()
        self.article.setPlaceholderText(NO_DOCUMENT)
        self.reload_view()
        self.notify(message, error=True)
        if details:
            self._show_box("Import failed", f"{message}\n\n{details[-4000:]}")
        self.import_finished.emit(None)
