"""Read-only commands change nothing, refuse what is not a corpus, and work on read-only media;
backups survive a clock put back; restore takes only this corpus's backups; the database
itself refuses overlapping entities (issue 11: 4, 5, 14)."""

import datetime as dt
import shutil
import sqlite3
import subprocess
import sys

import pytest

from annotator.core.records import Record
from annotator.session.corpus import Corpus, EditError
from annotator.session.importer import store_records
from annotator.storage import backup as backup_mod
from annotator.storage.backup import KEEP_BEFORE_RESTORE, list_backups, make_backup, restore


def annotator(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def make(path, n=3):
    with Corpus(path) as corpus:
        store_records(corpus, [Record(f"Kyiv report {i}: Zelensky met Witkoff.", f"t{i}", status="accepted") for i in range(n)])


def files(folder):
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


# ---- 5 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [["stats"], ["export", "--out", "out"]])
def test_read_only_commands_refuse_an_empty_file_and_another_programs_database_and_change_nothing(tmp_path, command):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('borscht')")
    conn.commit()
    conn.close()
    before = files(tmp_path)
    out = annotator(*command, "--db", empty, cwd=tmp_path)
    assert out.returncode != 0 and "empty file, not an annotator corpus" in out.stderr and "Traceback" not in out.stderr
    out = annotator(*command, "--db", other, cwd=tmp_path)
    assert out.returncode != 0 and "not an annotator corpus" in out.stderr and "recipes" in out.stderr
    assert files(tmp_path) == before, "no schema added, no WAL switch, no -wal/-shm left"
    assert not (tmp_path / "out").exists()


def test_stats_and_export_of_a_corpus_leave_its_file_byte_for_byte(tmp_path):
    db = tmp_path / "c.db"
    make(db)
    shutil.rmtree(tmp_path / "c.db.backups")
    before = files(tmp_path)
    assert annotator("stats", "--db", db).returncode == 0
    assert annotator("export", "--db", db, "--out", tmp_path / "out", "--format", "jsonl").returncode == 0
    after = files(tmp_path)
    assert after.pop("c.db") == before.pop("c.db"), "the database file is byte for byte the same"
    assert after.pop("c.db-wal", b"") == b"", "no frame written (SQLite may leave an empty -wal and an -shm)"
    after.pop("c.db-shm", None)
    assert after == before


@pytest.fixture
def read_only_media(tmp_path):
    """A folder mounted read-only (a bind mount remounted ro: needs root and mount); skipped with the reason otherwise."""
    src, mnt = tmp_path / "src", tmp_path / "media"
    src.mkdir()
    mnt.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command: cannot make read-only media")
    if subprocess.run(["mount", "--bind", str(src), str(mnt)], capture_output=True).returncode:
        pytest.skip("mount --bind is not allowed here (needs root): cannot make read-only media")
    yield src, mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_a_corpus_on_read_only_media_can_be_read_by_stats_and_export(read_only_media, tmp_path):
    src, mnt = read_only_media
    make(src / "c.db")
    if subprocess.run(["mount", "-o", "remount,bind,ro", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot remount read-only here")
    with pytest.raises(OSError):
        (mnt / "probe").write_text("x")
    out = annotator("stats", "--db", mnt / "c.db")
    assert out.returncode == 0, out.stderr
    assert "3 documents" in out.stdout
    out = annotator("export", "--db", mnt / "c.db", "--out", tmp_path / "out", "--format", "jsonl")
    assert out.returncode == 0, out.stderr
    assert len((tmp_path / "out" / "train.jsonl").read_text().splitlines()) + len(
        (tmp_path / "out" / "dev.jsonl").read_text().splitlines()) == 3
    with Corpus(mnt / "c.db", read_only=True) as corpus, pytest.raises(EditError, match="read-only"):
        corpus.apply(corpus.plan_set_status(1, "new"))


# ---- 4 ---------------------------------------------------------------------------------------
_REAL = dt.datetime


class _Clock(_REAL):
    times: list = []

    @classmethod
    def now(cls, tz=None):
        return cls.times.pop(0) if tz is dt.UTC else _REAL.now(tz)  # backups ask in UTC


def test_a_clock_put_back_neither_prunes_the_new_backup_nor_makes_restore_pick_an_old_one(tmp_path, monkeypatch):
    db = tmp_path / "c.db"
    make(db)
    utc = dt.UTC
    # the clock goes back an hour after the third backup (a DST change, an NTP correction)
    _Clock.times = [dt.datetime(2026, 10, 25, 1, 50 + i, tzinfo=utc) for i in range(3)] + [
        dt.datetime(2026, 10, 25, 0, 55 + i, tzinfo=utc) for i in range(3)]
    monkeypatch.setattr(backup_mod.datetime, "datetime", _Clock)
    made = []
    corpus = Corpus(db)
    for i in range(6):
        corpus.apply(corpus.plan_set_status(1, ["new", "skipped"][i % 2]))
        made.append(make_backup(db, source=corpus.db.conn, keep=3))
    monkeypatch.undo()
    corpus.backups = None  # no backup on close: the six above are the test
    corpus.close()
    listed = [b.path for b in list_backups(db)]
    assert listed == made[::-1][:3], "newest first by sequence, the last three kept"
    assert listed[0].name.endswith("-000007.db") and "T005700Z" in listed[0].name
    restored, _ = restore(db)
    assert restored == made[-1]


def test_restore_refuses_a_backup_of_another_corpus_or_a_foreign_file_and_before_restore_copies_are_bounded(tmp_path):
    db, other = tmp_path / "a.db", tmp_path / "b.db"
    make(db)
    make(other)
    alien = tmp_path / "alien.db"
    conn = sqlite3.connect(alien)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    out = annotator("restore", "--db", db, "--backup", list_backups(other)[0].path, "--yes")
    assert out.returncode != 0 and "a backup of another corpus" in out.stderr and "Traceback" not in out.stderr
    out = annotator("restore", "--db", db, "--backup", alien, "--yes")
    assert out.returncode != 0 and "not an annotator corpus" in out.stderr
    assert db.read_bytes() == before
    for _ in range(KEEP_BEFORE_RESTORE + 3):
        restore(db)
    assert sum(b.before_restore for b in list_backups(db)) == KEEP_BEFORE_RESTORE


# ---- 14 --------------------------------------------------------------------------------------
def test_the_database_itself_refuses_overlapping_entities(tmp_path):
    db = tmp_path / "c.db"
    make(db)
    with Corpus(db) as corpus:
        corpus.apply(corpus.plan_add_span(1, 0, 4, "GPE"))
        with pytest.raises(sqlite3.IntegrityError, match="entities would overlap"):
            corpus.db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (1, 2, 10, 'ORG')")
        span = corpus.spans(1)[0]
        corpus.db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (1, 5, 11, 'ORG')")
        with pytest.raises(sqlite3.IntegrityError, match="entities would overlap"):
            corpus.db.execute("UPDATE spans SET end = 7 WHERE id = ?", [span.id])
        assert [(s.start, s.end) for s in corpus.spans(1)] == [(0, 4), (5, 11)]
