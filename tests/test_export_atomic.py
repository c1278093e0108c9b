"""An export appears whole or not at all: failures, cancels and interrupts leave no output and no temp folder."""

from __future__ import annotations

import errno

import pytest
from export_synth import records

from annotator.io import export_formats, export_spacy
from annotator.session.corpus import Corpus
from annotator.session.export import ExportCancelled, ExportError, ExportOptions, export_corpus
from annotator.session.importer import store_records


@pytest.fixture
def gold(tmp_path) -> Corpus:
    corpus = Corpus(tmp_path / "gold.db")
    store_records(corpus, records(120, seed=21))
    yield corpus
    corpus.close()


def leftovers(parent) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_a_write_failing_after_the_first_shard_leaves_nothing(gold, tmp_path, monkeypatch):
    flush = export_spacy.DocBinWriter._flush
    written = []

    def flaky(self):
        if written:
            raise OSError(errno.ENOSPC, "No space left on device")
        flush(self)
        written.append(self.shards[-1])

    monkeypatch.setattr(export_spacy.DocBinWriter, "_flush", flaky)
    out = tmp_path / "exports" / "run"
    with pytest.raises(ExportError, match="could not write the export to .*No space left on device. Nothing was written"):
        export_corpus(gold, ExportOptions(out=out, shard_size=20))
    assert written and not written[0].exists()  # a shard had been written, and went with the temp folder
    assert not out.exists()
    assert leftovers(out.parent) == []


def test_a_text_writer_failing_midway_leaves_nothing(gold, tmp_path, monkeypatch):
    render = export_formats.ProdigyExport.render
    calls = []

    def broken(self, doc, item):
        calls.append(item.id)
        if len(calls) == 50:
            raise RuntimeError("a bug in a writer")
        return render(self, doc, item)

    monkeypatch.setattr(export_formats.ProdigyExport, "render", broken)
    with pytest.raises(RuntimeError, match="a bug in a writer"):
        export_corpus(gold, ExportOptions(out=tmp_path / "out", fmt="jsonl"))
    assert not (tmp_path / "out").exists() and leftovers(tmp_path) == []


def test_cancel_and_ctrl_c_leave_nothing(gold, tmp_path):
    seen = []
    with pytest.raises(ExportCancelled, match="nothing was written"):
        export_corpus(gold, ExportOptions(out=tmp_path / "a"), cancelled=lambda: seen.append(1) or len(seen) > 30)
    assert not (tmp_path / "a").exists()

    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_corpus(gold, ExportOptions(out=tmp_path / "b"), progress=interrupt)
    assert not (tmp_path / "b").exists() and leftovers(tmp_path) == []


def test_an_existing_folder_is_never_overwritten(gold, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    with pytest.raises(ExportError, match="already exists and is not an empty folder"):
        export_corpus(gold, ExportOptions(out=out))
    assert [p.name for p in out.iterdir()] == ["keep.txt"] and leftovers(tmp_path) == []

    empty = tmp_path / "empty"
    empty.mkdir()
    result = export_corpus(gold, ExportOptions(out=empty))
    assert (result.folder / "train.spacy").exists() and result.folder == empty


def test_progress_reaches_the_total_and_the_default_folder_is_timestamped(gold, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ticks = []
    first = export_corpus(gold, progress=lambda done, total: ticks.append((done, total)))
    second = export_corpus(gold)
    assert ticks[-1] == (120, 120) and all(t == 120 for _, t in ticks)
    assert first.folder.parent == second.folder.parent == tmp_path / "exports"
    assert first.folder != second.folder and first.folder.name[:2] == "20"


def test_a_killed_writers_temporary_folder_is_swept_by_the_next_export(tmp_path):
    import os
    import subprocess
    import sys

    from annotator.io.export_folder import AtomicFolder

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".old.{dead.pid}.0123456789ab.tmp"
    live = tmp_path / f".other.{os.getpid()}.ba9876543210.tmp"
    for folder in (stale, live):
        folder.mkdir()
        (folder / "train.spacy").write_bytes(b"partial")
    with AtomicFolder(tmp_path / "new") as tmp:
        (tmp / "x").write_text("done")
    assert not stale.exists()
    assert live.exists()  # its writer is still running
    assert (tmp_path / "new" / "x").read_text() == "done"
