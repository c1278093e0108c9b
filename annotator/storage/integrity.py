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
# descriptors of live files whose closing must wait until no connection of this process has them open
_PARKED: dict[tuple[int, int], list[int]] = {}


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
            for fd in _PARKED.pop(key, []):
                os.close(fd)


def close_when_unused(path: Path, fd: int) -> None:
    """Close a plain descriptor of `path` now, or once the last SQLite connection of this process
    on it closes (see _LIVE: closing it earlier would strip those connections of their locks)."""
    key = _key(path)
    if key is not None and key in _LIVE:
        _PARKED.setdefault(key, []).append(fd)
    else:
        os.close(fd)


def is_live(path: Path) -> bool:
    return _key(path) in _LIVE
QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024
FULL_CHECK_MAX_BYTES = 256 * 1024 * 1024


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


# ---- a -wal beside the file: does it belong? -------------------------------------------------
WAL_MAGIC = (0x377F0682, 0x377F0683)


def _wal_checksum(data: bytes, big_endian: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    """SQLite's WAL checksum (a Fletcher-like sum over 32-bit words, see the WAL file format)."""
    import struct

    words = struct.unpack((">" if big_endian else "<") + f"{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def wal_frames(wal: Path) -> tuple[str | None, int, int]:
    """(why the -wal is unusable, or None; its page size; how many committed frames SQLite would apply)."""
    return _scan(wal)[:3]


def wal_commits(wal: Path) -> int:
    """How many transactions (commit frames) SQLite would apply from the WAL."""
    return _scan(wal)[3]


def _scan(wal: Path) -> tuple[str | None, int, int, int]:
    """(problem, page size, committed frames, transactions), reading the WAL as SQLite recovers it:
    header magic and checksum, then frames whose salts match the header's, up to the last commit
    frame. Only the 24-byte frame headers are read (the pages are skipped): the frames' running
    checksum, which SQLite also checks, only catches a torn last write, and summing every page in
    Python would cost a second per 40 MB of WAL on each open after a crash.
    """
    import struct

    with wal.open("rb") as fh:
        head = fh.read(32)
        if len(head) < 32:
            return None, 0, 0, 0
        magic, _version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(">8I", head)
        if magic not in WAL_MAGIC:
            return "not a SQLite WAL file (wrong magic number)", 0, 0, 0
        if (c1, c2) != _wal_checksum(head[:24], magic & 1 == 1):
            return None, page_size, 0, 0  # SQLite ignores a WAL whose header checksum fails
        if page_size < 512 or page_size & (page_size - 1):
            return f"not a SQLite WAL file (page size {page_size})", 0, 0, 0
        size = os.fstat(fh.fileno()).st_size
        committed = n = commits = 0
        offset = 32
        while offset + 24 + page_size <= size:
            frame = os.pread(fh.fileno(), 24, offset)
            pgno, commit, f_salt1, f_salt2 = struct.unpack(">4I", frame[:16])
            if (f_salt1, f_salt2) != (salt1, salt2) or pgno == 0:
                break
            n += 1
            if commit:
                committed, commits = n, commits + 1
            offset += 24 + page_size
        return None, page_size, committed, commits


def db_page_size(path: Path) -> int:
    with path.open("rb") as fh:
        head = fh.read(100)
    size = int.from_bytes(head[16:18], "big") if len(head) >= 18 else 0
    return 65536 if size == 1 else size


def wal_salts(wal: Path) -> str | None:
    """The salts of a WAL's header as hex (they change each time SQLite restarts the WAL), or None."""
    try:
        with wal.open("rb") as fh:
            head = fh.read(32)
    except OSError:
        return None
    return head[16:24].hex() if len(head) == 32 else None


def foreign_wal(path: Path, expected_salts: str | None = None) -> str | None:
    """Why `<path>-wal` does not belong to the database at `path` (None: it does, or SQLite would ignore it).

    `expected_salts`: the salts this database's last writer recorded after its last commit (in
    its lock file, see storage.lock); a WAL with other salts was not written by it. (A crash
    between a WAL restart and that record leaves one unacknowledged transaction aside, no more:
    a restart begins only once every earlier frame is in the database file.)

    Never call it on a live file (see _LIVE). Cheap checks first (header, page size); then the
    database is read twice through SQLite, read-only so nothing is checkpointed: alone (immutable=1,
    which ignores the WAL) and with the WAL. A WAL of this database leaves the file sound and keeps
    its identity (the corpus id, else the tables); a WAL from another database does not.
    """
    wal = path.with_name(path.name + "-wal")
    try:
        if not wal.is_file() or wal.stat().st_size <= 32 or path.stat().st_size < 100:
            return None
        unusable, page_size, committed = wal_frames(wal)
        if unusable:
            return unusable
        if not committed:
            return None  # nothing SQLite would apply
        if page_size != db_page_size(path):
            return f"its pages are {page_size} bytes, the database's {db_page_size(path)}"
        salts = wal_salts(wal)
        if expected_salts and salts == expected_salts:
            return None  # the very WAL the last writer recorded: no need to read the database
        # one transaction may be this database's own, committed after a WAL restart but killed before
        # its writer recorded the new salts: then the checks below decide
        if expected_salts and salts != expected_salts and wal_commits(wal) > 1:
            return f"its salts {salts} are not those of the WAL this database's last writer wrote, {expected_salts}"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    alone = _identity(path, immutable=True)
    merged = _identity(path, immutable=False)
    if isinstance(alone, str):
        return None  # the file alone is not sound: not the WAL's fault; the caller reports the damage
    if isinstance(merged, str):
        return f"with it the database would be damaged ({merged})"
    (alone_id, alone_tables), (merged_id, merged_tables) = alone, merged
    if alone_id and merged_id != alone_id:
        return f"it holds pages of another database (corpus id {merged_id}, this file's is {alone_id})"
    if "meta" in alone_tables and "meta" not in merged_tables:
        return "it holds pages of another database (the corpus tables would be gone)"
    return None  # (a WAL may add tables or the corpus id: a migration that was not checkpointed yet)


def _identity(path: Path, immutable: bool) -> tuple | str:
    """(corpus id, table names) as SQLite sees the file, or what is wrong with it; read-only."""
    uri = f"{path.resolve().as_uri()}?{'immutable=1' if immutable else 'mode=ro'}"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        # with the WAL: integrity_check, which also matches every index against its table: pages of
        # another corpus with the same schema pass quick_check but not that (up to 256 MB; beyond,
        # quick_check, to bound the cost of an open after a crash)
        full = not immutable and path.stat().st_size <= FULL_CHECK_MAX_BYTES
        problem = check(conn, full=full)
        if problem:
            return problem
        tables = tuple(r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        corpus_id = None
        if "meta" in tables:
            row = conn.execute("SELECT value FROM meta WHERE key = 'corpus_id'").fetchone()
            corpus_id = row[0] if row else None
        return corpus_id, tables
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()
