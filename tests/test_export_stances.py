"""The stance export: evidence spans and article-level cats in the DocBin, stances.jsonl, config.cfg, spacy train.

The corpus is built the way the window builds it: synthetic articles stored, then stances planned
through the session layer on whole sentences (the stance key's evidence) and applied, and the
documents accepted.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest
import spacy
import srsly
from export_synth import records
from seed_targets import with_seed_targets
from spacy.tokens import DocBin

from annotator.core.model import ACCEPTED
from annotator.io.export_stances import CANDIDATES_KEY, SPANS_KEY, sentence_bounds
from annotator.nlp.sentences import sentence_at
from annotator.session.corpus import Corpus
from annotator.session.export import ExportError, ExportOptions, export_corpus
from annotator.session.importer import store_records
from annotator.session.stances import get_stance, plan_add_stance

NLP = spacy.blank("en")
SPEAKERS = ("PERSON", "ORG", "GPE", "NORP")
# evidence labels that follow from the sentence's words, so spancat has something real to learn
CUES = [
    ("would not accept a deal", "peace deal / negotiations", "AGAINST"),
    ("We want peace", "peace deal / negotiations", "FAVOR"),
    ("could derail a ceasefire", "ceasefire", "FAVOR"),
    ("sanctions could be eased", "sanctions / pressure on Russia", "NEUTRAL"),
]


def tag(corpus: Corpus, doc_id: int, rng: random.Random) -> None:
    """Stances as an analyst makes them: cue sentences as evidence (holder: a speaker entity in the
    sentence, else free text), sometimes a second target on the same sentence, and for some
    articles an overall stance without evidence."""
    text = corpus.document(doc_id).text
    spans = corpus.spans(doc_id)
    tagged: set[tuple[int, int]] = set()
    for cue, target, value in CUES:
        at = text.find(cue)
        if at < 0:
            continue
        start, end = sentence_at(text, at)
        holders = [s for s in spans if s.label in SPEAKERS and start <= s.start < end]
        holder = {"holder_span_id": holders[0].id} if holders else {"holder_text": "a spokesman"}
        corpus.apply(plan_add_stance(corpus, doc_id, target, value, ev_start=start, ev_end=end, note=f"cue: {cue}", **holder))
        if (start, end) not in tagged and rng.random() < 0.3:  # the sentence as evidence for another target too
            tagged.add((start, end))
            corpus.apply(plan_add_stance(corpus, doc_id, "security guarantees", "NEUTRAL", ev_start=start, ev_end=end, **holder))
    if rng.random() < 0.5:
        value = "FAVOR" if "peace" in text else rng.choice(["AGAINST", "NEUTRAL"])
        corpus.apply(plan_add_stance(corpus, doc_id, "peace deal / negotiations", value))
    if rng.random() < 0.2:
        corpus.apply(plan_add_stance(corpus, doc_id, "ceasefire", "AGAINST", holder_text="the editorial board"))


def build(path: Path, n: int, seed: int = 7) -> Corpus:
    corpus = with_seed_targets(Corpus(path))
    store_records(corpus, records(n, seed=seed, status="in_progress"))
    store_records(corpus, records(6, seed=seed + 1, status="in_progress", first=5000))  # stay in progress
    rng = random.Random(seed)
    ids = [r[0] for r in corpus.db.execute("SELECT id FROM documents ORDER BY id")]
    for doc_id in ids:
        tag(corpus, doc_id, rng)
    for doc_id in ids[:n]:
        corpus.apply(corpus.plan_set_status(doc_id, ACCEPTED))
    return corpus


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    corpus = build(tmp_path_factory.mktemp("stances") / "gold.db", 60)
    yield corpus
    corpus.close()


@pytest.fixture(scope="module")
def exported(tagged, tmp_path_factory):
    return export_corpus(tagged, ExportOptions(out=tmp_path_factory.mktemp("export") / "out"))


def read_docs(folder: Path) -> dict[str, list]:
    return {split: list(DocBin().from_disk(folder / f"{split}.spacy").get_docs(NLP.vocab)) for split in ("train", "dev")}


def accepted(corpus: Corpus) -> dict[str, int]:
    return {text: i for i, text in corpus.db.execute("SELECT id, text FROM documents WHERE status = 'accepted'")}


def expected_cats(corpus: Corpus, doc_id: int) -> dict[str, float]:
    values = corpus.stance_values()
    cats = {}
    for st in corpus.stances(doc_id):
        if st.document_level:
            cats.update({f"{st.target}={v}": float(v == st.value) for v in values})
    return cats


def test_stance_spans_and_cats_in_the_docbin_equal_the_records(tagged, exported):
    ids = accepted(tagged)
    docs = read_docs(exported.folder)
    assert sum(len(d) for d in docs.values()) == len(ids) == 60
    with_spans = with_cats = overlapping = 0
    for doc in docs["train"] + docs["dev"]:
        doc_id = ids[doc.text]
        stances = tagged.stances(doc_id)
        evidence = sorted((s.ev_start, s.ev_end, f"{s.target}={s.value}") for s in stances if not s.document_level)
        if evidence:
            got = sorted((sp.start_char, sp.end_char, sp.label_) for sp in doc.spans[SPANS_KEY])
            assert got == evidence
            with_spans += 1
            overlapping += len({(s, e) for s, e, _ in evidence}) < len(evidence)
        else:
            assert SPANS_KEY not in doc.spans  # no evidence recorded: unknown, not "none"
        assert doc.cats == expected_cats(tagged, doc_id)  # only targets with an overall stance
        with_cats += bool(doc.cats)
        # span_finder's target: every sentence the stance key would take, and every evidence span
        candidates = {(sp.start, sp.end) for sp in doc.spans[CANDIDATES_KEY]}
        assert set(sentence_bounds(NLP.make_doc(doc.text))) <= candidates
        assert {(sp.start, sp.end) for sp in doc.spans.get(SPANS_KEY, [])} <= candidates
        assert {sp.label_ for sp in doc.spans[CANDIDATES_KEY]} == {""}
    assert with_spans >= 20 and with_cats >= 20 and overlapping >= 3  # the corpus exercises every case


def test_gold_docbin_writes_stance_docs_as_spacys_docbin(tagged):
    """GoldDocBin packs span groups itself (srsly's msgpack_dumps costs ~0.3 ms a call): same bytes as DocBin.add."""
    from annotator.io.export_spacy import DOCBIN_ATTRS, ExportDoc, GoldDocBin, build_doc
    from annotator.session.export_stances import StanceExport

    ext = StanceExport()
    ids = list(accepted(tagged).values())[:30]
    extras = ext.load(tagged, ids)
    stock, fast = DocBin(attrs=DOCBIN_ATTRS), GoldDocBin(attrs=DOCBIN_ATTRS)
    for doc_id in ids:
        item = ExportDoc(doc_id, tagged.document(doc_id).text, [(s.start, s.end, s.label) for s in tagged.spans(doc_id)])
        item.extras["stances"] = extras.get(doc_id, [])
        doc, _ = build_doc(NLP, item)
        assert ext.on_doc(doc, item) == []
        stock.add(doc)
        fast.add(doc)
    assert any(SPANS_KEY in d.spans for d in fast.get_docs(NLP.vocab))
    assert fast.to_bytes() == stock.to_bytes()


def test_manifest_counts_stances_per_split(tagged, exported):
    manifest = json.loads((exported.folder / "manifest.json").read_text())
    section = manifest["stances"]
    ids = accepted(tagged)
    docs = read_docs(exported.folder)
    for split, split_docs in docs.items():
        stances = [s for d in split_docs for s in tagged.stances(ids[d.text])]
        counts = section["splits"][split]
        assert counts["records"] == len(stances)
        assert counts["document_level"] == sum(s.document_level for s in stances)
        assert counts["evidence"] == sum(not s.document_level for s in stances)
        assert counts["evidence_labels"] == dict(Counter(f"{s.target}={s.value}" for s in stances if not s.document_level))
        assert counts["document_labels"] == dict(Counter(f"{s.target}={s.value}" for s in stances if s.document_level))
        assert counts["documents"] == sum(bool(tagged.stances(ids[d.text])) for d in split_docs)
    assert section["records"] == sum(len(tagged.stances(i)) for i in ids.values())
    assert section["file"] == "stances.jsonl" and manifest["files"]["stances"] == ["stances.jsonl"]
    assert section["components"] == ["span_finder", "spancat", "textcat_multilabel"]
    readme = (exported.folder / "README.txt").read_text()
    assert "stances.jsonl" in readme and 'doc.spans["stance"]' in readme


def test_stances_jsonl_round_trips(tagged, exported):
    lines = list(srsly.read_jsonl(exported.folder / "stances.jsonl"))
    ids = accepted(tagged)
    split_of = {ids[d.text]: split for split, docs in read_docs(exported.folder).items() for d in docs}
    db = [s for doc_id in sorted(ids.values()) for s in sorted(tagged.stances(doc_id), key=lambda s: s.id)]
    assert [line["id"] for line in lines] == [s.id for s in db]  # every exported record once, in document order
    assert tagged.db.execute("SELECT count(*) FROM stances").fetchone()[0] > len(db)  # in-progress ones are left out
    for line in lines:
        record = asdict(get_stance(tagged, line["id"]))
        assert {k: line[k] for k in record} == record
        document = tagged.document(line["doc_id"])
        assert line["doc_sha256"] == document.sha256 and line["title"] == document.title
        assert line["split"] == split_of[line["doc_id"]]
        assert line["label"] == f"{line['target']}={line['value']}"
        assert line["document_level"] is (line["ev_start"] is None)
        if line["ev_start"] is None:
            assert line["evidence"] is None
        else:
            assert line["evidence"] == document.text[line["ev_start"] : line["ev_end"]]
        if line["holder_span_id"] is not None:
            assert document.text[line["holder_start"] : line["holder_end"]] == line["holder_text"]
    assert {line["holder_text"] for line in lines} >= {"a spokesman", "the article", "the editorial board"}
    assert any(line["holder_span_id"] is not None for line in lines)


def test_config_trains_the_stance_components(exported, tagged):
    config = spacy.util.load_config(exported.folder / "config.cfg", interpolate=False)
    assert config["nlp"]["pipeline"] == ["tok2vec", "ner", "span_finder", "spancat", "textcat_multilabel"]
    components = config["components"]
    assert components["spancat"]["spans_key"] == SPANS_KEY
    assert components["spancat"]["suggester"] == {"@misc": "spacy.preset_spans_suggester.v1", "spans_key": CANDIDATES_KEY}
    assert components["span_finder"]["spans_key"] == CANDIDATES_KEY
    longest = max(len(NLP.make_doc(line["evidence"])) for line in srsly.read_jsonl(exported.folder / "stances.jsonl") if line["evidence"])
    assert components["span_finder"]["max_length"] >= longest
    assert config["training"]["annotating_components"] == ["tok2vec", "span_finder"]
    weights = config["training"]["score_weights"]
    assert weights[f"spans_{SPANS_KEY}_f"] > 0 and weights["spans_sc_f"] is None
    assert weights["ents_f"] > 0 and weights["cats_score"] > 0


def test_evidence_only_adds_no_textcat_and_no_stances_change_nothing(tmp_path):
    corpus = with_seed_targets(Corpus(tmp_path / "c.db"))
    store_records(corpus, records(12, seed=3))
    plain = export_corpus(corpus, ExportOptions(out=tmp_path / "plain"))
    assert (plain.folder / "stances.jsonl").read_text() == ""  # written for every export, empty without stances
    assert json.loads((plain.folder / "manifest.json").read_text())["stances"]["records"] == 0
    assert spacy.util.load_config(plain.folder / "config.cfg")["nlp"]["pipeline"] == ["tok2vec", "ner"]
    assert CANDIDATES_KEY not in read_docs(plain.folder)["train"][0].spans

    for (doc_id,) in corpus.db.execute("SELECT id FROM documents").fetchall():
        text = corpus.document(doc_id).text
        start, end = sentence_at(text, len(text) - 1)
        corpus.apply(plan_add_stance(corpus, doc_id, "ceasefire", "NEUTRAL", holder_text="a diplomat", ev_start=start, ev_end=end))
    result = export_corpus(corpus, ExportOptions(out=tmp_path / "evidence"))
    config = spacy.util.load_config(result.folder / "config.cfg")
    assert config["nlp"]["pipeline"] == ["tok2vec", "ner", "span_finder", "spancat"]
    assert all(not d.cats for docs in read_docs(result.folder).values() for d in docs)
    corpus.close()


def test_text_formats_get_stances_jsonl_too(tagged, tmp_path):
    result = export_corpus(tagged, ExportOptions(out=tmp_path / "out", fmt="jsonl"))
    lines = list(srsly.read_jsonl(result.folder / "stances.jsonl"))
    assert len(lines) == json.loads((result.folder / "manifest.json").read_text())["stances"]["records"] > 0
    assert not (result.folder / "config.cfg").exists()


def misaligned_evidence(corpus: Corpus) -> tuple[int, int, int]:
    """Evidence cut inside a word (as an old or imported record could be); written past the session's checks."""
    doc_id, text = corpus.db.execute("SELECT id, text FROM documents WHERE status = 'accepted' ORDER BY id LIMIT 1").fetchone()
    start = text.index("Report") + 1
    corpus.db.execute(
        "INSERT INTO stances (doc_id, holder_text, target, value, ev_start, ev_end) VALUES (?, 'x', 'ceasefire', 'FAVOR', ?, ?)",
        [doc_id, start, start + 5],
    )
    return doc_id, start, start + 5


def test_misaligned_evidence_fails_the_export_naming_it(tmp_path):
    corpus = build(tmp_path / "c.db", 8)
    doc_id, start, end = misaligned_evidence(corpus)
    with pytest.raises(ExportError) as err:
        export_corpus(corpus, ExportOptions(out=tmp_path / "out"))
    message = str(err.value)
    assert "1 stance evidence span(s) cannot be exported" in message
    assert f"document {doc_id}: stance evidence ceasefire=FAVOR [{start}, {end}) 'eport'" in message
    assert "does not align with token boundaries" in message and "--skip-misaligned" in message
    assert not (tmp_path / "out").exists()

    result = export_corpus(corpus, ExportOptions(out=tmp_path / "out", skip_misaligned=True))
    assert [(p.doc_id, p.start, p.end, p.kind) for p in result.problems] == [(doc_id, start, end, "stance evidence")]
    manifest = json.loads((result.folder / "manifest.json").read_text())
    assert manifest["skipped_spans"][0]["kind"] == "stance evidence"
    assert sum(s["skipped_evidence"] for s in manifest["stances"]["splits"].values()) == 1
    text = corpus.document(doc_id).text
    doc = next(d for docs in read_docs(result.folder).values() for d in docs if d.text == text)
    assert (start, end) not in {(sp.start_char, sp.end_char) for sp in doc.spans.get(SPANS_KEY, [])}
    lines = list(srsly.read_jsonl(result.folder / "stances.jsonl"))
    assert any(line["ev_start"] == start and line["doc_id"] == doc_id for line in lines)  # the record is kept
    corpus.close()


@pytest.mark.slow
def test_spacy_train_learns_ner_spancat_and_textcat(tmp_path):
    corpus = build(tmp_path / "c.db", 40, seed=11)
    result = export_corpus(corpus, ExportOptions(out=tmp_path / "out"))
    corpus.close()
    env = dict(os.environ, ANSI_COLORS_DISABLED="1", NO_COLOR="1")
    proc = subprocess.run(
        [sys.executable, "-m", "spacy", "train", "config.cfg", "--output", "model",
         "--training.max_steps", "4", "--training.eval_frequency", "2"],
        cwd=result.folder, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    nlp = spacy.load(result.folder / "model" / "model-last")
    assert nlp.pipe_names == ["tok2vec", "ner", "span_finder", "spancat", "textcat_multilabel"]
    train = list(srsly.read_jsonl(result.folder / "stances.jsonl"))
    train = [line for line in train if line["split"] == "train"]
    assert set(nlp.get_pipe("spancat").labels) == {line["label"] for line in train if line["evidence"]}
    values = ("FAVOR", "AGAINST", "NEUTRAL")
    doc_targets = {line["target"] for line in train if line["document_level"]}
    assert set(nlp.get_pipe("textcat_multilabel").labels) == {f"{t}={v}" for t in doc_targets for v in values}
    assert {"ents_f", f"spans_{SPANS_KEY}_f", f"spans_{CANDIDATES_KEY}_f", "cats_score"} <= set(nlp.meta["performance"])
    doc = nlp("Kyiv said it would not accept a deal that rewards aggression. We want peace, but not at any price.")
    assert SPANS_KEY in doc.spans and set(doc.cats) == set(nlp.get_pipe("textcat_multilabel").labels)
