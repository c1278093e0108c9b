"""Stance records and scheme through the session layer; sentences and speakers for the stance key."""

import random

import pytest
from seed_targets import with_seed_targets

from annotator.core.model import EntitySpan
from annotator.core.records import Record
from annotator.core.spans import snap, trim
from annotator.core.speakers import nearest_speaker
from annotator.nlp.sentences import sentence_at
from annotator.nlp.tokens import token_bounds
from annotator.session import EditError
from annotator.session.importer import store_records
from annotator.session.stances import (
    get_stance,
    new_stance_id,
    plan_add_stance,
    plan_add_target,
    plan_add_value,
    plan_delete_stance,
    plan_hide_target,
    plan_merge_targets,
    plan_remove_target,
    plan_remove_value,
    plan_rename_target,
    plan_rename_value,
    plan_update_stance,
    snap_to_tokens,
    stance_stats,
)

TEXT = (
    "Talks resume in Davos\n"
    "Zelensky said the ceasefire must hold. Russia rejected the plan.\n"
    "Ukrainian negotiator Rustem Umerov said talks would continue."
)
CEASE = "ceasefire"
PEACE = "peace deal / negotiations"
GUARANTEES = "security guarantees"


def at(text, piece):
    s = text.index(piece)
    return s, s + len(piece)


def ents():
    out = []
    for piece, label in [("Davos", "GPE"), ("Zelensky", "PERSON"), ("Russia", "GPE"), ("Ukrainian", "NORP"),
                         ("Rustem Umerov", "PERSON")]:
        out.append((*at(TEXT, piece), label))
    return out


@pytest.fixture
def doc(empty_corpus):
    with_seed_targets(empty_corpus)
    res = store_records(empty_corpus, [Record(TEXT, "t", spans=ents(), source="a.jsonl", line=1),
                                       Record("Another article about Kyiv.", "u", spans=[(22, 26, "GPE")])])
    return empty_corpus, res.added[0]


def span_id(corpus, doc_id, piece):
    start, _ = at(TEXT, piece)
    return next(s.id for s in corpus.spans(doc_id) if s.start == start)


def records(corpus, doc_id):
    return [(s.holder_text, s.target, s.value, s.ev_start, s.ev_end) for s in corpus.stances(doc_id)]


def n_history(corpus):
    return corpus.db.execute("SELECT count(*) FROM history").fetchone()[0]


# ---- records --------------------------------------------------------------
def test_the_stance_key_flow_sentence_speaker_record_and_undo(doc):
    corpus, d = doc
    text = corpus.document(d).text
    cursor = text.index("must")
    ev = sentence_at(text, cursor)
    assert text[ev[0] : ev[1]] == "Zelensky said the ceasefire must hold."
    speaker = nearest_speaker(corpus.spans(d), *ev)
    assert text[speaker.start : speaker.end] == "Zelensky"
    change = corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR", holder_span_id=speaker.id, ev_start=ev[0], ev_end=ev[1]))
    stance = get_stance(corpus, new_stance_id(change))
    assert (stance.holder_text, stance.holder_span_id, stance.holder_start, stance.holder_end) == (
        "Zelensky", speaker.id, speaker.start, speaker.end)
    assert (stance.target, stance.value, stance.ev_start, stance.ev_end) == (CEASE, "FAVOR", *ev)
    assert not stance.document_level and stance.annotator == corpus.annotator
    assert corpus.document(d).status == "in_progress"
    corpus.apply(change.inverse())
    assert corpus.stances(d) == [] and corpus.document(d).status == "new"
    corpus.apply(change)  # redo brings back the very same record
    assert get_stance(corpus, new_stance_id(change)) == stance


