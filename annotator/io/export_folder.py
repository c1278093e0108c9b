"""An output folder that appears whole or not at all.

Files are written into a hidden temporary folder beside the target, synced, and the folder
is renamed to the target at the end (a rename within one file system is atomic). On any
failure the temporary folder is removed. A hard kill can leave a hidden `.<name>.<pid>.*.tmp`
folder, never a half-written target; the next export beside it removes such folders whose
writer process is gone.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from datetime import datetime
from pathlib import Path

from annotator.core.errors import BadInput


class FolderError(BadInput):
    """The output folder cannot be used; the message is for the user."""


def timestamped(parent: Path) -> Path:
    """A new folder name under `parent`: 2025-01-31_142501, with -2, -3... if taken."""
    stamp = datetime.now().strftime("%Y-%m-%d_%H%M%S")
    candidate = parent / stamp
    n = 2
    while candidate.exists():
        candidate = parent / f"{stamp}-{n}"
        n += 1
    return candidate


def check_target(target: Path) -> None:
    try:
        here = Path.cwd().resolve()
    except OSError:
        here = None
    resolved = target.resolve()
    if here is not None and (resolved == here or resolved in here.parents):
        raise FolderError(f"{target} is the current folder (or holds it): the export replaces its output folder as a whole, "
                          "so give a new folder's name, e.g. --out ./export")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FolderError(f"{target} already exists and is not an empty folder: choose a new output folder")


class AtomicFolder:
    """with AtomicFolder(target) as tmp: write into tmp; on a clean exit tmp becomes target."""

    def __init__(self, target: Path, mode: int | None = None):
        """`mode`: permission bits for the files (folders get x where r is), e.g. the database's;
        None keeps the user's usual ones (umask)."""
        self.target = Path(target).absolute()
        self.mode = mode
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        check_target(self.target)
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            # mkdir (not mkdtemp, which makes it private): the export gets the user's usual permissions
            sweep_stale(self.target.parent)
            self.tmp = self.target.parent / f".{self.target.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp"
            self.tmp.mkdir()
        except OSError as exc:
            raise FolderError(f"cannot create the output folder {self.target}: {exc.strerror or exc}") from exc
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        assert self.tmp is not None
        if exc_type is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        try:
            check_target(self.target)
            if self.mode is not None:
                _chmod_tree(self.tmp, self.mode)
            _sync_tree(self.tmp)
            os.rename(self.tmp, self.target)  # replaces an empty folder, fails on a non-empty one
            _sync_dir(self.target.parent)
        except (OSError, FolderError) as err:
            shutil.rmtree(self.tmp, ignore_errors=True)
            if isinstance(err, FolderError):
                raise
            raise FolderError(f"cannot move the export into {self.target}: {err.strerror or err}") from err


STALE = re.compile(r"\..+\.(\d+)\.[0-9a-f]{12}\.tmp")


def sweep_stale(parent: Path) -> list[Path]:
    """Remove temporary export folders left by writers that were killed."""
    removed = []
    for path in parent.glob(".*.tmp"):
        m = STALE.fullmatch(path.name)
        if m and path.is_dir() and not _alive(int(m.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_tree(root: Path) -> None:
    # writers fsync their files; the folders' entries must reach the disk too before the rename
    for top, _dirs, _files in os.walk(root):
        _sync_dir(Path(top))


def _chmod_tree(root: Path, mode: int) -> None:
    folder_mode = mode | ((mode & 0o444) >> 2)
    for top, _dirs, files in os.walk(root):
        os.chmod(top, folder_mode)
        for name in files:
            os.chmod(Path(top, name), mode)
