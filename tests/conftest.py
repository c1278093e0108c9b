"""Shared fixtures: the real model, loaded once, and a pre-annotated seed corpus copied per test."""

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
def seeded_template(tmp_path_factory, nlp) -> Path:
    """The five seed articles imported with the real model, once per test session."""
    from annotator.session.imports import import_paths

    path = tmp_path_factory.mktemp("template") / "seeds.db"
    corpus = Corpus(path)
    report = import_paths(corpus, [SEEDS], nlp=nlp)
    assert len(report.added) == 5 and not report.rejected
    corpus.close()
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

