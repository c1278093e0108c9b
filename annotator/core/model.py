"""The records the whole app passes around."""

from __future__ import annotations

from dataclasses import dataclass, field

NEW, IN_PROGRESS, ACCEPTED, SKIPPED = "new", "in_progress", "accepted", "skipped"
STATUSES = (NEW, IN_PROGRESS, ACCEPTED, SKIPPED)

ANNOTATOR_ORIGIN = "annotator"
ADJUDICATED_ORIGIN = "adjudicated"  # an entity a reviewer settled from analysts' versions (session.review)


@dataclass(frozen=True)
class Document:
    id: int
    title: str
    text: str
    status: str = NEW
    source: str = ""
    meta: dict = field(default_factory=dict)
    sha256: str = ""


@dataclass(frozen=True)
class EntitySpan:
    id: int | None
    doc_id: int | None
    start: int
    end: int
    label: str
    origin: str = ANNOTATOR_ORIGIN

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Stance:
    id: int | None
    doc_id: int
    target: str
    value: str
    holder_text: str = ""
    holder_span_id: int | None = None
    holder_start: int | None = None
    holder_end: int | None = None
    ev_start: int | None = None
    ev_end: int | None = None
    note: str = ""
    annotator: str = ""

    @property
    def document_level(self) -> bool:
        return self.ev_start is None


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    key: str = ""
    hidden: bool = False
    position: int = 0
