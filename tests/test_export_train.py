"""The export is what spaCy's own tools accept unchanged: `spacy debug data` and `spacy train`, as subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import spacy
from export_synth import records

from annotator.session.corpus import Corpus
from annotator.session.export import ExportOptions, export_corpus
from annotator.session.importer import store_records

ENV = dict(os.environ, ANSI_COLORS_DISABLED="1", NO_COLOR="1")


def spacy_cli(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "spacy", *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    corpus = Corpus(tmp_path_factory.mktemp("train") / "gold.db")
    store_records(corpus, records(160, seed=41))
    store_records(corpus, records(20, seed=42, status="in_progress", first=3000))
    yield corpus
    corpus.close()


@pytest.mark.slow
def test_spacy_debug_data_finds_no_errors(corpus, tmp_path):
    result = export_corpus(corpus, ExportOptions(out=tmp_path / "out"))
    assert result.documents == 160
    proc = spacy_cli("debug", "data", "config.cfg", cwd=result.folder)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "✘" not in out, out
    assert "Corpus is loadable" in out and "No overlap between training and evaluation data" in out
    assert "No entities consisting of or starting/ending with whitespace" in out
    assert f"{result.splits['train'].documents} training docs" in out
    assert "checks passed" in out and "error" not in out.split("Summary")[-1].lower()


@pytest.mark.slow
def test_spacy_train_runs_on_sharded_data_with_missing_tokens(corpus, tmp_path):
    # shards (train/ is a folder) and in-progress documents (missing tokens): the harder case
    result = export_corpus(corpus, ExportOptions(out=tmp_path / "out", include=("in_progress",), shard_size=50))
    assert (result.folder / "train").is_dir()
    proc = spacy_cli(
        "train", "config.cfg", "--output", "model", "--training.max_steps", "6", "--training.eval_frequency", "3",
        cwd=result.folder,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    nlp = spacy.load(result.folder / "model" / "model-last")
    exported = {label for split in result.splits.values() for label in split.entities}
    assert set(nlp.get_pipe("ner").labels) == exported == {"PERSON", "GPE", "ORG", "NORP", "DATE"}
    assert nlp.pipe_names == ["tok2vec", "ner"]
