"""After each entity edit the window looks again only at the entities the edit touched (WindowFlags.refresh):
the flags, their marks in the article, the ⚠ in the list and the count on Accept stay what looking at every
entity of the article finds."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.session.flags import flagged_in


def assert_flags_as_from_scratch(w, what: str) -> None:
    expected = flagged_in(w.document.text, w.article.ordered_spans())
    assert w.flags.flagged == expected, what
    marks = w.article._marks.get("flags", ([], None))[0]
    assert marks == [(f.span.start, f.span.end) for f in expected], what
    assert w.entities.model_.flag_notes == {f.span.id: f.message for f in expected}, what
    n = len(expected)
    assert w.flags.button.text() == (f"Accept  ·  {n} flag{'s' if n != 1 else ''} to review" if n else "Accept"), what


def test_flags_after_edits_equal_a_fresh_look(ui):
    w = ui.window
    flagged = list(w.flags.flagged)
    assert len(flagged) >= 3, "the seed article has suspicious model spans"
    steps = 0

    def step(what: str) -> None:
        nonlocal steps
        steps += 1
        assert_flags_as_from_scratch(w, what)

    step("opened")
    fixable = next(f for f in flagged if f.fix)
    w.article.set_current(fixable.span.id, move_caret=True)
    ui.key(Qt.Key_T, Qt.ControlModifier)  # the obvious fix: a resize
    step("fix")
    keep = next(f for f in w.flags.flagged if f.span.id != fixable.span.id)
    w.article.set_current(keep.span.id, move_caret=True)
    ui.key(Qt.Key_K, Qt.ControlModifier)  # keep as it is: the origin changes
    step("keep")
    other = w.flags.flagged[-1]
    w.article.set_current(other.span.id, move_caret=True)
    ui.key(Qt.Key_Right, Qt.AltModifier)  # grow its end by a token (it becomes the analyst's)
    step("grow")
    ui.key(Qt.Key_O)  # relabel
    step("relabel")
    ui.key(Qt.Key_Delete)
    step("delete")
    # an add over a model entity replaces it
    model_span = next(s for s in w.article.ordered_spans() if s.origin != "annotator")
    ui.select(model_span.start, model_span.end)
    ui.key(Qt.Key_G)
    step("add over a model entity")
    ui.key(Qt.Key_F, Qt.ControlModifier | Qt.ShiftModifier)  # every obvious fix in one change
    step("fix all")
    while w.edits.session.history.next_undo() is not None:
        w.edits.undo()
        step("undo")
    assert w.flags.flagged == flagged
    for _ in range(3):
        w.edits.redo()
        step("redo")
    assert steps >= 12
