"""File ▸ Export… driven like a user: set options, click Export, wait, look at what it says and what it wrote."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from export_synth import records  # tests/export_synth.py: tests/ is on sys.path through its conftest.py
from legacy import allow_overlaps
from PySide6.QtCore import Qt

from annotator.session import export as export_mod
from annotator.session.corpus import Corpus
from annotator.session.importer import store_records
from annotator.ui.export_dialog import ExportDialog


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "gold.db"
    with Corpus(path) as corpus:
        store_records(corpus, records(60, seed=51))
        store_records(corpus, records(6, seed=52, status="in_progress", first=700))
    return path


@pytest.fixture
def dialog(qtbot, db):
    d = ExportDialog(db)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def click_export(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)


def test_export_with_options_writes_the_folder_and_shows_it(qtbot, dialog, tmp_path):
    out = tmp_path / "my export"
    dialog.folder_edit.setText(str(out))
    dialog.dev_spin.setValue(0.25)
    dialog.seed_spin.setValue(5)
    qtbot.mouseClick(dialog.include_check, Qt.LeftButton)
    assert dialog.include_check.isChecked()
    click_export(qtbot, dialog)

    assert dialog.error is None, dialog.error
    assert {p.name for p in out.iterdir()} == {"train.spacy", "dev.spacy", "config.cfg", "manifest.json", "README.txt", "stances.jsonl"}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["options"]["seed"] == 5
    assert manifest["options"]["dev"] == 0.25 and manifest["options"]["statuses"] == ["accepted", "in_progress"]
    assert manifest["splits"]["train"]["documents"] + manifest["splits"]["dev"]["documents"] == 66
    shown = dialog.status_label.text()
    assert str(out) in shown and "python -m spacy train config.cfg" in shown
    assert dialog.open_button.isVisible() and dialog.export_button.isEnabled()


def test_text_format_and_default_folder_beside_the_database(qtbot, dialog, db):
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("conll"))
    assert not dialog.include_check.isEnabled() and not dialog.optimize_combo.isEnabled()
    click_export(qtbot, dialog)
    assert dialog.error is None, dialog.error
    folders = list((db.parent / "exports").iterdir())
    assert len(folders) == 1 and (folders[0] / "train.conll").exists()
    assert str(folders[0]) in dialog.status_label.text()


def test_an_entity_inside_a_token_is_exported_and_said(qtbot, dialog, db, tmp_path):
    with Corpus(db) as corpus:
        doc_id = corpus.db.execute("SELECT min(id) FROM documents WHERE status = 'accepted'").fetchone()[0]
        corpus.db.execute("DELETE FROM spans WHERE doc_id = ? AND start < 8", [doc_id])
        corpus.db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (?, 1, 4, 'ORG')", [doc_id])
    dialog.folder_edit.setText(str(tmp_path / "split"))
    click_export(qtbot, dialog)
    assert dialog.error is None, dialog.error
    shown = dialog.status_label.text()
    assert "1 entity lies inside a token" in shown and "checks (as spacy debug data)" in shown


def test_an_overlapping_span_is_shown_and_nothing_is_written(qtbot, dialog, db, tmp_path):
    with Corpus(db) as corpus:
        doc_id = corpus.db.execute("SELECT min(id) FROM documents WHERE status = 'accepted'").fetchone()[0]
        corpus.db.execute("DELETE FROM spans WHERE doc_id = ? AND start < 8", [doc_id])
        corpus.db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (?, 1, 4, 'ORG')", [doc_id])
        allow_overlaps(corpus).db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (?, 2, 6, 'ORG')", [doc_id])
    out = tmp_path / "out"
    dialog.folder_edit.setText(str(out))
    click_export(qtbot, dialog)
    assert f"document {doc_id}: ORG [2, 6) 'port' overlaps the entity ending at 4" in dialog.status_label.text()
    assert dialog.result is None and not out.exists()
    assert not dialog.open_button.isVisible()

    qtbot.mouseClick(dialog.skip_check, Qt.LeftButton)
    click_export(qtbot, dialog)
    assert dialog.error is None and out.exists()
    assert "1 span(s) could not be exported and were left out" in dialog.status_label.text()


def test_cancel_in_the_progress_dialog_leaves_nothing(qtbot, dialog, tmp_path, monkeypatch):
    gate = threading.Event()
    build = export_mod.build_doc

    def held(nlp, item):
        gate.wait(10)  # the export waits at its first document until the test has pressed Cancel
        return build(nlp, item)

    monkeypatch.setattr(export_mod, "build_doc", held)
    out = tmp_path / "out"
    dialog.folder_edit.setText(str(out))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert dialog.running and dialog.progress is not None
    qtbot.mouseClick(dialog.progress.findChild(type(dialog.export_button)), Qt.LeftButton)  # its Cancel button
    gate.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.error == "The export was cancelled; nothing was written."
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
