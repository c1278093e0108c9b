"""`annotator export` run as the user runs it: a subprocess, reading its output and the files it leaves."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from export_synth import records
from legacy import allow_overlaps

from annotator.session.corpus import Corpus
from annotator.session.importer import store_records

ENV = dict(os.environ, ANSI_COLORS_DISABLED="1", NO_COLOR="1")


def annotator(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "annotator", *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=120
    )


def make_db(path, n=40, in_progress=5):
    corpus = Corpus(path)
    store_records(corpus, records(n, seed=31))
    store_records(corpus, records(in_progress, seed=32, status="in_progress", first=900))
    return corpus


def test_export_writes_the_folder_and_says_where(tmp_path):
    make_db(tmp_path / "a.db").close()
    proc = annotator("export", "--db", "a.db", "--dev", "0.25", "--seed", "3", "--include", "in_progress",
                     "--shard-size", "10", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folders = list((tmp_path / "exports").iterdir())
    assert len(folders) == 1
    folder = folders[0]
    assert f"exported spacy to {folder}" in proc.stdout
    assert f"cd {folder} && python -m spacy train config.cfg --output model" in proc.stdout
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["options"]["statuses"] == ["accepted", "in_progress"] and manifest["options"]["seed"] == 3
    assert manifest["splits"]["train"]["documents"] + manifest["splits"]["dev"]["documents"] == 45
    assert (folder / "train").is_dir() and (folder / "config.cfg").exists() and (folder / "README.txt").exists()


def test_export_formats_and_errors(tmp_path):
    corpus = make_db(tmp_path / "a.db")
    proc = annotator("export", "--db", "a.db", "--format", "conll", "--out", "conll_out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "conll_out" / "train.conll").read_text().startswith("-DOCSTART- -X- O O")
    assert "spacy train" not in proc.stdout

    doc_id = corpus.db.execute("SELECT min(id) FROM documents WHERE status = 'accepted'").fetchone()[0]
    corpus.db.execute("DELETE FROM spans WHERE doc_id = ? AND start < 8", [doc_id])
    # inside a token (issue 10, point 7): exported, the token split at its edges, and said
    corpus.db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (?, 1, 4, 'ORG')", [doc_id])
    proc = annotator("export", "--db", "a.db", "--out", "split", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "1 entity lies inside a token" in proc.stderr
    assert json.loads((tmp_path / "split" / "manifest.json").read_text())["entities_inside_tokens"] == 1

    # a span that overlaps another (left by an old version) cannot be exported: the export fails and says which
    allow_overlaps(corpus).db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (?, 2, 6, 'ORG')", [doc_id])
    corpus.close()
    proc = annotator("export", "--db", "a.db", "--out", "bad", cwd=tmp_path)
    assert proc.returncode == 2  # kind "bad input"
    assert "error: 1 entity span(s) cannot be exported" in proc.stderr
    assert f"document {doc_id}: ORG [2, 6) 'port' overlaps the entity ending at 4" in proc.stderr
    assert not (tmp_path / "bad").exists()

    proc = annotator("export", "--db", "a.db", "--out", "skipped", "--skip-misaligned", "--format", "jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert f"skipped document {doc_id}: ORG [2, 6)" in proc.stderr
    assert (tmp_path / "skipped" / "train.jsonl").exists()

    proc = annotator("export", "--db", "missing.db", cwd=tmp_path)
    assert proc.returncode == 2 and "no corpus database at missing.db" in proc.stderr
    assert not (tmp_path / "missing.db").exists()


def test_the_db_before_the_command_is_the_one_used(tmp_path):
    """`annotator --db X stats` reads X (not ./annotations.db); the command's own --db still wins."""
    make_db(tmp_path / "mine.db", n=3, in_progress=0).close()
    proc = annotator("--db", "mine.db", "stats", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["documents"]["total"] == 3
    assert not (tmp_path / "annotations.db").exists()
    proc = annotator("--db", "mine.db", "stats", "--db", "other.db", cwd=tmp_path)
    assert proc.returncode != 0 and "other.db" in proc.stderr
