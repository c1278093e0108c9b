"""Imported Prodigy relations and rejected binary suggestions are shown read-only beside the article (issue 10)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from annotator.session import Corpus
from annotator.session.imports import import_paths

HERE = Path(__file__).parents[1] / "conformance"


def test_relations_and_rejected_suggestions_are_listed(open_window, qtbot, tmp_path):
    db = tmp_path / "c.db"
    with Corpus(db) as corpus:
        import_paths(corpus, [HERE / "prodigy_ner_manual.jsonl", HERE / "prodigy_ner_teach.jsonl"], model="none")
    w = open_window(db)
    panel = w.relations.panel
    assert panel is not None and w.side.indexOf(panel) >= 0
    biden = next(r.id for r in w.corpus.document_rows() if r.title.startswith("Biden"))
    w.open_document(biden)
    assert panel.lines() == ["Biden (PERSON) → CALLED → Scholz (PERSON)"]
    kyiv = next(r.id for r in w.corpus.document_rows() if r.title.startswith("Kyiv"))
    w.open_document(kyiv)
    assert panel.lines() == ["not ORG: Moscow"]
    w.side.setCurrentWidget(panel)
    rect = panel.list.visualItemRect(panel.list.item(0))
    hits = []
    panel.list.itemActivated.connect(hits.append)
    qtbot.mouseClick(panel.list.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.list.viewport(), Qt.LeftButton, pos=rect.center())
    assert hits, "double click did not activate"
    assert w.article.selection() == (10, 16)


def test_no_panel_without_relations(window):
    assert window.relations.panel is None
