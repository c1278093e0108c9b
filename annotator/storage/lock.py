"""One writer per database: an exclusive lock on `<db>.lock`, which names its holder.

The lock belongs to the database *file*, not to one of its names: `<db>` is resolved first (a
symlink leads to the same lock file), and the writer also holds a flock on the database file
itself, so a second hard link (another name, another `-wal`) is refused while a writer holds
either name. The lock file is opened with O_NOFOLLOW and is only ever truncated when it is an
annotator lock file: a symlink or a hard link planted in a shared folder is refused, never
followed or truncated.

flock locks die with their process, so a kill -9 never leaves a stale lock behind. A clean
release deletes the file; finding one with a holder's details in it therefore means the
last writer did not shut down cleanly, and the caller checks the database more thoroughly.
Within one process several Corpus objects may share the lock (tests, a dialog beside the
window): the lock keeps other processes out, row checks keep one process's edits apart.
"""

from __future__ import annotations

import datetime
import errno
import fcntl
import os
import socket
import stat
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import Kind
from annotator.storage import integrity
from annotator.storage.errors import DatabaseError


class DatabaseLocked(DatabaseError):
    """Another process is writing this database; the message names it."""

    kind = Kind.LOCKED

    def __init__(self, message: str, holder: dict[str, str]):
        super().__init__(message)
        self.holder = holder


@dataclass
class _Held:
    fd: int
    count: int
    unclean: bool
    file_fd: int | None = None  # the flock on the database file itself (its identity, whatever its name)
    previous_wal: str | None = None  # WAL salts the last (unclean) writer recorded
    wal: str | None = None  # WAL salts recorded by this process


_held: dict[str, _Held] = {}
_guard = threading.Lock()


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class InstanceLock:
    """Holds the writer lock of one database until release()."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)
        # a symlink to the database and the database itself share one lock file
        self.path = lock_path(self.db_path.resolve())
        self._key = str(self.path)
        self.held = False
        self.shared = False
        self.unclean = False  # the previous writer was killed or crashed
        self.last_wal: str | None = None  # the WAL salts that writer recorded after its last commit

    def acquire(self) -> InstanceLock:
        with _guard:
            held = _held.get(self._key)
            self.shared = held is not None  # something else in this process has the database open
            if held is not None:
                held.count += 1
            else:
                fd, unclean, previous_wal = self._take()
                held = _Held(fd, 1, unclean, previous_wal=previous_wal)
                try:
                    self._pin(held)
                except BaseException:
                    self._drop(held)
                    raise
                _held[self._key] = held
            self.unclean = held.unclean and not self.shared  # the first opener checks the file; that is enough
            self.last_wal = held.previous_wal if self.unclean else None
            self.held = True
        return self

    def release(self) -> None:
        with _guard:
            if not self.held:
                return
            self.held = False
            held = _held[self._key]
            held.count -= 1
            if held.count:
                return
            del _held[self._key]
            self._drop(held)

    def pin(self, conn=None) -> None:
        """Also lock the database file by identity once it exists (call after creating it); with the
        writer's connection, record its WAL's salts after each commit (see integrity.foreign_wal)."""
        with _guard:
            held = _held.get(self._key)
            if held is not None and held.file_fd is None:
                self._pin(held)
        if conn is not None:
            conn.after_commit = self._note_wal

    def _note_wal(self) -> None:
        """After a commit: if SQLite restarted the WAL (new salts), write them into the lock file, synced.

        Reading the -wal with plain I/O is safe here: SQLite's locks are on the database and -shm files.
        """
        salts = integrity.wal_salts(self.db_path.resolve().with_name(self.db_path.resolve().name + "-wal"))
        with _guard:
            held = _held.get(self._key)
            if held is None or salts is None or salts == held.wal:
                return
            held.wal = salts
            data = (_describe_self() + f"wal={salts}\n").encode()
            os.ftruncate(held.fd, 0)
            os.pwrite(held.fd, data, 0)
            os.fsync(held.fd)

    def _pin(self, held: _Held) -> None:
        """flock the database file itself: every name of it (hard links) meets this lock.

        flock, not fcntl: SQLite's own locks are fcntl locks, which flock does not touch. The
        descriptor stays open while the lock is held and is closed only once no SQLite connection
        of this process has the file open (closing any descriptor drops a process's fcntl locks).
        """
        try:
            fd = os.open(self.db_path.resolve(), os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            return  # a new database: pinned once created (Corpus calls pin())
        except OSError as exc:
            raise DatabaseError(f"cannot open {self.db_path}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DatabaseLocked(
                f"{self.db_path} is the same file as another name of it (a hard link) that another program has open "
                "for editing. Close it there first: two programs editing one database through two names would "
                "damage it. Read-only commands (stats, export) still work.",
                {},
            ) from None
        except OSError:  # a filesystem without flock: the lock file still keeps out writers using this name
            os.close(fd)
            return
        held.file_fd = fd

    def _drop(self, held: _Held) -> None:
        if held.file_fd is not None:
            integrity.close_when_unused(self.db_path.resolve(), held.file_fd)
            held.file_fd = None
        # unlink before unlocking: a waiter that opened the old file notices the swap in _take
        try:
            self.path.unlink()
        except OSError:
            pass
        os.close(held.fd)

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()

    def _take(self) -> tuple[int, bool, str | None]:
        for _ in range(20):
            fd = self._open()
            if fd is None:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _parse(_read(fd))
                os.close(fd)
                raise DatabaseLocked(_locked_message(self.db_path, holder), holder) from None
            except OSError as exc:  # a filesystem without locks (some network shares)
                os.close(fd)
                raise DatabaseError(f"cannot lock {self.path}: {exc.strerror or exc}") from exc
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # the holder released and deleted the file between our open and flock
                os.close(fd)
                continue
            previous = _read(fd)
            unclean = bool(previous.strip())
            os.ftruncate(fd, 0)  # a lock file of ours (checked in _open), never another file
            os.pwrite(fd, _describe_self().encode(), 0)
            os.fsync(fd)
            return fd, unclean, _parse(previous).get("wal") if unclean else None
        raise DatabaseError(f"could not take the lock {self.path}: it keeps changing")


    def _open(self) -> int | None:
        """The lock file, created here or checked to be an annotator lock file; None: it vanished, try again.

        Never follows a symlink (O_NOFOLLOW) and never truncates on open (no O_TRUNC): a link planted
        in a shared folder must not make us overwrite another file.
        """
        flags = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            return os.open(self.path, flags | os.O_CREAT | os.O_EXCL, _mode_of(self.db_path))
        except FileExistsError:
            pass
        except OSError as exc:
            raise DatabaseError(f"cannot create the lock file {self.path}: {exc.strerror or exc}") from exc
        try:
            fd = os.open(self.path, flags)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise DatabaseError(_foreign(self.path, "a symbolic link")) from exc
            raise DatabaseError(f"cannot open the lock file {self.path}: {exc.strerror or exc}") from exc
        st = os.fstat(fd)
        why = None
        if not stat.S_ISREG(st.st_mode):
            why = "not a regular file"
        elif st.st_nlink != 1:
            why = f"a file with {st.st_nlink} names (a hard link to another file)"
        elif st.st_size > 4096 or not _looks_like_lock(_read(fd)):
            why = "a file that is not an annotator lock file"
        if why:
            os.close(fd)
            raise DatabaseError(_foreign(self.path, why))
        return fd


def _foreign(path: Path, what: str) -> str:
    return (f"{path} is {what}, not an annotator lock file; it was left untouched. "
            "Someone may have put it there: check it, remove it, then try again.")


def _looks_like_lock(text: str) -> bool:
    return not text.strip() or text.startswith("pid=")


def _mode_of(db_path: Path) -> int:
    """The database's permission bits for files made beside it (a private corpus gets private companions)."""
    try:
        return stat.S_IMODE(os.stat(db_path).st_mode) & 0o666
    except OSError:
        return 0o644


def writer_of(db_path: str | Path) -> dict[str, str] | None:
    """Who holds the writer lock of a database (pid, host, since, command), or None; takes nothing.

    For readers that must not read a corpus while someone may still be changing it (agreement,
    review): a shared flock on the lock file fails while a writer holds it, and the probe writes
    nothing, not even the lock file."""
    path = lock_path(Path(db_path).resolve())
    with _guard:
        if str(path) in _held:
            return {"pid": str(os.getpid()), "host": socket.gethostname(), "command": "this window"}
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None  # no lock file (or not one of ours): nobody has it open for editing
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return _parse(_read(fd)) or {"pid": ""}
    except OSError:
        return None
    finally:
        os.close(fd)
    return None


def held_message(db_path: Path, holder: dict[str, str]) -> str:
    """Who has a database open for editing, in the words of the lock message."""
    return _locked_message(db_path, holder).split(". Close it there")[0]


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 4096, 0).decode("utf-8", "replace")
    except OSError:
        return ""


