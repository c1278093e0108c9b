"""File ▸ Import articles… then the import options (issue 10, point 9): gold without a status, made
accepted from the window, the changed records said, and the formats listed from the registry."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from annotator.ui.import_options import ImportOptionsDialog


def test_import_as_accepted_from_the_window(open_window, qtbot, tmp_path, monkeypatch):
    data = tmp_path / "gold.jsonl"
    data.write_text("".join(json.dumps(o) + "\n" for o in [
        {"text": "Rome and Milan signed.", "label": [[0, 4, "GPE"], [9, 14, "GPE"]]},
        {"text": "Turin  waited.", "label": [[0, 6, "GPE"]]},
    ]), encoding="utf-8")
    w = open_window(tmp_path / "c.db")
    reports = []
    w.import_finished.connect(reports.append)
    # the file chooser is the platform's own dialog: answer it; the options dialog is ours, driven by keys
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(data)], ""))
    seen = {}

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ImportOptionsDialog)
        seen["formats"] = [dialog.format_combo.itemData(i) for i in range(dialog.format_combo.count())]
        dialog.status_combo.setFocus()
        qtbot.keyClick(dialog.status_combo, Qt.Key_Down)  # "Accepted: the file is gold"
        seen["status"] = dialog.status_combo.currentText()
        qtbot.mouseClick(dialog.import_button, Qt.LeftButton)
        seen["result"] = dialog.result()

    QTimer.singleShot(200, drive)
    qtbot.keyClick(w.article, Qt.Key_I, Qt.ControlModifier)
    assert seen.get("result") == 1, seen
    qtbot.waitUntil(lambda: bool(reports), timeout=60_000)
    assert seen["status"].startswith("Accepted") and {"prodigy", "doccano", "labelstudio", "conll", "spacy"} <= set(seen["formats"])
    report = reports[0]
    assert len(report.added) == 2 and report.changed == 1
    assert w.corpus.status_counts()["accepted"] == 2
    assert "1 changed on the way in" in w.notice.label.text()
