"""The registries of input formats (readers) and export formats (writers).

A reader turns one file into Records and Rejections; a writer streams exported documents
into a folder. Built-ins register in annotator.io.builtin_formats (cheap to import: the heavy
parts load when a file is read or written); another distribution adds one through the entry
point groups `annotator.readers` / `annotator.writers`, e.g.

    [project.entry-points."annotator.readers"]
    brat = "annotator_brat:BratReader"

Every list of format names the user sees (CLI choices, help, the export dialog, error
messages) comes from these registries.

Choosing a reader: `--format` names one; otherwise the readers claiming the file's suffix
are asked in turn, most specific first, whether the first bytes of the file look like theirs
(`detect`). That tells a Prodigy .jsonl from a doccano or Label Studio one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import annotator.io.builtin_formats  # noqa: F401  (registers the built-in readers and writers)
from annotator.core.records import Record, Rejection
from annotator.core.registry import Registry
from annotator.io.registries import READERS, WRITERS

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from annotator.io.export_spacy import ExportDoc

HEAD_BYTES = 64 * 1024  # what `detect` sees of a file


@dataclass(frozen=True)
class ReadOptions:
    """Options a reader may use; readers ignore what does not apply to them."""

    ls_annotation: str = "latest"  # Label Studio: latest | first | all
    text_key: str | None = None  # custom column names (doccano and plain JSON)
    label_key: str | None = None
    tag_scheme: str = "auto"  # CoNLL: auto | iob1 | iob2 | biluo
    on_duplicate_span: str = "keep-one"


@runtime_checkable
class Reader(Protocol):
    name: str
    description: str  # one line, for help and lists
    suffixes: tuple[str, ...]  # lower case, with the dot
    priority: int  # higher is asked first among readers of one suffix; the fallback is 0
    # optional: `empty_ok = True` when a file of no records is valid in this format (the reader itself rejects
    # what is not its format); otherwise a file that gives no record and is not empty is reported

    def detect(self, head: bytes) -> bool:
        """Whether the first bytes of a file (up to HEAD_BYTES) look like this format."""
        ...

    def read(self, path: Path, source: str, options: ReadOptions) -> Iterator[Record | Rejection]: ...


@runtime_checkable
class Writer(Protocol):
    """Made per export: Writer(folder, options); `add` per document, then `close` (or `abort`)."""

    name: str
    description: str
    needs_tokens: bool  # every entity must be whole tokens (DocBin); character formats take any span
    marks_missing: bool  # can say "not annotated" (so documents in progress can be exported)

    def add(self, doc: Doc, item: ExportDoc, split: str) -> None: ...

    def close(self) -> dict[str, list[str]]: ...

    def abort(self) -> None: ...


def _instance(item):
    return item() if isinstance(item, type) else item


def reader(name: str) -> Reader:
    return _instance(READERS.get(name))


def readers() -> list[Reader]:
    return [_instance(r) for _, r in READERS.items()]


def suffixes() -> list[str]:
    out: list[str] = []
    for r in readers():
        out += [s for s in r.suffixes if s not in out]
    return out


def supported() -> str:
    return ", ".join(suffixes())


def read_head(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(HEAD_BYTES)
    except OSError:
        return b""


def choose_reader(path: Path, forced: str | None = None) -> Reader | str:
    """The reader for a file, or why there is none (a reason for the user)."""
    if forced:
        return reader(forced)
    suffix = path.suffix.lower()
    candidates = sorted((r for r in readers() if suffix in r.suffixes), key=lambda r: -getattr(r, "priority", 0))
    if not candidates:
        return f"unsupported file type {path.suffix or '(no extension)'}: supported are {supported()}"
    if len(candidates) == 1:
        return candidates[0]
    head = read_head(path)
    for r in candidates:
        if r.detect(head):
            return r
    names = ", ".join(r.name for r in candidates)
    return f"cannot tell the format of this {suffix} file (tried {names}): give it with --format"


def writer_class(name: str) -> type:
    return WRITERS.get(name)


def describe(registry: Registry) -> list[tuple[str, str]]:
    """(name, one-line description) of every item, for help and the export dialog."""
    out = []
    for name, item in registry.items():
        doc = (getattr(item, "__doc__", None) or "").strip().splitlines()
        out.append((name, getattr(item, "description", "") or (doc[0] if doc else "")))
    return out


__all__ = ["READERS", "WRITERS", "ReadOptions", "Reader", "Writer", "choose_reader", "describe", "reader", "supported"]
