"""Actors: proposals, confirm, merge, split, links that survive undo, stance holders, exports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from seed_targets import with_seed_targets

from annotator.core.records import Record
from annotator.session.actors import (
    actors,
    find_actor,
    get_actor,
    plan_confirm,
    plan_create_actor,
    plan_delete_actor,
    plan_link,
    plan_link_forms,
    plan_merge_actors,
    plan_split_actor,
    plan_update_actor,
    proposals,
)
from annotator.session.corpus import Corpus, EditError
from annotator.session.importer import store_records
from annotator.session.stances import plan_add_stance

TEXTS = [
    ("Volodymyr Zelensky met Putin. Zelensky said Kyiv would not yield.",
     [(0, 18, "PERSON"), (23, 28, "PERSON"), (30, 38, "PERSON"), (44, 48, "GPE")], "accepted"),
    ("Zelenskyy spoke in Kyiv. Vladimir Putin answered from Moscow.",
     [(0, 9, "PERSON"), (19, 23, "GPE"), (25, 39, "PERSON"), (54, 60, "GPE")], "accepted"),
]


@pytest.fixture
def people(tmp_path) -> Corpus:
    corpus = with_seed_targets(Corpus(tmp_path / "people.db"))  # a new corpus has no stance targets
    store_records(corpus, [Record(t, f"doc {i}", spans=s, status=st) for i, (t, s, st) in enumerate(TEXTS, 1)])
    yield corpus
    corpus.close()


def span_id(corpus: Corpus, doc_id: int, start: int) -> int:
    return corpus.db.execute("SELECT id FROM spans WHERE doc_id = ? AND start = ?", [doc_id, start]).fetchone()[0]


def linked(corpus: Corpus) -> dict[str, int | None]:
    return dict(corpus.db.execute("SELECT surface || '@' || doc_id, actor_id FROM spans ORDER BY id"))


def test_proposals_group_spellings_and_join_a_surname_to_its_full_name(people):
    props = {p.name: p for p in proposals(people)}
    zelensky = props["Volodymyr Zelensky"]
    assert set(zelensky.forms) == {"Volodymyr Zelensky", "Zelensky", "Zelenskyy"}
    assert zelensky.kind == "person" and zelensky.mentions == 3
    assert set(props["Vladimir Putin"].forms) == {"Vladimir Putin", "Putin"}
    assert props["Kyiv"].kind == "country" and props["Kyiv"].mentions == 2


def test_confirm_creates_the_actor_and_links_its_mentions_in_one_undoable_change(people):
    prop = next(p for p in proposals(people) if p.name == "Volodymyr Zelensky")
    before = linked(people)
    change = people.apply(plan_confirm(people, prop, external_id="Q3881"))
    actor = find_actor(people, "Zelenskyy")
    assert actor is not None and actor.name == "Volodymyr Zelensky" and actor.kb_id == "Q3881"
    assert set(actor.aliases) == {"Zelensky", "Zelenskyy"}
    rows = {r.actor.name: r for r in actors(people)}
    assert rows["Volodymyr Zelensky"].mentions == 3 and rows["Volodymyr Zelensky"].documents == 2
    assert all(p.name != "Volodymyr Zelensky" for p in proposals(people))  # nothing left to propose
    people.apply(change.inverse())
    assert linked(people) == before and actors(people) == []


def test_a_deleted_entity_comes_back_linked_on_undo(people):
    people.apply(plan_confirm(people, next(p for p in proposals(people) if p.name == "Kyiv")))
    sid = span_id(people, 1, 44)
    actor_id = people.span(sid).actor_id
    assert actor_id is not None
    delete = people.apply(people.plan_delete_span(sid))
    people.apply(delete.inverse())
    assert people.span(sid).actor_id == actor_id
    relabel = people.apply(people.plan_relabel_span(sid, "LOC"))
    assert people.span(sid).actor_id == actor_id  # a relabel keeps the link
    people.apply(relabel.inverse())


def test_merge_moves_mentions_stances_and_names_and_undoes(people):
    a = people.apply(plan_create_actor(people, "Zelensky", "person")).ops[0].after["id"]
    b = people.apply(plan_create_actor(people, "Volodymyr Zelenskyy", "person", aliases=["Zelenskiy"])).ops[0].after["id"]
    people.apply(plan_link_forms(people, ["Zelensky", "Zelenskyy"], a))
    people.apply(plan_link_forms(people, ["Volodymyr Zelensky"], b))
    holder = span_id(people, 1, 30)
    stance = people.apply(plan_add_stance(people, 1, people.stance_targets()[0], people.stance_values()[0], holder_span_id=holder))
    assert stance.ops[0].after["holder_actor_id"] == a  # the holder entity's actor holds the stance
    before_links, before_stances = linked(people), people.stances(1)
    merge = people.apply(plan_merge_actors(people, a, b))
    assert {r.actor.name: (r.mentions, r.stances) for r in actors(people)} == {"Volodymyr Zelenskyy": (3, 1)}
    assert set(get_actor(people, b).aliases) == {"Zelenskiy", "Zelensky"}
    people.apply(merge.inverse())
    assert linked(people) == before_links and people.stances(1) == before_stances
    assert get_actor(people, a).name == "Zelensky"


def test_split_moves_the_mentions_written_one_way(people):
    prop = next(p for p in proposals(people) if p.name == "Vladimir Putin")
    people.apply(plan_confirm(people, prop))
    putin = find_actor(people, "Putin")
    split = people.apply(plan_split_actor(people, putin.id, ["Putin"], "Putin (surname only)"))
    rows = {r.actor.name: r.mentions for r in actors(people)}
    assert rows == {"Vladimir Putin": 1, "Putin (surname only)": 1}
    assert "Putin" not in get_actor(people, putin.id).aliases
    people.apply(split.inverse())
    assert {r.actor.name: r.mentions for r in actors(people)} == {"Vladimir Putin": 2}
    with pytest.raises(EditError, match="no mention"):
        plan_split_actor(people, putin.id, ["Medvedev"], "x")


def test_refusals(people):
    with pytest.raises(EditError, match="needs a name"):
        plan_create_actor(people, "  ")
    with pytest.raises(EditError, match="unknown actor kind"):
        plan_create_actor(people, "X", "planet")
    aid = people.apply(plan_create_actor(people, "NATO", "organisation")).ops[0].after["id"]
    with pytest.raises(EditError, match="exists already"):
        plan_create_actor(people, "nato", "organisation")
    people.apply(plan_create_actor(people, "NATO", "organisation", external_id="Q7184"))  # another one, told apart
    with pytest.raises(EditError, match="into itself"):
        plan_merge_actors(people, aid, aid)
    people.apply(plan_update_actor(people, aid, kind="other", note="alliance"))
    assert get_actor(people, aid).kind == "other"


def test_delete_unlinks_and_undo_relinks(people):
    aid = people.apply(plan_create_actor(people, "Moscow", "country")).ops[0].after["id"]
    people.apply(plan_link(people, [span_id(people, 2, 54)], aid))
    before = linked(people)
    delete = people.apply(plan_delete_actor(people, aid))
    assert actors(people) == [] and people.span(span_id(people, 2, 54)).actor_id is None
    people.apply(delete.inverse())
    assert linked(people) == before


def test_actors_command_counts_mentions_and_stances(people):
    people.apply(plan_confirm(people, next(p for p in proposals(people) if p.name == "Volodymyr Zelensky")))
    people.apply(plan_add_stance(people, 1, people.stance_targets()[0], people.stance_values()[0],
                                 holder_span_id=span_id(people, 1, 0)))
    path = people.path
    people.close()
    out = subprocess.run([sys.executable, "-m", "annotator", "actors", "--db", str(path), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [(r["name"], r["mentions"], r["stances"]) for r in rows] == [("Volodymyr Zelensky", 3, 1)]
    text = subprocess.run([sys.executable, "-m", "annotator", "actors", "--db", str(path), "--proposals"],
                          capture_output=True, text=True, timeout=120)
    assert "Vladimir Putin" in text.stdout and "Volodymyr Zelensky" not in text.stdout
    stats = subprocess.run([sys.executable, "-m", "annotator", "stats", "--db", str(path), "--json"],
                           capture_output=True, text=True, timeout=120)
    assert json.loads(stats.stdout)["actors"]["by_actor"]["Volodymyr Zelensky"]["mentions"] == 3


# ---- exports ---------------------------------------------------------------------------------
def test_exports_carry_the_links(people, tmp_path):
    from spacy.tokens import DocBin

    from annotator.nlp.tokens import tokenizer
    from annotator.session.export import ExportOptions, export_corpus

    people.apply(plan_confirm(people, next(p for p in proposals(people) if p.name == "Volodymyr Zelensky"),
                              external_id="Q3881"))
    people.apply(plan_confirm(people, next(p for p in proposals(people) if p.name == "Kyiv")))
    kyiv = find_actor(people, "Kyiv")
    people.apply(plan_add_stance(people, 2, people.stance_targets()[0], people.stance_values()[0],
                                 holder_span_id=span_id(people, 2, 0)))
    result = export_corpus(people, ExportOptions(out=tmp_path / "spacy", dev=0.0))
    nlp = tokenizer("en")
    docs = list(DocBin().from_disk(result.folder / "train.spacy").get_docs(nlp.vocab))
    ents = {(e.text, e.label_, e.kb_id_) for d in docs for e in d.ents}
    assert ("Zelenskyy", "PERSON", "Q3881") in ents and ("Volodymyr Zelensky", "PERSON", "Q3881") in ents
    assert ("Kyiv", "GPE", f"actor:{kyiv.id}") in ents
    assert ("Moscow", "GPE", "") in ents  # not linked
    stance = json.loads((result.folder / "stances.jsonl").read_text().splitlines()[0])
    assert stance["holder_kb_id"] == "Q3881" and stance["holder_actor_id"] == find_actor(people, "Zelensky").id
    kb = [json.loads(line) for line in (result.folder / "actors.jsonl").read_text().splitlines()]
    assert {(a["kb_id"], a["mentions"], a["stances_held"]) for a in kb} == {("Q3881", 3, 1), (f"actor:{kyiv.id}", 2, 0)}

    prodigy = export_corpus(people, ExportOptions(out=tmp_path / "jsonl", fmt="jsonl", dev=0.0))
    task = json.loads((prodigy.folder / "train.jsonl").read_text().splitlines()[0])
    assert {s.get("kb_id") for s in task["spans"]} >= {"Q3881", f"actor:{kyiv.id}"}
    assert {a["name"] for a in task["meta"]["actors"]} == {"Volodymyr Zelensky", "Kyiv"}


def test_gold_docbin_with_kb_ids_writes_the_same_bytes_as_spacys_docbin():
    import spacy
    from spacy.tokens import DocBin

    from annotator.io.export_spacy import KB_ATTRS, ExportDoc, GoldDocBin, build_doc

    nlp = spacy.blank("en")
    stock, fast = DocBin(attrs=KB_ATTRS), GoldDocBin(attrs=KB_ATTRS)
    text = "Zelensky met Putin in Kyiv. Zelenskyy left."
    links = {(0, 8): {"kb_id": "Q3881"}, (28, 37): {"kb_id": "Q3881"}, (22, 26): {"kb_id": "actor:7"}}
    doc, problems = build_doc(nlp, ExportDoc(1, text, [(0, 8, "PERSON"), (13, 18, "PERSON"), (22, 26, "GPE"), (28, 37, "PERSON")],
                                             links=links))
    assert not problems
    stock.add(doc)
    fast.add(doc)
    assert fast.to_bytes() == stock.to_bytes()
    back = list(DocBin().from_bytes(fast.to_bytes()).get_docs(nlp.vocab))[0]
    assert [(e.text, e.kb_id_) for e in back.ents] == [("Zelensky", "Q3881"), ("Putin", ""), ("Kyiv", "actor:7"), ("Zelenskyy", "Q3881")]
