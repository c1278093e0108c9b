"""The shared last steps of every reader's record: line breaks normalised with every offset moved
along (and said), spans sorted, title set; meta checked to be storable; our own export keys."""

from __future__ import annotations

import json

from annotator.core.records import Record, Relation, title_from_text
from annotator.core.spans import normalize_newlines
from annotator.io.decoding import Invalid, check_encodable

OURS = "_annotator"  # what our exports write beside the record: status, title, doc_id, source


def finish(rec: Record) -> Record:
    """Normalise line breaks (moving every offset along, and saying so) and set the title."""
    if "\r" in rec.text:
        rec.notes.append("line breaks \\r\\n (or \\r) changed to \\n; offsets shifted to match")
        rec.text, rec.spans, rec.rejected_spans, rec.relations, rec.tokens, rec.stances = _shift(rec)
    if rec.spans is not None:
        if rec.span_origins is not None:
            pairs = sorted(zip(rec.spans, rec.span_origins))
            rec.spans, rec.span_origins = [p[0] for p in pairs], [p[1] for p in pairs]
        else:
            rec.spans = sorted(rec.spans)
    rec.title = title_from_text(rec.title) if rec.title else title_from_text(rec.text)
    return rec


def _shift(rec: Record):
    pairs: list[tuple[int, int]] = []
    spans = rec.spans or []
    pairs += [(s, e) for s, e, _ in spans]
    pairs += [(s, e) for s, e, _ in rec.rejected_spans]
    for r in rec.relations:
        pairs += [r.head[:2], r.child[:2]]
    pairs += list(rec.tokens or [])
    pairs += [(s, e) for _, _, s, e in rec.stances if s is not None]
    text, moved = normalize_newlines(rec.text, pairs)
    it = iter(moved)
    new_spans = [(*next(it), lb) for _, _, lb in spans] if rec.spans is not None else None
    rejects = [(*next(it), lb) for _, _, lb in rec.rejected_spans]
    relations = []
    for r in rec.relations:
        head, child = next(it), next(it)
        relations.append(Relation((*head, r.head[2]), (*child, r.child[2]), r.label))
    tokens = [next(it) for _ in rec.tokens] if rec.tokens is not None else None
    stances = [(t, v, *next(it)) if s is not None else (t, v, None, None) for t, v, s, _ in rec.stances]
    return text, new_spans, rejects, relations, tokens, stances


def check_meta(meta: dict) -> None:
    # the store writes meta as JSON; make sure it can, so the failure is this line's, not the batch's
    try:
        dumped = json.dumps(meta, ensure_ascii=False)
    except RecursionError:
        raise Invalid('"meta" is nested too deeply') from None
    except (TypeError, ValueError) as err:
        raise Invalid(f'"meta" cannot be stored: {err}') from None
    check_encodable(dumped, '"meta"', say_where=False)


