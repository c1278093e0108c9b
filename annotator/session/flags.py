"""Flags on the model's suspicious spans (core.flags) of a document, and their one-key fixes as Changes.

Only spans a model made are flagged: an analyst's own span (origin "annotator") was drawn on
purpose. "Keep as it is" marks a flagged span reviewed (its origin becomes the analyst's), so
the flag goes and undo brings it back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from annotator.core.flags import Flag, span_flags
from annotator.core.model import ANNOTATOR_ORIGIN, EntitySpan
from annotator.session.changes import Change, Op
from annotator.session.corpus import Corpus, EditError
from annotator.session.entities import span_row


@dataclass(frozen=True)
class FlaggedSpan:
    span: EntitySpan
    flags: tuple[Flag, ...]

    @property
    def fix(self) -> tuple[int, int] | None:
        return next((f.fix for f in self.flags if f.fix), None)

    @property
    def message(self) -> str:
        return "; ".join(f.message for f in self.flags)


def flagged_in(text: str, spans: list[EntitySpan]) -> list[FlaggedSpan]:
    """The flagged spans among `spans`, in text order (pure: the window calls it on what it shows)."""
    out = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.origin == ANNOTATOR_ORIGIN:
            continue
        flags = span_flags(text, span.start, span.end)
        if flags:
            out.append(FlaggedSpan(span, tuple(flags)))
    return out


def flagged_spans(corpus: Corpus, doc_id: int) -> list[FlaggedSpan]:
    return flagged_in(corpus.document(doc_id).text, corpus.spans(doc_id))


def next_flag(flagged: list[FlaggedSpan], pos: int) -> FlaggedSpan | None:
    """The first flagged span starting after `pos`, wrapping around to the first."""
    after = [f for f in flagged if f.span.start > pos]
    return after[0] if after else (flagged[0] if flagged else None)


def plan_fix_flag(corpus: Corpus, span_id: int) -> Change:
    """Apply the obvious fix of a flagged span (trim punctuation, drop a possessive)."""
    span = corpus.span(span_id)
    text = corpus.document(span.doc_id).text
    flags = span_flags(text, span.start, span.end) if span.origin != ANNOTATOR_ORIGIN else []
    if not flags:
        raise EditError(f"{text[span.start:span.end]!r} is not flagged")
    fix = next((f.fix for f in flags if f.fix), None)
    if fix is None:
        raise EditError(f"no obvious fix: {flags[0].message}; resize, relabel or delete it, or keep it as it is")
    change = corpus.plan_resize_span(span_id, *fix)
    kinds = " and ".join(dict.fromkeys(f.kind for f in flags if f.fix))
    return Change(f"fix {kinds}: {text[span.start:span.end]!r} → {text[fix[0]:fix[1]]!r}", change.doc_id, change.ops)


def plan_fix_all_flags(corpus: Corpus, doc_id: int) -> Change:
    """Every obvious fix of the document as one edit (one undo step)."""
    parts = []
    for f in flagged_spans(corpus, doc_id):
        if f.fix is not None:
            parts.append(plan_fix_flag(corpus, f.span.id))
    if not parts:
        raise EditError("no flagged entity with an obvious fix in this article")
    return Change.compose(f"fix {len(parts)} flagged entit{'y' if len(parts) == 1 else 'ies'}", parts)


def plan_keep_span(corpus: Corpus, span_id: int) -> Change:
    """The analyst looked at a flagged span and keeps it as it is: it becomes theirs, the flag goes."""
    span = corpus.span(span_id)
    if span.origin == ANNOTATOR_ORIGIN:
        raise EditError("this entity is not flagged")
    before = span_row(asdict(span))
    text = corpus.document(span.doc_id).text
    return corpus.finish_edit(f"keep {span.label} {text[span.start:span.end]!r} as it is", span.doc_id,
                          [Op("spans", before, dict(before, origin=ANNOTATOR_ORIGIN))])
