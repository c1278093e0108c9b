"""Opening a corpus database: pragmas, migrations, refusal of newer schemas."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from annotator.core.errors import Kind
from annotator.storage import integrity
from annotator.storage.backup import backup_dir, latest_good
from annotator.storage.errors import DatabaseError, SchemaTooNew
from annotator.storage.schema import KNOWN_MIGRATIONS, MIGRATION_SET, SCHEMA_VERSION, migrations


class DatabaseDamaged(DatabaseError):
    """The file is damaged; the message names the latest good backup and how to restore it."""

    kind = Kind.DAMAGED

    def __init__(self, path: Path, detail: str):
        self.path, self.detail = path, detail
        self.backup = latest_good(path)
        if self.backup:
            hint = (f"The latest good backup is from {self.backup.time:%Y-%m-%d %H:%M:%S} ({self.backup.documents} documents): "
                    f"restore it with `annotator restore --db {path}`.")
        else:
            hint = f"No good backup was found in {backup_dir(path)}."
        super().__init__(f"{path} is not a usable annotator database: {detail}. The file was not changed. {hint}")


class _LiveConnection(sqlite3.Connection):
    """A connection that tells integrity's registry when it closes (see integrity._LIVE)."""

    live_path: Path | None = None

    def close(self) -> None:
        if self.live_path is not None:
            integrity.unregister_live(self.live_path)
            self.live_path = None
        super().close()


def _connect(path: str | Path) -> sqlite3.Connection:
    # autocommit-style connection: sqlite-utils' atomic() issues BEGIN/COMMIT itself
    conn = sqlite3.connect(
        str(path), timeout=5.0, isolation_level=None, check_same_thread=False, factory=_LiveConnection
    )
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def open_database(path: str | Path, *, migrate: bool = True, thorough: bool = False) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate a corpus database.

    Refuses files that are not SQLite, damaged ones (DatabaseDamaged) and databases written by
    a newer annotator. PRAGMA quick_check runs when the file is small or `thorough` is asked
    (after an unclean shutdown); otherwise only the header is checked, to keep opening fast.
    """
    p = Path(path)
    if p.exists() and p.is_dir():
        raise DatabaseError(f"{p} is a folder, not a database file")
    problem = integrity.header_problem(p) if p.exists() else None
    if problem is None and p.exists() and p.stat().st_size == 0 and backup_dir(p).is_dir():
        problem = "empty file, yet backups of it exist"
    if problem:
        raise DatabaseDamaged(p, problem)
    conn = None
    try:
        conn = _connect(p)
        if p.exists() and (thorough or p.stat().st_size <= integrity.QUICK_CHECK_MAX_BYTES):
            problem = integrity.check(conn)
        if problem is None:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        if integrity.is_damage(exc):
            raise DatabaseDamaged(p, str(exc)) from exc
        raise DatabaseError(f"{p} cannot be opened: {exc}") from exc
    if problem:
        conn.close()
        raise DatabaseDamaged(p, problem)
    db = sqlite_utils.Database(conn)
    if version > SCHEMA_VERSION or _unknown_migrations(db):
        conn.close()
        raise SchemaTooNew(
            f"{p} was written by a newer version of annotator (schema {version}, this build knows {SCHEMA_VERSION}); "
            "upgrade annotator to open it. The file was not changed."
        )
    if migrate and version < SCHEMA_VERSION:
        try:
            migrate_database(db, p)
        except DatabaseError:
            conn.close()
            raise
    conn.live_path = p
    integrity.register_live(p)
    return db


def needs_migration(db: sqlite_utils.Database) -> bool:
    return db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION


def migrate_database(db: sqlite_utils.Database, path: Path) -> None:
    """All pending migrations and the version bump in ONE transaction: killed midway, the old schema stays."""
    try:
        with db.atomic():
            migrations.apply(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"could not create or migrate the schema of {path}: {exc}") from exc


def _unknown_migrations(db: sqlite_utils.Database) -> set[str]:
    if not db["_sqlite_migrations"].exists():
        return set()
    names = {r[0] for r in db.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
    return names - KNOWN_MIGRATIONS
