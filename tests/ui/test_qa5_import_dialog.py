"""QA round 5: File ▸ Import's options dialog driven by keys as a user would."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from annotator.ui.import_options import ImportOptionsDialog


def test_return_in_the_import_options_imports_it_does_not_cancel(qtbot):
    """Return pressed Cancel: Enter in the dialog threw the import away."""
    dialog = ImportOptionsDialog(1)
    qtbot.addWidget(dialog)

    def press() -> None:
        shown = QApplication.activeModalWidget()
        qtbot.keyClick(shown.focusWidget() or shown, Qt.Key_Return)

    QTimer.singleShot(200, press)
    assert dialog.exec() == QDialog.Accepted


def test_the_note_does_not_call_conll_statusless(qtbot):
    """A fully tagged CoNLL document is imported accepted (gold): only doccano-like JSON says no status."""
    dialog = ImportOptionsDialog(1)
    qtbot.addWidget(dialog)
    note = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "doccano files" in note and "CoNLL" not in note


def test_return_in_the_export_dialog_exports_it_does_not_browse(qtbot, tmp_path, monkeypatch):
    """Return in File ▸ Export… opened the folder chooser (Browse… took it), not the export."""
    from PySide6.QtWidgets import QFileDialog

    from annotator.session.corpus import Corpus
    from annotator.ui.export_dialog import ExportDialog

    Corpus(tmp_path / "c.db").close()
    browsed = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: browsed.append(1) or "")
    dialog = ExportDialog(tmp_path / "c.db")
    qtbot.addWidget(dialog)
    started = []
    monkeypatch.setattr(dialog, "start", lambda: started.append(1))
    dialog.export_button.clicked.disconnect()
    dialog.export_button.clicked.connect(dialog.start)
    dialog.show()
    qtbot.waitExposed(dialog)
    for field in (dialog.folder_edit, dialog.dev_spin):
        field.setFocus()
        qtbot.keyClick(field, Qt.Key_Return)
    assert started == [1, 1] and not browsed and dialog.isVisible()
