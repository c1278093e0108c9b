"""Corpus-wide consistency: normalisation, the grouped view, the bulk fix and its undo."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from annotator.core.records import Record
from annotator.core.surface import are_variants, core, key, variant_groups
from annotator.session.consistency import consistency, find_group, occurrences, plan_label_all, plan_label_all_in_document
from annotator.session.corpus import Corpus
from annotator.session.importer import store_records


# ---- normalisation ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kyiv", "KYIV"),  # case
        ("Zürich", "Zurich"),  # diacritics
        ("Kyiv’s", "Kyiv's"),  # curly vs straight apostrophe, possessive
        ("Kyiv‘s", "Kyiv"),  # the seed articles' left quote as an apostrophe
        ("Donald Trump’s", "Donald Trump"),
        ("U.S.", "US"),  # dots of an abbreviation
        ("the United States", "United States"),
        ("Kyiv,", "Kyiv"),  # punctuation caught at an edge
        ("Al-Qaeda", "Al Qaeda"),
        ("Zelensky\nspeech", "Zelensky speech"),
    ],
)
def test_key_folds_spelling_conventions(a, b):
    assert key(a) == key(b)


@pytest.mark.parametrize(("a", "b"), [("Russia", "Russian"), ("Iran", "Iraq"), ("US", "us army"), ("Ukraine", "Ukrainian")])
def test_key_keeps_different_names_apart(a, b):
    assert key(a) != key(b)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("zelensky", "zelenskyy", True),
        ("zelensky", "zelenskiy", True),
        ("zelenskyy", "zelenskiy", True),
        ("kyiv", "kiev", True),
        ("odesa", "odessa", True),  # a doubled letter
        ("kharkiv", "kharkov", True),
        ("iran", "iraq", False),  # a consonant: another name
        ("russia", "russian", False),
        ("austria", "australia", False),
        ("ukraine", "ukrainian", False),
        ("dan", "don", False),  # too short to tell
    ],
)
def test_transliteration_variants(a, b, same):
    assert are_variants(a, b) is same
    assert are_variants(b, a) is same


def test_variant_groups_join_spellings_and_nothing_else():
    groups = {tuple(g) for g in variant_groups(["zelensky", "zelenskyy", "zelenskiy", "kyiv", "kiev", "iran", "iraq", "russia"])}
    assert groups == {("zelenskiy", "zelensky", "zelenskyy"), ("kiev", "kyiv"), ("iran",), ("iraq",), ("russia",)}


def test_core_is_the_name_as_written():
    assert core("Kyiv‘s") == "Kyiv"
    assert core("Donald Trump’s") == "Donald Trump"
    assert core("Kyiv,") == "Kyiv"
    assert core("U.S.") == "U.S."


# ---- a small corpus -----------------------------------------------------------------------------
TEXTS = [
    # doc 1: Kyiv as GPE, then missed; Kiev (a variant) as PERSON
    ("Kyiv said on Monday that Kyiv would answer. Kiev officials agreed.", [(0, 4, "GPE"), (44, 48, "PERSON")], "in_progress"),
    # doc 2: Kyiv as PERSON, and inside a longer entity (left alone by fixes)
    ("Kyiv‘s mayor spoke. The Kyiv City Military Administration said so.", [(0, 4, "PERSON"), (24, 57, "ORG")], "new"),
    # doc 3: accepted, Kyiv as ORG
    ("In Kyiv the talks went on.", [(3, 7, "ORG")], "accepted"),
    # doc 4: Kyiv unlabelled only; also "kyiv" in lower case in a URL-like word, not a whole word
    ("Talks in Kyiv resumed at kyivpost.", [], "new"),
]


@pytest.fixture
def small(tmp_path) -> Corpus:
    corpus = Corpus(tmp_path / "small.db")
    store_records(corpus, [Record(t, f"doc {i}", spans=s, status=st) for i, (t, s, st) in enumerate(TEXTS, 1)])
    yield corpus
    corpus.close()


def spans_of(corpus: Corpus) -> list[tuple]:
    return corpus.db.execute("SELECT id, doc_id, start, end, label, origin, actor_id FROM spans ORDER BY id").fetchall()


def forms_table(corpus: Corpus) -> list[tuple]:
    return corpus.db.execute("SELECT surface, label, spans, docs FROM entity_forms ORDER BY surface, label").fetchall()


def forms_by_group_by(corpus: Corpus) -> list[tuple]:
    return corpus.db.execute(
        "SELECT substr(d.text, s.start + 1, s.end - s.start) AS f, s.label, count(*), count(DISTINCT s.doc_id) "
        "FROM spans s JOIN documents d ON d.id = s.doc_id GROUP BY f, s.label ORDER BY f, s.label"
    ).fetchall()


def test_imported_entities_are_counted_with_their_text(small, corpus):
    for c in (small, corpus):  # store_records here; the real model's import for the seed corpus
        assert forms_table(c) == forms_by_group_by(c)
        assert c.db.execute(
            "SELECT count(*) FROM spans s JOIN documents d ON d.id = s.doc_id WHERE s.surface IS NOT substr(d.text, s.start + 1, s.end - s.start)"
        ).fetchone()[0] == 0


def test_view_groups_spellings_with_labels_documents_and_unlabelled(small):
    groups = consistency(small)
    kyiv = next(g for g in groups if g.key == "kyiv")
    assert set(kyiv.forms) == {"Kyiv", "Kiev"}
    assert kyiv.labels == {"PERSON": 2, "GPE": 1, "ORG": 1}
    assert kyiv.label_docs == {"PERSON": 2, "GPE": 1, "ORG": 1}
    # doc 1 "that Kyiv would", doc 4 "in Kyiv"; not "kyivpost", not the one inside the ORG entity
    assert kyiv.unlabelled == 2 and kyiv.unlabelled_docs == 2
    assert kyiv.overlapping == 1
    assert kyiv.inconsistency == 4 + 2 - 2
    assert groups[0] is kyiv  # most inconsistent first


def test_occurrences_are_checked_in_the_text(small):
    kyiv = find_group(small, "Kiev")
    found = occurrences(small, kyiv)
    free = [(o.doc_id, o.start, o.end) for o in found if o.label is None and o.overlaps is None]
    assert free == [(1, 25, 29), (4, 9, 13)]
    inside = [o for o in found if o.overlaps]
    assert [(o.doc_id, o.start, o.overlaps[2]) for o in inside] == [(2, 24, "ORG")]


def test_label_all_is_one_change_that_skips_accepted_and_undoes(small):
    before_spans, before_forms = spans_of(small), forms_table(small)
    before_status = dict(small.db.execute("SELECT id, status FROM documents"))
    history = len(small.history())
    plan = plan_label_all(small, find_group(small, "Kyiv"), "GPE")
    assert (plan.relabelled, plan.added) == (2, 2)  # Kiev and doc 2's Kyiv relabelled; two added
    assert plan.accepted_left == {3: 1}
    assert len(plan.overlapping) == 1
    assert "2 relabelled, 2 added as GPE in 3 document(s)" in plan.message()
    assert "1 in 1 accepted document(s) left as they are" in plan.message()
    small.apply(plan.change)
    assert len(small.history()) == history + 1  # one undo step
    labels = small.db.execute("SELECT doc_id, start, label FROM spans WHERE surface IN ('Kyiv', 'Kiev') ORDER BY doc_id, start").fetchall()
    assert labels == [(1, 0, "GPE"), (1, 25, "GPE"), (1, 44, "GPE"), (2, 0, "GPE"), (3, 3, "ORG"), (4, 9, "GPE")]
    assert small.document(4).status == "in_progress"  # an edited new document is in progress
    assert small.document(3).status == "accepted"
    assert forms_table(small) == forms_by_group_by(small)  # the triggers kept the counts
    small.apply(plan.change.inverse())
    assert spans_of(small) == before_spans
    assert forms_table(small) == before_forms
    assert dict(small.db.execute("SELECT id, status FROM documents")) == before_status


def test_label_all_changes_accepted_documents_only_when_confirmed(small):
    plan = plan_label_all(small, find_group(small, "Kyiv"), "GPE", include_accepted=True)
    assert not plan.accepted_left
    small.apply(plan.change)
    assert small.db.execute("SELECT label FROM spans WHERE doc_id = 3").fetchall() == [("GPE",)]
    assert small.document(3).status == "accepted"


def test_label_every_occurrence_in_the_article(small):
    first = small.db.execute("SELECT id FROM spans WHERE doc_id = 1 AND start = 0").fetchone()[0]
    plan = plan_label_all_in_document(small, first)
    assert plan.change.doc_id == 1
    small.apply(plan.change)
    rows = small.db.execute("SELECT start, end, label FROM spans WHERE doc_id = 1 ORDER BY start").fetchall()
    # the other "Kyiv" of the article gets GPE; "Kiev" is written differently and is left to the corpus-wide fix
    assert rows == [(0, 4, "GPE"), (25, 29, "GPE"), (44, 48, "PERSON")]
    assert small.db.execute("SELECT count(*) FROM spans WHERE doc_id = 4").fetchone()[0] == 0  # other articles untouched


def test_entity_forms_follow_every_kind_of_edit(small):
    span = small.db.execute("SELECT id FROM spans WHERE doc_id = 1 AND start = 0").fetchone()[0]
    steps = [
        lambda: small.plan_relabel_span(span, "ORG"),
        lambda: small.plan_add_span(4, 9, 13, "GPE"),
        lambda: small.plan_resize_span(span, 0, 9),  # "Kyiv said"
        lambda: small.plan_delete_span(span),
    ]
    applied = []
    for plan in steps:
        applied.append(small.apply(plan()))
        assert forms_table(small) == forms_by_group_by(small)
    for change in reversed(applied):
        small.apply(change.inverse())
        assert forms_table(small) == forms_by_group_by(small)
    small.apply(small.plan_rename_label("GPE", "PLACE"))
    assert forms_table(small) == forms_by_group_by(small)


def test_fix_refuses_unknown_label(small):
    from annotator.session.corpus import EditError

    with pytest.raises(EditError, match="unknown label"):
        plan_label_all(small, find_group(small, "Kyiv"), "NOPE")


# ---- the seed articles, pre-annotated by the real model -------------------------------------------
def test_seed_corpus_names_labelled_more_than_one_way(corpus):
    groups = {g.key: g for g in consistency(corpus)}
    assert {"PERSON", "GPE"} <= set(groups["kyiv"].labels)  # the model calls Kyiv a person in places
    assert set(groups["zelensky"].forms) >= {"Zelensky", "Zelenskyy"}
    assert len(groups["ukrainian"].labels) == 2
    assert all(g.inconsistency > 0 for g in groups.values())


# ---- the command ------------------------------------------------------------------------------
def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "annotator", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_cli_lists_and_fixes(small, tmp_path):
    path = small.path
    small.close()
    out = run_cli("consistency", "--db", str(path), "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows[0]["key"] == "kyiv" and rows[0]["unlabelled"] == 2 and rows[0]["labels"]["PERSON"] == 2
    text = run_cli("consistency", "--db", str(path))
    assert "Kyiv" in text.stdout and "unlabelled 2" in text.stdout
    fixed = run_cli("consistency", "--db", str(path), "--fix", "kiev", "--label", "GPE")
    assert fixed.returncode == 0, fixed.stderr
    assert "2 relabelled, 2 added as GPE" in fixed.stdout
    assert "accepted, not changed: document 3" in fixed.stderr
    assert "inside ORG" in fixed.stderr
    bad = run_cli("consistency", "--db", str(path), "--fix", "Nowhere", "--label", "GPE")
    assert bad.returncode != 0 and "no entity in the corpus is 'Nowhere'" in bad.stderr
