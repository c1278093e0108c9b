"""One writer per database: an exclusive lock on `<db>.lock`, which names its holder.

flock locks die with their process, so a kill -9 never leaves a stale lock behind. A clean
release deletes the file; finding one with a holder's details in it therefore means the
last writer did not shut down cleanly, and the caller checks the database more thoroughly.
Within one process several Corpus objects may share the lock (tests, a dialog beside the
window): the lock keeps other processes out, row checks keep one process's edits apart.
"""

from __future__ import annotations

import datetime
import fcntl
import os
import socket
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import Kind
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


_held: dict[str, _Held] = {}
_guard = threading.Lock()


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


class InstanceLock:
    """Holds the writer lock of one database until release()."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self._key = str(self.path.resolve())
        self.held = False
        self.shared = False
        self.unclean = False  # the previous writer was killed or crashed

    def acquire(self) -> InstanceLock:
        with _guard:
            held = _held.get(self._key)
            self.shared = held is not None  # something else in this process has the database open
            if held is not None:
                held.count += 1
            else:
                fd, unclean = self._take()
                held = _held[self._key] = _Held(fd, 1, unclean)
            self.unclean = held.unclean and not self.shared  # the first opener checks the file; that is enough
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

    def _take(self) -> tuple[int, bool]:
        for _ in range(20):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise DatabaseError(f"cannot create the lock file {self.path}: {exc.strerror or exc}") from exc
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
            unclean = bool(_read(fd).strip())
            os.ftruncate(fd, 0)
            os.pwrite(fd, _describe_self().encode(), 0)
            os.fsync(fd)
            return fd, unclean
        raise DatabaseError(f"could not take the lock {self.path}: it keeps changing")


def writer_of(db_path: str | Path) -> dict[str, str] | None:
    """Who holds the writer lock of a database (pid, host, since, command), or None; takes nothing.

    For readers that must not read a corpus while someone may still be changing it (agreement,
    review): a shared flock on the lock file fails while a writer holds it, and the probe writes
    nothing, not even the lock file."""
    path = lock_path(Path(db_path))
    with _guard:
        if str(path.resolve()) in _held:
            return {"pid": str(os.getpid()), "host": socket.gethostname(), "command": "this window"}
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None  # no lock file: nobody has it open for editing
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
