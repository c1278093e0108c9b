"""Is a database file sound? Cheap header checks, SQLite's own checks, and plain-words errors.

PRAGMA quick_check reads every page: about 0.8 s warm and 8 s cold for a 740 MB corpus
(100k articles), so it runs on open only for small files or after an unclean shutdown;
the header check below costs one 100-byte read and catches files that are not SQLite
and truncated ones.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

MAGIC = b"SQLite format 3\x00"

# Files this process has SQLite connections on, by (device, inode), with a count. POSIX drops
# every fcntl lock a process holds on a file when *any* descriptor of it is closed, so a plain
# open()/close() of a live database would silently strip this process's connections of their
# locks; another process closing next would then take itself for the last connection and delete
# the WAL under them. Such files are never read with plain I/O here.
_LIVE: dict[tuple[int, int], int] = {}


def _key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def register_live(path: Path) -> None:
    key = _key(path)
    if key:
        _LIVE[key] = _LIVE.get(key, 0) + 1


def unregister_live(path: Path) -> None:
    key = _key(path)
    if key in _LIVE:
        _LIVE[key] -= 1
        if not _LIVE[key]:
            del _LIVE[key]


def is_live(path: Path) -> bool:
    return _key(path) in _LIVE
QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024


def header_problem(path: Path) -> str | None:
    """Why the file at `path` cannot be a sound SQLite database, judged from its header; None if it may be.

    A file this process already has open was checked when it was opened (and must not be read
    with plain I/O, see _LIVE).
    """
    if is_live(path):
        return None
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        return f"unreadable file ({exc.strerror or exc})"
    if size == 0:
        return None
    if len(head) < 100 or not head.startswith(MAGIC):
        return "not an SQLite file (wrong header)"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return f"damaged header (page size {page_size})"
    if head[21:24] != b"\x40\x20\x20":
        return "damaged header (payload fractions)"
    n_pages = int.from_bytes(head[28:32], "big")
    counter, valid_for = head[24:28], head[92:96]
    if n_pages and counter == valid_for and size < n_pages * page_size and not _wal_has_frames(path):
        # with frames in the WAL a checkpoint may have been interrupted: SQLite finishes it on open
        return f"truncated file ({size} bytes, its header says {n_pages * page_size})"
    return None


def _wal_has_frames(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    try:
        return wal.stat().st_size > 32
    except OSError:
        return False


def check(conn: sqlite3.Connection, full: bool = False, max_errors: int = 3) -> str | None:
    """Run quick_check (or integrity_check when `full`); None if sound, else SQLite's first findings."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}({int(max_errors)})")]
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return str(exc)
        raise
    if rows == ["ok"]:
        return None
    lines = [ln for r in rows for ln in str(r).splitlines() if not ln.startswith("***")]
    return "; ".join(lines[:max_errors]) or "integrity check failed"


def check_file(path: Path, full: bool = True) -> str | None:
    """Check a database file that nobody else is writing (a backup); None if sound."""
    problem = header_problem(path)
    if problem:
        return problem
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        return check(conn, full=full)
    finally:
        conn.close()


def _refuses_writes(db_path: Path) -> bool:
    """After an I/O error: was it because the file (or its WAL) cannot be written at all?

    os.access, not open(): opening and closing the live file would drop the connection's locks.
    """
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        if path.exists() and not os.access(path, os.W_OK):
            return True
    return False


def is_damage(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    return (name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB"
            or "malformed" in text or "not a database" in text or "unsupported file format" in text)


def write_failure(exc: sqlite3.Error, db_path: Path | None = None) -> str:
    """What to tell the user when a write fails, in words they can act on."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name == "SQLITE_FULL" or "disk is full" in text:
        return "could not save: disk full. Free some space and try again; the edit was not applied"
    read_only = name.startswith("SQLITE_IOERR") and db_path is not None and _refuses_writes(db_path)
    if read_only or name.startswith("SQLITE_READONLY") or "readonly" in text:
        return "could not save: the database is read-only. The edit was not applied"
    if name.startswith("SQLITE_BUSY") or name.startswith("SQLITE_LOCKED") or "locked" in text:
        return "could not save: the database is busy in another program. The edit was not applied; try again"
    if is_damage(exc):
        return "could not save: the database file is damaged. Restore a backup (File ▸ Restore backup…)"
    if name.startswith("SQLITE_IOERR") or "I/O error" in text:
        return f"could not save: the disk failed to write ({text}). The edit was not applied"
    return f"could not save: {text}. The edit was not applied"
