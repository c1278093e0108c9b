"""Files beside the database: lock and temporary files never follow links, the lock goes by file
identity, a foreign -wal is never applied, copies keep the database's permissions (issue 11: 1-3, 6)."""

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap

import pytest

from annotator.core.records import Record
from annotator.session.corpus import Corpus
from annotator.session.importer import store_records
from annotator.storage import DatabaseDamaged, DatabaseError
from annotator.storage.backup import list_backups, restore
from annotator.storage.db import ForeignWal
from annotator.storage.lock import DatabaseLocked, lock_path

HOLDER = textwrap.dedent(
    """
    import sys
    from annotator.session.corpus import Corpus
    corpus = Corpus(sys.argv[1])
    print("open", flush=True)
    sys.stdin.readline()
    corpus.close()
    """
)


def make(path, n=3, word="Kyiv"):
    with Corpus(path) as corpus:
        store_records(corpus, [Record(f"{word} report {i}: Zelensky met Witkoff.", f"t{i}") for i in range(n)])


def titles(path):
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM documents ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def holder(tmp_path):
    db = tmp_path / "corpus.db"
    make(db)
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    yield db, proc
    proc.kill()
    proc.wait()


# ---- 1: links planted where the lock file or the .restoring file go -------------------------
def test_a_lock_file_that_is_a_symlink_or_a_hard_link_is_refused_and_its_target_untouched(tmp_path):
    db = tmp_path / "corpus.db"
    victim = tmp_path / "thesis.txt"
    victim.write_text("years of work")
    lock_path(db).symlink_to(victim)
    with pytest.raises(DatabaseError, match="symbolic link, not an annotator lock file"):
        Corpus(db)
    assert victim.read_text() == "years of work"
    lock_path(db).unlink()
    os.link(victim, lock_path(db))
    with pytest.raises(DatabaseError, match="hard link"):
        Corpus(db)
    assert victim.read_text() == "years of work"
    lock_path(db).unlink()
    lock_path(db).write_text("not a lock at all")
    with pytest.raises(DatabaseError, match="not an annotator lock file"):
        Corpus(db)
    assert lock_path(db).read_text() == "not a lock at all"


def test_a_restore_never_writes_through_a_symlink_planted_as_the_restoring_file(tmp_path):
    db = tmp_path / "corpus.db"
    make(db)
    Corpus(db).close()
    backup = list_backups(db)[0].path
    data = bytearray(db.read_bytes())
    data[:16] = b"garbage garbage!"  # damaged: the restore replaces the file, through <db>.restoring
    db.write_bytes(bytes(data))
    victim = tmp_path / "thesis.txt"
    victim.write_text("years of work")
    db.with_name("corpus.db.restoring").symlink_to(victim)
    restore(db, backup)
    assert victim.read_text() == "years of work"
    assert titles(db) == ["t0", "t1", "t2"]


