"""Agreement between analysts' corpora: figures worked out by hand, mismatches refused clearly, nothing written."""

import hashlib

import krippendorff
import numpy as np
import pytest
from multi_team import TEXTS, annotate, source_corpus, team

from annotator.core.errors import BadInput, Locked
from annotator.session.agreement import agreement
from annotator.session.corpus import Corpus
from annotator.session.handout import copy_for_annotators

T0 = TEXTS[0]  # "Zelensky met Trump in Davos on Monday."
TARGET = "ceasefire"


def _two(tmp_path):
    paths = team(tmp_path, texts=[T0], overlap=1)
    annotate(paths["alice"], "alice", {T0: [("Zelensky", "PERSON"), ("Trump", "PERSON"), ("Davos", "GPE")]},
             {T0: [{"target": TARGET, "value": "FAVOR"}, {"target": "sanctions / pressure on Russia", "value": "AGAINST",
                                                          "holder_text": "Trump", "evidence": "met Trump"}]})
    annotate(paths["bob"], "bob", {T0: [("Zelensky", "PERSON"), ("Trump", "ORG"), ("Davos on", "GPE")]},
             {T0: [{"target": TARGET, "value": "AGAINST"}, {"target": "sanctions / pressure on Russia", "value": "AGAINST",
                                                            "holder_text": "Trump", "evidence": "Trump in Davos"}]})
    return paths


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_entity_figures_match_the_hand_computation(tmp_path):
    paths = _two(tmp_path)
    before = {p: _digest(p) for p in paths.values()}
    report = agreement([paths["alice"], paths["bob"]])
    assert report["annotators"] == ["alice", "bob"]  # the names the copies were made for
    assert report["documents"]["compared"] == 1
    # exact: only Zelensky of 3 + 3 spans; overlap (same label): Zelensky and Davos/"Davos on" of 3 each way
    assert report["span_f1"]["exact"] == pytest.approx(1 / 3, abs=1e-4)
    assert report["span_f1"]["overlap"] == pytest.approx(2 / 3, abs=1e-4)
    # tokens Zelensky met Trump in Davos on Monday . -> alice P O P O G O O O, bob P O ORG O G G O O
    # alice P2 O5 GPE1, bob P1 O4 ORG1 GPE2: p_o = 6/8, p_e = (2*1 + 5*4 + 1*2) / 64 = 0.375, kappa = 0.375 / 0.625
    assert report["cohen_kappa"] == pytest.approx(0.6, abs=1e-4)
    rows = np.array([[0, 1, 0, 1, 2, 1, 1, 1], [0, 1, 3, 1, 2, 2, 1, 1]], dtype=float)
    assert report["krippendorff_alpha"] == pytest.approx(krippendorff.alpha(reliability_data=rows, level_of_measurement="nominal"), abs=1e-4)
    by = report["by_label"]
    assert by["PERSON"]["span_f1"]["exact"] == pytest.approx(2 / 3, abs=1e-4)
    assert by["GPE"]["span_f1"]["exact"] == 0.0 and by["GPE"]["span_f1"]["overlap"] == 1.0
    assert by["ORG"]["span_f1"]["exact"] == 0.0
    conf = report["entities"]["confusion"]
    labels = conf["labels"]
    assert conf["matrix"][labels.index("PERSON")][labels.index("ORG")] == 1  # Trump: PERSON for alice, ORG for bob
    assert conf["matrix"][labels.index("O")][labels.index("GPE")] == 1  # "on"
    assert {tuple(s["labels"]) for s in report["entities"]["swaps"]} == {("ORG", "PERSON"), ("GPE", "O")}
    st = report["stances"]
    assert st["by_target"]["units"] == 2 and st["by_target"]["agreement"] == 0.5
    assert st["by_holder"]["units"] == 2 and st["by_holder"]["agreement"] == 0.5
    # evidence "met Trump" [9, 18) vs "Trump in Davos" [13, 27): 5 shared of 18 characters
    assert st["evidence"]["compared"] == 1 and st["evidence"]["mean_jaccard"] == pytest.approx(5 / 18, abs=1e-4)
    # places that differ, as the review view shows them: Trump (label), Davos (boundary), ceasefire (value), sanctions (evidence)
    assert report["ranked"][0]["differences"] == 4 and report["ranked"][0]["entity_differences"] == 2
    # read-only: the analysts' files are byte for byte as they were, and no lock file was made
    assert {p: _digest(p) for p in paths.values()} == before
    assert not any(p.with_name(p.name + ".lock").exists() for p in paths.values())


