"""Opening a corpus database: pragmas, migrations, refusal of newer schemas."""

from __future__ import annotations

import datetime
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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


class ForeignWal(DatabaseError):
    """A `-wal` beside the database that belongs to another file; it was set aside, never applied."""

    kind = Kind.DAMAGED


class NotACorpus(DatabaseError):
    """An empty file or another program's SQLite database given where a corpus is expected."""

    kind = Kind.BAD_INPUT


# How every writing connection is set up; the power-cut harness (benchmarks/power_cut.py) uses the
# same settings, and its mutant changes exactly one of them.
DURABILITY = (("journal_mode", "WAL"), ("synchronous", "FULL"))
BUSY_TIMEOUT_MS = 5000


class _LiveConnection(sqlite3.Connection):
    """A connection that tells integrity's registry when it closes (see integrity._LIVE)."""

    live_path: Path | None = None
    temp_copy: Path | None = None  # a migrated copy read instead of an older file (read-only opens)
    after_commit = None  # called after each write_transaction commits (the writer lock records the WAL's salts)

    def close(self) -> None:
        live, self.live_path = self.live_path, None
        super().close()
        if live is not None:
            integrity.unregister_live(live)
        if self.temp_copy is not None:
            self.temp_copy.unlink(missing_ok=True)
            self.temp_copy = None


def _connect(path: str | Path, uri_query: str | None = None) -> sqlite3.Connection:
    # autocommit-style connection: transactions are begun explicitly (write_transaction, atomic())
    target, uri = (f"{Path(path).resolve().as_uri()}?{uri_query}", True) if uri_query else (str(path), False)
    conn = sqlite3.connect(
        target, uri=uri, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False,
        factory=_LiveConnection,
    )
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


@contextmanager
def read_snapshot(db) -> Iterator[None]:
    """One read transaction: every query inside sees the same state of the database (WAL lets writers
    go on meanwhile). Inside an open transaction it adds nothing. `db` is anything with a `conn`."""
    conn = getattr(db, "conn", db)
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")


@contextmanager
def write_transaction(db) -> Iterator[None]:
    """One write transaction, begun with BEGIN IMMEDIATE on an autocommit connection.

    A deferred BEGIN starts as a read and must upgrade to a write lock later; in WAL mode SQLite
    refuses that upgrade at once (SQLITE_BUSY, no busy_timeout) when another connection wrote in
    between. BEGIN IMMEDIATE takes the write lock first, so it waits up to busy_timeout instead.
    Inside an open transaction it nests as a savepoint. `db` is anything with execute(sql).
    """
    conn = getattr(db, "conn", db)
    if getattr(conn, "in_transaction", False):
        db.execute("SAVEPOINT write_transaction")
        try:
            yield
        except BaseException:
            if conn.in_transaction:  # a RAISE(ROLLBACK) or an I/O error may have ended it already
                db.execute("ROLLBACK TO SAVEPOINT write_transaction")
                db.execute("RELEASE SAVEPOINT write_transaction")
            raise
        db.execute("RELEASE SAVEPOINT write_transaction")
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        try:
            db.execute("ROLLBACK")
        except Exception:  # SQLite may have rolled back itself (disk full, I/O error)
            pass
        raise
    db.execute("COMMIT")
    hook = getattr(conn, "after_commit", None)
    if hook is not None:
        hook()


def open_database(
    path: str | Path, *, migrate: bool = True, thorough: bool = False, read_only: bool = False, wal_salts: str | None = None
) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate a corpus database; `read_only`: open it with SQLite's read-only mode.

    Refuses files that are not SQLite, damaged ones (DatabaseDamaged), another program's SQLite
    database or an empty file where a corpus is expected (NotACorpus), and databases written by a
    newer annotator. PRAGMA quick_check runs when the file is small or `thorough` is asked (after
    an unclean shutdown); otherwise only the header is checked, to keep opening fast. Every check
    runs on a read-only connection: closing a read-write one would checkpoint a `-wal` into the
    file, so a refused file is truly left unchanged. A `-wal` that belongs to another database is
    set aside (ForeignWal) before the file is ever opened read-write; `wal_salts` are the salts the
    last writer recorded (InstanceLock.last_wal), when it did not shut down cleanly.
    """
    p = Path(path)
    if p.exists() and p.is_dir():
        raise DatabaseError(f"{p} is a folder, not a database file")
    if read_only:
        return _open_read_only(p, thorough)
    live = integrity.is_live(p)  # already checked by this process; must not be read with plain I/O
    if p.exists() and not live:
        _check_before_writing(p, thorough, wal_salts)
    conn = None
    try:
        conn = _connect(p)
        for name, value in DURABILITY:
            conn.execute(f"PRAGMA {name} = {value}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        if integrity.is_damage(exc):
            raise DatabaseDamaged(p, str(exc)) from exc
        raise DatabaseError(f"{p} cannot be opened: {exc}") from exc
    db = sqlite_utils.Database(conn)
    _check_schema(db, p, version)
    if migrate and version < SCHEMA_VERSION:
        try:
            migrate_database(db, p)
        except DatabaseError:
            conn.close()
            raise
    conn.live_path = p
    integrity.register_live(p)
    return db


def _check_before_writing(p: Path, thorough: bool, wal_salts: str | None) -> None:
    problem = integrity.header_problem(p)
    size = p.stat().st_size
    if problem is None and size == 0 and backup_dir(p).is_dir():
        problem = "empty file, yet backups of it exist"
    if problem:
        raise DatabaseDamaged(p, problem)
    if size == 0:
        return
    foreign = integrity.foreign_wal(p, wal_salts)
    if foreign:
        aside = _set_aside_wal(p)
        raise ForeignWal(
            f"{p.name} had a -wal file beside it that does not belong to it ({foreign}). It was not applied: it was "
            f"moved to {aside}. {p.name} itself was not changed and opens without it."
        )
    if thorough or size <= integrity.QUICK_CHECK_MAX_BYTES:
        problem = integrity.check_file(p, full=False)
        if problem:
            raise DatabaseDamaged(p, problem)


def _set_aside_wal(p: Path) -> Path:
    """Move `<db>-wal` (and the -shm that indexes it) aside, under a name SQLite never reads."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = p.with_name(f"{p.name}-wal.foreign-{stamp}")
    n = 1
    while aside.exists():
        aside = p.with_name(f"{p.name}-wal.foreign-{stamp}-{n}")
        n += 1
    os.rename(p.with_name(p.name + "-wal"), aside)
    p.with_name(p.name + "-shm").unlink(missing_ok=True)
    return aside


