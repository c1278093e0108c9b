"""Prodigy JSONL, doccano JSONL and CoNLL exports: each read back by a real reader gives the database again."""

from __future__ import annotations

import json

import pytest
import spacy
import srsly
from export_synth import records
from spacy.training.converters import conll_ner_to_docs

from annotator.core.records import Rejection
from annotator.io.readers import read_paths
from annotator.session.corpus import Corpus
from annotator.session.export import ExportOptions, export_corpus
from annotator.session.importer import store_records

NLP = spacy.blank("en")


@pytest.fixture
def gold(tmp_path) -> Corpus:
    corpus = Corpus(tmp_path / "gold.db")
    recs = records(60, seed=11)
    # an emoji before an entity and a CRLF-free multi-paragraph text: offsets are code points
    recs[0].text = "🇺🇦 " + recs[0].text
    recs[0].spans = [(s + 3, e + 3, label) for s, e, label in recs[0].spans]
    store_records(corpus, recs)
    store_records(corpus, records(8, seed=12, status="in_progress", first=500))
    yield corpus
    corpus.close()


def contents(corpus: Corpus, statuses=("accepted",)) -> dict[str, list[tuple[int, int, str]]]:
    marks = ",".join("?" for _ in statuses)
    rows = corpus.db.execute(f"SELECT id, text FROM documents WHERE status IN ({marks})", list(statuses))
    return {text: [(s.start, s.end, s.label) for s in corpus.spans(doc_id)] for doc_id, text in rows}


def reimport(tmp_path, files) -> Corpus:
    fresh = Corpus(tmp_path / "fresh.db")
    items = list(read_paths(files))
    assert not [i for i in items if isinstance(i, Rejection)], [str(i) for i in items if isinstance(i, Rejection)]
    store_records(fresh, items)
    return fresh


@pytest.mark.parametrize("fmt", ["jsonl", "doccano"])
def test_our_jsonl_exports_import_back_identically(gold, tmp_path, fmt):
    result = export_corpus(gold, ExportOptions(out=tmp_path / "out", fmt=fmt))
    files = [result.folder / "train.jsonl", result.folder / "dev.jsonl"]
    assert result.files == {"train": ["train.jsonl"], "dev": ["dev.jsonl"], "stances": ["stances.jsonl"]}
    assert (result.folder / "stances.jsonl").read_text() == ""  # written for every export, empty without stances
    fresh = reimport(tmp_path, files)
    assert contents(fresh, ("accepted", "new")) == contents(gold)
    titles = dict(fresh.db.execute("SELECT text, title FROM documents").fetchall())
    assert titles == {t: ti for t, ti in gold.db.execute("SELECT text, title FROM documents WHERE status = 'accepted'")}
    if fmt == "jsonl":  # Prodigy's answer "accept" comes back as accepted
        assert fresh.status_counts()["accepted"] == 60
    fresh.close()


def test_prodigy_tasks_have_consistent_tokens_and_spans(gold, tmp_path):
    result = export_corpus(gold, ExportOptions(out=tmp_path / "out", fmt="jsonl"))
    tasks = list(srsly.read_jsonl(result.folder / "train.jsonl")) + list(srsly.read_jsonl(result.folder / "dev.jsonl"))
    assert len(tasks) == 60
    for task in tasks:
        assert task["answer"] == "accept"
        assert set(task["meta"]) <= {"n", "published", "outlet", "url", "author"}  # the user's meta and metadata, none of our keys
        assert {"doc_id", "title", "status"} <= set(task["_annotator"])
        tokens = task["tokens"]
        assert [t["id"] for t in tokens] == list(range(len(tokens)))
        assert all(task["text"][t["start"] : t["end"]] == t["text"] for t in tokens)
        for span in task["spans"]:
            assert tokens[span["token_start"]]["start"] == span["start"]
            assert tokens[span["token_end"]]["end"] == span["end"]  # token_end is inclusive, as in Prodigy


def test_in_progress_documents_carry_their_status_apart_from_meta(gold, tmp_path):
    result = export_corpus(gold, ExportOptions(out=tmp_path / "out", fmt="doccano", include=("in_progress",)))
    lines = list(srsly.read_jsonl(result.folder / "train.jsonl")) + list(srsly.read_jsonl(result.folder / "dev.jsonl"))
    statuses = [line["_annotator"]["status"] for line in lines]
    assert statuses.count("in_progress") == 8 and statuses.count("accepted") == 60
    assert all(isinstance(line["label"], list) and all(len(x) == 3 for x in line["label"]) for line in lines)


def test_conll_reads_back_with_spacys_converter(gold, tmp_path):
    result = export_corpus(gold, ExportOptions(out=tmp_path / "out", fmt="conll"))
    expected = {}
    for text, spans in contents(gold).items():
        doc = NLP(text)
        words = tuple(t.text for t in doc if not t.is_space)
        ents = [(" ".join(t.text for t in doc.char_span(s, e) if not t.is_space), label) for s, e, label in spans]
        expected[words] = ents
    got = {}
    for split in ("train", "dev"):
        data = (result.folder / f"{split}.conll").read_text(encoding="utf-8")
        assert data.startswith("-DOCSTART- -X- O O\n\n")
        for doc in conll_ner_to_docs(data, n_sents=0, no_print=True):
            got[tuple(t.text for t in doc)] = [(e.text, e.label_) for e in doc.ents]
    assert got == expected


def test_conll_breaks_sentences_at_line_breaks_not_inside_entities(tmp_path):
    corpus = Corpus(tmp_path / "c.db")
    from annotator.core.records import Record

    text = "Talks in New\nYork went on.\n\nPutin said no."
    store_records(corpus, [Record(text=text, spans=[(9, 17, "GPE"), (28, 33, "PERSON")], status="accepted")])
    result = export_corpus(corpus, ExportOptions(out=tmp_path / "out", fmt="conll", dev=0))
    assert (result.folder / "train.conll").read_text() == (
        "-DOCSTART- -X- O O\n\nTalks O\nin O\nNew B-GPE\nYork I-GPE\nwent O\non O\n. O\n\nPutin B-PERSON\nsaid O\nno O\n. O\n\n"
    )
    assert (result.folder / "dev.conll").read_text() == ""
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert manifest["splits"]["dev"]["documents"] == 0 and manifest["format"] == "conll"
    corpus.close()
