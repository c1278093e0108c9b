"""The `annotator` command run as a user runs it: a subprocess."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def annotator(*args, cwd=None, timeout=180):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_import_with_the_default_model_then_dedupe_then_stats(tmp_path, model_id):
    db = tmp_path / "c.db"
    first = annotator("import", ROOT / "seeds", "--db", db)
    assert first.returncode == 0, first.stderr
    assert "imported 5 documents" in first.stdout
    assert f"from {model_id}" in first.stdout  # the id of the model that actually ran
    again = annotator("import", ROOT / "seeds", "--db", db, "--model", "none")
    assert again.returncode == 0
    assert "imported 0 documents" in again.stdout and "5 already in the corpus" in again.stdout
    stats = annotator("stats", "--db", db, "--json")
    assert stats.returncode == 0, stats.stderr
    data = json.loads(stats.stdout)
    assert data["documents"]["total"] == 5 and data["documents"]["new"] == 5
    assert data["entities"]["by_origin"] == {model_id: data["entities"]["total"]}
    assert data["entities"]["by_label"]["GPE"] > 10 and data["entities"]["by_label"]["PERSON"] > 10
    text = annotator("stats", "--db", db)
    assert "5 documents" in text.stdout and "by label" in text.stdout


def test_rejected_records_are_listed_and_the_good_ones_imported(tmp_path):
    db = tmp_path / "c.db"
    data = tmp_path / "mixed.jsonl"
    data.write_text(
        "\n".join(
            [
                json.dumps({"text": "Zelensky met Trump in Davos.", "spans": [{"start": 0, "end": 8, "label": "PERSON"}]}),
                "{not json",
                json.dumps({"text": "", "meta": {}}),
                json.dumps({"text": "Kyiv said no.", "spans": [{"start": 5, "end": 2, "label": "GPE"}]}),
                json.dumps({"text": "Umerov spoke.", "spans": [{"start": 0, "end": 6, "label": "NEGOTIATOR"}]}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = annotator("import", data, "--db", db, "--model", "none")
    assert result.returncode == 1
    assert f"{data}:2:" in result.stderr and f"{data}:3:" in result.stderr and f"{data}:4:" in result.stderr
    assert "imported 2 documents" in result.stdout
    assert "label NEGOTIATOR was not in the scheme: added it" in result.stdout
    stats = json.loads(annotator("stats", "--db", db, "--json").stdout)
    assert stats["entities"]["by_label"] == {"PERSON": 1, "NEGOTIATOR": 1}


def test_a_model_that_cannot_be_loaded_is_a_clear_error(tmp_path):
    result = annotator("import", ROOT / "seeds", "--db", tmp_path / "c.db", "--model", "no_such_pipeline")
    assert result.returncode == 8  # the exit code of the error family's kind "model"
    assert "could not load the spaCy pipeline 'no_such_pipeline'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_that_is_not_sqlite_is_refused_without_traceback(tmp_path):
    db = tmp_path / "bad.db"
    db.write_text("hello " * 1000)
    result = annotator("stats", "--db", db)
    assert result.returncode == 7 and "not a usable annotator database" in result.stderr  # kind "damaged"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("entry", [["-m", "annotator"], ["-c", "from annotator.cli import main; main()"]])
def test_entry_points_show_help(entry):
    result = subprocess.run([sys.executable, *entry, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "import" in result.stdout and "stats" in result.stdout
    script = Path(sys.executable).with_name("annotator")
    assert script.exists()


def test_stats_shows_stances_by_target_and_value_and_by_holder(seeded_db):
    from annotator.session import Corpus
    from annotator.session.stances import plan_add_stance

    with Corpus(seeded_db) as corpus:
        doc = corpus.document_rows(limit=1)[0].id
        text = corpus.document(doc).text
        zelensky = next(s for s in corpus.spans(doc) if text[s.start : s.end] == "Volodymyr Zelensky")
        corpus.apply(plan_add_stance(corpus, doc, "ceasefire", "FAVOR", holder_span_id=zelensky.id, ev_start=zelensky.start,
                                     ev_end=text.index(".", zelensky.start)))
        corpus.apply(plan_add_stance(corpus, doc, "security guarantees", "AGAINST", holder_text="the article"))
    data = json.loads(annotator("stats", "--db", seeded_db, "--json").stdout)
    st = data["stances"]
    assert st["total"] == 2 and st["document_level"] == 1
    assert st["by_target"]["ceasefire"] == {"FAVOR": 1} and st["by_target"]["security guarantees"] == {"AGAINST": 1}
    assert st["by_holder"] == {"Volodymyr Zelensky": {"FAVOR": 1}, "the article": {"AGAINST": 1}}
    text_out = annotator("stats", "--db", seeded_db).stdout
    assert "Volodymyr Zelensky" in text_out and "ceasefire" in text_out and "AGAINST" in text_out