def test_evidence_is_trimmed_and_grown_to_whole_tokens(doc):
    corpus, d = doc
    s, e = at(TEXT, "elensky said the cease")
    corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR", holder_text="Zelensky", ev_start=s - 2, ev_end=e))
    st = corpus.stances(d)[0]
    assert TEXT[st.ev_start : st.ev_end] == "Zelensky said the ceasefire"


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"target": "nope"}, "unknown stance target 'nope'"),
        ({"target": ""}, "needs a target"),
        ({"value": ""}, "needs a value"),
        ({"value": "MAYBE"}, "unknown stance value 'MAYBE'; the values are FAVOR, AGAINST, NEUTRAL"),
        ({"ev_start": 5, "ev_end": 5}, "start >= end"),
        ({"ev_start": 5, "ev_end": 9999}, "outside the text"),
        ({"ev_start": -1, "ev_end": 4}, "outside the text"),
        ({"ev_start": 21, "ev_end": 22}, "only whitespace"),
        ({"ev_start": 5, "ev_end": None}, "both a start and an end"),
        ({"holder_span_id": 999}, "no longer exists"),
    ],
)
def test_invalid_stances_are_refused_and_nothing_is_written(doc, fields, message):
    corpus, d = doc
    before = n_history(corpus)
    args = {"target": CEASE, "value": "FAVOR", **fields}
    with pytest.raises(EditError, match=message.replace("(", r"\(")):
        plan_add_stance(corpus, d, **args)
    assert corpus.stances(d) == [] and n_history(corpus) == before


def test_holder_from_another_document_is_refused(doc):
    corpus, d = doc
    other = corpus.spans(d + 1)[0]
    with pytest.raises(EditError, match="another document"):
        plan_add_stance(corpus, d, CEASE, "FAVOR", holder_span_id=other.id)


def test_free_text_holder_and_the_article_by_default(doc):
    corpus, d = doc
    corpus.apply(plan_add_stance(corpus, d, PEACE, "NEUTRAL"))
    corpus.apply(plan_add_stance(corpus, d, CEASE, "AGAINST", holder_text="  the  Kremlin ", ev_start=0, ev_end=5))
    assert records(corpus, d) == [("the Kremlin", CEASE, "AGAINST", 0, 5), ("the article", PEACE, "NEUTRAL", None, None)]
    assert all(s.holder_span_id is None and s.holder_start is None for s in corpus.stances(d))


def test_one_document_level_stance_per_target_and_no_duplicates(doc):
    corpus, d = doc
    corpus.apply(plan_add_stance(corpus, d, PEACE, "FAVOR"))
    with pytest.raises(EditError, match="already has an overall stance on 'peace deal / negotiations' \\(FAVOR"):
        plan_add_stance(corpus, d, PEACE, "AGAINST", holder_text="Russia")
    corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR"))  # another target is fine
    s, e = at(TEXT, "Russia rejected the plan.")
    change = corpus.apply(plan_add_stance(corpus, d, PEACE, "AGAINST", holder_span_id=span_id(corpus, d, "Russia"),
                                          ev_start=s, ev_end=e))
    with pytest.raises(EditError, match="exists already"):
        plan_add_stance(corpus, d, PEACE, "AGAINST", holder_span_id=span_id(corpus, d, "Russia"), ev_start=s, ev_end=e)
    # turning the evidence-level record into an overall one would make two
    with pytest.raises(EditError, match="already has an overall stance"):
        plan_update_stance(corpus, new_stance_id(change), ev_start=None, ev_end=None)


