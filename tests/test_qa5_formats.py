"""QA round 5 on issue 10: defects found by trying each tool's files as a new user would, each
driven through the CLI as a subprocess (exit codes and messages are what the user sees)."""

from __future__ import annotations

from pathlib import Path

from cli_run import annotator, jsonl


def test_a_symlink_loop_named_on_the_command_line_costs_only_itself(tmp_path):
    (tmp_path / "loop").symlink_to("loop")
    (tmp_path / "ok.txt").write_text("A good article.\n", encoding="utf-8")
    proc = annotator("import", "loop", "ok.txt", "--db", "c.db", "--model", "none", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "unexpected" not in proc.stderr
    assert "rejected loop:" in proc.stderr and "imported 1 documents" in proc.stdout


def test_binary_answers_on_one_text_merge_without_an_unexplained_exit_9(tmp_path):
    """ner.teach answers on one text are one document by design: nothing was changed, so exit 0; a
    binary answer whose span had to be trimmed still says so and exits 9."""
    text = "Merkel visited Paris on Monday."
    teach = [{"text": text, "spans": [{"start": 15, "end": 20, "label": "GPE"}], "_view_id": "ner", "answer": "accept"},
             {"text": text, "spans": [{"start": 0, "end": 6, "label": "ORG"}], "_view_id": "ner", "answer": "reject"}]
    data = jsonl(tmp_path / "teach.jsonl", *teach)
    proc = annotator("import", data, "--db", "c.db", "--model", "none", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "imported 1 documents" in proc.stdout and "1 binary answers (ner.teach) merged" in proc.stdout
    trimmed = jsonl(tmp_path / "trim.jsonl", *teach[:1],
                    {"text": text, "spans": [{"start": 23, "end": 31, "label": "DATE"}], "_view_id": "ner", "answer": "accept"})
    proc = annotator("import", trimmed, "--db", "t.db", "--model", "none", cwd=tmp_path)
    assert proc.returncode == 9 and f"changed {trimmed}:2: span 1 [23, 31)" in proc.stderr


def _rows(db: Path) -> dict:
    import sqlite3

    con = sqlite3.connect(db)
    out = {}
    for doc_id, text, status in con.execute("SELECT id, text, status FROM documents"):
        out[text] = (status,
                     con.execute("SELECT start, end, label FROM spans WHERE doc_id = ? ORDER BY start", [doc_id]).fetchall(),
                     con.execute("SELECT start, end, label FROM rejected_spans WHERE doc_id = ?", [doc_id]).fetchall(),
                     con.execute("SELECT head_start, head_end, child_start, child_end, label FROM relations WHERE doc_id = ?",
                                 [doc_id]).fetchall())
    con.close()
    return out


def test_relations_and_rejected_suggestions_are_kept_or_said_by_every_export(tmp_path):
    """doccano wrote no relations and no format said that it dropped rejected suggestions or relations;
    the DocBin reader did not read back the rejected suggestions our DocBin holds."""
    rel = {"text": "Macron phoned Scholz.", "answer": "accept", "_view_id": "relations",
           "spans": [{"start": 0, "end": 6, "label": "PERSON"}, {"start": 14, "end": 20, "label": "PERSON"}],
           "relations": [{"head": 0, "child": 2, "label": "CALLED", "head_span": {"start": 0, "end": 6, "label": "PERSON"},
                          "child_span": {"start": 14, "end": 20, "label": "PERSON"}}]}
    teach = {"text": "Drones hit Odesa port.", "spans": [{"start": 11, "end": 16, "label": "PERSON"}], "_view_id": "ner",
             "answer": "reject"}
    data = jsonl(tmp_path / "p.jsonl", rel, teach)
    assert annotator("import", data, "--db", "c.db", "--model", "none", cwd=tmp_path).returncode == 0
    gold = _rows(tmp_path / "c.db")
    said = {}
    for fmt in ("doccano", "labelstudio", "spacy"):
        proc = annotator("export", "--db", "c.db", "--out", fmt, "--format", fmt, "--dev", "0", "--include", "in_progress",
                         cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        said[fmt] = proc.stderr
        proc = annotator("import", fmt, "--db", f"{fmt}.db", "--model", "none", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    assert _rows(tmp_path / "doccano.db")["Macron phoned Scholz."] == gold["Macron phoned Scholz."]
    assert "note: 1 rejected suggestion (answers \"not this label\") not written: the doccano format" in said["doccano"]
    assert "rejected suggestion" in said["labelstudio"] and "relation" not in said["labelstudio"]
    assert "note: 1 relation not written: the spacy format cannot hold them" in said["spacy"]
    assert _rows(tmp_path / "spacy.db")["Drones hit Odesa port."][2] == [(11, 16, "PERSON")]


def test_formats_describes_every_registered_item(tmp_path):
    proc = annotator("formats", cwd=tmp_path)
    assert proc.returncode == 0
    rows = [line.split(None, 1) for line in proc.stdout.splitlines() if line.startswith("  ")]
    assert rows and all(len(row) == 2 and row[1].strip() for row in rows), proc.stdout  # the actors extension had none


def test_the_summary_grades_a_small_corpus_as_spacy_debug_data_does():
    """spaCy's debug data fails (✘) under 100 training documents and warns under 2,000; the summary said
    'warn' for 5 documents and nothing for 500."""
    from types import SimpleNamespace

    from annotator.session.export_checks import debug_checks

    def split(docs):
        return SimpleNamespace(documents=docs, entities={"GPE": 100})

    def levels(n):
        return [c.level for c in debug_checks({"train": split(n), "dev": split(10)}, {}, "spacy")
                if c.message.startswith("Low number of examples to train")]

    assert levels(5) == ["fail"] and levels(500) == ["warn"] and levels(2000) == []
