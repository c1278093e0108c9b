"""Re-annotate what is left: a registered model's spans replace the old model's on untouched documents.

A document is untouched when it is new, no edit was ever recorded for it in the history, and
every span on it came from a model (none from the annotator or an adjudication, none from an
imported file), with no stance. Only those are rewritten; anything else (in progress, accepted, skipped, hand-edited,
with file spans) is never written to. Each batch is one Change through Corpus.apply: one
transaction, one history row, undoable as a whole.

On the way, each unfinished document gets an "unsure" score: how far its current spans are
from the new model's (for an untouched document, the old model's spans, so: base vs fine-tuned
disagreement). The document list can sort by it, most work first.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from annotator.core.errors import BadInput
from annotator.core.model import ADJUDICATED_ORIGIN, ANNOTATOR_ORIGIN, IN_PROGRESS, NEW
from annotator.core.scheme import colour_for_new_label
from annotator.core.spans import trim
from annotator.nlp.scoring import disagreement
from annotator.session.changes import Change, Op
from annotator.session.corpus import Corpus
from annotator.session.models import set_current, usable_model
from annotator.storage.db import write_transaction

PAGE = 256
BATCH = 256  # documents per transaction (and per history row)
KIND = "reannotate"  # the history rows' kind: a bulk operation, undoable like an edit

# a document is untouched: new, never edited, only model spans, no stance
UNTOUCHED = f"""
    d.status = '{NEW}'
    AND NOT EXISTS (SELECT 1 FROM history h WHERE h.doc_id = d.id)
    AND NOT EXISTS (SELECT 1 FROM spans s WHERE s.doc_id = d.id
                    AND (s.origin IN ('{ANNOTATOR_ORIGIN}', '{ADJUDICATED_ORIGIN}') OR s.origin LIKE 'file:%'))
    AND NOT EXISTS (SELECT 1 FROM stances t WHERE t.doc_id = d.id)
