"""QA pass on File ▸ Export…: the result must fit the dialog and speak the dialog's language."""

from __future__ import annotations

from legacy import allow_overlaps
from PySide6.QtCore import Qt

from annotator.session.corpus import Corpus
from annotator.ui.export_dialog import ExportDialog


def squashed(dialog) -> list[str]:
    """Fields drawn lower than they need (their text clipped), as the dialog looked after a long result."""
    fields = {"format": dialog.format_combo, "dev": dialog.dev_spin, "seed": dialog.seed_spin,
              "shards": dialog.shard_spin, "preset": dialog.optimize_combo, "folder": dialog.folder_edit}
    return [name for name, f in fields.items() if f.height() < f.sizeHint().height()]


def test_a_long_result_grows_the_dialog_instead_of_squashing_its_fields(qtbot, seeded_db, tmp_path):
    with Corpus(seeded_db) as corpus:  # two overlapping spans (a raw edit), so the failure is long and names the fix
        corpus.db.execute("UPDATE documents SET status = 'accepted' WHERE id = 1")
        corpus.db.execute("DELETE FROM spans WHERE doc_id = 1 AND start < 8")
        corpus.db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (1, 1, 4, 'ORG')")
        allow_overlaps(corpus).db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (1, 2, 6, 'ORG')")
    dialog = ExportDialog(seeded_db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.folder_edit.setText(str(tmp_path / "out"))
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    message = dialog.status_label.text()
    assert "overlaps the entity ending at 4" in message
    # the dialog has no --skip-misaligned flag: it names its own check box
    assert "--skip-misaligned" not in message and "Skip spans that do not align" in message
    qtbot.wait(20)
    assert squashed(dialog) == []
    assert dialog.status_label.height() >= dialog.status_label.heightForWidth(dialog.status_label.width())

    qtbot.mouseClick(dialog.skip_check, Qt.LeftButton)
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.error is None and "python -m spacy train" in dialog.status_label.text()
    qtbot.wait(20)
    assert squashed(dialog) == []
