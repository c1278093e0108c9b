"""A view that fails while showing a saved edit reports the bug; the edit stays saved and undoable."""

import sys

from PySide6.QtCore import Qt

from annotator.session import Corpus


def test_a_failing_listener_reports_the_bug_but_the_edit_counts_as_saved(ui, monkeypatch):
    w = ui.window
    reported = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: reported.append(exc[1]))

    def broken_view(change):
        raise RuntimeError("a bug in some panel")

    w.corpus.subscribe(broken_view)
    ui.key(Qt.Key_Tab)
    span = w.article.spans[w.article.current_id]
    new_label = "ORG" if span.label != "ORG" else "PERSON"
    ui.key(Qt.Key_O if new_label == "ORG" else Qt.Key_P)
    assert len(reported) == 1 and "a bug in some panel" in repr(reported[0].__cause__)
    assert w.statusBar().currentMessage().startswith("saved · relabel")
    assert w.edits.count() == 1 and w.session.history.can_undo()
    with Corpus(w.db_path, read_only=True) as fresh:
        assert fresh.span(span.id).label == new_label
    assert w.article.spans[span.id].label == new_label  # the window's own view still drew it
