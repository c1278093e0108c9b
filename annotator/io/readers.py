"""Import files and folders into Records, or Rejections that say where and why; no database, no model.

The reader for each file comes from the registry in annotator.io.formats: named with
--format, or chosen by suffix and, where several formats share one (.json, .jsonl), by content.
"""

from __future__ import annotations

import errno
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.records import Record, Rejection
from annotator.io.decoding import shown
from annotator.io.formats import Reader, ReadOptions, choose_reader, read_head, reader, suffixes, supported


def read_paths(
    paths: Iterable[str | Path], fmt: str | None = None, options: ReadOptions | None = None
) -> Iterator[Record | Rejection]:
    """Records and rejections from files and folders, in order, one file at a time.

    A file reached twice (named twice, or also inside a named folder) is read once. `fmt`
    names the reader for every file (else each is chosen by suffix and content).
    """
    options = options or ReadOptions()
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        try:
            is_dir, exists, is_file = path.is_dir(), path.exists(), path.is_file()
        except OSError as err:  # a name too long, a symlink loop
            yield Rejection(shown(given), 0, f"cannot read this path: {err.strerror or err}")
            continue
        if is_dir:
            found, told = yield from _walk(path, fmt)
            if not found and not told:
                yield Rejection(shown(given), 0, f"no {supported()} files in this folder")
            for file in found:
                yield from _read_once(file, shown(file), seen, fmt, options)
        elif not exists:
            yield Rejection(shown(given), 0, "no such file or folder" + (" (or a symlink that points nowhere or in a loop)" if path.is_symlink() else ""))
        elif not is_file:
            yield Rejection(shown(given), 0, "not a regular file")
        else:
            yield from _read_once(path, shown(given), seen, fmt, options)


def _walk(folder: Path, fmt: str | None) -> Iterator[Rejection]:
    """Yields what cannot be read; returns the supported files (sorted, hidden ones left out) and whether it yielded."""
    problems: list[OSError] = []
    files = []
    told = False
    known = set(reader(fmt).suffixes) if fmt else set(suffixes())
    # os.walk does not follow symlinked folders, so a symlink loop cannot make it go round
    for top, dirs, names in os.walk(folder, onerror=problems.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        export = _export_files(Path(top)) if "manifest.json" in names else None
        if export is not None:
            # our own export folder: its data only, not README.txt, stances.jsonl or manifest.json
            dirs[:] = []
            files.extend(export[0])
            if export[1]:
                yield Rejection(shown(top), 0, export[1])
                told = True
            continue
        # a manifest.json (ours, or `annotator preannotate`'s beside its shards) describes the data; it is none
        files.extend(Path(top, n) for n in names
                     if not n.startswith(".") and n != "manifest.json" and Path(n).suffix.lower() in known)
    for err in problems:
        yield Rejection(shown(err.filename or folder), 0, f"cannot read the folder: {err.strerror or err}")
    return sorted(files, key=lambda p: p.relative_to(folder).parts), told or bool(problems)


def _export_files(folder: Path) -> tuple[list[Path], str] | None:
    """The train and dev files of an annotator export folder (and why none, if so); None for any other folder."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        listed = [folder / name for split in ("train", "dev") for name in manifest["files"][split]]
        manifest["annotator_version"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    known = set(suffixes())
    files = [f for f in listed if f.suffix.lower() in known]
    if files:
        return files, ""
    fmt = manifest.get("format", "?")
    return [], f"an annotator export in {fmt} format with no files that can be imported back"


def _read_once(path: Path, source: str, seen: set[Path], fmt: str | None, options: ReadOptions) -> Iterator[Record | Rejection]:
    source = shown(source)
    try:
        key = path.resolve(strict=True)
        regular = path.is_file()
    except (OSError, RuntimeError) as err:  # a symlink loop (RuntimeError before Python 3.13), a dangling link
        loop = isinstance(err, RuntimeError) or getattr(err, "errno", None) == errno.ELOOP
        yield Rejection(source, 0, "a symbolic link that loops back on itself" if loop else
                        f"cannot read the file: {getattr(err, 'strerror', None) or err}")
        return
    if key in seen:
        return
    seen.add(key)
    if not regular:  # a pipe or device found in a folder would block or never end
        yield Rejection(source, 0, "not a regular file")
        return
    chosen = choose_reader(path, fmt)
    if isinstance(chosen, str):
        yield Rejection(source, 0, chosen)
        return
    yield from _guarded(chosen, path, source, options)


def _guarded(reader: Reader, path: Path, source: str, options: ReadOptions) -> Iterator[Record | Rejection]:
    """A reader's records; a reader that fails (a bug, or a plugin's) costs its file, not the import."""
    n = 0
    try:
        for item in reader.read(path, source, options):
            n += 1
            yield item
        if n == 0 and not getattr(reader, "empty_ok", False) and not _empty(read_head(path)):  # an empty (or all-NUL) file or JSON array holds nothing to lose
            yield Rejection(source, 0, f"no records in this file (read as {reader.name})")
    except Exception as err:
        yield Rejection(source, 0, f"the {reader.name} reader failed on this file ({type(err).__name__}: {err}); please report it")


def _empty(head: bytes) -> bool:
    body = head.strip(b" \t\r\n\x00").removeprefix(b"\xef\xbb\xbf")
    return not body or re.fullmatch(rb"\[\s*\]", body) is not None  # e.g. a Label Studio export's empty dev.json


def read_txt(path: Path, source: str) -> Record | Rejection:
    from annotator.io.builtin_formats import read_txt as read

    return read(path, source)
