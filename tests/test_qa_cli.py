"""The command line as a demanding analyst meets it: messy input, interrupts, odd options. A subprocess each."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def annotator(*args, cwd=None, timeout=180):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def stats(db: Path) -> dict:
    result = annotator("stats", "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def two_process_import(tmp_path: Path) -> tuple[subprocess.Popen, list[str], Path]:
    """`import` of 160 articles with 2 pre-annotation processes, in a session of its own, once both workers run:
    (the process, its command, the database)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(160):
        (folder / f"a{i:03}.txt").write_text(f"Copy {i}\n" + SEEDS[i % len(SEEDS)].read_text(), encoding="utf-8")
    db = tmp_path / "c.db"
    cmd = [sys.executable, "-m", "annotator", "import", str(folder), "--db", str(db), "--n-process", "2", "--batch-size", "4"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(_children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(_children(proc.pid)) >= 2, "the pre-annotation workers never started"
    return proc, cmd, db


def test_ctrl_c_during_a_two_process_import_stops_cleanly_and_a_rerun_completes(tmp_path):
    # a terminal's Ctrl+C goes to the whole foreground process group: the workers get it too
    proc, cmd, db = two_process_import(tmp_path)
    # long enough for the workers to annotate some texts: 2 s on an idle machine, longer on a loaded one
    time.sleep(2.0 * max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1)))
    os.killpg(proc.pid, signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError("the import hung after Ctrl+C") from None
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "W127" not in err, err
    assert "interrupted" in err
    kept = stats(db)["documents"]["total"]
    assert 0 < kept < 160, "what was annotated before the interrupt is kept"
    assert f"imported {kept} documents" in out
    again = annotator("import", tmp_path / "articles", "--db", db, "--model", "none")
    assert again.returncode == 0, again.stderr
    assert f"{kept} already in the corpus" in again.stdout
    assert stats(db)["documents"]["total"] == 160


def _accept_all_with_a_stance(db: Path) -> None:
    from annotator.session.corpus import Corpus
    from annotator.session.stances import plan_add_stance

    with Corpus(db) as corpus:
        ids = [r[0] for r in corpus.db.execute("SELECT id FROM documents ORDER BY id")]
        for doc_id in ids:
            corpus.apply(corpus.plan_set_status(doc_id, "accepted"))
        corpus.apply(plan_add_stance(corpus, ids[0], "ceasefire", "AGAINST", holder_text="Kremlin"))


def _gold(db: Path, status: str = "accepted") -> tuple[dict, list]:
    import sqlite3

    con = sqlite3.connect(db)
    texts = dict(con.execute("SELECT sha256, text FROM documents WHERE status = ?", [status]))
    spans = con.execute(
        "SELECT d.sha256, s.start, s.end, s.label FROM spans s JOIN documents d ON d.id = s.doc_id"
        " WHERE d.status = ? ORDER BY 1, 2", [status]
    ).fetchall()
    con.close()
    return texts, spans


def test_an_export_folder_imports_back_whole_without_its_readme_or_stances(seeded_db, tmp_path):
    _accept_all_with_a_stance(seeded_db)
    exports = tmp_path / "exports"
    for fmt in ("jsonl", "doccano", "spacy"):
        done = annotator("export", "--db", seeded_db, "--format", fmt, "--out", exports / fmt)
        assert done.returncode == 0, done.stderr
    texts, spans = _gold(seeded_db)
    for fmt in ("jsonl", "doccano"):
        db = tmp_path / f"{fmt}.db"
        back = annotator("import", exports / fmt, "--db", db, "--model", "none")
        assert back.returncode == 0, back.stderr
        assert f"imported {len(texts)} documents" in back.stdout
        # doccano has no status, but our export keeps it apart from meta and it comes back (issue 10, point 8)
        assert _gold(db, "accepted") == (texts, spans)
    # every export imports back now, the DocBin too (issue 10): the second and third copies of each text are told
    whole = annotator("import", exports, "--db", tmp_path / "all.db", "--model", "none")
    assert whole.returncode == 9, whole.stderr  # nothing rejected; repeats reported as changed
    assert "README" not in whole.stderr and "stances" not in whole.stderr
    assert "imported 5 documents" in whole.stdout
    assert whole.stderr.count("the same text and annotations as") == 10
    assert _gold(tmp_path / "all.db", "accepted") == (texts, spans)


def _help(*command: str) -> str:
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1", TERM="dumb")
    result = subprocess.run(
        [sys.executable, "-m", "annotator", *command, "--help"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.split())


def test_help_says_what_db_does_for_each_command_and_how_to_open_the_window():
    assert "no command" in _help() and "window" in _help()
    for command in ("import", "run"):
        assert "created if missing" in _help(command)
    for command in ("stats", "export"):
        text = _help(command)
        assert "created if missing" not in text and "must exist" in text
    assert "created if missing" not in _help("restore")
    assert "[default: default]" not in _help("import")


def test_label_studio_and_json_arrays_import(tmp_path):
    """They were refused with a hint; Label Studio and JSON arrays are formats now (issue 10)."""
    task = {"id": 1, "data": {"text": "Biden spoke."}, "annotations": [{"result": [
        {"value": {"start": 0, "end": 5, "text": "Biden", "labels": ["PERSON"]}, "type": "labels"}]}]}
    (tmp_path / "ls.json").write_text(json.dumps([task], indent=2), encoding="utf-8")
    (tmp_path / "ls.jsonl").write_text(json.dumps(task) + "\n", encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps({"text": "Lavrov replied."}) + "\n", encoding="utf-8")
    result = annotator("import", tmp_path / "ls.json", tmp_path / "ls.jsonl", tmp_path / "one.json",
                       "--db", tmp_path / "c.db", "--model", "none")
    assert result.returncode == 9, result.stderr  # the repeated task is told, nothing is rejected
    assert result.stderr.strip().splitlines() == [
        f"changed {tmp_path / 'ls.jsonl'}:1: the same text and annotations as {tmp_path / 'ls.json'}:2: skipped"]
    assert "imported 2 documents" in result.stdout


def test_a_model_that_cannot_be_loaded_leaves_no_new_database_behind(tmp_path):
    db = tmp_path / "new.db"
    result = annotator("import", ROOT / "seeds", "--db", db, "--model", tmp_path / "no-such-pipeline")
    assert result.returncode == 8  # kind "model"
    assert result.stderr.startswith("error: could not load the spaCy pipeline") and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [], "nothing was imported, so nothing is created"
