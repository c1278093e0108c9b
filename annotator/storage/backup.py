"""Rolling backups beside the database, made with SQLite's online backup API.

`<db>.backups/<stem>-YYYYmmdd-HHMMSS.db`: each copy is written under a temporary name,
checked with PRAGMA integrity_check, fsynced and only then renamed into place, so a backup
that is listed is a complete, sound database. Restoring keeps the replaced file (damaged
or not) in the same folder, so a restore loses nothing either.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import AnnotatorError, Kind
from annotator.storage.integrity import check, check_file

log = logging.getLogger("annotator.backup")

KEEP = 10
PARTIAL = ".partial"
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"(?P<kind>before-restore-)?(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.db")


class BackupError(AnnotatorError):
    """A backup that could not be made, verified or restored; the message is for the user."""

    kind = Kind.STORAGE


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    time: datetime.datetime
    documents: int | None  # None: the file could not be read
    accepted: int | None
    size: int
    before_restore: bool  # the file a restore replaced, kept aside

    def describe(self) -> str:
        docs = "unreadable" if self.documents is None else f"{self.documents} documents, {self.accepted} accepted"
        kind = " (replaced by a restore)" if self.before_restore else ""
        return f"{self.time:%Y-%m-%d %H:%M:%S}: {docs}{kind} — {self.path.name}"


def backup_dir(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".backups")


def make_backup(db_path: Path, source: sqlite3.Connection | None = None, keep: int = KEEP) -> Path:
    """Copy the database into its backups folder, verify the copy, drop the oldest beyond `keep`.

    `source` is an open connection to copy from (the caller's own, on its thread); without one a
    private read connection is opened, so this can run on a worker thread beside the editor.
    """
    db_path = Path(db_path)
    folder = backup_dir(db_path)
    tmp: Path | None = None
    try:
        folder.mkdir(exist_ok=True)
        _remove_partials(folder)
        final = _free_name(folder, f"{db_path.stem}-", datetime.datetime.now())
        tmp = final.with_name(final.name + PARTIAL)
        own = source is None
        src = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True) if own else source
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                # a backup is a plain file: no -wal beside it to lose when it is copied around
                dst.execute("PRAGMA journal_mode = DELETE")
                problem = check(dst, full=True)
            finally:
                dst.close()
        finally:
            if own:
                src.close()
        if problem:
            tmp.unlink(missing_ok=True)
            raise BackupError(f"the backup of {db_path.name} failed its integrity check and was deleted: {problem}")
        _fsync(tmp)
        os.replace(tmp, final)
        _fsync_dir(folder)
    except (OSError, sqlite3.Error) as exc:
        for leftover in folder.glob(f"{tmp.name}*") if tmp is not None else ():
            leftover.unlink(missing_ok=True)  # this backup's own partial file (and journal), nobody else's
        raise BackupError(f"could not back up {db_path.name}: {exc}") from exc
    prune(db_path, keep)
    return final


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Backups of this database, newest first, with their document counts."""
    folder = backup_dir(Path(db_path))
    if not folder.is_dir():
        return []
    out = []
    for path, stamp, before in _backup_files(Path(db_path)):
        docs, accepted = _counts(path)
        out.append(BackupInfo(path, stamp, docs, accepted, path.stat().st_size, before))
    return out


def latest_good(db_path: Path) -> BackupInfo | None:
    """The newest backup (not a replaced file) that passes quick_check."""
    for info in list_backups(db_path):
        if not info.before_restore and info.documents is not None and check_file(info.path, full=False) is None:
            return info
    return None


def prune(db_path: Path, keep: int = KEEP) -> list[Path]:
    """Delete the oldest rolling backups beyond `keep`; files kept aside by a restore stay."""
    rolling = [p for p, _, before in _backup_files(Path(db_path)) if not before]
    removed = rolling[keep:]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def restore(db_path: Path, backup: Path | None = None) -> tuple[Path, Path | None]:
    """Put `backup` (default: the latest good one) back as the database.

    Returns (the backup restored, where the replaced file was kept aside, or None if there was
    no file). The current file is always kept first, damaged or not, so a restore loses nothing.
    - A sound database is overwritten through SQLite's backup API: one transaction, so a crash
      leaves the old or the new content, and connections this process has open (the window's)
      stay valid and read the restored rows.
    - A damaged one is replaced as a file: the backup is copied to a temporary file beside it,
      fsynced and renamed over it; its WAL and shm go. This needs nobody to have it open.
    Raises BackupError, or DatabaseLocked when another process has the database open.
    """
    from annotator.storage.lock import InstanceLock

    db_path = Path(db_path)
    lock = InstanceLock(db_path).acquire()
    try:
        if backup is None:
            info = latest_good(db_path)
            if info is None:
                raise BackupError(f"no good backup of {db_path.name} in {backup_dir(db_path)}")
            backup = info.path
        backup = Path(backup)
        problem = check_file(backup, full=True)
        if problem:
            raise BackupError(f"{backup.name} cannot be restored: {problem}")
        sound = db_path.exists() and db_path.stat().st_size > 0 and _sound(db_path)
        try:
            backup_dir(db_path).mkdir(exist_ok=True)
            if sound:
                return backup, _restore_into(db_path, backup)
            if lock.shared:
                raise BackupError(f"{db_path.name} is damaged and open in this program: close it, then restore")
            return backup, _replace_file(db_path, backup)
        except (OSError, sqlite3.Error) as exc:
            raise BackupError(f"could not restore {backup.name}: {exc}") from exc
    finally:
        lock.release()


def _sound(db_path: Path) -> bool:
    try:
        conn = sqlite3.connect(db_path, timeout=5.0)
        try:
            return check(conn) is None
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _restore_into(db_path: Path, backup: Path) -> Path:
    kept = _free_name(backup_dir(db_path), f"{db_path.stem}-before-restore-", datetime.datetime.now())
    dst = sqlite3.connect(db_path, timeout=5.0)
    try:
        keep = sqlite3.connect(kept)
        try:
            dst.backup(keep)  # a consistent copy, whatever else has the database open
            keep.execute("PRAGMA journal_mode = DELETE")
        finally:
            keep.close()
        _fsync(kept)
        src = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            src.backup(dst)  # one write transaction on the destination
        finally:
            src.close()
    finally:
        dst.close()
    return kept


def _replace_file(db_path: Path, backup: Path) -> Path | None:
    folder = backup_dir(db_path)
    wal, shm = (db_path.with_name(db_path.name + s) for s in ("-wal", "-shm"))
    kept = None
    if db_path.exists():
        kept = _free_name(folder, f"{db_path.stem}-before-restore-", datetime.datetime.now())
        shutil.copyfile(db_path, kept)
        if wal.exists() and wal.stat().st_size:
            shutil.copyfile(wal, kept.with_name(kept.name + "-wal"))
        _fsync(kept)
        _fsync_dir(folder)
    tmp = db_path.with_name(db_path.name + ".restoring")
    shutil.copyfile(backup, tmp)
    _fsync(tmp)
    os.replace(tmp, db_path)
    # the old WAL belongs to the replaced file; SQLite must not replay it into the restored one
    wal.unlink(missing_ok=True)
    shm.unlink(missing_ok=True)
    _fsync_dir(db_path.parent)
    return kept


def _backup_files(db_path: Path) -> list[tuple[Path, datetime.datetime, bool]]:
    prefix = f"{db_path.stem}-"
    found = []
    for path in backup_dir(db_path).glob("*.db"):
        m = _NAME.fullmatch(path.name[len(prefix):]) if path.name.startswith(prefix) else None
        if m:
            found.append((path, datetime.datetime.strptime(m["stamp"], _STAMP), bool(m["kind"]), int(m["n"] or 0)))
    found.sort(key=lambda t: (t[1], t[3]), reverse=True)
    return [(p, s, b) for p, s, b, _ in found]


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _free_name(folder: Path, prefix: str, when: datetime.datetime) -> Path:
    """`<prefix>STAMP.db`, or `-N` after it when that second is taken: N above any used, so names sort by age."""
    base = f"{prefix}{when:{_STAMP}}"
    taken = [p.name[len(base):].split(".")[0] for p in folder.glob(f"{glob_escape(base)}*")]
    if not taken:
        return folder / f"{base}.db"
    n = max((int(t[1:]) for t in taken if t[1:].isdigit()), default=0) + 1
    return folder / f"{base}-{n}.db"


def _counts(path: Path) -> tuple[int | None, int | None]:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT count(*), coalesce(sum(status = 'accepted'), 0) FROM documents").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None, None
    return row[0], row[1]


STALE_PARTIAL_SECONDS = 3600


def _remove_partials(folder: Path) -> None:
    """Remove what backups killed midway left; never listed, so never restored.

    Only files untouched for an hour: another backup of the same database (the window's
    30-minute one beside an import worker's on close) may be writing its own right now.
    """
    cutoff = time.time() - STALE_PARTIAL_SECONDS
    for path in folder.glob(f"*{PARTIAL}*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except FileNotFoundError:
            continue


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    try:
        _fsync(path)
    except OSError:  # some filesystems cannot fsync a directory; the rename is still atomic
        pass


class RollingBackups:
    """When a corpus backs itself up: every `interval` seconds of editing (on a worker thread with
    its own connection, off the edit path) and on close, each time only if something was written."""

    def __init__(self, db_path: Path, interval: float = 30 * 60, keep: int = KEEP):
        self.db_path = Path(db_path)
        self.interval = interval
        self.keep = keep
        self.problems: list[str] = []  # failed backups, newest last, for the window to show
        self.made: list[Path] = []
        self._since = time.monotonic()
        self._changes_at_last = 0
        self._worker: threading.Thread | None = None

    def after_write(self, conn: sqlite3.Connection) -> None:
        if time.monotonic() - self._since < self.interval or (self._worker and self._worker.is_alive()):
            return
        self._since = time.monotonic()
        self._changes_at_last = conn.total_changes
        self._worker = threading.Thread(target=self._run, name="annotator-backup", daemon=True)
        self._worker.start()

    def on_close(self, conn: sqlite3.Connection) -> None:
        if self._worker:
            self._worker.join()
        if conn.total_changes != self._changes_at_last:
            self._run(conn)

    def _run(self, conn: sqlite3.Connection | None = None) -> None:
        try:
            self.made.append(make_backup(self.db_path, source=conn, keep=self.keep))
        except BackupError as exc:
            self.problems.append(str(exc))
            log.warning("%s", exc)
