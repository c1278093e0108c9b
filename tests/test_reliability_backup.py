"""Rolling backups: made on close and every N minutes of editing, verified, bounded, listed, restorable."""

import os
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from annotator.core.records import Record
from annotator.session.corpus import Corpus
from annotator.session.importer import store_records
from annotator.storage import backup as backup_mod
from annotator.storage.backup import BackupError, backup_dir, latest_good, list_backups, make_backup, restore
from annotator.storage.lock import DatabaseLocked


def new_corpus(path, n=3):
    with Corpus(path) as corpus:
        store_records(corpus, [Record(text=f"Zelensky spoke in Kyiv, report {i}.", title=f"r{i}", source="t") for i in range(n)])
    return path


def rows(path, sql):
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_closing_after_edits_makes_a_verified_backup_listed_with_time_and_counts(tmp_path):
    db = new_corpus(tmp_path / "c.db")
    with Corpus(db) as corpus:
        corpus.apply(corpus.plan_set_status(2, "accepted"))
        corpus.apply(corpus.plan_add_span(1, 0, 8, "PERSON"))
    backups = list_backups(db)
    assert len(backups) == 2  # one after the import, one after the edits
    newest = backups[0]
    assert (newest.documents, newest.accepted) == (3, 1) and not newest.before_restore
    assert newest.path.parent == backup_dir(db) and newest.path.name.startswith("c-")
    assert f"{newest.time:%Y-%m-%d}" in newest.describe() and "3 documents, 1 accepted" in newest.describe()
    assert rows(newest.path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(newest.path, "PRAGMA journal_mode") == [("delete",)], "a backup is one self-contained file"
    assert rows(newest.path, "SELECT start, end, label FROM spans") == [(0, 8, "PERSON")]


def test_opening_and_closing_without_writing_makes_no_backup(tmp_path):
    db = new_corpus(tmp_path / "c.db")
    with Corpus(db) as corpus:
        corpus.document_rows()
    assert len(list_backups(db)) == 1


def test_backups_are_bounded_and_the_oldest_go_first(tmp_path):
    db = new_corpus(tmp_path / "c.db")
    for status in ["accepted", "skipped", "in_progress", "accepted", "skipped"]:
        with Corpus(db) as corpus:
            corpus.backups.keep = 3
            corpus.apply(corpus.plan_set_status(1, status))
    backups = list_backups(db)
    assert len(backups) == 3
    assert rows(backups[0].path, "SELECT status FROM documents WHERE id = 1") == [("skipped",)]
    assert rows(backups[-1].path, "SELECT status FROM documents WHERE id = 1") == [("in_progress",)]


def test_a_backup_is_made_while_editing_once_the_interval_has_passed(tmp_path):
    db = new_corpus(tmp_path / "c.db")
    corpus = Corpus(db)
    corpus.backups.interval = 0  # the 30 minutes, elapsed
    corpus.apply(corpus.plan_set_status(1, "accepted"))
    corpus.backups._worker.join(30)  # it runs on a worker thread with its own connection
    assert len(corpus.backups.made) == 1
    made = corpus.backups.made[0]
    assert rows(made, "SELECT status FROM documents WHERE id = 1") == [("accepted",)]
    corpus.backups.interval = 3600
    corpus.apply(corpus.plan_set_status(1, "skipped"))  # within the interval: no new backup
    assert len(corpus.backups.made) == 1
    corpus.close()  # closing backs up the edit made since
    assert len(corpus.backups.made) == 2 and len(list_backups(db)) == 3


def test_a_backup_failing_its_integrity_check_is_deleted_and_reported_and_close_still_works(tmp_path, monkeypatch):
    db = new_corpus(tmp_path / "c.db")
    monkeypatch.setattr(backup_mod, "check", lambda conn, full=False: "*** page 3 is never used")
    corpus = Corpus(db)
    corpus.apply(corpus.plan_set_status(1, "accepted"))
    corpus.close()
    assert len(corpus.backups.problems) == 1
    assert "failed its integrity check and was deleted" in corpus.backups.problems[0]
    assert len(list_backups(db)) == 1  # only the earlier one
    assert not list(backup_dir(db).glob("*.partial*"))
    with Corpus(db) as again:  # the lock was released
        assert again.document(1).status == "accepted"


def test_a_partial_backup_left_by_a_kill_is_never_listed_and_is_cleared_by_the_next_backup(tmp_path):
    db = new_corpus(tmp_path / "c.db")
    partial = backup_dir(db) / "c-20240101-000000.db.partial"
    partial.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    two_hours_ago = time.time() - 7200
    os.utime(partial, (two_hours_ago, two_hours_ago))
    in_progress = backup_dir(db) / "c-20240101-000001.db.partial"  # another backup, being written now
    in_progress.write_bytes(b"SQLite format 3\x00")
    assert all(".partial" not in b.path.name for b in list_backups(db))
    make_backup(db)
    assert not partial.exists()
    assert in_progress.exists()


def test_restore_puts_the_backup_back_and_keeps_the_replaced_file(tmp_path):
    db = new_corpus(tmp_path / "c.db")
    good = list_backups(db)[0]
    with Corpus(db) as corpus:
        corpus.apply(corpus.plan_add_span(1, 0, 8, "PERSON"))
        corpus.apply(corpus.plan_set_status(1, "accepted"))
    assert latest_good(db).path != good.path  # closing made a newer one
    restored, kept = restore(db, good.path)
    assert restored == good.path
    assert not db.with_name("c.db-wal").exists() and not db.with_name("c.db.restoring").exists()
    with Corpus(db) as corpus:
        assert corpus.spans(1) == [] and corpus.document(1).status == "new"
    assert rows(kept, "SELECT status FROM documents WHERE id = 1") == [("accepted",)], "the edits are kept aside"
    assert any(b.before_restore and b.path == kept for b in list_backups(db))


def test_restore_while_the_window_has_the_database_open_rewrites_it_in_one_transaction(tmp_path):
    db = new_corpus(tmp_path / "c.db")
    good = list_backups(db)[0]
    window = Corpus(db)  # as the window holds it
    window.apply(window.plan_add_span(1, 0, 8, "PERSON"))
    restored, kept = restore(db, good.path)
    assert window.spans(1) == [], "the open corpus reads the restored rows at once"
    assert rows(kept, "SELECT label FROM spans") == [("PERSON",)]
    assert rows(db, "PRAGMA journal_mode") == [("wal",)] and rows(db, "PRAGMA integrity_check") == [("ok",)]
    window.apply(window.plan_add_span(1, 0, 8, "GPE"))  # and editing goes on
    window.close()
    with Corpus(db) as corpus:
        assert [s.label for s in corpus.spans(1)] == ["GPE"]


def test_restore_is_refused_while_another_process_has_the_database_open(tmp_path):
    db = new_corpus(tmp_path / "c.db")
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import sys
            from annotator.session.corpus import Corpus
            c = Corpus(sys.argv[1]); print("open", flush=True); sys.stdin.readline()
        """), str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        before = db.read_bytes()
        with pytest.raises(DatabaseLocked, match=f"process {holder.pid}"):
            restore(db)
        assert db.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


def test_restoring_a_damaged_backup_is_refused(tmp_path):
    db = new_corpus(tmp_path / "c.db")
    bad = backup_dir(db) / "c-20240101-000000.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    before = db.read_bytes()
    with pytest.raises(BackupError, match="cannot be restored"):
        restore(db, bad)
    assert db.read_bytes() == before
    assert latest_good(db).path != bad
