"""A second writer is refused with a message naming the first; kill -9 leaves no stale lock."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from annotator.session.corpus import Corpus, EditError
from annotator.storage.lock import DatabaseLocked, InstanceLock, lock_path

HOLDER = textwrap.dedent(
    """
    import sys
    from annotator.session.corpus import Corpus
    corpus = Corpus(sys.argv[1])
    print("open", flush=True)
    sys.stdin.readline()
    corpus.close()
    print("closed", flush=True)
    """
)


@pytest.fixture
def holder(tmp_path):
    """Another real process with the database open for editing, as the window would have it."""
    db = tmp_path / "corpus.db"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "open"
    yield db, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def annotator(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, text=True, timeout=timeout)


def test_a_second_writer_process_is_refused_with_the_first_ones_pid_and_command(holder, tmp_path):
    db, proc = holder
    article = tmp_path / "a.txt"
    article.write_text("Zelensky met Witkoff in Kyiv.", encoding="utf-8")
    result = annotator("import", article, "--db", db, "--model", "none")
    assert result.returncode == 5  # kind "locked"
    assert f"process {proc.pid}" in result.stderr and "already open for editing" in result.stderr
    assert "corpus.db" in result.stderr and "since " in result.stderr and "Traceback" not in result.stderr
    # the holder's command line is named, so the user knows which window to close
    assert "-c" in result.stderr

    with pytest.raises(DatabaseLocked) as err:
        Corpus(db)
    assert err.value.holder["pid"] == str(proc.pid)

    proc.stdin.write("\n")
    proc.stdin.flush()
    assert proc.stdout.readline().strip() == "closed"
    proc.wait()
    assert not lock_path(db).exists(), "a clean close removes the lock file"
    result = annotator("import", article, "--db", db, "--model", "none")
    assert result.returncode == 0, result.stderr
    assert "imported 1 documents" in result.stdout


def test_read_only_opens_beside_a_writer_and_cannot_write(holder):
    db, _ = holder
    with Corpus(db, read_only=True) as corpus:
        assert corpus.count_documents() == 0
        with pytest.raises(EditError, match="read-only"):
            corpus.apply(corpus.plan_add_label("HARBOUR"))
    assert not (db.parent / "corpus.db.backups").exists(), "a read-only open makes no backup"


def test_a_killed_writer_leaves_no_stale_lock_and_the_next_open_checks_the_whole_file(holder):
    db, proc = holder
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert lock_path(db).exists()  # its details are still there: the shutdown was not clean
    lock = InstanceLock(db).acquire()
    try:
        assert lock.unclean, "a lock file left with a holder's details marks an unclean shutdown"
        with Corpus(db) as corpus:  # same process: shares the lock
            assert corpus.count_documents() == 0
    finally:
        lock.release()
    assert not lock_path(db).exists()
    assert not InstanceLock(db).acquire().unclean


def test_two_corpora_in_one_process_share_the_lock(tmp_path):
    db = tmp_path / "c.db"
    with Corpus(db) as first, Corpus(db) as second:  # the window and its import worker
        assert first.count_documents() == second.count_documents() == 0
        assert second._instance.shared and not first._instance.shared
        first.close()
        assert lock_path(db).exists(), "the lock stays while one of them is open"
    assert not lock_path(db).exists()


def test_a_reader_does_not_upgrade_an_old_database_under_a_writer_and_does_once_it_is_free(tmp_path):
    import sqlite3 as sql

    import sqlite_utils

    from annotator.session import Corpus
    from annotator.storage.db import DatabaseError
    from annotator.storage.schema import SCHEMA_VERSION, migrations

    path = tmp_path / "old.db"
    conn = sql.connect(path, isolation_level=None)
    migrations.apply(sqlite_utils.Database(conn), stop_before="0002_no_document_row_writes_per_edit")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO documents (text, sha256) VALUES ('Kyiv', 'h')")
    conn.close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from annotator.storage.lock import InstanceLock; InstanceLock(sys.argv[1]).acquire();"
         "print('held', flush=True); time.sleep(60)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseError, match=f"must be upgraded before it can be read, but process {holder.pid}"):
            Corpus(path, read_only=True)
        check = sql.connect(path)
        assert check.execute("PRAGMA user_version").fetchone()[0] == 1  # untouched under the writer
        check.close()
    finally:
        holder.kill()
        holder.wait()
    with Corpus(path, read_only=True) as reader:
        assert reader.count_documents(search="Kyiv") == 1
        assert reader.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