def _describe_self() -> str:
    since = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    command = " ".join(sys.argv) or sys.executable
    return f"pid={os.getpid()}\nhost={socket.gethostname()}\nsince={since}\ncommand={command}\n"


def _parse(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out


def _command_line(pid: str) -> str:
    try:
        raw = Path(f"/proc/{int(pid)}/cmdline").read_bytes()
    except (OSError, ValueError):
        return ""
    return raw.replace(b"\x00", b" ").decode("utf-8", "replace").strip()


def _locked_message(db_path: Path, holder: dict[str, str]) -> str:
    pid = holder.get("pid", "")
    host = holder.get("host", "")
    who = f"process {pid}" if pid else "another process"
    if host and host != socket.gethostname():
        who += f" on {host}"
    command = (_command_line(pid) if host in ("", socket.gethostname()) else "") or holder.get("command", "")
    if command:
        who += f" ({command})"
    since = holder.get("since", "")
    when = f" since {since}" if since else ""
    return (
        f"{db_path} is already open for editing in {who}{when}. "
        "Close it there first: two programs editing one database could lose each other's edits. "
        "Read-only commands (stats, export) still work."
    )


def sqlite_lock_holders(db_path: Path) -> str:
    """Who holds SQLite's locks on the database file, from /proc/locks: "process 123 (sqlite3 x.db)".

    For the message when SQLite stays busy past busy_timeout; "another program" where /proc is missing.
    """
    try:
        st = os.stat(db_path)
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        return "another program"
    me = os.getpid()
    ident = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    pids = []
    for line in lines:
        parts = line.split()
        if len(parts) > 5 and parts[5] == ident and parts[4].isdigit():
            pid = int(parts[4])
            if pid != me and pid not in pids:
                pids.append(pid)
    if not pids:
        return "another program"
    return ", ".join(f"process {pid}" + (f" ({cmd})" if (cmd := _command_line(str(pid))) else "") for pid in pids)
