"""A second front end needs no Qt: a full correction pass through the session API alone.

Add, relabel, resize, delete an entity; add, edit, delete a stance; accept; undo and redo across
all of it; then close, reopen (a restart) and undo the previous run's edits.
"""

import subprocess
import sys

import pytest

from annotator.core.errors import Kind
from annotator.core.records import Record
from annotator.session import Change, Corpus
from annotator.session.importer import store_records
from annotator.session.session import Session
from annotator.session.stances import plan_add_stance, plan_delete_stance, plan_update_stance

TEXT = "Joe Biden met Vladimir Putin in Kyiv on Monday. Putin said the ceasefire must hold."


@pytest.fixture
def session(tmp_path):
    path = tmp_path / "c.db"
    with Corpus(path) as corpus:
        store_records(corpus, [Record(TEXT, "t", spans=[(0, 9, "PERSON"), (32, 36, "GPE")], source="a.jsonl", line=1)])
    s = Session.open_path(path, annotator="tester")
    yield s
    s.close()


def spans(s: Session) -> list[tuple[int, int, str]]:
    return [(x.start, x.end, x.label) for x in s.corpus.spans(1)]


def test_a_full_correction_pass_without_qt(session, tmp_path):
    s, c = session, session.corpus
    imported = spans(s)
    assert s.history.count() == 0  # an import is not an undo step
    assert s.run(lambda: c.plan_add_span(1, 14, 28, "PERSON")).ok
    span_id = next(x.id for x in c.spans(1) if x.start == 14)
    assert s.run(lambda: c.plan_relabel_span(span_id, "ORG")).ok
    assert s.run(lambda: c.plan_resize_span(span_id, 23, 28)).ok
    assert s.run(lambda: c.plan_delete_span(0 + next(x.id for x in c.spans(1) if x.start == 0))).ok
    assert spans(s) == [(23, 28, "ORG"), (32, 36, "GPE")]
    ev = (TEXT.index("Putin said"), len(TEXT))
    added = s.run(lambda: plan_add_stance(c, 1, "ceasefire", "FAVOR", holder_span_id=span_id, ev_start=ev[0], ev_end=ev[1]))
    stance_id = added.change.ops[0].after["id"]
    assert s.run(lambda: plan_update_stance(c, stance_id, value="AGAINST", note="conditional")).ok
    assert [(x.value, x.note, x.holder_text) for x in c.stances(1)] == [("AGAINST", "conditional", "Putin")]
    assert s.run(lambda: plan_delete_stance(c, stance_id)).ok
    assert s.run(lambda: c.plan_set_status(1, "accepted")).ok
    assert c.document(1).status == "accepted" and s.history.count() == 8

    # undo everything, step by step, back to the imported state; redo all of it
    for _ in range(8):
        assert s.undo().ok
    assert spans(s) == imported and c.stances(1) == [] and c.document(1).status == "new"
    assert not s.undo().ok and s.undo().message == "nothing to undo"
    for _ in range(8):
        assert s.redo().ok
    assert spans(s) == [(23, 28, "ORG"), (32, 36, "GPE")] and c.document(1).status == "accepted"

    # a restart: the previous run's edits can still be undone, newest first
    s.undo()  # the accept
    path = c.path
    s.close()
    again = Session.open_path(path, annotator="tester")
    try:
        assert again.history.count() == 7 and again.history.undo_text() == "delete stance Putin → ceasefire AGAINST"
        assert again.history.redo_text() == "mark accepted"
        assert again.redo().ok and again.corpus.document(1).status == "accepted"
        assert again.undo().ok and again.undo().ok  # the accept, then the stance delete
        assert [(x.value, x.note) for x in again.corpus.stances(1)] == [("AGAINST", "conditional")]
    finally:
        again.close()


def test_refusals_and_conflicts_are_results_not_exceptions(session, tmp_path):
    s, c = session, session.corpus
    refused = s.run(lambda: c.plan_add_span(1, 0, 9, "PERSON"))
    assert not refused.ok and refused.kind is Kind.REFUSED and "already PERSON" in refused.message
    assert s.history.count() == 0
    assert s.run(lambda: c.plan_add_span(1, 14, 28, "PERSON")).ok
    # another writer changes the row the undo would remove: the undo is refused and dropped from the history
    other = Corpus(c.path, annotator="someone else")
    span_id = next(x.id for x in other.spans(1) if x.start == 14)
    other.apply(other.plan_relabel_span(span_id, "ORG"))
    other.close()
    undone = s.undo()
    assert not undone.ok and undone.kind is Kind.CONFLICT and undone.message.startswith("cannot undo add PERSON")
    assert s.history.count() == 0 and (14, 28, "ORG") in spans(s)


def test_a_composed_change_is_one_transaction_and_one_undo_step(session):
    s, c = session, session.corpus
    biden, kyiv = (x.id for x in c.spans(1))
    both = Change.compose("relabel two entities", [c.plan_relabel_span(biden, "ORG"), c.plan_relabel_span(kyiv, "LOC")])
    assert both.doc_id == 1 and len(both.ops) == 3  # two relabels and the status move (new -> in progress), once
    assert s.apply(both).ok and s.history.count() == 1
    assert spans(s) == [(0, 9, "ORG"), (32, 36, "LOC")]
    assert c.history(limit=1)[0]["action"] == "relabel two entities"
    assert s.undo().ok and spans(s) == [(0, 9, "PERSON"), (32, 36, "GPE")] and s.history.count() == 0
    # a part that no longer applies refuses the whole: nothing of it is written
    stale = Change.compose("two", [c.plan_relabel_span(biden, "ORG"), c.plan_relabel_span(biden, "LOC")])
    result = s.apply(stale)
    assert not result.ok and result.kind is Kind.CONFLICT and spans(s) == [(0, 9, "PERSON"), (32, 36, "GPE")]


def test_the_session_layer_imports_no_qt():
    code = ("import sys, annotator.session.session, annotator.session.history, annotator.session.stances, "
            "annotator.session.export, annotator.session.imports; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_rename_with_a_recolour_is_one_change_one_row_one_undo_step(session):
    s, c = session, session.corpus
    before = {lb.name: lb for lb in c.labels()}["PERSON"]
    result = s.run(lambda: c.plan_update_label("PERSON", name="PER", color="#123456", key="q"))
    assert result.ok and len(result.change.ops) == 1 and s.history.count() == 1
    assert [(x.label) for x in c.spans(1)] == ["PER", "GPE"]  # entities follow the rename
    per = {lb.name: lb for lb in c.labels()}["PER"]
    assert (per.color, per.key) == ("#123456", "q")
    assert s.undo().ok and {lb.name: lb for lb in c.labels()}["PERSON"] == before
    assert [x.label for x in c.spans(1)] == ["PERSON", "GPE"]