"""


@dataclass
class ReannotateReport:
    model: str
    origin: str = ""
    documents: int = 0  # re-annotated
    unchanged: int = 0  # untouched, but the new model finds exactly what is there
    spans_removed: int = 0
    spans_added: int = 0
    overlaps_dropped: int = 0
    skipped: int = 0  # new documents left alone: hand-edited, file spans or a stance
    scored: int = 0  # documents given an unsure score
    processed: int = 0  # documents the model read (re-annotated, unchanged or only scored)
    batches: int = 0
    history_ids: list[int] = field(default_factory=list)  # one per batch: each undoable
    interrupted: bool = False
    seconds: float = 0.0  # from the first document (the model is loaded), wall clock
    cpu_seconds: float = 0.0  # the same span in this process's CPU time

    def summary(self) -> str:
        rate = self.processed / self.seconds if self.seconds else 0
        return (
            f"re-annotated {self.documents} documents with {self.model} ({self.origin}): {self.spans_removed} old model "
            f"entities replaced by {self.spans_added} in {self.batches} batches; {self.unchanged} untouched documents already "
            f"had what it finds; {self.skipped} new documents left alone "
            f"(hand-edited, spans from a file, or with a stance); {self.scored} unfinished documents scored for 'unsure'; "
            f"{self.seconds:.1f} s ({rate:.0f} docs/s)"
        )


def count_untouched(corpus: Corpus) -> int:
    return corpus.db.execute(f"SELECT count(*) FROM documents d WHERE {UNTOUCHED}").fetchone()[0]


def reannotate(
    corpus: Corpus,
    model_id: str,
    *,
    statuses: tuple[str, ...] = (NEW,),
    batch: int = BATCH,
    batch_size: int = 64,
    score_in_progress: bool = True,
    make_current: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ReannotateReport:
    from annotator.nlp.preannotators import get_preannotator

    if set(statuses) - {NEW}:
        raise BadInput("only new documents are re-annotated: documents in progress, accepted or skipped hold an "
                       "analyst's work and are never rewritten (use --status new)")
    info = usable_model(corpus, model_id)
    pre = get_preannotator(str(info.path))
    report = ReannotateReport(model_id, pre.origin)
    # new imports pre-annotate with it from the first batch on: that batch carries the change of the current model,
    # so undoing the re-annotation (down to its first batch) puts the model before it back, and redo sets it again
    current = model_id if make_current else None
    started, cpu = time.perf_counter(), time.process_time()
    total_new = corpus.db.execute("SELECT count(*) FROM documents WHERE status = 'new'").fetchone()[0]
    todo = count_untouched(corpus)
    report.skipped = total_new - todo
    scored_statuses = (NEW, IN_PROGRESS) if score_in_progress else (NEW,)
    total = todo + (corpus.count_documents(IN_PROGRESS) if score_in_progress else 0)
    pending: list[tuple[int, str, list]] = []  # (doc id, status, model spans)
    done = 0
    try:
        for (doc_id, status, text), spans in pre.annotate(_candidates(corpus, scored_statuses), batch_size=batch_size):
            pending.append((doc_id, status, _clean(text, spans, report)))
            done += 1
            report.processed = done
            if len(pending) >= batch:
                _flush(corpus, pending, report, current)
                pending = []
            if progress:
                progress(done, total)
            if cancelled and cancelled():
                report.interrupted = True
                break
    except KeyboardInterrupt:
        report.interrupted = True
    _flush(corpus, pending, report, current)
    if current is not None and not report.history_ids:
        set_current(corpus, current)  # nothing rewritten, so nothing to undo: it is simply the current model now
    report.seconds, report.cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return report


def _candidates(corpus: Corpus, statuses: tuple[str, ...]) -> Iterator[tuple[str, tuple[int, str, str]]]:
    """Untouched new documents and (to score them) documents in progress, a page at a time in id order."""
    after = 0
    scored = IN_PROGRESS in statuses
    where = f"(({UNTOUCHED})" + (f" OR d.status = '{IN_PROGRESS}')" if scored else ")")
    while True:
        rows = corpus.db.execute(
            f"SELECT d.id, d.status, d.text FROM documents d WHERE d.id > ? AND {where} ORDER BY d.id LIMIT ?", [after, PAGE]
        ).fetchall()
        if not rows:
            return
        after = rows[-1][0]
        for doc_id, status, text in rows:
            yield text, (doc_id, status, text)


def _clean(text: str, spans, report: ReannotateReport) -> list[tuple[int, int, str]]:
    """Spans trimmed of whitespace, sorted, overlaps dropped (a spancat may overlap; the corpus never does)."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans, key=lambda s: (s[0], -s[1])):
        start, end = trim(text, start, end)
        if start >= end:
            continue
        if out and start < out[-1][1]:
            report.overlaps_dropped += 1
            continue
        out.append((start, end, label))
    return out


def _flush(corpus: Corpus, pending: list, report: ReannotateReport, current: str | None = None) -> None:
    if not pending:
        return
    planned: dict = {}

    def plan() -> Change | None:
        # planned inside the write transaction: an edit in the window cannot slip in between
        change, planned["scores"], planned["counts"] = _plan_batch(corpus, pending, report.origin)
        if not change.ops:
            return None
        if current is not None and not report.history_ids:  # the first batch written makes the model current
            change = Change(change.action, change.doc_id, (*_current_model_ops(corpus, current), *change.ops))
        return change

    history_id, change = corpus.commit_planned(plan, KIND)
    report.unchanged += planned["counts"][1]
    if change is not None:
        report.batches += 1
        report.history_ids.append(history_id)
        report.documents += planned["counts"][0]
        report.spans_removed += sum(1 for op in change.touched("spans") if op.after is None)
        report.spans_added += sum(1 for op in change.touched("spans") if op.before is None)
    _store_unsure(corpus, planned["scores"], report)


def _current_model_ops(corpus: Corpus, model_id: str) -> tuple[Op, ...]:
    """The op that makes `model_id` the current model (none when it is already): its inverse puts the old one back."""
    before = corpus.meta("current_model")
    if before == model_id:
        return ()
    usable_model(corpus, model_id)
    old = None if before is None else {"key": "current_model", "value": before}
    return (Op("meta", old, {"key": "current_model", "value": model_id}),)


