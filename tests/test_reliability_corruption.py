"""Damaged files, newer schemas and killed migrations: a clear message, the file untouched, a way back."""

import hashlib
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from annotator.core.records import Record
from annotator.session.corpus import Corpus
from annotator.session.importer import store_records
from annotator.storage import DatabaseDamaged, SchemaTooNew, integrity
from annotator.storage.backup import list_backups
from annotator.storage.lock import lock_path
from annotator.storage.schema import SCHEMA_VERSION


def make_corpus(path, n=80):
    records = [
        Record(text=f"Report {i}: Zelensky met Witkoff in Kyiv. " + "More words follow here. " * 20, title=f"r{i}",
               spans=[(11 + len(str(i)), 19 + len(str(i)), "PERSON")], source="test")
        for i in range(n)
    ]
    with Corpus(path) as corpus:
        store_records(corpus, records)
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flip(path, offset, n=8):
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + n):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def table_page_offset(path, table):
    with sqlite3.connect(path) as conn:
        page = conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' LIMIT 1", [table]).fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return (page - 1) * size


DAMAGE = {
    "header magic flipped": lambda p: flip(p, 0, 6),
    "header page size flipped": lambda p: flip(p, 16, 2),
    "data page of spans flipped": lambda p: flip(p, table_page_offset(p, "spans"), 8),
    "data page of documents flipped": lambda p: flip(p, table_page_offset(p, "documents"), 8),
    "truncated to half": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "truncated to nothing": lambda p: p.write_bytes(b""),
    "not SQLite at all": lambda p: p.write_text("<html>not a database</html>\n" * 200),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_file_is_refused_with_a_message_naming_the_backup_and_left_untouched(tmp_path, damage):
    db = make_corpus(tmp_path / "corpus.db")
    assert list_backups(db), "closing after the import made a backup"
    DAMAGE[damage](db)
    before = digest(db)
    with pytest.raises(DatabaseDamaged) as err:
        Corpus(db)
    message = str(err.value)
    assert message.startswith(f"{db} is not a usable annotator database")
    assert "The file was not changed" in message and f"annotator restore --db {db}" in message
    assert "80 documents" in message
    assert digest(db) == before
    assert not lock_path(db).exists(), "a refused open releases the lock"


def test_the_cli_names_the_damage_and_the_restore_command_then_restore_brings_the_corpus_back(tmp_path):
    db = make_corpus(tmp_path / "corpus.db")
    DAMAGE["data page of spans flipped"](db)
    damaged = db.read_bytes()

    result = subprocess.run([sys.executable, "-m", "annotator", "stats", "--db", str(db)], capture_output=True, text=True)
    assert result.returncode == 7 and "Traceback" not in result.stderr  # kind "damaged"
    assert "not a usable annotator database" in result.stderr and f"annotator restore --db {db}" in result.stderr

    listing = subprocess.run([sys.executable, "-m", "annotator", "restore", "--list", "--db", str(db)],
                             capture_output=True, text=True)
    assert listing.returncode == 0 and "80 documents, 0 accepted" in listing.stdout

    result = subprocess.run([sys.executable, "-m", "annotator", "restore", "--db", str(db), "--yes"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "restored" in result.stdout and "the replaced file is kept as" in result.stdout
    kept = [b for b in list_backups(db) if b.before_restore]
    assert len(kept) == 1 and kept[0].path.read_bytes() == damaged, "the damaged file is kept aside, byte for byte"
    with Corpus(db) as corpus:
        assert corpus.count_documents() == 80
        assert sum(len(corpus.spans(r.id)) for r in corpus.document_rows(limit=100)) == 80


def test_restore_with_no_backup_says_so(tmp_path):
    db = tmp_path / "nothing.db"
    db.write_text("not a database " * 100)
    result = subprocess.run([sys.executable, "-m", "annotator", "restore", "--db", str(db), "--yes"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "no good backup" in result.stderr and "Traceback" not in result.stderr


def test_a_big_file_is_fully_checked_only_after_an_unclean_shutdown(tmp_path, monkeypatch):
    db = make_corpus(tmp_path / "corpus.db")
    DAMAGE["data page of spans flipped"](db)
    monkeypatch.setattr(integrity, "QUICK_CHECK_MAX_BYTES", 0)  # as if the file were large: header check only
    with Corpus(db) as corpus:
        assert corpus.count_documents() == 80  # page damage goes unseen by the cheap check
    # a writer killed with the lock held leaves its details behind: the next open checks every page
    lock_path(db).write_text("pid=999999\nhost=elsewhere\nsince=2024-01-01T00:00:00\ncommand=annotator\n")
    with pytest.raises(DatabaseDamaged, match="not a usable annotator database"):
        Corpus(db)


def test_a_database_from_a_newer_schema_is_refused_and_left_unchanged(tmp_path):
    db = make_corpus(tmp_path / "corpus.db")
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(db)
    with pytest.raises(SchemaTooNew, match="newer version of annotator"):
        Corpus(db)
    assert digest(db) == before


MIGRATE = textwrap.dedent(
    """
    import sys, time
    from annotator.storage import db as dbmod, schema

    @schema.migrations(name="test_0900_add_table")
    def add_table(db):
        db.execute("CREATE TABLE test_added (x INTEGER)")

    @schema.migrations(name="test_0901_slow_column")
    def slow_column(db):
        db.execute("ALTER TABLE documents ADD COLUMN test_extra TEXT")
        db.execute("UPDATE documents SET test_extra = 'x'")
        print("midway", flush=True)
        if sys.argv[2] == "hang":
            time.sleep(600)

    dbmod.SCHEMA_VERSION = len(schema.migrations._migrations)
    dbmod.KNOWN_MIGRATIONS = frozenset(m.name for m in schema.migrations._migrations)
    dbmod.open_database(sys.argv[1]).conn.close()
    print("migrated", flush=True)
    """
)


def schema_of(db):
    conn = sqlite3.connect(db)
    try:
        return {
            "version": conn.execute("PRAGMA user_version").fetchone()[0],
            "tables": {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")},
            "doc_columns": {r[1] for r in conn.execute("PRAGMA table_info(documents)")},
            "migrations": {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")},
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
        }
    finally:
        conn.close()


def test_a_migration_killed_midway_leaves_the_old_schema_and_a_rerun_migrates_in_one_go(tmp_path):
    db = make_corpus(tmp_path / "corpus.db")
    old = schema_of(db)
    proc = subprocess.Popen([sys.executable, "-c", MIGRATE, str(db), "hang"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "midway"  # the first test migration ran, the second is half done
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    after_kill = schema_of(db)
    assert after_kill == old, "neither test migration may survive: they run in one transaction"
    with Corpus(db) as corpus:
        assert corpus.count_documents() == 80

    done = subprocess.run([sys.executable, "-c", MIGRATE, str(db), "finish"], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["midway", "migrated"], done.stderr
    new = schema_of(db)
    assert new["version"] == SCHEMA_VERSION + 2 and "test_added" in new["tables"] and "test_extra" in new["doc_columns"]
    assert new["migrations"] == old["migrations"] | {"test_0900_add_table", "test_0901_slow_column"}
    assert new["integrity"] == "ok"
    with pytest.raises(SchemaTooNew):  # this build does not know those migrations
        Corpus(db)
