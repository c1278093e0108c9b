"""The window's databases and imports: File ▸ New/Open, the first-run seed import, imports
in a worker thread behind a progress dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QProgressDialog

from annotator.core.errors import AnnotatorError
from annotator.ui.workers import ImportWorker

NO_DOCUMENT = "No document open. File ▸ Import articles… (Ctrl+I) adds some."


class FilesController(QObject):
    """Opening databases and importing into them. Switching corpus is the session's open(); the
    window redraws itself when the session says so. Uses the window's public parts: session,
    db_path, document, notify(), show_box(), reload_view(), open_document(), first_document(),
    article, import_finished and settings."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.workers: list[ImportWorker] = []
        self.import_dialog: QProgressDialog | None = None
        self.options_dialog = None  # the import options dialog while it is open

    def new_database(self) -> None:
        w = self.window
        path, _ = QFileDialog.getSaveFileName(w, "New annotation database", str(w.db_path.parent / "new.db"),
                                              "Annotation databases (*.db);;All files (*)")
        if path:
            target = Path(path)
            if target.exists():
                w.notify(f"{target.name} exists already; opening it instead.")
            self.open_database(target)

    def choose_database(self) -> None:
        w = self.window
        path, _ = QFileDialog.getOpenFileName(w, "Open annotation database", str(w.db_path.parent),
                                              "Annotation databases (*.db);;All files (*)")
        if path:
            self.open_database(Path(path))

    def open_database(self, path: Path, force: bool = False) -> bool:
        w = self.window
        path = Path(path).resolve()
        if path == w.db_path and not force:
            return True
        w.settings.save()
        try:
            w.session.open(path)  # the window redraws on the session's "opened"
        except (AnnotatorError, OSError) as exc:
            w.notify(f"Cannot open {path.name}: {exc}", error=True)
            w.show_box("Cannot open the database", f"{path}\n\n{exc}")
            return False
        return True

    def first_run(self) -> ImportWorker | None:
        """An empty database gets the seed articles, pre-annotated by the default model, so there is work at once."""
        from annotator.session.imports import seeds_dir

        seeds = seeds_dir()
        if self.window.corpus.count_documents() or not seeds.is_dir():
            return None
        return self.start_import([seeds])

    def choose_import(self) -> None:
        from annotator.io.formats import suffixes
        from annotator.ui.import_options import ImportOptionsDialog

        patterns = " ".join(f"*{s}" for s in suffixes())  # the readers' suffixes, plugins' too
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Import articles", str(Path.cwd()),
                                                f"Articles and annotations ({patterns});;All files (*)")
        if not paths:
            return
        dialog = ImportOptionsDialog(len(paths), self.window)
        self.options_dialog = dialog
        if dialog.exec() == QDialog.Accepted:
            self.start_import([Path(p) for p in paths], options=dialog.options())

    def start_import(self, paths: list[Path], model: str | None = "default", options=None) -> ImportWorker:
        w = self.window
        worker = ImportWorker(w.db_path, paths, model, w, options=options)
        dialog = QProgressDialog("Loading the spaCy model…", "Cancel", 0, 0, w)
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
        worker.finished.connect(lambda: self.workers.remove(worker) if worker in self.workers else None)
        self.workers.append(worker)
        dialog.setMinimumWidth(380)
        self.import_dialog = dialog
        if w.document is None:
            w.article.setPlaceholderText("Importing articles; the first one opens when they are stored…")
        dialog.show()
        worker.start()
        return worker

    def stop_imports(self) -> None:
        """Closing the window: cancel running imports and wait for them (they keep what they stored)."""
        for worker in list(self.workers):
            worker.cancel()
            worker.wait(10_000)

    def _import_done(self, report) -> None:
        w = self.window
        self.import_dialog.close()
        w.article.setPlaceholderText(NO_DOCUMENT)
        w.reload_view()
        if w.document is None:
            w.open_document(w.first_document())
        n = len(report.added)
        parts = [f"Imported {n} article{'s' if n != 1 else ''}"]
        if report.interrupted:
            parts[0] = f"Import cancelled: the {n} article{'s' if n != 1 else ''} annotated so far are kept (importing again adds the rest)"
        if report.duplicates:
            parts.append(f"{report.duplicates} already in the corpus")
        if report.rejected:
            parts.append(f"{len(report.rejected)} rejected")
        if report.changed:
            parts.append(f"{report.changed} changed on the way in (trimmed, merged or repeated)")
        if report.warning:  # e.g. the corpus's current model is missing: the default was used
            parts.append(report.warning)
        w.notify(", ".join(parts) + ".", error=bool(report.rejected or report.warning))
        if report.rejected or report.notes:
            lines = [f"rejected {r}" for r in report.rejected[:200]] + [f"changed {n}" for n in report.notes[:200]]
            w.show_box("Some records were rejected" if report.rejected else "Some records were changed", "\n".join(lines))
        w.import_finished.emit(report)

    def _import_failed(self, message: str, details: str) -> None:
        w = self.window
        self.import_dialog.close()
        w.article.setPlaceholderText(NO_DOCUMENT)
        w.reload_view()
        w.notify(message, error=True)
        if details:
            w.show_box("Import failed", f"{message}\n\n{details[-4000:]}")
        w.import_finished.emit(None)
