"""Review corpora: versions kept, differences classified, settled as undoable Changes into adjudicated gold."""

import json

import pytest
from multi_team import TEXTS, annotate, team

from annotator.core.errors import BadInput
from annotator.session.corpus import Corpus, EditError
from annotator.session.export import ExportOptions, export_corpus
from annotator.session.review import (
    BOUNDARY,
    LABEL,
    ONLY_IN,
    VALUE,
    build_review,
    differences,
    plan_accept_review,
    plan_by_hand,
    plan_reject,
    plan_take,
    plan_take_agreed,
    plan_take_both,
    review_items,
    versions,
)

T0 = TEXTS[0]  # "Zelensky met Trump in Davos on Monday."
ALICE = [("Zelensky", "PERSON"), ("Trump", "PERSON"), ("Davos", "GPE"), ("Monday", "DATE")]
BOB = [("Zelensky", "PERSON"), ("Trump", "ORG"), ("Davos on", "GPE")]


@pytest.fixture
def review(tmp_path):
    paths = team(tmp_path, texts=[T0], overlap=1)
    annotate(paths["alice"], "alice", {T0: ALICE}, {T0: [{"target": "ceasefire", "value": "FAVOR"}]})
    annotate(paths["bob"], "bob", {T0: BOB}, {T0: [{"target": "ceasefire", "value": "AGAINST"}]})
    report = build_review([paths["alice"], paths["bob"]], tmp_path / "review.db", reviewer="rita")
    assert report.documents == 1 and report.agreed_entities == 1 and report.differences == 4
    c = Corpus(tmp_path / "review.db", annotator="rita")
    yield c
    c.close()


def _gold(c, doc_id):
    text = c.document(doc_id).text
    return sorted((text[s.start:s.end], s.label, s.origin) for s in c.spans(doc_id))


def _by_word(c, doc_id, word):
    text = c.document(doc_id).text
    start = text.index(word)
    return next(it for it in review_items(c, doc_id) if it.what == "entity" and it.start <= start < it.end)


def test_every_version_is_kept_and_differences_are_classified(review):
    doc_id = review.document_rows()[0].id
    vers = versions(review, doc_id)
    assert [(v.annotator, v.status) for v in vers] == [("alice", "accepted"), ("bob", "accepted")]
    assert all(v.ts for v in vers)
    assert ("Zelensky", "PERSON", "adjudicated") in _gold(review, doc_id) and len(_gold(review, doc_id)) == 1
    kinds = {review.document(doc_id).text[it.start:it.end]: it.kind for it in differences(review, doc_id) if it.what == "entity"}
    assert kinds == {"Trump": LABEL, "Davos on": BOUNDARY, "Monday": ONLY_IN}
    [stance] = [it for it in differences(review, doc_id) if it.what == "stance"]
    assert stance.kind == VALUE and [s["value"] for s in stance.variants["bob"]] == ["AGAINST"]
    assert json.loads(review.meta("review_of"))[1]["annotator"] == "bob"


def test_take_a_take_b_both_reject_undo_and_accept_into_gold(review, tmp_path):
    doc_id = review.document_rows()[0].id
    trump = _by_word(review, doc_id, "Trump")
    took_a = review.apply(plan_take(review, doc_id, trump.key, ["alice"]))
    assert ("Trump", "PERSON", "adjudicated") in _gold(review, doc_id)
    review.apply(took_a.inverse())  # undo
    assert not any(w == "Trump" for w, _, _ in _gold(review, doc_id)) and _by_word(review, doc_id, "Trump").open
    review.apply(plan_take(review, doc_id, trump.key, ["bob"]))
    assert ("Trump", "ORG", "adjudicated") in _gold(review, doc_id)
    assert _by_word(review, doc_id, "Trump").decision == "take bob"
    davos = _by_word(review, doc_id, "Davos")
    with pytest.raises(EditError, match="overlap: take one analyst's version here"):
        plan_take_both(review, doc_id, davos.key)
    review.apply(plan_take(review, doc_id, davos.key, ["bob"]))
    monday = _by_word(review, doc_id, "Monday")
    review.apply(plan_reject(review, doc_id, monday.key))
    with pytest.raises(EditError, match="1 difference still open"):
        plan_accept_review(review, doc_id)
    [stance] = [it for it in differences(review, doc_id) if it.what == "stance"]
    review.apply(plan_take(review, doc_id, stance.key, ["bob"]))
    [gold_stance] = review.stances(doc_id)
    assert (gold_stance.value, gold_stance.annotator) == ("AGAINST", "bob")  # who said it stays with the record
    accepted = review.apply(plan_accept_review(review, doc_id))
    assert review.document(doc_id).status == "accepted"
    assert accepted.action == "accept adjudicated: 1 agreed, reject 1, take bob 3"
    assert _gold(review, doc_id) == [("Davos on", "GPE", "adjudicated"), ("Trump", "ORG", "adjudicated"),
                                     ("Zelensky", "PERSON", "adjudicated")]
    actions = [h["action"] for h in review.history(doc_id)]
    assert "take alice's entity: PERSON 'Trump'" in actions and "undo take alice's entity: PERSON 'Trump'" in actions
    # the review corpus exports like any other
    result = export_corpus(review, ExportOptions(out=tmp_path / "gold", fmt="jsonl", dev=0.0))
    [line] = [json.loads(x) for x in (tmp_path / "gold" / "train.jsonl").read_text().splitlines()]
    assert sorted((T0[s["start"]:s["end"]], s["label"]) for s in line["spans"]) == [("Davos on", "GPE"), ("Trump", "ORG"), ("Zelensky", "PERSON")]
    assert result.documents == 1


