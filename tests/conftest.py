"""Shared fixtures: the real model, loaded once, and a pre-annotated seed corpus copied per test.

The seed corpus is built from fixed spans (tests/data/seed_corpus.jsonl: the five seed articles as
the default model annotated them once, with that model's id), so no test depends on the entities
of whichever model build is installed. Tests that run a model assert the id of the model that ran.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.session.corpus import Corpus

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from annotator.nlp.preannotators import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def model_id(nlp) -> str:
    """The id of the model this test session actually loads (name and version from its meta)."""
    from annotator.nlp.models import model_id as id_of

    return id_of(nlp)


SEED_CORPUS = ROOT / "tests" / "data" / "seed_corpus.jsonl"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """The five seed articles with fixed pre-annotations, stored as an import stores them, once per session."""
    import json

    from annotator.core.records import Record
    from annotator.session.importer import store_records
    from annotator.session.imports import remember_model

    path = tmp_path_factory.mktemp("template") / "seeds.db"
    rows = [json.loads(line) for line in SEED_CORPUS.read_text(encoding="utf-8").splitlines()]
    records = [Record(r["text"], r["title"], {"file": r["file"]}, [(s["start"], s["end"], s["label"]) for s in r["spans"]],
                      source=str(SEEDS / r["file"])) for r in rows]
    with Corpus(path) as corpus:
        result = store_records(corpus, records, {i: r["meta"]["model"] for i, r in enumerate(rows)})
        remember_model(corpus, rows[0]["meta"]["model"])
    assert len(result.added) == 5
    return path


@pytest.fixture
def seeded_db(seeded_template, tmp_path) -> Path:
    """A fresh copy of the seed corpus for one test."""
    path = tmp_path / "annotations.db"
    shutil.copyfile(seeded_template, path)
    return path


@pytest.fixture
def corpus(seeded_db):
    c = Corpus(seeded_db)
    yield c
    c.close()


@pytest.fixture
def empty_corpus(tmp_path):
    c = Corpus(tmp_path / "empty.db")
    yield c
    c.close()
