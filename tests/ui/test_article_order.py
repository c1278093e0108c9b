"""An edit puts its entities in at their place in the article's order and the highlighter's list
(ArticleView._resync) instead of sorting all of them again: the result is what the full sort gives."""

from __future__ import annotations

import random

from annotator.core.model import EntitySpan
from annotator.ui.article import ArticleView

TEXT = "Ünïcode 😀 first line of words\n" + "\n".join(f"line {k} holds some words and 😀 an emoji here" for k in range(60))


def row(span: EntitySpan) -> dict:
    return {"id": span.id, "doc_id": 1, "start": span.start, "end": span.end, "label": span.label, "origin": span.origin}


def as_sorted(view: ArticleView):
    """What _sync_highlighter makes of the view's spans."""
    order = sorted(view.spans.values(), key=lambda s: (s.start, s.end))
    q = view.omap.to_qt
    hl = sorted((q(s.start), q(s.end), s.label) for s in order)
    return order, [s.start for s in order], hl


def check(view: ArticleView, what: str) -> None:
    order, starts, hl = as_sorted(view)
    assert view.ordered_spans() == order, what
    assert view._order_starts == starts, what
    h = view.highlighter
    assert list(zip(h._starts, h._ends, h._labels)) == hl, what


def test_edits_keep_the_order_a_full_sort_gives(qtbot):
    view = ArticleView()
    qtbot.addWidget(view)
    words = [(m_start, m_start + len(w)) for m_start, w in _words(TEXT)]
    rng = random.Random(3)
    chosen = sorted(rng.sample(words, 120))
    spans = [EntitySpan(k + 1, 1, s, e, rng.choice("ABC"), "model") for k, (s, e) in enumerate(chosen)]
    view.show_document(TEXT, spans)
    check(view, "opened")
    next_id = len(spans) + 1
    for step in range(400):
        held = view.ordered_spans()
        snapshot = list(held)
        free = [w for w in words if not any(s.start < w[1] and w[0] < s.end for s in view.spans.values())]
        kind = rng.choice(["add", "delete", "relabel", "move", "replace"])
        current = list(view.spans.values())
        if kind == "add" and free:
            s, e = rng.choice(free)
            view.apply_span_rows([], [row(EntitySpan(next_id, 1, s, e, "A", "annotator"))])
            next_id += 1
        elif kind == "delete" and current:
            view.apply_span_rows([row(rng.choice(current))], [])
        elif kind == "relabel" and current:
            old = rng.choice(current)
            view.apply_span_rows([row(old)], [row(EntitySpan(old.id, 1, old.start, old.end, "Z", "annotator"))])
        elif kind == "move" and current and free:
            old = rng.choice(current)
            s, e = rng.choice(free)
            view.apply_span_rows([row(old)], [row(EntitySpan(old.id, 1, s, e, old.label, "annotator"))])
        elif kind == "replace" and len(current) > 2:  # an add over two entities: both go, one comes
            a, b = rng.sample(current, 2)
            view.apply_span_rows([row(a), row(b)], [row(EntitySpan(next_id, 1, a.start, a.end, "B", "annotator"))])
            next_id += 1
        check(view, f"step {step}: {kind}")
        assert held == snapshot, "a list handed out before the edit stays as it was"


def _words(text: str):
    import re

    return [(m.start(), m.group()) for m in re.finditer(r"\w+", text)]