def test_update_fields(doc):
    corpus, d = doc
    s, e = at(TEXT, "Zelensky said the ceasefire must hold.")
    zel = span_id(corpus, d, "Zelensky")
    sid = new_stance_id(corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR", holder_span_id=zel, ev_start=s, ev_end=e)))
    corpus.apply(plan_update_stance(corpus, sid, value="NEUTRAL", note=" hedged "))
    corpus.apply(plan_update_stance(corpus, sid, target=PEACE))
    corpus.apply(plan_update_stance(corpus, sid, holder_span_id=span_id(corpus, d, "Russia")))
    corpus.apply(plan_update_stance(corpus, sid, ev_start=at(TEXT, "Russia")[0], ev_end=at(TEXT, "the plan")[1]))
    st = get_stance(corpus, sid)
    assert (st.value, st.note, st.target, st.holder_text, st.holder_start) == ("NEUTRAL", "hedged", PEACE, "Russia", TEXT.index("Russia"))
    assert TEXT[st.ev_start : st.ev_end] == "Russia rejected the plan"
    corpus.apply(plan_update_stance(corpus, sid, holder_text="Moscow"))  # free text unlinks
    st = get_stance(corpus, sid)
    assert (st.holder_text, st.holder_span_id, st.holder_start) == ("Moscow", None, None)
    with pytest.raises(EditError, match="nothing to change"):
        plan_update_stance(corpus, sid, value="NEUTRAL")
    with pytest.raises(ValueError, match="unknown stance fields"):
        plan_update_stance(corpus, sid, colour="red")


def test_undo_of_each_update_restores_the_record(doc):
    corpus, d = doc
    s, e = at(TEXT, "Zelensky said the ceasefire must hold.")
    sid = new_stance_id(corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR", holder_span_id=span_id(corpus, d, "Zelensky"),
                                                     ev_start=s, ev_end=e)))
    original = get_stance(corpus, sid)
    done = [corpus.apply(plan_update_stance(corpus, sid, value="AGAINST")),
            corpus.apply(plan_update_stance(corpus, sid, holder_text="Kyiv")),
            corpus.apply(plan_update_stance(corpus, sid, ev_start=None, ev_end=None, note="overall"))]
    assert get_stance(corpus, sid).document_level
    for change in reversed(done):
        corpus.apply(change.inverse())
    assert get_stance(corpus, sid) == original


