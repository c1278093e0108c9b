"""`annotator table` run as a user runs it: a subprocess writing files pandas or R would read."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import pytest

from annotator.session.corpus import Corpus
from annotator.session.metadata import plan_set_metadata
from annotator.session.stances import plan_add_stance


def annotator(*args, cwd=None):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=180)


@pytest.fixture
def db(seeded_db):
    with Corpus(seeded_db) as c:
        c.apply(plan_set_metadata(c, 1, published="2024-01-20", outlet="BBC News", author="Ann Lee"))
        c.apply(plan_add_stance(c, 1, "ceasefire", "FAVOR", holder_text="Zelensky", ev_start=0, ev_end=40))
        c.apply(plan_add_stance(c, 2, "ceasefire", "AGAINST", holder_text="Putin", note='said "never",\ntwice'))
        c.apply(plan_add_stance(c, 3, "security guarantees", "NEUTRAL"))
        c.apply(c.plan_set_status(2, "accepted"))
    return seeded_db


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_stances_as_csv_one_row_per_record_with_the_document_metadata(db, tmp_path):
    out = tmp_path / "stances.csv"
    result = annotator("table", "stances", "--db", db, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "wrote 3 stances" in result.stderr
    rows = read_csv(out)
    with Corpus(db, read_only=True) as c:
        assert len(rows) == c.db.execute("SELECT count(*) FROM stances").fetchone()[0] == 3
        evidence = c.document(1).text[:40].strip()
    first = rows[0]
    assert (first["holder"], first["target"], first["value"], first["document_level"]) == ("Zelensky", "ceasefire", "FAVOR", "False")
    assert (first["published"], first["outlet"], first["author"], first["evidence"]) == ("2024-01-20", "BBC News", "Ann Lee", evidence)
    second = rows[1]  # a line break and quotes inside fields survive the round trip
    assert second["holder_text"] == "Putin" and second["note"] == 'said "never",\ntwice'
    assert (second["published"], second["outlet"], second["status"]) == ("2024-01-02", "MENAFN", "accepted")
    assert rows[2]["holder"] == "the article" and rows[2]["document_level"] == "True" and rows[2]["evidence"] == ""


def test_documents_and_entities_as_jsonl_and_filtered(db, tmp_path):
    result = annotator("table", "documents", "--db", db, "--format", "jsonl", "--out", "-")
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    with Corpus(db, read_only=True) as c:
        n_spans = dict(c.db.execute("SELECT doc_id, count(*) FROM spans GROUP BY doc_id"))
        all_spans = c.db.execute("SELECT count(*) FROM spans").fetchone()[0]
        text = c.document(2).text
    assert [d["doc_id"] for d in docs] == [1, 2, 3, 4, 5]
    assert docs[0]["published"] == "2024-01-20" and docs[0]["published_src"] == "typed"
    assert docs[1]["published_src"] == "text" and docs[1]["accepted_at"] and docs[1]["stances"] == 1
    assert all(d["entities"] == n_spans.get(d["doc_id"], 0) for d in docs)

    result = annotator("table", "entities", "--db", db, "--format", "jsonl", "--out", tmp_path / "e.jsonl")
    ents = [json.loads(line) for line in (tmp_path / "e.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(ents) == all_spans > 0
    assert all(e["text"] == text[e["start"]:e["end"]] and e["outlet"] == "MENAFN" for e in ents if e["doc_id"] == 2)

    result = annotator("table", "entities", "--db", db, "--outlet", "MENAFN", "--out", tmp_path / "menafn.csv")
    assert result.returncode == 0, result.stderr
    assert {r["doc_id"] for r in read_csv(tmp_path / "menafn.csv")} == {"2"}
    result = annotator("table", "documents", "--db", db, "--from", "2024-01-10", "--undated", "exclude", "--out", tmp_path / "d.csv")
    assert [r["doc_id"] for r in read_csv(tmp_path / "d.csv")] == ["1"]


def test_parquet_has_typed_columns(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "stances.parquet"
    result = annotator("table", "stances", "--db", db, "--format", "parquet", "--out", out)
    assert result.returncode == 0, result.stderr
    table = pq.read_table(out)
    assert table.num_rows == 3
    assert str(table.schema.field("published").type) == "date32[day]"
    assert str(table.schema.field("ev_start").type) == "int64" and str(table.schema.field("document_level").type) == "bool"
    assert table.column("holder").to_pylist() == ["Zelensky", "Putin", "the article"]


def test_bad_options_say_what_to_do_and_write_nothing(db, tmp_path):
    result = annotator("table", "stances", "--db", db, "--from", "last week", "--out", tmp_path / "x.csv")
    assert result.returncode == 2 and "'last week' is not a date" in result.stderr and "Traceback" not in result.stderr
    result = annotator("table", "stances", "--db", db, "--format", "parquet", "--out", "-")
    assert result.returncode == 2 and "give a file with --out" in result.stderr
    result = annotator("table", "actors", "--db", db)
    assert result.returncode == 2 and "actors" in result.stderr
    result = annotator("table", "stances", "--db", tmp_path / "missing.db")
    assert result.returncode == 2 and "no corpus database" in result.stderr
    assert not list(tmp_path.glob("*.csv")) and not list(tmp_path.glob(".*.tmp"))


def test_the_default_file_is_named_after_the_table_and_replaced_whole(db, tmp_path):
    (tmp_path / "stances.csv").write_text("old\n", encoding="utf-8")
    result = annotator("table", "stances", "--db", db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(read_csv(tmp_path / "stances.csv")) == 3 and not list(tmp_path.glob(".*.tmp"))