def test_only_documents_accepted_everywhere_are_compared(tmp_path):
    paths = team(tmp_path, overlap=3)
    annotate(paths["alice"], "alice", {t: [("Kyiv", "GPE")] for t in TEXTS if "Kyiv" in t})
    annotate(paths["bob"], "bob", {t: [("Kyiv", "GPE")] for t in TEXTS if "Kyiv" in t}, accept=False)
    with Corpus(paths["bob"]) as c:
        row = next(r for r in c.document_rows() if "Kyiv" in c.document(r.id).text)
        c.apply(c.plan_set_status(row.id, "accepted"))
    report = agreement([paths["alice"], paths["bob"]])
    assert report["documents"]["compared"] == 1 and report["documents"]["left_out"] == 2
    assert all("bob: " in d["reason"] for d in report["documents"]["left_out_list"])
    assert report["span_f1"]["exact"] == 1.0 and report["krippendorff_alpha"] == 1.0
    assert agreement([paths["alice"], paths["bob"]], status="any")["documents"]["compared"] == 3


def test_three_analysts_pairs_and_alpha(tmp_path):
    paths = team(tmp_path, names=("alice", "bob", "carol"), texts=[T0], overlap=1)
    annotate(paths["alice"], "alice", {T0: [("Zelensky", "PERSON"), ("Trump", "PERSON")]})
    annotate(paths["bob"], "bob", {T0: [("Zelensky", "PERSON"), ("Trump", "PERSON")]})
    annotate(paths["carol"], "carol", {T0: [("Zelensky", "PERSON")]})
    report = agreement(list(paths.values()))
    pairs = {(p["a"], p["b"]): p for p in report["entities"]["pairs"]}
    assert pairs[("alice", "bob")]["span_f1"]["exact"] == 1.0
    assert pairs[("alice", "carol")]["span_f1"]["exact"] == pytest.approx(2 / 3, abs=1e-4)
    assert report["span_f1"]["exact"] == pytest.approx((1 + 2 / 3 + 2 / 3) / 3, abs=1e-4)
    rows = np.array([[1, 0, 1, 0, 0, 0, 0, 0]] * 2 + [[1, 0, 0, 0, 0, 0, 0, 0]], dtype=float)
    assert report["krippendorff_alpha"] == pytest.approx(krippendorff.alpha(reliability_data=rows, level_of_measurement="nominal"), abs=1e-4)


def test_different_label_schemes_are_refused_with_the_mapping_then_mapped(tmp_path):
    paths = _two(tmp_path)
    with Corpus(paths["bob"]) as c:
        c.apply(c.plan_rename_label("ORG", "ORGANISATION"))
    with pytest.raises(BadInput) as err:
        agreement([paths["alice"], paths["bob"]])
    msg = str(err.value)
    assert "bob.db uses ORGANISATION (1 entities), which alice.db does not have" in msg
    assert "ORGANISATION" in msg and "--map" in msg and "label" in msg.splitlines()[1]
    report = agreement([paths["alice"], paths["bob"]], mapping={"ORGANISATION": "ORG"})
    assert report["by_label"]["ORG"]["entities"] == {"alice": 0, "bob": 1}
    assert report["label_mapping"] == {"ORGANISATION": "ORG"}


def test_the_same_analyst_twice_is_refused(tmp_path):
    src = source_corpus(tmp_path / "src.db")
    a = copy_for_annotators(src, tmp_path / "one" / "alice.db", ["alice"]).outputs["alice"]
    b = copy_for_annotators(src, tmp_path / "two" / "alice.db", ["alice"]).outputs["alice"]
    with pytest.raises(BadInput, match="both marked as the work of 'alice'"):
        agreement([a, b], status="any")
    with pytest.raises(BadInput, match="given twice"):
        agreement([a, a], status="any")
    assert agreement([a, b], status="any", names=["alice", "alice2"])["documents"]["compared"] == 3


def test_a_document_whose_text_differs_is_named_and_not_compared(tmp_path):
    alice = source_corpus(tmp_path / "alice.db")
    bob = source_corpus(tmp_path / "bob.db", [TEXTS[0], TEXTS[1].replace("Ankara", "Istanbul"), TEXTS[2]])
    report = agreement([alice, bob], status="any")
    assert report["documents"]["compared"] == 2 and report["documents"]["left_out"] == 2
    [line] = report["documents"]["text_differs"]
    assert "'article 2'" in line and "the text differs between corpora" in line


def test_a_corpus_open_for_editing_is_refused(tmp_path):
    paths = _two(tmp_path)
    with Corpus(paths["bob"]):  # the window that has it open
        with pytest.raises(Locked, match="bob.db is already open for editing in .*the analyst may still be changing it"):
            agreement([paths["alice"], paths["bob"]])
        assert agreement([paths["alice"], paths["bob"]], allow_open=True)["documents"]["compared"] == 1