def _check_schema(db: sqlite_utils.Database, p: Path, version: int) -> None:
    conn = db.conn
    if version > SCHEMA_VERSION or _unknown_migrations(db):
        conn.close()
        raise SchemaTooNew(
            f"{p} was written by a newer version of annotator (schema {version}, this build knows {SCHEMA_VERSION}); "
            "upgrade annotator to open it. The file was not changed."
        )
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if tables and not ({"meta", "documents"} <= tables or "_sqlite_migrations" in tables):
        conn.close()
        raise NotACorpus(
            f"{p} is an SQLite database of another program (tables: {', '.join(sorted(tables)[:5])}), "
            "not an annotator corpus. The file was not changed; give a corpus with --db."
        )


def _open_read_only(p: Path, thorough: bool) -> sqlite_utils.Database:
    """Open with SQLite's read-only mode: nothing is created, migrated, checkpointed or switched to WAL.

    On read-only media (no -shm can be made) the file is opened immutable, unless a -wal with
    committed pages sits beside it: reading without it would show an older corpus.
    An older schema is read from a migrated temporary copy; the file itself is never upgraded here.
    """
    if not p.exists():
        raise NotACorpus(f"no corpus database at {p}", kind=Kind.NOT_FOUND)
    live = integrity.is_live(p)
    if not live:
        if p.stat().st_size == 0:
            raise NotACorpus(f"{p} is an empty file, not an annotator corpus: there is nothing to read. The file was not changed.")
        problem = integrity.header_problem(p)
        if problem:
            raise DatabaseDamaged(p, problem)
    try:
        conn = _connect(p, "mode=ro")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "unable to open" not in str(exc) and "readonly" not in str(exc):
            if integrity.is_damage(exc):
                raise DatabaseDamaged(p, str(exc)) from exc
            raise DatabaseError(f"{p} cannot be opened: {exc}") from exc
        conn, version = _open_immutable(p, exc)
    except sqlite3.DatabaseError as exc:
        if integrity.is_damage(exc):
            raise DatabaseDamaged(p, str(exc)) from exc
        raise DatabaseError(f"{p} cannot be opened: {exc}") from exc
    if not live and (thorough or p.stat().st_size <= integrity.QUICK_CHECK_MAX_BYTES):
        problem = integrity.check(conn)
        if problem:
            conn.close()
            raise DatabaseDamaged(p, problem)
    db = sqlite_utils.Database(conn)
    _check_schema(db, p, version)
    if version == 0:
        conn.close()
        raise NotACorpus(f"{p} is an empty SQLite database, not an annotator corpus. The file was not changed.")
    conn.live_path = p
    integrity.register_live(p)
    if version < SCHEMA_VERSION:
        return _migrated_copy(db, p)
    conn.execute("PRAGMA query_only = ON")
    return db


def _open_immutable(p: Path, exc: sqlite3.Error) -> tuple[sqlite3.Connection, int]:
    try:
        _, _, committed = integrity.wal_frames(p.with_name(p.name + "-wal"))
    except OSError:
        committed = 0
    if committed:
        raise DatabaseError(
            f"{p} cannot be opened read-only ({exc}), and its -wal holds edits not yet in the file; "
            "copy the database with its -wal file to a writable folder and read it there"
        ) from exc
    try:
        conn = _connect(p, "mode=ro&immutable=1")
        return conn, conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as again:
        raise DatabaseError(f"{p} cannot be opened: {again}") from again


def _migrated_copy(db: sqlite_utils.Database, p: Path) -> sqlite_utils.Database:
    """An older corpus, read through an upgraded private copy: reading never rewrites the user's file."""
    fd, name = tempfile.mkstemp(prefix=f"{p.stem}-", suffix=".read-only-copy.db")
    os.close(fd)
    copy = _connect(name)
    try:
        db.conn.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        migrate_database(sqlite_utils.Database(copy), p)
        copy.execute("PRAGMA query_only = ON")
    except BaseException:
        copy.close()
        Path(name).unlink(missing_ok=True)
        raise
    finally:
        db.conn.close()
    copy.temp_copy = Path(name)
    return sqlite_utils.Database(copy)


def needs_migration(db: sqlite_utils.Database) -> bool:
    return db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION


def migrate_database(db: sqlite_utils.Database, path: Path) -> None:
    """All pending migrations and the version bump in ONE transaction: killed midway, the old schema stays."""
    try:
        with write_transaction(db):
            migrations.apply(db)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"could not create or migrate the schema of {path}: {exc}") from exc


def _unknown_migrations(db: sqlite_utils.Database) -> set[str]:
    if not db["_sqlite_migrations"].exists():
        return set()
    names = {r[0] for r in db.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
    return names - KNOWN_MIGRATIONS
