"""Opening a corpus database: pragmas, migrations, refusal of newer schemas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from annotator.storage.schema import KNOWN_MIGRATIONS, MIGRATION_SET, SCHEMA_VERSION, migrations


class DatabaseError(RuntimeError):
    """A database that cannot be used; the message is for the user."""


class SchemaTooNew(DatabaseError):
    pass


def _connect(path: str | Path) -> sqlite3.Connection:
    # autocommit-style connection: sqlite-utils' atomic() issues BEGIN/COMMIT itself
    conn = sqlite3.connect(str(path), timeout=5.0, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def open_database(path: str | Path, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate a corpus database.

    Refuses files that are not SQLite and databases written by a newer annotator.
    """
    p = Path(path)
    if p.exists() and p.is_dir():
        raise DatabaseError(f"{p} is a folder, not a database file")
    try:
        conn = _connect(p)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{p} is not a usable annotator database: {exc}") from exc
    db = sqlite_utils.Database(conn)
    if version > SCHEMA_VERSION or _unknown_migrations(db):
        conn.close()
        raise SchemaTooNew(
            f"{p} was written by a newer version of annotator (schema {version}, this build knows {SCHEMA_VERSION}); "
            "upgrade annotator to open it. The file was not changed."
        )
    if migrate and version < SCHEMA_VERSION:
        try:
            migrations.apply(db)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise DatabaseError(f"could not create or migrate the schema of {p}: {exc}") from exc
    return db


def _unknown_migrations(db: sqlite_utils.Database) -> set[str]:
    if not db["_sqlite_migrations"].exists():
        return set()
    names = {r[0] for r in db.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
    return names - KNOWN_MIGRATIONS