def test_delete_and_undo(doc):
    corpus, d = doc
    sid = new_stance_id(corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR", note="n")))
    original = get_stance(corpus, sid)
    change = corpus.apply(plan_delete_stance(corpus, sid))
    assert corpus.stances(d) == []
    with pytest.raises(EditError, match="no longer exists"):
        plan_delete_stance(corpus, sid)
    corpus.apply(change.inverse())
    assert corpus.stances(d) == [original]


# ---- consistency with entity edits ---------------------------------------------
def test_deleting_the_holder_entity_keeps_its_text_and_undo_relinks(doc):
    corpus, d = doc
    zel = span_id(corpus, d, "Zelensky")
    sid = new_stance_id(corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR", holder_span_id=zel)))
    linked = get_stance(corpus, sid)
    delete = corpus.apply(corpus.plan_delete_span(zel))
    st = get_stance(corpus, sid)
    assert (st.holder_span_id, st.holder_text, st.holder_start, st.holder_end) == (None, "Zelensky", linked.holder_start, linked.holder_end)
    corpus.apply(delete.inverse())
    assert get_stance(corpus, sid) == linked


def test_resizing_the_holder_updates_it_relabel_keeps_it_overwrite_unlinks_it(doc):
    corpus, d = doc
    rus = span_id(corpus, d, "Rustem Umerov")
    sid = new_stance_id(corpus.apply(plan_add_stance(corpus, d, PEACE, "FAVOR", holder_span_id=rus)))
    s, e = at(TEXT, "Umerov")
    resize = corpus.apply(corpus.plan_resize_span(rus, s, e))
    st = get_stance(corpus, sid)
    assert (st.holder_text, st.holder_start, st.holder_end, st.holder_span_id) == ("Umerov", s, e, rus)
    corpus.apply(corpus.plan_relabel_span(rus, "ORG"))
    assert get_stance(corpus, sid).holder_span_id == rus
    overwrite = corpus.apply(corpus.plan_add_span(d, *at(TEXT, "negotiator Rustem Umerov"), "PERSON"))
    st = get_stance(corpus, sid)
    assert (st.holder_span_id, st.holder_text) == (None, "Umerov")
    corpus.apply(overwrite.inverse())
    assert get_stance(corpus, sid).holder_span_id == rus
    corpus.apply(corpus.plan_relabel_span(rus, "PERSON"))
    corpus.apply(resize.inverse())
    assert get_stance(corpus, sid).holder_text == "Rustem Umerov"


# ---- scheme ------------------------------------------------------------------
def test_rename_target_renames_records_and_undo_restores(doc):
    corpus, d = doc
    corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR"))
    change = corpus.apply(plan_rename_target(corpus, CEASE, "truce"))
    assert "truce" in corpus.stance_targets() and CEASE not in corpus.stance_targets()
    assert records(corpus, d)[0][1] == "truce"
    with pytest.raises(EditError, match="exists already; merge"):
        plan_rename_target(corpus, "truce", PEACE)
    corpus.apply(change.inverse())
    assert records(corpus, d)[0][1] == CEASE and corpus.stance_targets().index(CEASE) == 1


def test_merge_targets_moves_records_drops_duplicates_and_undo_restores(doc):
    corpus, d = doc
    s, e = at(TEXT, "Zelensky said the ceasefire must hold.")
    corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR", holder_text="Zelensky", ev_start=s, ev_end=e))
    corpus.apply(plan_add_stance(corpus, d, PEACE, "FAVOR", holder_text="Zelensky", ev_start=s, ev_end=e))  # a duplicate after merge
    corpus.apply(plan_add_stance(corpus, d, CEASE, "AGAINST", holder_text="Russia", ev_start=s, ev_end=e))
    corpus.apply(plan_add_stance(corpus, d, CEASE, "NEUTRAL"))
    before = records(corpus, d)
    change = corpus.apply(plan_merge_targets(corpus, CEASE, PEACE))
    assert CEASE not in corpus.stance_targets()
    assert sorted(records(corpus, d)) == sorted([
        ("Zelensky", PEACE, "FAVOR", s, e), ("Russia", PEACE, "AGAINST", s, e), ("the article", PEACE, "NEUTRAL", None, None)])
    corpus.apply(change.inverse())
    assert records(corpus, d) == before and CEASE in corpus.stance_targets()


def test_merge_refuses_contradicting_article_stances(doc):
    corpus, d = doc
    corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR"))
    corpus.apply(plan_add_stance(corpus, d, PEACE, "AGAINST"))
    with pytest.raises(EditError, match=f"document {d} \\(FAVOR vs AGAINST\\)"):
        plan_merge_targets(corpus, CEASE, PEACE)
    with pytest.raises(EditError, match="into itself"):
        plan_merge_targets(corpus, CEASE, CEASE)


def test_add_hide_remove_targets(doc):
    corpus, d = doc
    corpus.apply(plan_add_target(corpus, "  prisoner   exchange "))
    assert corpus.stance_targets()[-1] == "prisoner exchange"
    for bad, message in [("", "needs a name"), ("a=b", "cannot contain '='"), (CEASE, "exists already")]:
        with pytest.raises(EditError, match=message):
            plan_add_target(corpus, bad)
    hide = corpus.apply(plan_hide_target(corpus, CEASE))
    assert CEASE not in corpus.stance_targets(include_hidden=False) and CEASE in corpus.stance_targets()
    corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR"))  # records on a hidden target stay valid
    with pytest.raises(EditError, match="already hidden"):
        plan_hide_target(corpus, CEASE)
    corpus.apply(hide.inverse())
    assert CEASE in corpus.stance_targets(include_hidden=False)
    with pytest.raises(EditError, match="used by 1 stance; hide it or merge"):
        plan_remove_target(corpus, CEASE)
    corpus.apply(plan_remove_target(corpus, "prisoner exchange"))
    assert "prisoner exchange" not in corpus.stance_targets()


def test_values_add_rename_remove(doc):
    corpus, d = doc
    corpus.apply(plan_add_value(corpus, "MIXED"))
    assert corpus.stance_values() == ["FAVOR", "AGAINST", "NEUTRAL", "MIXED"]
    corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR"))
    corpus.apply(plan_add_stance(corpus, d, PEACE, "FAVOR"))
    rename = corpus.apply(plan_rename_value(corpus, "FAVOR", "SUPPORT"))
    assert {s.value for s in corpus.stances(d)} == {"SUPPORT"}
    with pytest.raises(EditError, match="used by 2 stances"):
        plan_remove_value(corpus, "SUPPORT")
    corpus.apply(rename.inverse())
    assert {s.value for s in corpus.stances(d)} == {"FAVOR"}
    for stance in corpus.stances(d):
        corpus.apply(plan_delete_stance(corpus, stance.id))
    for name in ("MIXED", "AGAINST", "NEUTRAL"):
        corpus.apply(plan_remove_value(corpus, name))
    with pytest.raises(EditError, match="at least one stance value"):
        plan_remove_value(corpus, "FAVOR")


def test_stance_stats(doc):
    corpus, d = doc
    s, e = at(TEXT, "Zelensky said the ceasefire must hold.")
    corpus.apply(plan_add_stance(corpus, d, CEASE, "FAVOR", holder_span_id=span_id(corpus, d, "Zelensky"), ev_start=s, ev_end=e))
    corpus.apply(plan_add_stance(corpus, d, PEACE, "FAVOR", holder_text="Zelensky", ev_start=s, ev_end=e))
    corpus.apply(plan_add_stance(corpus, d, CEASE, "AGAINST", holder_text="Russia", ev_start=s, ev_end=e))
    corpus.apply(plan_add_stance(corpus, d, PEACE, "NEUTRAL"))
    stats = stance_stats(corpus)
    assert (stats.total, stats.document_level, stats.documents) == (4, 1, 1)
    assert stats.values == ["FAVOR", "AGAINST", "NEUTRAL"]
    assert stats.by_target[CEASE] == {"FAVOR": 1, "AGAINST": 1}
    assert stats.by_target[PEACE] == {"FAVOR": 1, "NEUTRAL": 1}
    assert stats.by_target[GUARANTEES] == {}  # every target is listed, used or not
    assert list(stats.by_holder) == ["Zelensky", "Russia", "the article"]
    assert stats.by_holder["Zelensky"] == {"FAVOR": 2}


# ---- sentences and speakers ----------------------------------------------------
def test_sentence_at_breaks_at_lines_and_trims():
    text = "Headline without stop\nFirst one.  Second “quoted” one\n\n  Last"
    assert sentence_at(text, 3) == at(text, "Headline without stop")
    assert sentence_at(text, text.index("one.") + 4) == at(text, "First one.")  # right after the full stop
    assert sentence_at(text, text.index("  Second") + 1) == at(text, "Second “quoted” one")  # in the gap: the next one
    assert sentence_at(text, text.index("\n\n") + 1) is None
    assert sentence_at(text, len(text)) == at(text, "Last")
    with pytest.raises(ValueError):
        sentence_at(text, len(text) + 1)


def test_sentence_offsets_are_code_points_after_an_emoji():
    text = "🙂 Peace now. Zelensky said the truce holds."
    s, e = sentence_at(text, text.index("truce"))
    assert text[s:e] == "Zelensky said the truce holds."


def span(text, piece, label, i=0):
    s, e = at(text, piece)
    return EntitySpan(i, 1, s, e, label)


def test_nearest_speaker_prefers_a_person_in_the_sentence_then_looks_back():
    text = "Russia attacked. Ukrainian negotiator Rustem Umerov said talks continue. NATO stayed silent. It will go on."
    spans = [span(text, "Russia", "GPE", 1), span(text, "Ukrainian", "NORP", 2), span(text, "Rustem Umerov", "PERSON", 3),
             span(text, "NATO", "ORG", 4)]
    assert nearest_speaker(spans, *at(text, "Ukrainian negotiator Rustem Umerov said talks continue.")).id == 3
    assert nearest_speaker(spans, *at(text, "NATO stayed silent.")).id == 4
    assert nearest_speaker(spans, *at(text, "It will go on.")).id == 3  # a person before outranks a nearer body
    assert nearest_speaker(spans[3:], *at(text, "It will go on.")).id == 4
    assert nearest_speaker(spans, *at(text, "Russia attacked.")).id == 1
    assert nearest_speaker([span(text, "Russia", "DATE")], *at(text, "It will go on.")) is None


def test_windowed_snapping_equals_snapping_on_the_whole_text():
    text = (
        "Mr Williams, who served from 2002 to 2012, condemned the use of religion as “disturbing” – and said that "
        "Putin’s revanchism (U.S.-backed?) contradicts it.\nA new line: e-mail me at x@y.org! 🙂 ok"
    )
    bounds = token_bounds(text)
    rng = random.Random(7)
    for _ in range(400):
        s = rng.randrange(len(text))
        e = rng.randrange(s + 1, len(text) + 1)
        if not text[s:e].strip():
            continue
        assert snap_to_tokens(text, s, e) == snap(bounds, *trim(text, s, e)), (s, e, text[s:e])
