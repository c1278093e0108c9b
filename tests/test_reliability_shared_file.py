"""A second connection in the same process must not cost the first one its locks.

POSIX drops every fcntl lock a process holds on a file when any descriptor of that file is
closed. If opening a second Corpus (the window's import worker, the export dialog) read the
file with plain I/O, the window's connection lost its locks; the next other process to close
the database then took itself for the last one, checkpointed and deleted the WAL under the
window, and every later edit went into a deleted file.
"""

import subprocess
import sys

from annotator.core.records import Record
from annotator.session import Corpus
from annotator.session.importer import store_records


def other_process_reads(path):
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
        "print(c.execute(\"SELECT group_concat(status) FROM documents\").fetchone()[0]); c.close()"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_a_second_corpus_in_the_process_keeps_the_first_ones_wal_alive(tmp_path):
    path = tmp_path / "annotations.db"
    window = Corpus(path)
    doc = store_records(window, [Record("Zelensky met Witkoff in Kyiv.", "t")]).added[0]
    wal = path.with_name(path.name + "-wal")

    worker = Corpus(path, read_only=True)  # e.g. the export dialog's thread
    worker.close()
    assert other_process_reads(path) == "new"  # another process opens and closes the file

    window.apply(window.plan_set_status(doc, "accepted"))
    assert wal.exists(), "the WAL was deleted under an open connection"
    assert other_process_reads(path) == "accepted"
    window.close()
    assert other_process_reads(path) == "accepted"
