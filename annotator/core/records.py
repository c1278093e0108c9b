"""What an importer reads: records to store, or rejections to report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

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
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:limit]
    return ""
