"""The tracebacks that remained (issue 11, items 9-11): each is now a message, and good input still arrives."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_qa_cli import annotator, stats, two_process_import


@pytest.mark.slow
def test_sigint_to_the_main_process_alone_of_a_two_process_import_stops_cleanly(tmp_path):
    proc, cmd, db = two_process_import(tmp_path)
    time.sleep(3.0)
    os.kill(proc.pid, signal.SIGINT)  # `kill -INT <pid>`: the workers do not get it
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError("the import hung after SIGINT to its main process") from None
    assert proc.returncode == 130 and "Traceback" not in err and "W127" not in err, err
    kept = stats(db)["documents"]["total"]
    assert f"imported {kept} documents" in out
    again = annotator("import", tmp_path / "articles", "--db", db, "--model", "none")
    assert again.returncode == 0 and f"{kept} already in the corpus" in again.stdout
    assert stats(db)["documents"]["total"] == 160


def test_odd_file_names_and_symlink_loops_are_reported_and_the_good_files_imported(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.txt").write_text("Good article\nZelensky met Witkoff in Kyiv.", encoding="utf-8")
    with open(os.path.join(os.fsencode(src), b"caf\xe9-latin1.txt"), "wb") as fh:  # a name that is not UTF-8
        fh.write(b"Odd name\nAn article whose file name is Latin-1.")
    (src / "loop.txt").symlink_to("loop.txt")
    (src / "sub").mkdir()
    (src / "sub" / "up").symlink_to("..")
    out = annotator("import", src, "--db", tmp_path / "c.db", "--model", "none")
    assert "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 1  # finished, with a rejection
    assert "loop.txt: a symbolic link that loops back on itself" in out.stderr
    assert "imported 2 documents" in out.stdout
    sources = subprocess.run([sys.executable, "-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("
                              "'SELECT group_concat(source) FROM documents').fetchone()[0])", str(tmp_path / "c.db")],
                             capture_output=True, text=True).stdout
    assert "caf\\xe9-latin1.txt" in sources


def test_a_model_whose_config_has_a_duplicate_section_is_a_message(tmp_path):
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(tmp_path / "model")
    with open(tmp_path / "model" / "config.cfg", "a") as fh:
        fh.write('\n[nlp]\nlang = "en"\n')
    (tmp_path / "a.txt").write_text("Kyiv", encoding="utf-8")
    out = annotator("import", tmp_path / "a.txt", "--db", tmp_path / "c.db", "--model", tmp_path / "model")
    assert out.returncode != 0 and "Traceback" not in out.stderr, out.stderr
    assert "could not load the spaCy pipeline" in out.stderr and "section 'nlp' already exists" in out.stderr
    assert not (tmp_path / "c.db").exists()


def test_export_into_the_current_folder_is_a_message(tmp_path):
    db = tmp_path / "c.db"
    (tmp_path / "a.txt").write_text("Kyiv talks", encoding="utf-8")
    assert annotator("import", tmp_path / "a.txt", "--db", db, "--model", "none").returncode == 0
    subprocess.run([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
                    "c.execute(\"UPDATE documents SET status = 'accepted'\"); c.commit()", str(db)], check=True)
    here = tmp_path / "here"
    here.mkdir()
    for out_arg, cwd in ((".", here), ("..", here)):
        out = annotator("export", "--db", db, "--out", out_arg, "--format", "jsonl", cwd=cwd)
        assert out.returncode != 0 and "Traceback" not in out.stderr, out.stderr
        assert "is the current folder" in out.stderr and "--out ./export" in out.stderr
    assert here.is_dir() and not list(here.iterdir())
    out = annotator("export", "--db", db, "--out", "export", "--format", "jsonl", cwd=here)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("name, data, why", [
    ("utf16.txt", "Title\nKyiv and Moscow".encode("utf-16-le"), "UTF-16 without a byte-order mark"),
    ("nul.txt", b"Title\x00cut here\nbody", "NUL character at line 1"),
    ("lines.jsonl", b'{"text": "fine"}\n{"text": "bad\\u0000text"}\n', "NUL character (\\u0000)"),
])
def test_nul_bytes_and_utf16_without_a_bom_are_refused_by_line(tmp_path, name, data, why):
    path = tmp_path / name
    path.write_bytes(data)
    (tmp_path / "good.txt").write_text("A good article", encoding="utf-8")
    out = annotator("import", path, tmp_path / "good.txt", "--db", tmp_path / "c.db", "--model", "none")
    assert out.returncode == 1 and why in out.stderr, out.stderr
    line = 2 if name.endswith(".jsonl") else 1
    assert f"{name}:{line}:" in out.stderr
    assert stats(tmp_path / "c.db")["documents"]["total"] == (3 if name.endswith(".jsonl") else 2) - 1
    assert Path(tmp_path / "c.db").exists()
