"""What an importer reads: records to store, or rejections to report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from annotator.core.doc_metadata import is_dateline
from annotator.core.model import NEW


@dataclass
class Record:
    text: str
    title: str = ""
    meta: dict = field(default_factory=dict)
    spans: list[tuple[int, int, str]] | None = None  # None: no spans in the input, the model may add some
    status: str = NEW
    source: str = ""  # file path
    line: int = 0  # 1-based line in the source (0 for whole-file records)

    @property
    def sha256(self) -> str:
        return text_hash(self.text)

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
