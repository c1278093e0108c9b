"""Who is speaking in a sentence: the default holder of a stance tagged there."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.core.model import EntitySpan

SPEAKER_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "NORP")


def nearest_speaker(
    spans: Sequence[EntitySpan], start: int, end: int, labels: Sequence[str] = SPEAKER_LABELS
) -> EntitySpan | None:
    """The entity most likely to hold a stance voiced in [start, end), or None.

    A person is preferred over the other speaker labels: "Ukrainian negotiator Rustem Umerov
    said" -> Umerov, "'... diplomacy,' Zelensky said" -> Zelensky. Inside the sentence the
    first person wins, else the first speaker entity (the subject, usually: "Russia rejected ...").
    With no speaker inside, the nearest one before the sentence, again a person first
    ("Zelensky said ... He added ..."). The first of `labels` is the preferred one; `spans`
    need not be sorted.
    """
    preferred = labels[0] if labels else None
    speakers = [s for s in spans if s.label in labels]
    inside = [s for s in speakers if s.start >= start and s.end <= end]
    if inside:
        return min(inside, key=lambda s: (s.label != preferred, s.start))
    before = [s for s in speakers if s.end <= start]
    if before:
        return min(before, key=lambda s: (s.label != preferred, -s.start))
    return None
