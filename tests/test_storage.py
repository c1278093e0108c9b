import sqlite3

import pytest

from annotator.storage import DatabaseError, SchemaTooNew, open_database
from annotator.storage.schema import SCHEMA_VERSION


def test_migrations_create_schema_on_an_empty_file(tmp_path):
    path = tmp_path / "new.db"
    db = open_database(path)
    assert {"documents", "spans", "labels", "stances", "stance_targets", "stance_values", "history", "meta"} <= set(
        db.table_names()
    )
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    # defaults suited to the seed corpus
    labels = {r[0]: r[1] for r in db.execute("SELECT name, key FROM labels")}
    assert labels["PERSON"] and labels["GPE"] and labels["ORG"]
    # no stance targets: the seed articles bring theirs on the first-run seed import (migration 0007)
    assert db.execute("SELECT count(*) FROM stance_targets").fetchone()[0] == 0
    assert [r[0] for r in db.execute("SELECT name FROM stance_values ORDER BY position")] == ["FAVOR", "AGAINST", "NEUTRAL"]
    db.conn.close()
    # re-opening applies nothing twice
    db = open_database(path)
    assert db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "future.db"
    open_database(path).conn.close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNew, match="newer version of annotator"):
        open_database(path)
    assert path.read_bytes() == before


def test_an_unknown_migration_name_means_newer(tmp_path):
    path = tmp_path / "future2.db"
    db = open_database(path)
    db.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('annotator', '9999_future', 'x')")
    db.conn.close()
    with pytest.raises(SchemaTooNew):
        open_database(path)


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a text file, not a database" * 100)
    with pytest.raises(DatabaseError, match="not a usable annotator database"):
        open_database(path)


def test_constraints_hold_in_the_schema(tmp_path):
    db = open_database(tmp_path / "c.db")
    db.execute("INSERT INTO documents (text, sha256) VALUES ('abc', 'h')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (1, 2, 2, 'PERSON')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (1, 0, 2, 'NO_SUCH_LABEL')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO documents (text, sha256) VALUES ('abc', 'h')")
    db.execute("INSERT INTO history (action, ops) VALUES ('x', '[]')")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM history")


def test_a_database_of_the_first_schema_is_migrated_keeping_its_data(tmp_path):
    from annotator.storage.schema import migrations

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    import sqlite_utils

    old = sqlite_utils.Database(conn)
    migrations.apply(old, stop_before="0002_no_document_row_writes_per_edit")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO documents (text, sha256) VALUES ('Kyiv and Moscow', 'h')")
    conn.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (1, 0, 4, 'GPE')")
    assert conn.execute("SELECT n_spans FROM documents").fetchone()[0] == 1
    conn.close()

    db = open_database(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "n_spans" not in db["documents"].columns_dict
    assert db.execute("SELECT doc_id, start, end, label FROM spans").fetchall() == [(1, 0, 4, "GPE")]
    assert db.execute("SELECT text FROM documents").fetchone()[0] == "Kyiv and Moscow"
    # the search index was built for the articles that were already there
    assert db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'moscow'").fetchall() == [(1,)]