def _plan_batch(corpus: Corpus, pending: list, origin: str) -> tuple[Change, list[tuple[int, int, float]], tuple[int, int]]:
    """The ops for one batch (planned from the rows as they are now), and the unsure scores."""
    ops: list[Op] = []
    scores: list[tuple[int, int, float]] = []
    next_id = corpus.next_id("spans")
    labels = {lb.name for lb in corpus.labels()}
    n_labels = len(labels)
    rewritten = unchanged = 0
    ids = [doc_id for doc_id, _, _ in pending]
    marks = ",".join("?" for _ in ids)
    rows_of: dict[int, list] = {doc_id: [] for doc_id in ids}
    for row in corpus.db.execute(f"SELECT id, doc_id, start, end, label, origin FROM spans WHERE doc_id IN ({marks}) "
                                 "ORDER BY doc_id, start", ids):
        rows_of[row[1]].append(row)
    # read now, in the write transaction, not when the page was read: a document edited since is left alone
    untouched = {r[0] for r in corpus.db.execute(f"SELECT d.id FROM documents d WHERE d.id IN ({marks}) AND {UNTOUCHED}", ids)}
    cols = ("id", "doc_id", "start", "end", "label", "origin")
    for doc_id, status, spans in pending:
        rows = rows_of[doc_id]
        current = [(r[2], r[3], r[4]) for r in rows]
        only, unsure = disagreement(current, spans)
        scores.append((doc_id, only, unsure))
        if status != NEW or doc_id not in untouched:
            continue  # in progress (scored only), or edited since it was read
        if current == spans:  # the new model agrees: nothing to rewrite (not even the origin: no noise in the history)
            unchanged += 1
            continue
        rewritten += 1
        ops += [Op("spans", dict(zip(cols, r)), None) for r in rows]
        for start, end, label in spans:
            if label not in labels:
                labels.add(label)
                ops.insert(0, Op("labels", None, {"name": label, "color": colour_for_new_label(n_labels), "key": "",
                                                  "hidden": 0, "position": n_labels}))
                n_labels += 1
            ops.append(Op("spans", None, {"id": next_id, "doc_id": doc_id, "start": start, "end": end, "label": label,
                                          "origin": origin}))
            next_id += 1
    return Change(f"re-annotate {rewritten} documents with {origin}", None, tuple(ops)), scores, (rewritten, unchanged)


def _store_unsure(corpus: Corpus, scores: list[tuple[int, int, float]], report: ReannotateReport) -> None:
    # derived data, not an annotation: no history row, recomputed by the next re-annotation
    with write_transaction(corpus.db):
        corpus.db.conn.executemany(
            "INSERT OR REPLACE INTO doc_unsure (doc_id, model_id, score, disagreements) VALUES (?, ?, ?, ?)",
            [(doc_id, report.model, only + unsure, only) for doc_id, only, unsure in scores],
        )
    report.scored += len(scores)


def unsure_order(corpus: Corpus, limit: int = 200, offset: int = 0) -> list[tuple[int, float, int]]:
    """Unfinished documents, the most unsure first: (doc id, score, spans the models disagree on).

    The score is the number of spans in only one of (current spans, new model's spans), plus
    1 - their F as a tie-break; documents never scored come last, in id order.
    """
    rows = corpus.db.execute(
        "SELECT d.id, coalesce(u.score, -1), coalesce(u.disagreements, 0) FROM documents d "
        "LEFT JOIN doc_unsure u ON u.doc_id = d.id WHERE d.status IN ('new', 'in_progress') "
        "ORDER BY coalesce(u.score, -1) DESC, d.id LIMIT ? OFFSET ?",
        [limit, offset],
    )
    return [(r[0], r[1], r[2]) for r in rows]


__all__ = ["BATCH", "ReannotateReport", "count_untouched", "reannotate", "unsure_order"]
