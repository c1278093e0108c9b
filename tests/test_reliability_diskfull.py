"""Disk full or a read-only file during an edit: the edit is refused with a message, nothing is half-written.

Three ways to make writes fail, from most to least real:
- a real 2 MB tmpfs filled up (needs `mount`, which works as root here; skipped where it does not);
- a real read-only file: `chattr +i` on the database and its WAL while the corpus is open (root
  ignores chmod, not the immutable flag; skipped where chattr is missing or unsupported);
- fault injection that always runs: PRAGMA max_page_count (SQLite's own "database or disk is full")
  and PRAGMA query_only (SQLite's "attempt to write a readonly database").
"""

import os
import shutil
import subprocess

import pytest

from annotator.core.records import Record
from annotator.session.corpus import Corpus, EditError
from annotator.session.importer import store_records


def fill(path, n=20):
    records = [Record(text=f"Report {i}: Zelensky met Witkoff in Kyiv on day {i}.", title=f"r{i}", source="t") for i in range(n)]
    with Corpus(path) as corpus:
        store_records(corpus, records)


def state(corpus):
    spans = corpus.db.execute("SELECT id, doc_id, start, end, label FROM spans ORDER BY id").fetchall()
    docs = corpus.db.execute("SELECT id, status, (SELECT count(*) FROM spans WHERE doc_id = documents.id) FROM documents ORDER BY id").fetchall()
    history = corpus.db.execute("SELECT count(*) FROM history").fetchone()[0]
    return spans, docs, history


def edit_until_refused(corpus, limit=3000):
    """Add entities until an edit is refused; returns the error and the state just before it."""
    heard = []
    corpus.subscribe(heard.append)
    for i in range(limit):
        doc = 1 + i % corpus.count_documents()
        text = corpus.document(doc).text
        start = text.index("Zelensky") if i % 2 else text.index("Kyiv")
        end = start + (8 if i % 2 else 4)
        existing = [s for s in corpus.spans(doc) if s.start == start]
        change = (corpus.plan_relabel_span(existing[0].id, "ORG" if existing[0].label != "ORG" else "PERSON")
                  if existing else corpus.plan_add_span(doc, start, end, "PERSON"))
        before, n_heard = state(corpus), len(heard)
        try:
            corpus.apply(change)
        except EditError as exc:
            assert len(heard) == n_heard, "listeners hear only of saved edits"
            return exc, before
    pytest.fail(f"no edit was refused in {limit} tries")


@pytest.fixture
def tiny_disk(tmp_path):
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if shutil.which("mount") is None or subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True
    ).returncode:
        pytest.skip("cannot mount a tmpfs here")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill_disk(folder):
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 65536)
    except OSError:
        pass
    try:
        while True:
            os.write(fd, b"\0" * 512)
    except OSError:
        pass
    os.close(fd)
    return filler


def test_a_full_disk_refuses_the_edit_with_a_message_and_keeps_every_saved_one(tiny_disk):
    db = tiny_disk / "corpus.db"
    fill(db)
    corpus = Corpus(db)
    filler = fill_disk(tiny_disk)
    err, before = edit_until_refused(corpus)
    assert str(err).startswith("could not save: disk full")
    assert state(corpus) == before, "the refused edit left no trace: no span, no count, no history row"
    filler.unlink()
    corpus.apply(corpus.plan_set_status(1, "accepted"))  # space again: editing goes on
    assert corpus.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    saved = state(corpus)
    corpus.close()
    with Corpus(db) as again:
        assert state(again) == saved and again.document(1).status == "accepted"


def test_sqlite_disk_full_by_fault_injection_is_refused_the_same_way(tmp_path):
    db = tmp_path / "corpus.db"
    fill(db)
    with Corpus(db) as corpus:
        pages = corpus.db.execute("PRAGMA page_count").fetchone()[0]
        corpus.db.execute(f"PRAGMA max_page_count = {pages}")
        err, before = edit_until_refused(corpus)
        assert str(err).startswith("could not save: disk full")
        assert state(corpus) == before
        corpus.db.execute("PRAGMA max_page_count = 1073741823")
        corpus.apply(corpus.plan_set_status(2, "skipped"))
        assert corpus.document(2).status == "skipped"


def chattr(flag, *paths):
    return subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True).returncode == 0


def test_a_file_made_read_only_during_editing_refuses_the_edit_and_recovers(tmp_path):
    if shutil.which("chattr") is None:
        pytest.skip("no chattr here")
    db = tmp_path / "corpus.db"
    fill(db)
    corpus = Corpus(db)
    corpus.apply(corpus.plan_set_status(1, "in_progress"))
    files = [db, db.with_name("corpus.db-wal")]  # not the -shm: it is memory-mapped
    if not chattr("+i", *files):
        corpus.close()
        pytest.skip("this filesystem has no immutable flag")
    try:
        before = state(corpus)
        with pytest.raises(EditError, match="could not save: the database is read-only"):
            corpus.apply(corpus.plan_set_status(1, "accepted"))
        assert state(corpus) == before and corpus.document(1).status == "in_progress"
    finally:
        chattr("-i", *files)
    corpus.apply(corpus.plan_set_status(1, "accepted"))
    corpus.close()
    with Corpus(db) as again:
        assert again.document(1).status == "accepted"
        assert again.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_read_only_by_fault_injection_is_refused_the_same_way(tmp_path):
    db = tmp_path / "corpus.db"
    fill(db)
    with Corpus(db) as corpus:
        corpus.db.execute("PRAGMA query_only = ON")
        before = state(corpus)
        with pytest.raises(EditError, match="could not save: the database is read-only"):
            corpus.apply(corpus.plan_add_span(1, 0, 6, "ORG"))
        assert state(corpus) == before
        corpus.db.execute("PRAGMA query_only = OFF")
