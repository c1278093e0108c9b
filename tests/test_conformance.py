"""Conformance: files shaped like each tool's own export (tests/conformance, written from each tool's
documented format) are read by the right reader, give exactly the spans, statuses, relations and
rejected suggestions they hold, and come back identical after export -> re-import (text, offsets,
labels, status, meta without growth)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from annotator.io.formats import ReadOptions, choose_reader
from annotator.session.corpus import Corpus
from annotator.session.export import ExportOptions, export_corpus
from annotator.session.imports import ImportOptions, import_paths

HERE = Path(__file__).parent / "conformance"


def load(tmp_path: Path, *files: Path, name: str = "c.db", **opts) -> tuple[Corpus, object]:
    read = opts.pop("read", None)
    corpus = Corpus(tmp_path / name)
    report = import_paths(corpus, list(files), model="none", options=ImportOptions(read=read or ReadOptions(), **opts))
    return corpus, report


def contents(corpus: Corpus) -> dict[str, tuple]:
    """Everything a round trip must keep, by text."""
    out = {}
    for doc_id, text, status, meta in corpus.db.execute("SELECT id, text, status, meta FROM documents"):
        spans = tuple(corpus.db.execute("SELECT start, end, label FROM spans WHERE doc_id = ? ORDER BY start", [doc_id]))
        rejected = tuple(corpus.db.execute("SELECT start, end, label FROM rejected_spans WHERE doc_id = ? ORDER BY start", [doc_id]))
        relations = tuple(corpus.db.execute(
            "SELECT head_start, head_end, child_start, child_end, label FROM relations WHERE doc_id = ? ORDER BY id", [doc_id]))
        out[text] = (spans, status, json.loads(meta), rejected, relations)
    return out


@pytest.mark.parametrize(("name", "reader"), [
    ("prodigy_ner_manual.jsonl", "prodigy"), ("prodigy_ner_teach.jsonl", "prodigy"), ("doccano_1x.jsonl", "doccano"),
    ("doccano_classic.jsonl", "doccano"), ("doccano_data_labels.jsonl", "doccano"), ("doccano_array.json", "doccano"),
    ("labelstudio.json", "labelstudio"), ("labelstudio.jsonl", "labelstudio"), ("conll2003.conll", "conll"),
    ("iob2.iob", "conll"), ("biluo.bio", "conll"), ("spacy_v2.json", "spacy-v2"), ("custom_columns.jsonl", "jsonl"),
])
def test_each_tools_file_is_read_by_its_reader(name, reader):
    assert choose_reader(HERE / name).name == reader


def test_prodigy_ner_manual(tmp_path):
    corpus, report = load(tmp_path, HERE / "prodigy_ner_manual.jsonl")
    assert len(report.added) == 5 and not report.rejected and not report.notes
    got = contents(corpus)
    assert got["Zelensky met Macron in Paris on Monday."][:3] == (
        ((0, 8, "PERSON"), (13, 19, "PERSON"), (23, 28, "GPE")), "accepted", {"source": "wire"})
    # issue 10, point 1: accepted with no "spans" key is gold with no entities, not a new document
    assert got["Markets were calm on Tuesday."][:2] == ((), "accepted")
    assert got["The EU and NATO issued a statement."][1] == "in_progress"
    assert got["Rain is expected in Oslo."][1] == "skipped"
    assert got["Biden called Scholz from Washington."][4] == ((0, 5, 13, 19, "CALLED"),)  # relations kept
    # the tool's own keys are kept apart from meta
    tool = corpus.db.execute("SELECT tool FROM document_formats JOIN documents ON documents.id = doc_id "
                             "WHERE text LIKE 'Zelensky%'").fetchone()[0]
    assert json.loads(tool)["_input_hash"] == -1290312
    exported = export_corpus(corpus, ExportOptions(out=tmp_path / "out", dev=0))
    assert exported.splits["train"].documents == 3  # the no-entity gold document is in the training data
    docs = list(DocBin().from_disk(exported.folder / "train.spacy").get_docs(Vocab()))
    empty = next(d for d in docs if d.text.startswith("Markets"))
    assert not empty.ents and all(t.ent_iob_ == "O" for t in empty)


def test_prodigy_binary_answers_merge_and_a_reject_is_never_an_entity(tmp_path):
    corpus, report = load(tmp_path, HERE / "prodigy_ner_teach.jsonl")
    assert len(report.added) == 2 and report.merged == 2 and not report.rejected
    got = contents(corpus)
    kyiv = got["Kyiv said Moscow launched drones overnight."]
    assert kyiv[:2] == (((0, 4, "GPE"), (10, 16, "GPE")), "in_progress")
    assert kyiv[3] == ((10, 16, "ORG"),)
    odesa = got["Drones hit Odesa port."]
    assert odesa[0] == () and odesa[3] == ((11, 16, "PERSON"),)
    exported = export_corpus(corpus, ExportOptions(out=tmp_path / "out", dev=0, include=("in_progress",)))
    docs = {d.text: d for d in DocBin().from_disk(exported.folder / "train.spacy").get_docs(Vocab())}
    doc = docs["Drones hit Odesa port."]
    assert not doc.ents and doc[2].ent_iob_ == ""  # the rejected suggestion's token is missing, not O
    assert [(s.text, s.label_) for s in doc.spans["incorrect_spans"]] == [("Odesa", "PERSON")]
    config = (exported.folder / "config.cfg").read_text()
    assert 'incorrect_spans_key = "incorrect_spans"' in config
    # exported back to Prodigy: the reject is a binary reject task, and re-imports the same
    back = export_corpus(corpus, ExportOptions(out=tmp_path / "jsonl", fmt="jsonl", dev=0, include=("in_progress",)))
    again, _ = load(tmp_path, back.folder / "train.jsonl", name="again.db")
    assert contents(again) == got


@pytest.mark.parametrize("name", ["doccano_1x.jsonl", "doccano_classic.jsonl", "doccano_data_labels.jsonl", "doccano_array.json"])
def test_doccano_variants(tmp_path, name):
    corpus, report = load(tmp_path, HERE / name)
    assert report.added and not report.rejected
    got = contents(corpus)
    expected = {
        "doccano_1x.jsonl": {"Erdogan hosted talks in Istanbul.": ((0, 7, "PERSON"), (24, 32, "GPE")), "Oil prices rose. ": ((0, 3, "PRODUCT"),)},
        "doccano_classic.jsonl": {"Vienna talks resumed with Iran.": ((0, 6, "GPE"), (26, 30, "GPE")), "Nothing of note.": ()},
        "doccano_data_labels.jsonl": {"Warsaw and Prague signed.": ((0, 6, "GPE"), (11, 17, "GPE"))},
        "doccano_array.json": {"Ankara responded.": ((0, 6, "GPE"),), "Brussels waited.": ((0, 8, "GPE"),)},
    }[name]
    assert {t: v[0] for t, v in got.items()} == expected
    if name == "doccano_1x.jsonl":
        assert got["Erdogan hosted talks in Istanbul."][4] == ((0, 7, 24, 32, "LOCATED"),)
        assert [(n.line, "trimmed to [0, 3)" in n.reason) for n in report.notes] == [(2, True)]
    if name == "doccano_array.json":
        assert [r.line for r in report.notes] == []
        assert [row[0] for row in corpus.db.execute("SELECT source FROM documents ORDER BY id")] == [
            f"{HERE / name}:2", f"{HERE / name}:13"]  # the line each element starts on


def test_custom_column_names(tmp_path):
    corpus, report = load(tmp_path, HERE / "custom_columns.jsonl", read=ReadOptions(text_key="content", label_key="tags"))
    assert not report.rejected
    assert contents(corpus)["Madrid and Lisbon agreed."][0] == ((0, 6, "GPE"), (11, 17, "GPE"))


def test_label_studio_latest_first_and_all(tmp_path):
    corpus, report = load(tmp_path, HERE / "labelstudio.json")
    assert len(report.added) == 4 and not report.rejected
    got = contents(corpus)
    assert got["Sunak met Modi in Delhi."][:3] == (((0, 5, "PERSON"), (10, 14, "PERSON"), (18, 23, "GPE")), "accepted", {})
    # a data field named like a metadata field lands in its column (and is written back into meta on export)
    assert corpus.db.execute("SELECT outlet FROM documents WHERE text LIKE 'Sunak%'").fetchone()[0] == "Reuters"
    assert got["Sunak met Modi in Delhi."][4] == ((0, 5, 10, 14, "MET"),)
    assert got["Talks in Doha stalled."][:2] == (((9, 13, "GPE"),), "new")  # a prediction: model spans, not gold
    assert got["A quiet day."][1] == "skipped"  # a cancelled annotation
    assert got["Blinken flew to Riyadh."][2] == {"categories": ["diplomacy"]}
    origins = dict(corpus.db.execute("SELECT label || start, origin FROM spans"))
    assert origins["GPE18"] == "labelstudio:bob@example.org" and origins["GPE9"] == "labelstudio:prediction:ner-v3"
    assert any(n.reason.startswith("2 annotations: kept the latest one, by bob@example.org") for n in report.notes)

    first, _ = load(tmp_path, HERE / "labelstudio.json", name="first.db", read=ReadOptions(ls_annotation="first"))
    assert contents(first)["Sunak met Modi in Delhi."][0] == ((0, 5, "PERSON"), (10, 14, "PERSON"))
    every, _ = load(tmp_path, HERE / "labelstudio.json", name="all.db", read=ReadOptions(ls_annotation="all"))
    rows = sorted(every.db.execute("SELECT start, label, origin FROM spans WHERE origin LIKE 'labelstudio:%@%'"))
    assert rows == [(0, "PERSON", "labelstudio:ann@example.org"), (10, "PERSON", "labelstudio:ann@example.org"),
                    (18, "GPE", "labelstudio:bob@example.org")]


def test_conll_2003_iob1_iob2_and_biluo(tmp_path):
    corpus, report = load(tmp_path, HERE / "conll2003.conll", HERE / "iob2.iob", HERE / "biluo.bio")
    assert not report.rejected
    got = contents(corpus)
    eu = "EU rejects German call to boycott British lamb .\nPeter Blackburn"
    assert got[eu][:2] == (((0, 2, "ORG"), (11, 17, "MISC"), (34, 41, "MISC"), (49, 64, "PER")), "accepted")
    assert got["BRUSSELS 1996-08-22\nThe European Commission said ."][0] == ((0, 8, "LOC"), (24, 43, "ORG"))
    assert got["New York and New Jersey agreed ."][0] == ((0, 8, "GPE"), (13, 23, "GPE"))
    assert got["Rishi and Joe Biden met in Northern Ireland"][0] == ((0, 5, "PERSON"), (10, 19, "PERSON"), (27, 43, "GPE"))
    # round trip: the kept token map gives back exactly the file's tokens and tags
    out = export_corpus(corpus, ExportOptions(out=tmp_path / "out", fmt="conll", dev=0))
    written = (out.folder / "train.conll").read_text()
    assert "1996-08-22 O" in written and "European B-ORG\nCommission I-ORG" in written and "Biden I-PERSON" in written
    again, report = load(tmp_path, out.folder / "train.conll", name="again.db")
    assert not report.rejected and contents(again) == got


def test_spacy_v2_json_through_spacys_converter(tmp_path):
    corpus, report = load(tmp_path, HERE / "spacy_v2.json")
    assert not report.rejected
    got = contents(corpus)
    assert got["Pope Francis visited Iraq."][:2] == (((0, 12, "PERSON"), (21, 25, "GPE")), "accepted")
    assert got["Nothing happened."][:2] == ((), "accepted")


def test_spacy_docbin_missing_vs_o_stance_spans_and_cats(tmp_path):
    vocab = Vocab()
    complete = Doc(vocab, words=["Kyiv", "backs", "the", "plan", "."], spaces=[True, True, True, False, False])
    complete.set_ents([complete.char_span(0, 4, "GPE")], default="outside")
    complete.spans["stance"] = [complete.char_span(5, 19, "UKRAINE=support")]
    complete.cats = {"UKRAINE=support": 1.0, "UKRAINE=oppose": 0.0, "economy": 1.0}
    partial = Doc(vocab, words=["Moscow", "replied", "late", "."], spaces=[True, True, False, False])
    partial.set_ents([partial.char_span(0, 6, "GPE")], default="missing")
    path = tmp_path / "gold.spacy"
    DocBin(docs=[complete, partial], store_user_data=False).to_disk(path)
    corpus, report = load(tmp_path, path)
    assert not report.rejected
    got = contents(corpus)
    assert got["Kyiv backs the plan."][:3] == (((0, 4, "GPE"),), "accepted", {"categories": ["economy"]})
    assert got["Moscow replied late."][:2] == (((0, 6, "GPE"),), "in_progress")
    stances = sorted(corpus.db.execute("SELECT target, value, ev_start, ev_end FROM stances"), key=str)
    assert stances == [("UKRAINE", "support", 5, 19), ("UKRAINE", "support", None, None)]
    out = export_corpus(corpus, ExportOptions(out=tmp_path / "out", dev=0, include=("in_progress",)))
    docs = {d.text: d for d in DocBin().from_disk(out.folder / "train.spacy").get_docs(Vocab())}
    assert [t.ent_iob_ for t in docs["Moscow replied late."]] == ["B", "", "", ""]
    assert [t.ent_iob_ for t in docs["Kyiv backs the plan."]] == ["B", "O", "O", "O", "O"]
    again, _ = load(tmp_path, out.folder / "train.spacy", name="again.db")
    assert {t: v[:2] for t, v in contents(again).items()} == {t: v[:2] for t, v in got.items()}


@pytest.mark.parametrize(("name", "fmt"), [
    ("prodigy_ner_manual.jsonl", "jsonl"), ("doccano_1x.jsonl", "doccano"), ("doccano_classic.jsonl", "doccano"),
    ("labelstudio.json", "labelstudio"), ("doccano_array.json", "labelstudio"), ("prodigy_ner_teach.jsonl", "doccano"),
])
def test_export_then_reimport_is_identical_and_meta_does_not_grow(tmp_path, name, fmt):
    # doccano files carry no status: issue 10, point 9's --status makes them gold
    corpus, _ = load(tmp_path, HERE / name, status="accepted" if name.startswith("doccano") else None)
    exported = ("accepted", "in_progress")  # an export holds gold work; new and skipped documents stay behind
    want = {t: v for t, v in contents(corpus).items() if v[1] in exported}
    if fmt == "doccano":  # doccano has no place for relations or rejected suggestions
        want = {t: v[:3] for t, v in want.items()}
    source = corpus
    for n in range(3):  # three round trips: anything our export added to meta would pile up
        out = export_corpus(source, ExportOptions(out=tmp_path / f"out{n}", fmt=fmt, dev=0.5, include=("in_progress",)))
        files = [out.folder / f for split in ("train", "dev") for f in out.files[split]]
        source, report = load(tmp_path, *files, name=f"round{n}.db")
        assert not report.rejected and len(report.added) == len(want)
        got = contents(source)
        if fmt == "doccano":
            got = {t: v[:3] for t, v in got.items()}
        assert got == want, n
