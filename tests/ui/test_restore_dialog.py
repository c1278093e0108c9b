"""File ▸ Restore backup… and the offer to restore a damaged database, driven by clicks."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.records import Record
from annotator.session import Corpus
from annotator.session.importer import store_records
from annotator.storage import DatabaseDamaged
from annotator.storage.backup import list_backups
from annotator.ui.restore_dialog import DamagedDatabaseDialog, RestoreDialog, offer_restore


def grow(db, start, stop, accept=()):
    """Add documents start..stop-1 (and accept some) in one session; closing makes a backup."""
    with Corpus(db) as corpus:
        store_records(corpus, [Record(text=f"Zelensky met Witkoff in Kyiv, day {i}.", title=f"day {i}", source="t")
                               for i in range(start, stop)])
        for doc_id in accept:
            corpus.apply(corpus.plan_set_status(doc_id, "accepted"))


def two_backups(tmp_path):
    db = tmp_path / "corpus.db"
    grow(db, 0, 3)
    grow(db, 3, 5, accept=[1])
    return db


def cell(dialog, row, col):
    return dialog.table.item(row, col).text()


def confirm(qtbot, dialog, button=QMessageBox.Yes):
    qtbot.waitUntil(lambda: dialog.confirm is not None and dialog.confirm.isVisible())
    qtbot.mouseClick(dialog.confirm.button(button), Qt.LeftButton)


def test_the_dialog_lists_backups_newest_first_with_time_and_document_counts(qtbot, tmp_path):
    db = two_backups(tmp_path)
    dialog = RestoreDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    backups = list_backups(db)
    assert dialog.table.rowCount() == 2
    assert [cell(dialog, r, 1) for r in range(2)] == ["5", "3"]
    assert [cell(dialog, r, 2) for r in range(2)] == ["1", "0"]
    assert cell(dialog, 0, 0) == f"{backups[0].time:%Y-%m-%d %H:%M:%S}"
    assert cell(dialog, 1, 4) == backups[1].path.name
    assert dialog.restore_button.isEnabled()


def test_cancelling_the_confirmation_changes_nothing(qtbot, tmp_path):
    db = two_backups(tmp_path)
    before = db.read_bytes()
    dialog = RestoreDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.selectRow(1)
    qtbot.mouseClick(dialog.restore_button, Qt.LeftButton)
    assert "3 documents, 0 accepted" in dialog.confirm.text()
    confirm(qtbot, dialog, QMessageBox.Cancel)
    assert dialog.status.text() == "Nothing was changed."
    assert dialog.isVisible() and db.read_bytes() == before


def test_choosing_an_older_backup_and_confirming_restores_it_and_keeps_the_current_one(qtbot, tmp_path):
    db = two_backups(tmp_path)
    dialog = RestoreDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.table.selectRow(1)
    qtbot.mouseClick(dialog.restore_button, Qt.LeftButton)
    with qtbot.waitSignal(dialog.accepted):
        confirm(qtbot, dialog)
    with Corpus(db) as corpus:
        assert corpus.count_documents() == 3 and corpus.status_counts()["accepted"] == 0
    assert dialog.kept is not None and dialog.kept.exists()
    kept = [b for b in list_backups(db) if b.before_restore]
    assert [(b.documents, b.accepted) for b in kept] == [(5, 1)]


def test_file_restore_backup_in_the_window_restores_and_the_window_shows_the_restored_corpus(qtbot, tmp_path, open_window):
    db = two_backups(tmp_path)
    window = open_window(db)
    assert window.corpus.count_documents() == 5
    window.act_restore.trigger()
    dialog = window.restore_dialog
    qtbot.waitExposed(dialog)
    dialog.table.selectRow(1)
    qtbot.mouseClick(dialog.restore_button, Qt.LeftButton)
    confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: window.corpus.count_documents() == 3)
    assert window.docs.table.model().rowCount() == 3  # the document list shows the restored corpus
    # editing goes on in the restored corpus
    change = window.corpus.plan_set_status(2, "accepted")
    window.corpus.apply(change)
    with Corpus(db, read_only=True) as corpus:
        assert corpus.document(2).status == "accepted"


def damage(db):
    data = bytearray(db.read_bytes())
    data[0:6] = b"\x00" * 6
    db.write_bytes(bytes(data))


def test_a_damaged_database_offers_its_latest_good_backup_and_one_click_restores_it(qtbot, tmp_path):
    db = two_backups(tmp_path)
    damage(db)
    damaged = db.read_bytes()
    try:
        Corpus(db)
    except DatabaseDamaged as exc:
        error = exc
    dialog = DamagedDatabaseDialog(db, error)
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.message.text()
    assert "cannot be opened: not an SQLite file" in text and "The file was not changed." in text
    assert f"{list_backups(db)[0].time:%Y-%m-%d %H:%M:%S}" in text and "5 documents, 1 accepted" in text
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.restore_latest_button, Qt.LeftButton)
    assert dialog.restored and dialog.kept.read_bytes() == damaged
    with Corpus(db) as corpus:
        assert corpus.count_documents() == 5


def test_a_damaged_database_can_be_restored_from_a_chosen_backup(qtbot, tmp_path):
    db = two_backups(tmp_path)
    damage(db)
    dialog = DamagedDatabaseDialog(db, "database disk image is malformed")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.choose_button, Qt.LeftButton)
    chooser = dialog.chooser
    qtbot.waitExposed(chooser)
    chooser.table.selectRow(1)
    qtbot.mouseClick(chooser.restore_button, Qt.LeftButton)
    with qtbot.waitSignal(dialog.accepted):
        confirm(qtbot, chooser)
    assert dialog.restored
    with Corpus(db) as corpus:
        assert corpus.count_documents() == 3


def test_without_backups_only_quit_is_offered(qtbot, tmp_path):
    db = tmp_path / "lonely.db"
    db.write_text("not a database\n" * 50)
    dialog = DamagedDatabaseDialog(db, "not an SQLite file (wrong header)")
    qtbot.addWidget(dialog)
    assert "No good backup was found" in dialog.message.text()
    assert not dialog.restore_latest_button.isEnabled() and not dialog.choose_button.isEnabled()


def test_offer_restore_runs_modally_and_reports_whether_it_restored(qtbot, tmp_path):
    db = two_backups(tmp_path)
    damage(db)

    def click(name):
        box = QApplication.activeModalWidget()
        assert isinstance(box, DamagedDatabaseDialog)
        qtbot.mouseClick(getattr(box, name), Qt.LeftButton)

    QTimer.singleShot(50, lambda: click("quit_button"))
    assert offer_restore(db, "damaged") is False
    QTimer.singleShot(50, lambda: click("restore_latest_button"))
    assert offer_restore(db, "damaged") is True
    with Corpus(db) as corpus:
        assert corpus.count_documents() == 5
