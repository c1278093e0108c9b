"""Import files and folders into Records, or Rejections that say where and why; no database, no model."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.records import Record, Rejection, title_from_text
from annotator.core.spans import normalize_newlines
from annotator.io.decoding import bom_of, bom_reason, nul_reason, utf8_reason
from annotator.io.readers_jsonl import read_jsonl

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json-lines")
SUFFIXES = TEXT_SUFFIXES + JSONL_SUFFIXES
SUPPORTED = ", ".join(SUFFIXES)


def read_paths(paths: Iterable[str | Path]) -> Iterator[Record | Rejection]:
    """Records and rejections from files and folders, in order, one file at a time.

    A file reached twice (named twice, or also inside a named folder) is read once.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found, told = yield from _walk(path)
            if not found and not told:
                yield Rejection(str(given), 0, f"no {SUPPORTED} files in this folder")
            for file in found:
                yield from _read_once(file, str(file), seen)
        elif not path.exists():
            yield Rejection(str(given), 0, "no such file or folder")
        elif not path.is_file():
            yield Rejection(str(given), 0, "not a regular file")
        elif path.suffix.lower() not in SUFFIXES:
            yield Rejection(str(given), 0, _unsupported(path))
        else:
            yield from _read_once(path, str(given), seen)


def _unsupported(path: Path) -> str:
    reason = f"unsupported file type {path.suffix or '(no extension)'}: supported are {SUPPORTED}"
    if path.suffix.lower() == ".json":
        if _starts_with(path, b"["):
            reason += (" (this is one JSON array, as Label Studio and doccano's JSON export write: export JSONL instead,"
                       ' one object with "text" per line)')
        else:
            reason += " (a file with one JSON object per line can be renamed to .jsonl)"
    return reason


def _starts_with(path: Path, mark: bytes) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4096).lstrip(b" \t\r\n\xef\xbb\xbf").startswith(mark)
    except OSError:
        return False


def _walk(folder: Path) -> Iterator[Rejection]:
    """Yields what cannot be read; returns the supported files (sorted, hidden ones left out) and whether it yielded."""
    problems: list[OSError] = []
    files = []
    told = False
    for top, dirs, names in os.walk(folder, onerror=problems.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        export = _export_files(Path(top)) if "manifest.json" in names else None
        if export is not None:
            # our own export folder: its data only, not README.txt, stances.jsonl or manifest.json
            dirs[:] = []
            files.extend(export[0])
            if export[1]:
                yield Rejection(top, 0, export[1])
                told = True
            continue
        files.extend(Path(top, n) for n in names if not n.startswith(".") and Path(n).suffix.lower() in SUFFIXES)
    for err in problems:
        yield Rejection(str(err.filename or folder), 0, f"cannot read the folder: {err.strerror or err}")
    return sorted(files, key=lambda p: p.relative_to(folder).parts), told or bool(problems)


def _export_files(folder: Path) -> tuple[list[Path], str] | None:
    """The train and dev files of an annotator export folder (and why none, if so); None for any other folder."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        listed = [folder / name for split in ("train", "dev") for name in manifest["files"][split]]
        manifest["annotator_version"]
    except (OSError, ValueError, TypeError, KeyError):
        return None
    files = [f for f in listed if f.suffix.lower() in SUFFIXES]
    if files:
        return files, ""
    fmt = manifest.get("format", "?")
    return [], f"an annotator export in {fmt} format, which cannot be imported back: export with --format jsonl or doccano"


def printable(name: str) -> str:
    """A file name the database and a terminal can hold: bytes that are not UTF-8 (kept by Python as
    surrogates) shown as \\xNN, so one odd name costs nothing to the files beside it."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _read_once(path: Path, source: str, seen: set[Path]) -> Iterator[Record | Rejection]:
    source = printable(source)
    try:
        key = path.resolve(strict=True)
    except (OSError, RuntimeError) as err:  # a symlink loop (RuntimeError before Python 3.13), a dangling link
        loop = isinstance(err, RuntimeError) or getattr(err, "errno", None) == errno.ELOOP
        yield Rejection(source, 0, "a symbolic link that loops back on itself" if loop else
                        f"cannot read the file: {getattr(err, 'strerror', None) or err}")
        return
    if key in seen:
        return
    seen.add(key)
    if path.exists() and not path.is_file():  # a pipe or device found in a folder would block or never end
        yield Rejection(source, 0, "not a regular file")
    elif path.suffix.lower() in TEXT_SUFFIXES:
        yield read_txt(path, source)
    else:
        yield from read_jsonl(path, source)


def read_txt(path: Path, source: str) -> Record | Rejection:
    """One article per file; the title is its first non-empty line."""
    try:
        data = path.read_bytes()
    except OSError as err:
        return Rejection(source, 0, f"cannot read the file: {err.strerror or err}")
    name = bom_of(data)
    if name:
        return Rejection(source, 0, bom_reason(name))
    nul = nul_reason(data, whole_file=True)
    if nul:
        return Rejection(source, data.count(b"\n", 0, data.find(b"\x00")) + 1, nul)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return Rejection(source, 0, utf8_reason(data, err, whole_file=True))
    if not text.strip():
        return Rejection(source, 0, "empty text: the file is empty or only whitespace")
    text, _ = normalize_newlines(text)
    return Record(text=text, title=title_from_text(text), meta={"file": printable(path.name)}, spans=None, source=source, line=0)
