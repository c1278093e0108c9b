"""The reading view's layout keeps each block's height once it has spread the block's lines
(annotator/ui/air.py): what it answers from that store is what working it out again gives, after
scrolling, edits that re-lay a block, the label tags turned off and on, a resize and new gaps."""

from __future__ import annotations

from annotator.core.model import EntitySpan
from annotator.ui.article import ArticleView
from annotator.ui.theme import apply_theme

TEXT = "A title of the article\n" + "\n".join(
    ("" if k % 4 == 3 else f"Paragraph {k}: " + "some words of a sentence that wraps over lines " * (1 + k % 3))
    for k in range(40)
)


def heights(view: ArticleView) -> list[float]:
    block, out = view.document().begin(), []
    while block.isValid():
        out.append(view.air.blockBoundingRect(block).height())
        block = block.next()
    return out


def worked_out_again(view: ArticleView) -> list[float]:
    kept = dict(view.air._heights)
    view.air._heights.clear()
    try:
        return heights(view)
    finally:
        view.air._heights.update(kept)


def check(view: ArticleView, qapp, what: str) -> None:
    qapp.processEvents()
    assert view.air._heights, what  # the store is in use
    assert heights(view) == worked_out_again(view), what


def test_stored_block_heights_equal_worked_out_ones(qtbot, qapp):
    apply_theme(qapp, dark=False)
    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    start = TEXT.index("some words")
    spans = [EntitySpan(1, 1, start, start + 4, "PERSON", "model")]
    from annotator.core.model import Label

    view.set_labels([Label("PERSON", "#e8590c", "p"), Label("ORG", "#1c7ed6", "o")])
    view.show_document(TEXT, spans)
    check(view, qapp, "opened")
    bar = view.verticalScrollBar()
    for value in (bar.maximum() // 2, bar.maximum(), 0):
        bar.setValue(value)
        check(view, qapp, f"scrolled to {value}")
    row = {"id": 1, "doc_id": 1, "start": start, "end": start + 4, "label": "PERSON", "origin": "model"}
    view.apply_span_rows([row], [dict(row, label="ORG")])  # the tag gets wider: the block is laid out again
    check(view, qapp, "relabelled")
    view.set_tags_shown(False)
    check(view, qapp, "tags off")
    view.set_tags_shown(True)
    check(view, qapp, "tags on")
    view.resize(520, 500)
    check(view, qapp, "narrower")
    view.air.set_gaps(3.0, 20.0, 25.0)
    check(view, qapp, "new gaps")
    view.air.enabled = False
    qapp.processEvents()
    view.air.enabled = True
    check(view, qapp, "air off and on")
    view.show_document(TEXT.replace("Paragraph 1:", "P1:"), [])
    check(view, qapp, "another article")
