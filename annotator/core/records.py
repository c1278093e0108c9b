"""What an importer reads: records to store, or rejections to report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from annotator.core.doc_metadata import is_dateline
from annotator.core.model import NEW

Span = tuple[int, int, str]


@dataclass
class Relation:
    """A labelled link between two spans of one text (Prodigy, doccano); spans by characters."""

    head: Span
    child: Span
    label: str


@dataclass
class Record:
    text: str
    title: str = ""
    meta: dict = field(default_factory=dict)
    spans: list[Span] | None = None  # None: no spans in the input, the model may add some
    status: str = NEW
    source: str = ""  # file path
    line: int = 0  # 1-based line in the source (0 for whole-file records)
    # what was changed on the way in (a span trimmed, a duplicate dropped, line breaks normalised):
    # reported as file:line: note, and counted, so nothing changes silently
    notes: list[str] = field(default_factory=list)
    rejected_spans: list[Span] = field(default_factory=list)  # "this span is NOT that label" (Prodigy binary reject)
    relations: list[Relation] = field(default_factory=list)
    tokens: list[tuple[int, int]] | None = None  # the file's own tokenization (CoNLL, DocBin), kept for exact round trips
    tool: dict = field(default_factory=dict)  # the source tool's own keys (ids, hashes), kept apart from meta
    stances: list[tuple[str, str, int | None, int | None]] = field(default_factory=list)  # target, value, evidence
    span_origins: list[str] | None = None  # parallel to spans: who made each (a Label Studio annotator, a prediction)
    binary: bool = False  # a Prodigy binary task: tasks on the same text merge into one document
    doc_id: int | None = None  # set once stored
    _hashed: tuple[str, str] | None = field(default=None, repr=False, compare=False)  # (text, its sha256)

    @property
    def sha256(self) -> str:
        # asked for several times per record on the import path; recomputed if the text was replaced
        if self._hashed is None or self._hashed[0] is not self.text:
            self._hashed = (self.text, text_hash(self.text))
        return self._hashed[1]

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass(frozen=True)
class Rejection:
    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}" if self.line else f"{self.source}: {self.reason}"


# a message about a record that was imported, but changed: same shape as a rejection
Note = Rejection


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def title_from_text(text: str, limit: int = 200) -> str:
    """The first non-empty line, passing over a dateline ("Tuesday, 02 January 2024 12:17 GMT")
    that a scraped article may start with: that is its date (see doc_metadata), not its title."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in lines[:2]:
        if not is_dateline(line):
            return line[:limit]
    return lines[0][:limit] if lines else ""