# ---- 2: one lock per file, whatever its name --------------------------------------------------
def test_a_second_name_of_a_database_held_by_another_writer_is_refused(holder, tmp_path):
    db, proc = holder
    hard = tmp_path / "hard.db"
    os.link(db, hard)
    soft = tmp_path / "soft.db"
    soft.symlink_to(db)
    with pytest.raises(DatabaseLocked, match="hard link"):
        Corpus(hard)
    with pytest.raises(DatabaseLocked, match=f"process {proc.pid}"):
        Corpus(soft)
    article = tmp_path / "a.txt"
    article.write_text("Zelensky met Witkoff in Kyiv.", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "annotator", "import", str(article), "--db", str(hard), "--model", "none"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "hard link" in out.stderr and "Traceback" not in out.stderr
    assert not hard.with_name("hard.db-wal").exists(), "nothing was opened through the second name"
    proc.stdin.write("\n")
    proc.stdin.flush()
    proc.wait()
    with Corpus(hard) as corpus:  # free again: the other name opens
        assert corpus.count_documents() == 3


# ---- 3: a -wal that belongs to another database ------------------------------------------------
def wal_of_another_corpus(tmp_path):
    other = tmp_path / "other.db"
    make(other, n=40, word="Moscow")
    conn = sqlite3.connect(other, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("UPDATE documents SET title = 'other ' || id, status = 'accepted'")
    conn.execute("UPDATE meta SET value = value WHERE key = 'corpus_id'")
    wal = other.with_name("other.db-wal")
    data = wal.read_bytes()  # committed, not yet checkpointed
    conn.close()
    assert len(data) > 32
    return data


def test_a_foreign_wal_is_set_aside_not_applied_and_the_message_is_true(tmp_path):
    db = tmp_path / "corpus.db"
    make(db)
    before = db.read_bytes()
    foreign = wal_of_another_corpus(tmp_path)
    db.with_name("corpus.db-wal").write_bytes(foreign)
    with pytest.raises(ForeignWal) as err:
        Corpus(db)
    message = str(err.value)
    assert "does not belong" in message and "was not changed" in message
    assert db.read_bytes() == before, "the file was not changed, as the message says"
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("corpus.db-wal.foreign-")]
    assert len(aside) == 1 and aside[0].read_bytes() == foreign and str(aside[0]) in message
    assert not db.with_name("corpus.db-wal").exists()
    with Corpus(db) as corpus:
        assert [r.title for r in corpus.document_rows()] == ["t0", "t1", "t2"]


def test_the_databases_own_wal_after_a_kill_is_applied(tmp_path):
    db = tmp_path / "corpus.db"
    make(db)
    code = ("import sys, os; from annotator.session.corpus import Corpus; c = Corpus(sys.argv[1]);"
            "c.apply(c.plan_set_status(1, 'accepted')); print('done', flush=True); os._exit(9)")
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60)
    assert "done" in out.stdout
    assert db.with_name("corpus.db-wal").stat().st_size > 32
    with Corpus(db) as corpus:
        assert corpus.document(1).status == "accepted"
    assert not [p for p in tmp_path.iterdir() if "foreign" in p.name]


def test_a_damaged_file_with_a_wal_is_left_byte_for_byte(tmp_path):
    db = tmp_path / "corpus.db"
    make(db, n=30)
    code = ("import sys, os; from annotator.session.corpus import Corpus; c = Corpus(sys.argv[1]);"
            "c.apply(c.plan_set_status(1, 'accepted')); print('done', flush=True); os._exit(9)")
    subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60)
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for i in range(page * 2, page * 3):
        data[i] ^= 0x5A
    db.write_bytes(bytes(data))
    wal = db.with_name("corpus.db-wal").read_bytes()
    with pytest.raises(DatabaseDamaged, match="was not changed"):
        Corpus(db)
    assert db.read_bytes() == bytes(data) and db.with_name("corpus.db-wal").read_bytes() == wal


# ---- 6: copies are as private as the database ---------------------------------------------------
def test_backups_before_restore_copies_and_exports_keep_the_databases_permissions(tmp_path):
    from annotator.session.export import ExportOptions, export_corpus

    db = tmp_path / "corpus.db"
    make(db)
    os.chmod(db, 0o600)
    shutil.rmtree(tmp_path / "corpus.db.backups")  # made while the file was 0644
    old = os.umask(0o022)
    try:
        with Corpus(db) as corpus:
            corpus.apply(corpus.plan_set_status(1, "accepted"))
        backup = list_backups(db)[0].path
        restore(db, backup)
        with Corpus(db, read_only=True) as corpus:
            export_corpus(corpus, ExportOptions(out=tmp_path / "out", fmt="jsonl"))
    finally:
        os.umask(old)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in list_backups(db) for p in [p.path]}
    assert modes and set(modes.values()) == {0o600}, modes
    assert any(b.before_restore for b in list_backups(db))
    exported = list((tmp_path / "out").rglob("*")) + [tmp_path / "out"]
    for path in exported:
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def test_the_log_file_is_private(tmp_path):
    pytest.importorskip("PySide6")
    from annotator.ui.errors import setup_logging

    path = setup_logging(tmp_path / "logs")
    import logging

    logging.getLogger("annotator").info("an article title")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for handler in list(logging.getLogger("annotator").handlers):
        if getattr(handler, "_annotator", False):
            logging.getLogger("annotator").removeHandler(handler)
            handler.close()

