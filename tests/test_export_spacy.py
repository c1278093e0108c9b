"""The spaCy export: DocBins that read back as the database, missing vs O, misaligned spans, shards, config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from export_synth import records
from legacy import allow_overlaps
from spacy.attrs import ENT_IOB
from spacy.tokens import DocBin

from annotator.io.export_spacy import DOCBIN_ATTRS, ExportDoc, GoldDocBin, build_doc
from annotator.session import export as export_mod
from annotator.session.corpus import Corpus
from annotator.session.export import ExportError, ExportExtension, ExportOptions, export_corpus
from annotator.session.importer import store_records

NLP = spacy.blank("en")


@pytest.fixture
def gold(tmp_path) -> Corpus:
    """150 accepted and 20 in-progress synthetic articles, plus 5 new ones that are never exported."""
    corpus = Corpus(tmp_path / "gold.db")
    store_records(corpus, records(150))
    store_records(corpus, records(20, seed=1, status="in_progress", first=1000))
    store_records(corpus, records(5, seed=2, status="new", first=2000))
    yield corpus
    corpus.close()


def read_split(folder: Path, split: str) -> list:
    single = folder / f"{split}.spacy"
    files = [single] if single.exists() else sorted((folder / split).glob("*.spacy"))
    assert files, f"no {split} data in {sorted(p.name for p in folder.iterdir())}"
    return [doc for f in files for doc in DocBin().from_disk(f).get_docs(NLP.vocab)]


def db_docs(corpus: Corpus, statuses=("accepted",)) -> dict[str, tuple[int, str, list[tuple[int, int, str]]]]:
    """text -> (id, status, spans) for the documents an export should contain."""
    marks = ",".join("?" for _ in statuses)
    out = {}
    for doc_id, text, status in corpus.db.execute(f"SELECT id, text, status FROM documents WHERE status IN ({marks})", list(statuses)):
        out[text] = (doc_id, status, [(s.start, s.end, s.label) for s in corpus.spans(doc_id)])
    return out


def test_docbin_reads_back_as_the_database(gold, tmp_path):
    result = export_corpus(gold, ExportOptions(out=tmp_path / "out"))
    expected = db_docs(gold)
    train, dev = read_split(result.folder, "train"), read_split(result.folder, "dev")
    assert len(train) + len(dev) == len(expected) == 150
    assert {d.text for d in train}.isdisjoint({d.text for d in dev})  # split by document
    assert 20 <= len(dev) <= 40  # about 0.2 of 150, fixed by the seed
    for doc in train + dev:
        _id, _status, spans = expected[doc.text]
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == spans
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert manifest["splits"]["train"]["documents"] == len(train)
    assert manifest["splits"]["dev"]["documents"] == len(dev)
    n_by_label: dict[str, int] = {}
    for _id, _st, spans in expected.values():
        for *_se, label in spans:
            n_by_label[label] = n_by_label.get(label, 0) + 1
    got = {k: manifest["splits"]["train"]["entities"].get(k, 0) + manifest["splits"]["dev"]["entities"].get(k, 0) for k in n_by_label}
    assert got == n_by_label
    assert manifest["labels"] == sorted(n_by_label)
    assert manifest["spacy_version"] == spacy.__version__
    assert manifest["source_db"] == str(gold.path.absolute())


def test_accepted_tokens_are_O_in_progress_tokens_are_missing(gold, tmp_path):
    result = export_corpus(gold, ExportOptions(out=tmp_path / "out", include=("in_progress",)))
    expected = db_docs(gold, ("accepted", "in_progress"))
    docs = read_split(result.folder, "train") + read_split(result.folder, "dev")
    assert len(docs) == 170
    seen = {"accepted": 0, "in_progress": 0}
    for doc in docs:
        _id, status, spans = expected[doc.text]
        seen[status] += 1
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == spans
        iob = doc.to_array([ENT_IOB])
        for token, code in zip(doc, iob, strict=True):
            starts = [s for s, e, _ in spans if s <= token.idx < e]
            if starts:
                assert code == (3 if starts[0] == token.idx else 1), token  # B or I
            else:
                # 2 = O (the annotator saw it and it is no entity), 0 = missing (not looked at yet)
                assert code == (2 if status == "accepted" else 0), (status, token.text)
    assert seen == {"accepted": 150, "in_progress": 20}


def misaligned(corpus: Corpus) -> tuple[int, int, int]:
    """A span cut inside a word, as an exact-character edit could make it; returns (doc id, start, end)."""
    doc_id, text = corpus.db.execute("SELECT id, text FROM documents WHERE status = 'accepted' ORDER BY id LIMIT 1").fetchone()
    start = text.index("Report") + 1  # "eport"
    corpus.db.execute("INSERT INTO spans (doc_id, start, end, label, origin) VALUES (?, ?, ?, 'ORG', 'annotator')", [doc_id, start, start + 5])
    return doc_id, start, start + 5


def test_an_entity_inside_a_token_is_exported_by_splitting_the_token(gold, tmp_path):
    """Issue 10, point 7: no entity is lost; the reference tokens are split at its edges, and that is counted."""
    doc_id, start, end = misaligned(gold)
    result = export_corpus(gold, ExportOptions(out=tmp_path / "out"))
    assert result.split_entities == 1 and not result.problems
    assert any("1 entity lies inside a token" in n for n in result.notes)
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert manifest["entities_inside_tokens"] == 1
    text = gold.document(doc_id).text
    doc = next(d for d in read_split(result.folder, "train") + read_split(result.folder, "dev") if d.text == text)
    assert doc.text == text
    ent = next(e for e in doc.ents if e.start_char == start)
    assert (ent.text, ent.label_, ent.end_char) == ("eport", "ORG", end)
    assert doc[ent.start - 1].text == "R" and doc[ent.start - 1].ent_iob_ == "O"
    assert len(doc.ents) == len(gold.spans(doc_id))


def overlapping(corpus: Corpus) -> tuple[int, int, int]:
    """A span overlapping the inside-token one, as a raw database edit could leave it; returns (doc id, start, end)."""
    doc_id, start, end = misaligned(corpus)
    allow_overlaps(corpus).db.execute(
        "INSERT INTO spans (doc_id, start, end, label, origin) VALUES (?, ?, ?, 'ORG', 'annotator')", [doc_id, start + 2, end + 8]
    )
    return doc_id, start + 2, end + 8


def test_an_overlapping_span_fails_the_export_naming_it(gold, tmp_path):
    doc_id, start, end = overlapping(gold)
    out = tmp_path / "out"
    with pytest.raises(ExportError) as err:
        export_corpus(gold, ExportOptions(out=out))
    message = str(err.value)
    assert f"document {doc_id}: ORG [{start}, {end}) 'ort " in message and "overlaps the entity ending at" in message
    assert "--skip-misaligned" in message
    assert not out.exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")]  # no temporary folder left


def test_skip_misaligned_reports_the_span_and_marks_its_tokens_missing(gold, tmp_path):
    doc_id, start, end = overlapping(gold)
    result = export_corpus(gold, ExportOptions(out=tmp_path / "out", skip_misaligned=True))
    assert [(p.doc_id, p.start, p.end, p.label) for p in result.problems] == [(doc_id, start, end, "ORG")]
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert manifest["skipped_spans"][0]["doc_id"] == doc_id
    text = gold.document(doc_id).text
    doc = next(d for d in read_split(result.folder, "train") + read_split(result.folder, "dev") if d.text == text)
    kept = next(e for e in doc.ents if e.text == "eport")
    # the tokens under the refused span, other than the kept entity's, are missing, not a false O
    under = [t for t in doc[kept.end :] if t.idx < end and not t.is_space]
    assert under and all(t.ent_iob_ == "" for t in under)
    assert len(doc.ents) == len(gold.spans(doc_id)) - 1


def test_overlapping_and_out_of_range_spans_are_problems_not_crashes():
    text = "Kyiv and Moscow talk."
    item = ExportDoc(1, text, [(0, 4, "GPE"), (2, 8, "GPE"), (9, 15, "GPE"), (18, 40, "GPE")])
    doc, problems = build_doc(NLP, item)
    assert [(e.text, e.label_) for e in doc.ents] == [("Kyiv", "GPE"), ("Moscow", "GPE")]
    assert [p.reason.split()[0] for p in problems] == ["overlaps", "is"]
    assert "outside the text" in problems[1].reason


def test_gold_docbin_writes_the_same_bytes_as_spacys_docbin(gold):
    nlp = spacy.blank("en")
    stock, fast = DocBin(attrs=DOCBIN_ATTRS), GoldDocBin(attrs=DOCBIN_ATTRS)
    for doc_id, text, status in gold.db.execute("SELECT id, text, status FROM documents ORDER BY id LIMIT 60"):
        spans = [(s.start, s.end, s.label) for s in gold.spans(doc_id)]
        doc, _ = build_doc(nlp, ExportDoc(doc_id, text, spans, complete=status == "accepted"))
        doc.spans["stance"] = [doc.char_span(spans[0][0], spans[0][1], label="ceasefire=FAVOR")]  # what stance export adds
        doc.cats = {"ceasefire=FAVOR": 1.0, "ceasefire=AGAINST": 0.0}
        stock.add(doc)
        fast.add(doc)
    assert fast.to_bytes() == stock.to_bytes()


def test_shards_by_documents_and_tokens_with_config_paths_on_folders(gold, tmp_path):
    result = export_corpus(gold, ExportOptions(out=tmp_path / "out", shard_size=40))
    folder = result.folder
    train_files = sorted(p.name for p in (folder / "train").iterdir())
    assert train_files == [f"train-{i:03d}.spacy" for i in range(len(train_files))] and len(train_files) >= 3
    assert (folder / "dev.spacy").exists() and not (folder / "dev").exists()  # one shard keeps the plain name
    config = spacy.util.load_config(folder / "config.cfg", interpolate=False)
    assert config["paths"]["train"] == "train" and config["paths"]["dev"] == "dev.spacy"
    assert all(len(DocBin().from_disk(folder / "train" / f)) <= 40 for f in train_files)
    assert len(read_split(folder, "train")) == result.splits["train"].documents

    tokens_cap = export_corpus(gold, ExportOptions(out=tmp_path / "out2", shard_tokens=2_000))
    shards = sorted((tokens_cap.folder / "train").glob("*.spacy"))
    assert len(shards) > 3
    assert all(sum(len(d) for d in DocBin().from_disk(f).get_docs(NLP.vocab)) <= 2_000 for f in shards)


def test_a_fresh_tokenizer_midway_changes_nothing(gold, tmp_path, monkeypatch):
    once = export_corpus(gold, ExportOptions(out=tmp_path / "once"))
    monkeypatch.setattr(export_mod, "RENEW_TOKENS", 3000)
    renewed = export_corpus(gold, ExportOptions(out=tmp_path / "renewed"))
    for split in ("train", "dev"):
        assert (once.folder / f"{split}.spacy").read_bytes() == (renewed.folder / f"{split}.spacy").read_bytes()


def test_the_split_is_fixed_by_the_seed(gold, tmp_path):
    def dev_texts(name, seed, dev=0.2):
        r = export_corpus(gold, ExportOptions(out=tmp_path / name, seed=seed, dev=dev))
        return {d.text for d in read_split(r.folder, "dev")}

    seven = dev_texts("a", 7)
    assert seven == dev_texts("b", 7)
    assert dev_texts("c", 8) != seven
    # a document stays on its side when the corpus grows
    store_records(gold, records(100, seed=9, first=5000))
    assert seven <= dev_texts("d", 7)


def test_a_tiny_corpus_still_gets_a_dev_document(tmp_path):
    corpus = Corpus(tmp_path / "tiny.db")
    store_records(corpus, records(2, seed=3))
    result = export_corpus(corpus, ExportOptions(out=tmp_path / "out", dev=0.01))
    assert (result.splits["train"].documents, result.splits["dev"].documents) == (1, 1)

    no_dev = export_corpus(corpus, ExportOptions(out=tmp_path / "no_dev", dev=0))
    assert no_dev.splits["dev"].documents == 0 and len(DocBin().from_disk(no_dev.folder / "dev.spacy")) == 0
    assert any("There is no dev set" in n for n in no_dev.notes)
    assert "There is no dev set" in (no_dev.folder / "README.txt").read_text()
    corpus.close()


def test_config_is_spacys_with_the_corpus_language(gold, tmp_path):
    result = export_corpus(gold, ExportOptions(out=tmp_path / "out"))
    config = spacy.util.load_config(result.folder / "config.cfg", interpolate=False)
    assert config["nlp"]["lang"] == "en"
    assert config["nlp"]["pipeline"] == ["tok2vec", "ner"]
    assert config["components"]["tok2vec"]["model"]["encode"]["width"] == 96  # the efficiency preset
    assert config["paths"] == {"train": "train.spacy", "dev": "dev.spacy", "vectors": None, "init_tok2vec": None}
    readme = (result.folder / "README.txt").read_text()
    assert "python -m spacy train config.cfg --output model" in readme


def test_accuracy_preset_without_the_vectors_package_still_trains(gold, tmp_path, monkeypatch):
    import annotator.io.export_spacy as es

    monkeypatch.setattr(es, "vectors_available", lambda name: False)
    result = export_corpus(gold, ExportOptions(out=tmp_path / "out", optimize="accuracy"))
    config = spacy.util.load_config(result.folder / "config.cfg", interpolate=False)
    assert config["components"]["tok2vec"]["model"]["encode"]["width"] == 256  # the accuracy preset
    assert config["paths"]["vectors"] is None
    assert config["components"]["tok2vec"]["model"]["embed"]["include_static_vectors"] is False
    assert any("en_core_web_lg" in n for n in result.notes)
    assert "en_core_web_lg" in (result.folder / "README.txt").read_text()


def test_manifest_names_the_preannotation_models(tmp_path):
    corpus = Corpus(tmp_path / "m.db")
    recs = records(10, seed=4)
    store_records(corpus, recs[:6], {i: "en_core_web_sm-3.8.0" for i in range(6)})
    store_records(corpus, recs[6:])
    corpus.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('models', ?)", [json.dumps(["en_core_web_sm-3.8.0"])])
    result = export_corpus(corpus, ExportOptions(out=tmp_path / "out"))
    pre = json.loads((result.folder / "manifest.json").read_text())["preannotation"]
    n_model = sum(len(r.spans) for r in recs[:6])
    assert pre["models"] == [{"id": "en_core_web_sm-3.8.0", "name": "en_core_web_sm", "version": "3.8.0", "spans": n_model}]
    assert pre["models_used_on_corpus"] == ["en_core_web_sm-3.8.0"]
    assert pre["span_origins"] == {"en_core_web_sm-3.8.0": n_model, "annotator": sum(len(r.spans) for r in recs[6:])}
    corpus.close()


def test_extensions_add_to_each_doc_and_to_the_config(gold, tmp_path):
    class Cats(ExportExtension):
        name = "cats"

        def load(self, corpus, doc_ids):
            return {i: i % 2 for i in doc_ids}

        def on_doc(self, doc, item):
            doc.cats = {"EVEN": float(item.extras["cats"] == 0), "ODD": float(item.extras["cats"] == 1)}

        def pipeline(self):
            return ("textcat_multilabel",), {"components.textcat_multilabel.threshold": 0.4}

        def finish(self, folder, manifest):
            (folder / "cats.txt").write_text("written beside the data\n")
            manifest["cats"] = True

    result = export_corpus(gold, ExportOptions(out=tmp_path / "out"), extensions=[Cats()])
    ids = db_docs(gold)
    for doc in read_split(result.folder, "train"):
        assert doc.cats["ODD"] == float(ids[doc.text][0] % 2)
    config = spacy.util.load_config(result.folder / "config.cfg", interpolate=False)
    assert config["nlp"]["pipeline"] == ["tok2vec", "ner", "textcat_multilabel"]
    assert config["components"]["textcat_multilabel"]["threshold"] == 0.4
    assert (result.folder / "cats.txt").exists()
    assert json.loads((result.folder / "manifest.json").read_text())["cats"] is True


def test_nothing_to_export_says_why(tmp_path):
    corpus = Corpus(tmp_path / "e.db")
    store_records(corpus, records(3, status="in_progress"))
    with pytest.raises(ExportError, match="no accepted documents.*3 in progress.*--include in_progress"):
        export_corpus(corpus, ExportOptions(out=tmp_path / "out"))
    assert not (tmp_path / "out").exists()
    corpus.close()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (ExportOptions(fmt="xml"), "unknown export format 'xml': choose one of spacy, jsonl, doccano, labelstudio, conll"),
        (ExportOptions(dev=1.0), "--dev must be a fraction"),
        (ExportOptions(include=("new",)), "--include takes in_progress"),
        (ExportOptions(fmt="conll", include=("in_progress",)), "conll has no way to mark tokens as 'missing'"),
        (ExportOptions(optimize="speed"), "unknown --optimize"),
    ],
)
def test_bad_options_are_refused_before_anything_is_written(gold, tmp_path, options, message):
    with pytest.raises(ExportError, match=message):
        export_corpus(gold, ExportOptions(**{**options.__dict__, "out": tmp_path / "out"}))
    assert not (tmp_path / "out").exists()