def test_take_both_where_versions_do_not_overlap_and_by_hand(tmp_path):
    paths = team(tmp_path, texts=[TEXTS[1]], overlap=1)
    t = TEXTS[1]  # "Putin spoke to Erdogan in Ankara about the Black Sea."
    annotate(paths["alice"], "alice", {t: [("Putin", "PERSON"), ("Black Sea", "LOC")]})
    annotate(paths["bob"], "bob", {t: [("Putin", "PERSON"), ("Ankara", "GPE"), ("Black", "NORP")]})
    build_review(list(paths.values()), tmp_path / "r.db")
    with Corpus(tmp_path / "r.db") as c:
        doc_id = c.document_rows()[0].id
        ankara = _by_word(c, doc_id, "Ankara")
        c.apply(plan_take_both(c, doc_id, ankara.key))
        assert ("Ankara", "GPE", "adjudicated") in _gold(c, doc_id)
        sea = _by_word(c, doc_id, "Black Sea")
        assert sea.kind == BOUNDARY
        c.apply(plan_by_hand(c, doc_id, sea.key))  # the reviewer marks it and edits as usual
        s = t.index("the Black Sea")
        c.apply(c.plan_add_span(doc_id, s, s + len("the Black Sea"), "LOC"))
        assert not [it for it in differences(c, doc_id) if it.open]
        c.apply(plan_accept_review(c, doc_id))
        assert ("the Black Sea", "LOC", "annotator") in _gold(c, doc_id)


def test_take_all_agreed_follows_a_clear_majority(tmp_path):
    paths = team(tmp_path, names=("alice", "bob", "carol"), texts=[T0], overlap=1)
    annotate(paths["alice"], "alice", {T0: [("Zelensky", "PERSON"), ("Trump", "PERSON"), ("Monday", "DATE")]})
    annotate(paths["bob"], "bob", {T0: [("Zelensky", "PERSON"), ("Trump", "PERSON"), ("Davos", "GPE")]})
    annotate(paths["carol"], "carol", {T0: [("Zelensky", "PERSON"), ("Trump", "ORG"), ("Davos", "LOC")]})
    build_review(list(paths.values()), tmp_path / "r.db")
    with Corpus(tmp_path / "r.db") as c:
        doc_id = c.document_rows()[0].id
        # the reviewer had removed an agreed entity: take all agreed puts it back
        c.apply(c.plan_delete_span(c.spans(doc_id)[0].id))
        change = c.apply(plan_take_agreed(c, doc_id))
        # Trump: PERSON for two of three; Monday: nothing for two of three (rejected); Davos: three different versions
        assert change.action == "take all agreed (1 agreed, 2 by majority)"
        assert _gold(c, doc_id) == [("Trump", "PERSON", "adjudicated"), ("Zelensky", "PERSON", "adjudicated")]
        assert {T0[it.start:it.end]: it.decision for it in differences(c, doc_id)} == {
            "Trump": "majority alice+bob", "Davos": None, "Monday": "majority reject"}
        c.apply(change.inverse())
        assert _gold(c, doc_id) == []


def test_review_refuses_an_existing_output_and_leaves_nothing_on_failure(tmp_path):
    paths = team(tmp_path, texts=[T0], overlap=1)
    (tmp_path / "exists.db").write_bytes(b"")
    with pytest.raises(BadInput, match="exists already"):
        build_review(list(paths.values()), tmp_path / "exists.db")
    with pytest.raises(BadInput, match="exists already"):
        build_review(list(paths.values()), paths["alice"])  # never over an analyst's corpus

    def interrupted(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_review(list(paths.values()), tmp_path / "r.db", status="any", progress=interrupted)
    assert not (tmp_path / "r.db").exists() and not list(tmp_path.glob("r.db*"))
    with pytest.raises(BadInput, match="unknown status"):
        build_review(list(paths.values()), tmp_path / "r.db", status="done")
    assert not (tmp_path / "r.db").exists()
