"""Who is speaking in a sentence: the default holder of a stance tagged there."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.model import EntitySpan

SPEAKER_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP")


def nearest_speaker(
    spans: Sequence[EntitySpan], start: int, end: int, labels: Sequence[str] = SPEAKER_LABELS
) -> EntitySpan | None:
    """The entity most likely to hold a stance voiced in [start, end), or None.

    Inside the sentence the first entity of the earliest label in `labels` wins ("Ukrainian
    negotiator Rustem Umerov said" -> Umerov; "... diplomacy," Zelensky said -> Zelensky):
    a person quoted outranks the nation or body mentioned around them. With no speaker
    inside, the nearest one before the sentence, again a person first ("Zelensky said ...
    He added ..."). `spans` need not be sorted.
    """
    rank = {label: i for i, label in enumerate(labels)}
    speakers = [s for s in spans if s.label in rank]
    inside = [s for s in speakers if s.start >= start and s.end <= end]
    if inside:
        return min(inside, key=lambda s: (rank[s.label], s.start))
    before = [s for s in speakers if s.end <= start]
    if before:
        return min(before, key=lambda s: (rank[s.label], -s.start))
    return None
