"""`annotator copy`, `agreement` and `review` run as a user runs them: subprocesses on real corpora."""

import json
import os
import subprocess
import sys

from multi_team import TEXTS, annotate, source_corpus

from annotator.session.corpus import Corpus


def annotator(*args):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], env=env, capture_output=True, text=True, timeout=180)


def _source(tmp_path, n=12):
    texts = [f"{t} Report number {i}." for i in range(n // 3 + 1) for t in TEXTS][:n]
    model = {i: [(0, texts[i].index(" "), "PERSON")] for i in range(n)}
    src = source_corpus(tmp_path / "src.db", texts, model)
    with Corpus(src, annotator="lead") as c:  # hand work in the source must not travel
        row = c.document_rows()[0]
        c.apply(c.plan_add_span(row.id, texts[0].index("Davos"), texts[0].index("Davos") + 5, "GPE"))
        c.apply(c.plan_set_status(row.id, "accepted"))
    return src, texts


def test_copy_hands_out_overlap_and_split_with_preannotations_only(tmp_path):
    src, texts = _source(tmp_path)
    r = annotator("copy", "--db", src, "--out", tmp_path / "team", "--annotator", "alice", "--annotator", "bob",
                  "--annotator", "carol", "--overlap", "3", "--seed", "5")
    assert r.returncode == 0, r.stderr
    assert "3 documents shared by all 3 analysts (for agreement), 9 split among them" in r.stdout
    assert "not copied (hand work): 1 entities (annotator 1)" in r.stdout
    seen = {}
    for name in ("alice", "bob", "carol"):
        with Corpus(tmp_path / "team" / f"{name}.db", read_only=True) as c:
            assert c.meta("annotator") == name and c.count_documents() == 6
            assert c.status_counts()["new"] == 6
            assert {s.origin for row in c.document_rows() for s in c.spans(row.id)} == {"test_model-1.0"}
            assert [lb.name for lb in c.labels()] == [lb.name for lb in Corpus(src, read_only=True).labels()]
            assert c.stance_targets() and c.stances(c.document_rows()[0].id) == []
            seen[name] = {c.document(row.id).sha256 for row in c.document_rows()}
    shared = seen["alice"] & seen["bob"] & seen["carol"]
    assert len(shared) == 3 and len(seen["alice"] | seen["bob"] | seen["carol"]) == 12
    # the same seed hands out the same documents
    again = annotator("copy", "--db", src, "--out", tmp_path / "again", "--annotator", "alice", "--annotator", "bob",
                      "--annotator", "carol", "--overlap", "3", "--seed", "5")
    assert again.returncode == 0
    with Corpus(tmp_path / "again" / "alice.db", read_only=True) as c:
        assert {c.document(row.id).sha256 for row in c.document_rows()} == seen["alice"]


def test_copy_one_analyst_a_sample_of_a_search_without_preannotations(tmp_path):
    src, texts = _source(tmp_path)
    r = annotator("copy", "--db", src, "--out", tmp_path / "dana.db", "--annotator", "dana", "--documents", "Erdogan",
                  "--sample", "2", "--seed", "1", "--no-preannotations")
    assert r.returncode == 0, r.stderr
    with Corpus(tmp_path / "dana.db", read_only=True) as c:
        rows = c.document_rows()
        assert len(rows) == 2 and all("Erdogan" in c.document(row.id).text for row in rows)
        assert all(c.spans(row.id) == [] for row in rows)
    exists = annotator("copy", "--db", src, "--out", tmp_path / "dana.db", "--annotator", "dana")
    assert exists.returncode == 2 and "exists already" in exists.stderr and "Traceback" not in exists.stderr
    twice = annotator("copy", "--db", src, "--out", tmp_path / "t", "--annotator", "eve", "--annotator", "Eve")
    assert twice.returncode == 2 and "'eve' and 'Eve' differ only in case" in twice.stderr and not (tmp_path / "t").exists()
    nothing = annotator("copy", "--db", src, "--out", tmp_path / "n.db", "--annotator", "x", "--documents", "zebra")
    assert nothing.returncode == 2 and "no document matches 'zebra'" in nothing.stderr


def test_agreement_json_and_review_from_the_command_line(tmp_path):
    src, texts = _source(tmp_path, n=3)
    r = annotator("copy", "--db", src, "--out", tmp_path / "team", "--annotator", "alice", "--annotator", "bob", "--overlap", "3")
    assert r.returncode == 0, r.stderr
    a, b = tmp_path / "team" / "alice.db", tmp_path / "team" / "bob.db"
    annotate(a, "alice", {texts[0]: [("Zelensky", "PERSON"), ("Trump", "PERSON")], texts[1]: [("Putin", "PERSON")]})
    annotate(b, "bob", {texts[0]: [("Zelensky", "PERSON"), ("Trump", "ORG")], texts[1]: [("Putin", "PERSON")]})
    before = (a.read_bytes(), b.read_bytes())
    out = annotator("agreement", a, b, "--json")
    assert out.returncode == 0, out.stderr
    rep = json.loads(out.stdout)
    assert rep["documents"]["compared"] == 3
    assert rep["span_f1"]["exact"] == 0.6667 and rep["span_f1"]["overlap"] == 0.6667  # 2 shared of 3 + 3
    assert set(rep["by_label"]) == {"PERSON", "ORG"} and "krippendorff_alpha" in rep["by_label"]["PERSON"]
    assert 0 < rep["cohen_kappa"] < 1 and 0 < rep["krippendorff_alpha"] < 1
    assert rep["ranked"][0]["title"] == "article 1" and rep["ranked"][0]["differences"] == 1
    text = annotator("agreement", a, b)
    assert "span F1 exact 0.667" in text.stdout and "Krippendorff's α" in text.stdout and "most disagreement" in text.stdout
    review = annotator("review", a, b, "--out", tmp_path / "review.db")
    assert review.returncode == 0, review.stderr
    assert "3 documents from alice, bob" in review.stdout and "1 differences to settle" in review.stdout
    assert (a.read_bytes(), b.read_bytes()) == before
    stats = json.loads(annotator("stats", "--db", tmp_path / "review.db", "--json").stdout)
    assert stats["entities"]["by_origin"] == {"adjudicated": 2}  # Zelensky and Putin, agreed


def test_mismatches_are_clear_messages_without_tracebacks(tmp_path):
    src, texts = _source(tmp_path, n=3)
    annotator("copy", "--db", src, "--out", tmp_path / "team", "--annotator", "alice", "--annotator", "bob", "--overlap", "3")
    a, b = tmp_path / "team" / "alice.db", tmp_path / "team" / "bob.db"
    annotate(a, "alice", {texts[0]: [("Zelensky", "PERSON")]})
    annotate(b, "bob", {texts[0]: [("Zelensky", "PERSON")]})
    with Corpus(b) as c:
        c.apply(c.plan_rename_label("PERSON", "PER"))
    labels = annotator("agreement", a, b)
    assert labels.returncode == 2 and "the label schemes differ" in labels.stderr and "--map" in labels.stderr
    assert "Traceback" not in labels.stderr
    mapped = annotator("agreement", a, b, "--map", "PER=PERSON")
    assert mapped.returncode == 0 and "labels mapped: PER → PERSON" in mapped.stdout
    bad_map = annotator("agreement", a, b, "--map", "PER")
    assert bad_map.returncode == 2 and "write it as LABEL=OTHER_LABEL" in bad_map.stderr
    same = annotator("agreement", a, b, "--name", "x", "--name", "x", "--map", "PER=PERSON")
    assert same.returncode == 2 and "given the same --name 'x'" in same.stderr
    with Corpus(a):  # alice still has it open in her window (this process holds the writer lock)
        held = annotator("review", a, b, "--out", tmp_path / "r.db", "--map", "PER=PERSON")
    assert held.returncode == 5 and "alice.db is already open for editing" in held.stderr and not (tmp_path / "r.db").exists()
    missing = annotator("agreement", a, tmp_path / "nope.db")
    assert missing.returncode == 4 and "no corpus database" in missing.stderr
    none = annotator("agreement", a, b, "--map", "PER=PERSON", "--status", "skipped")
    assert none.returncode == 2 and "no document is skipped in every corpus" in none.stderr


def test_review_with_no_document_of_the_status_is_refused_and_writes_nothing(tmp_path):
    # the analysts have not accepted anything yet: like `agreement`, `review` says so instead of
    # making an empty review corpus that looks finished
    src, texts = _source(tmp_path, n=3)
    r = annotator("copy", "--db", src, "--out", tmp_path / "team", "--annotator", "alice", "--annotator", "bob", "--overlap", "3")
    assert r.returncode == 0, r.stderr
    out = tmp_path / "review.db"
    r = annotator("review", tmp_path / "team" / "alice.db", tmp_path / "team" / "bob.db", "--out", out)
    assert r.returncode != 0
    assert "no document is accepted in any corpus" in r.stderr and "--status any" in r.stderr
    assert "Traceback" not in r.stderr
    assert not list(tmp_path.glob("review.db*"))
    r = annotator("review", tmp_path / "team" / "alice.db", tmp_path / "team" / "bob.db", "--out", out, "--status", "any")
    assert r.returncode == 0, r.stderr
    with Corpus(out, read_only=True) as c:
        assert c.count_documents() == 3


def test_copy_and_agreement_names_two_analysts_and_unused_maps(tmp_path):
    src, texts = _source(tmp_path, n=3)
    # two analysts: "both", not "all 2"; an apostrophe in a name is a name like any other
    r = annotator("copy", "--db", src, "--out", tmp_path / "team", "--annotator", "O'Brien", "--annotator", "bob", "--overlap", "3")
    assert r.returncode == 0, r.stderr
    assert "3 documents shared by both analysts (for agreement)" in r.stdout and "all 2" not in r.stdout
    a, b = tmp_path / "team" / "O'Brien.db", tmp_path / "team" / "bob.db"
    with Corpus(a, read_only=True) as c:
        assert c.meta("annotator") == "O'Brien"
    annotate(a, "O'Brien", {t: [("Report", "PERSON")] for t in texts})
    annotate(b, "bob", {t: [("Report", "PERSON")] for t in texts})
    out = annotator("agreement", a, b)
    assert out.returncode == 0, out.stderr
    assert "annotators: O'Brien, bob" in out.stdout
    review = annotator("review", a, b, "--out", tmp_path / "team" / "O'Brien review.db")
    assert review.returncode == 0, review.stderr
    assert "open it: annotator --db '" in review.stdout  # a path a shell takes as it is
    # a --map entry whose label no corpus has is said, by name, not silently ignored
    typo = annotator("agreement", a, b, "--map", "PRSON=PERSON")
    assert typo.returncode == 0, typo.stderr
    assert "warning: --map PRSON=PERSON: no corpus has a label 'PRSON'" in typo.stdout
    as_json = annotator("agreement", a, b, "--json", "--map", "PRSON=PERSON")
    assert "--map PRSON=PERSON" in as_json.stderr and json.loads(as_json.stdout)["warnings"]
    # "Bob" and "bob": refused with a message naming both, never compared as two people
    clash = annotator("agreement", a, b, "--name", "Bob", "--name", "bob")
    assert clash.returncode == 2 and "'Bob'" in clash.stderr and "'bob'" in clash.stderr
    assert "differ only in case" in clash.stderr and "Traceback" not in clash.stderr
    copy_clash = annotator("copy", "--db", src, "--out", tmp_path / "t", "--annotator", "Bob", "--annotator", "bob")
    assert copy_clash.returncode == 2 and "'Bob' and 'bob' differ only in case" in copy_clash.stderr
    assert not (tmp_path / "t").exists()
