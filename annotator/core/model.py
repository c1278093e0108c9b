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
    actor_id: int | None = None  # the actor this mention refers to (migration 0010)

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
    holder_actor_id: int | None = None  # the holder as an actor (migration 0010)

    @property
    def document_level(self) -> bool:
        return self.ev_start is None


ACTOR_KINDS = ("person", "organisation", "country", "other")


@dataclass(frozen=True)
class Actor:
    """Who a mention is: a person, organisation, country or other, with the names it goes by."""

    id: int
    name: str
    kind: str = "other"
    aliases: tuple[str, ...] = ()
    external_id: str = ""  # e.g. a Wikidata QID typed by the analyst
    note: str = ""

    @property
    def kb_id(self) -> str:
        """The id an entity linker learns: the external id when there is one, else a corpus-local id."""
        return self.external_id or f"actor:{self.id}"


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    key: str = ""
    hidden: bool = False
    position: int = 0
