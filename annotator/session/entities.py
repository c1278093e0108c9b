"""Entity edits, planned as Changes: validate against the corpus, write nothing.

Every `plan_*` function takes the open corpus first and returns a Change; the caller commits it
(`Session.run`, or `corpus.apply`) in one transaction with its history row. Rules: an entity lies
inside the text on non-space edges; a new entity replaces the entities it overlaps (their stance
holders keep their text, unlinked); a resize may not overlap a neighbour; any edit moves a new
document to in progress, in the same change.
"""

from __future__ import annotations

from dataclasses import asdict

from annotator.core.model import ANNOTATOR_ORIGIN
from annotator.core.spans import SpanError, check_span
from annotator.session.changes import Change, EditError, Op

SPAN_COLS = "id, doc_id, start, end, label, origin"


def span_row(r) -> dict:
    """A span as the row an Op carries (from a dict or a SELECT of SPAN_COLS)."""
    if isinstance(r, dict):
        return {k: r[k] for k in ("id", "doc_id", "start", "end", "label", "origin")}
    return dict(zip(("id", "doc_id", "start", "end", "label", "origin"), r))


def plan_add_span(corpus, doc_id: int, start: int, end: int, label: str, origin: str = ANNOTATOR_ORIGIN) -> Change:
    """A new entity; entities it overlaps are removed (the new one wins)."""
    text = corpus.text(doc_id)
    _check_label(corpus, label)
    try:
        check_span(text, start, end)
    except SpanError as exc:
        raise EditError(str(exc)) from exc
    overlapped = corpus.db.execute(
        f"SELECT {SPAN_COLS} FROM spans WHERE doc_id = ? AND start < ? AND end > ?", [doc_id, end, start]
    ).fetchall()
    if len(overlapped) == 1 and (overlapped[0][2], overlapped[0][3]) == (start, end) and overlapped[0][4] == label:
        raise EditError(f"{text[start:end]!r} is already {label}")
    new_id = corpus.next_id("spans")
    # unlink holders before the delete: ON DELETE SET NULL would change the stance row under the unlink op
    ops = _holder_ops_for_removed(corpus, [r[0] for r in overlapped])
    ops += [Op("spans", span_row(r), None) for r in overlapped]
    ops.append(Op("spans", None, {"id": new_id, "doc_id": doc_id, "start": start, "end": end, "label": label, "origin": origin}))
    return corpus.finish_edit(f"add {label} {text[start:end]!r}", doc_id, ops)


def plan_delete_span(corpus, span_id: int) -> Change:
    span = corpus.span(span_id)
    ops = _holder_ops_for_removed(corpus, [span_id]) + [Op("spans", span_row(asdict(span)), None)]
    return corpus.finish_edit(f"delete {span.label} {corpus.text(span.doc_id)[span.start:span.end]!r}", span.doc_id, ops)


def plan_relabel_span(corpus, span_id: int, label: str) -> Change:
    span = corpus.span(span_id)
    _check_label(corpus, label)
    if span.label == label:
        raise EditError(f"the entity is already {label}")
    before = span_row(asdict(span))
    after = dict(before, label=label, origin=ANNOTATOR_ORIGIN)
    return corpus.finish_edit(f"relabel {span.label} → {label}", span.doc_id, [Op("spans", before, after)])


def plan_resize_span(corpus, span_id: int, start: int, end: int) -> Change:
    span = corpus.span(span_id)
    text = corpus.text(span.doc_id)
    try:
        check_span(text, start, end)
    except SpanError as exc:
        raise EditError(str(exc)) from exc
    if (start, end) == (span.start, span.end):
        raise EditError("the entity cannot move that way")
    clash = corpus.db.execute(
        "SELECT count(*) FROM spans WHERE doc_id = ? AND id != ? AND start < ? AND end > ?",
        [span.doc_id, span_id, end, start],
    ).fetchone()[0]
    if clash:
        raise EditError("the entity would overlap its neighbour")
    before = span_row(asdict(span))
    after = dict(before, start=start, end=end, origin=ANNOTATOR_ORIGIN)
    ops = [Op("spans", before, after)]
    ops += [
        Op("stances", row, dict(row, holder_start=start, holder_end=end, holder_text=text[start:end]))
        for row in corpus.stance_rows("holder_span_id = ?", [span_id])
    ]
    return corpus.finish_edit(f"resize {span.label} to {text[start:end]!r}", span.doc_id, ops)


def _check_label(corpus, label: str) -> None:
    if not corpus.db.execute("SELECT 1 FROM labels WHERE name = ?", [label]).fetchone():
        raise EditError(f"unknown label {label!r}")


def _holder_ops_for_removed(corpus, span_ids: list[int]) -> list[Op]:
    """A stance whose holder entity goes keeps the holder's text and offsets, unlinked."""
    if not span_ids:
        return []
    marks = ",".join("?" for _ in span_ids)
    rows = corpus.stance_rows(f"holder_span_id IN ({marks})", span_ids)
    return [Op("stances", row, dict(row, holder_span_id=None)) for row in rows]
