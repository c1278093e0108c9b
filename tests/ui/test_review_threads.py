"""Found in review: the window's worker threads and its own connection on close."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from export_synth import records
from PySide6.QtCore import Qt

from annotator.session import export as export_mod
from annotator.session.corpus import Corpus
from annotator.session.importer import store_records


@pytest.fixture
def gold_db(tmp_path) -> Path:
    path = tmp_path / "gold.db"
    with Corpus(path) as corpus:
        store_records(corpus, records(20, seed=61))
    return path


def test_closing_the_window_during_an_export_cancels_it_and_waits(qtbot, open_window, gold_db, tmp_path, monkeypatch):
    """Quitting while File ▸ Export… runs must not leave its thread running: Qt aborts the process
    when a running QThread is destroyed, and the half-written export folder would stay behind."""
    gate = threading.Event()
    build = export_mod.build_doc

    def held(nlp, item):
        gate.wait(0.05)  # slow enough that the export is still running when the window closes
        return build(nlp, item)

    monkeypatch.setattr(export_mod, "build_doc", held)
    window = open_window(gold_db)
    window.show_export()
    dialog = window.export_dialog
    out = tmp_path / "out"
    dialog.folder_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    worker = dialog.worker
    assert worker is not None and worker.isRunning()

    window.close()

    assert not worker.isRunning()
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
