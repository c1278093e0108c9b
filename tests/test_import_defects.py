"""Issue 10's defects, each as a user meets it: the CLI as a subprocess where the exit code and the
messages matter, the session API where the stored result does."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_run import annotator, jsonl
from export_synth import records

from annotator.core.records import Record, Rejection
from annotator.io.readers import read_paths
from annotator.session.corpus import Corpus
from annotator.session.export import ExportOptions, export_corpus
from annotator.session.importer import store_records
from annotator.session.imports import ImportOptions, import_paths


def test_duplicates_by_line_with_a_policy_and_an_exit_code_that_says_so(tmp_path):
    """Point 4 (same text twice, other annotations) and point 5 (a span with a space at its edge)."""
    text = "Kyiv and Moscow talk."
    data = jsonl(tmp_path / "d.jsonl",
                 {"text": text, "spans": [{"start": 0, "end": 4, "label": "GPE"}], "answer": "accept"},
                 {"text": "Other text.", "answer": "accept"},
                 {"text": text, "spans": [{"start": 9, "end": 15, "label": "GPE"}], "answer": "accept"},
                 {"text": text, "spans": [{"start": 0, "end": 4, "label": "GPE"}], "answer": "accept"},
                 {"text": "Paris  said.", "spans": [{"start": 0, "end": 6, "label": "GPE"}], "answer": "accept"})
    proc = annotator("import", data, "--db", "first.db", "--model", "none", cwd=tmp_path)
    assert proc.returncode == 9, proc.stderr  # nothing rejected, but records changed
    assert f"changed {data}:3: the same text as {data}:1 with other annotations: kept the first (--on-duplicate first)" in proc.stderr
    assert f"changed {data}:4: the same text and annotations as {data}:1: skipped" in proc.stderr
    assert f"changed {data}:5: span 1 [0, 6) 'Paris ' had whitespace at an edge: trimmed to [0, 5) 'Paris'" in proc.stderr
    assert "imported 3 documents" in proc.stdout and "3 changed (0 merged)" in proc.stdout

    proc = annotator("import", data, "--db", "merge.db", "--model", "none", "--on-duplicate", "merge", cwd=tmp_path)
    assert proc.returncode == 9 and "merged into it" in proc.stderr
    with Corpus(tmp_path / "merge.db", read_only=True) as corpus:
        doc = corpus.document_rows(search="Moscow")[0]
        assert [(s.start, s.end) for s in corpus.spans(doc.id)] == [(0, 4), (9, 15)]

    proc = annotator("import", data, "--db", "error.db", "--model", "none", "--on-duplicate", "error", cwd=tmp_path)
    assert proc.returncode == 1
    assert f"rejected {data}:3: the same text as {data}:1 with other annotations (--on-duplicate error)" in proc.stderr

    clean = jsonl(tmp_path / "clean.jsonl", {"text": "Clean.", "answer": "accept"})
    assert annotator("import", clean, "--db", "clean.db", "--model", "none", cwd=tmp_path).returncode == 0


def test_status_option_makes_imported_gold_exportable(tmp_path):
    """Point 9: gold without an answer (doccano) imported as accepted, then exported from the CLI."""
    data = jsonl(tmp_path / "gold.jsonl", {"text": "Rome and Milan.", "label": [[0, 4, "GPE"], [9, 14, "GPE"]]},
                 {"text": "Turin.", "label": [[0, 5, "GPE"]]})
    proc = annotator("import", data, "--db", "g.db", "--model", "none", "--status", "accepted", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = annotator("export", "--db", "g.db", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["splits"]["train"]["documents"] == 1 and manifest["splits"]["dev"]["documents"] == 1


def test_doccano_round_trip_keeps_spans_that_do_not_align_with_tokens(tmp_path):
    """Point 6: character formats store characters; only the DocBin needs tokens."""
    corpus = Corpus(tmp_path / "a.db")
    text = "The U.S.-based firm Acme Corp. reported."
    store_records(corpus, [Record(text=text, spans=[(4, 8, "GPE"), (20, 24, "ORG")], status="accepted")])
    out = export_corpus(corpus, ExportOptions(out=tmp_path / "out", fmt="doccano", dev=0))
    line = json.loads((out.folder / "train.jsonl").read_text())
    assert line["label"] == [[4, 8, "GPE"], [20, 24, "ORG"]]
    again = Corpus(tmp_path / "b.db")
    report = import_paths(again, [out.folder / "train.jsonl"], model="none")
    assert not report.rejected
    assert [(s.start, s.end, s.label) for s in again.spans(report.added[0])] == [(4, 8, "GPE"), (20, 24, "ORG")]
    assert again.document(report.added[0]).status == "accepted"  # point 8: the status comes back
    assert again.document(report.added[0]).meta == {}  # and our keys do not land in meta


def test_crlf_is_reported_and_a_label_with_whitespace_survives_conll(tmp_path):
    """Point 10: \\r\\n normalised with a message; a label with a space no longer breaks the CoNLL export."""
    data = tmp_path / "win.txt"
    data.write_bytes(b"Kyiv talks\r\nresumed.\r\n")
    corpus = Corpus(tmp_path / "a.db")
    report = import_paths(corpus, [data], model="none")
    assert [str(n) for n in report.notes] == [f"{data}: line breaks \\r\\n (or \\r) changed to \\n"]
    store_records(corpus, [Record(text="Talks in New York.", spans=[(9, 17, "BIG CITY")], status="accepted")])
    out = export_corpus(corpus, ExportOptions(out=tmp_path / "out", fmt="conll", dev=0))
    assert "New B-BIG_CITY\nYork I-BIG_CITY" in (out.folder / "train.conll").read_text()
    assert any("label 'BIG CITY' has whitespace" in n for n in out.notes)


def test_unreadable_names_loops_and_huge_files_cost_only_themselves(tmp_path):
    """Point 10: a file name that is not UTF-8, a symlink loop and a 200 MB .txt are reported; the rest imports."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("A good article.", encoding="utf-8")
    bad_name = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(bad_name, "wb") as f:
        f.write(b"Caf\xc3\xa9 news.")
    os.symlink(folder / "loop.txt", folder / "loop.txt")
    huge = folder / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: the size is checked before anything is read
    items = list(read_paths([folder]))
    texts = sorted(i.text for i in items if not isinstance(i, Rejection))
    assert texts == ["A good article.", "Café news."]
    reasons = {Path(i.source).name: i.reason for i in items if isinstance(i, Rejection)}
    assert "over the limit of 5,000,000 characters" in reasons["huge.txt"]
    assert "loop.txt" in reasons
    proc = annotator("import", folder, "--db", "x.db", "--model", "none", cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "imported 2 documents" in proc.stdout
    with Corpus(tmp_path / "x.db", read_only=True) as corpus:
        assert {corpus.document(r.id).meta["file"] for r in corpus.document_rows()} == {"good.txt", "caf\\xe9.txt"}  # a name that is not UTF-8 is shown as \\xNN


def test_prodigy_relations_are_kept_and_exported_back(tmp_path):
    """Point 10: relations were dropped without a message."""
    text = "Biden called Scholz."
    head, child = {"start": 0, "end": 5, "label": "PERSON"}, {"start": 13, "end": 19, "label": "PERSON"}
    data = jsonl(tmp_path / "rel.jsonl", {"text": text, "spans": [head, child], "answer": "accept",
                                          "relations": [{"head": 0, "child": 2, "head_span": head, "child_span": child, "label": "CALLED"}]})
    corpus = Corpus(tmp_path / "a.db")
    import_paths(corpus, [data], model="none")
    out = export_corpus(corpus, ExportOptions(out=tmp_path / "out", fmt="jsonl", dev=0))
    task = json.loads((out.folder / "train.jsonl").read_text().splitlines()[0])
    assert task["relations"][0]["label"] == "CALLED"
    assert task["relations"][0]["head_span"]["start"] == 0 and task["relations"][0]["child_span"]["end"] == 19


@pytest.mark.parametrize(("n", "dev", "expected"), [(1, 0.2, (1, 0)), (2, 0.2, (1, 1)), (3, 0.2, (2, 1)), (5, 0.2, (4, 1))])
def test_the_split_never_leaves_train_empty(tmp_path, n, dev, expected):
    """Point 11: one document went to dev (train 0, E923 in spacy debug data); three at 0.2 gave 1 train / 2 dev."""
    corpus = Corpus(tmp_path / "a.db")
    store_records(corpus, records(n, seed=7))
    result = export_corpus(corpus, ExportOptions(out=tmp_path / "out", dev=dev))
    assert (result.splits["train"].documents, result.splits["dev"].documents) == expected
    assert (result.folder / "stances.jsonl").exists()
    if n == 1:
        assert any(c.message.startswith("No evaluation docs") for c in result.checks)
        assert "config.cfg evaluates on the train set" in " ".join(result.notes)
        assert 'dev = "train.spacy"' in (result.folder / "config.cfg").read_text()


def test_the_summary_runs_the_debug_data_checks(tmp_path):
    """Point 11: a label only in dev is a warning in the summary (CLI) and the manifest."""
    corpus = Corpus(tmp_path / "a.db")
    store_records(corpus, records(10, seed=7))
    result = export_corpus(corpus, ExportOptions(out=tmp_path / "probe", dev=0.2))
    # give one dev document a label nothing in train has
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    dev_text = next(DocBin().from_disk(result.folder / "dev.spacy").get_docs(Vocab())).text
    doc_id = corpus.db.execute("SELECT id FROM documents WHERE text = ?", [dev_text]).fetchone()[0]
    corpus.db.execute("DELETE FROM spans WHERE doc_id = ?", [doc_id])
    corpus.db.execute("INSERT INTO labels (name, color) VALUES ('RARE', '#ffffff')")
    corpus.db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (?, 0, 1, 'RARE')", [doc_id])
    corpus.close()
    proc = annotator("export", "--db", tmp_path / "a.db", "--out", tmp_path / "out", "--dev", "0.2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "warn: Label 'RARE' occurs only in dev" in proc.stdout
    checks = json.loads((tmp_path / "out" / "manifest.json").read_text())["checks"]
    assert {"level": "warn", "message": "Label 'RARE' occurs only in dev (1): it is not present in train data"} in checks


def test_import_options_are_checked(tmp_path):
    corpus = Corpus(tmp_path / "a.db")
    from annotator.core.errors import BadInput

    with pytest.raises(BadInput, match="--on-duplicate takes first, merge, error"):
        import_paths(corpus, [], model="none", options=ImportOptions(on_duplicate="last"))
