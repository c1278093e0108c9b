"""An edit beside a write transaction waits for it instead of failing "busy" (issue 11, item 8)."""

import subprocess
import sys
import textwrap
import threading

from annotator.core.records import Record
from annotator.session.corpus import Corpus
from annotator.session.importer import store_records
from annotator.session.imports import WRITE_CHUNK_CHARS, WRITE_CHUNK_DOCS, _write_chunks
from annotator.storage.db import write_transaction


def test_an_edit_waits_for_an_import_batch_on_another_thread_and_succeeds(tmp_path):
    db = tmp_path / "c.db"
    window = Corpus(db)
    store_records(window, [Record("Zelensky met Witkoff in Kyiv.", "t")])
    worker = Corpus(db)  # the window's import worker: its own connection, same process
    inside, release = threading.Event(), threading.Event()

    def import_batch():
        with write_transaction(worker.db):
            worker.db.execute("INSERT INTO documents (text, sha256) VALUES ('Moscow', 'h2')")
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=import_batch)
    thread.start()
    assert inside.wait(10)
    window.document(1)  # the window read before the batch commits (its snapshot predates it)
    threading.Timer(0.3, release.set).start()
    window.apply(window.plan_add_span(1, 0, 8, "PERSON"))  # waits ~0.3 s, then commits
    thread.join()
    assert [s.label for s in window.spans(1)] == ["PERSON"] and window.count_documents() == 2
    worker.close()
    window.close()


def test_import_batches_are_stored_in_short_transactions_of_whole_documents():
    n, later = 2 * WRITE_CHUNK_DOCS + 150, WRITE_CHUNK_DOCS + 70
    records = [Record(f"text {i}", f"t{i}") for i in range(n)] + [Record("x" * 1_500_000, "big")]
    chunks = list(_write_chunks(records, {0: "m", later: "m"}))
    assert [len(c) for c, _ in chunks] == [WRITE_CHUNK_DOCS, WRITE_CHUNK_DOCS, 150, 1]  # the big one alone
    assert chunks[0][1] == {0: "m"} and chunks[1][1] == {70: "m"}
    # long articles: the character budget cuts first
    articles = [Record("y" * 4000, f"a{i}") for i in range(200)]
    sizes = [len(c) for c, _ in _write_chunks(articles, {})]
    assert sum(sizes) == 200 and max(sizes) == WRITE_CHUNK_CHARS // 4000 < WRITE_CHUNK_DOCS


HOLD = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("holding", flush=True)
    sys.stdin.readline()
    """
)


def test_the_cli_import_facing_another_programs_write_lock_waits_then_names_it(tmp_path):
    db = tmp_path / "c.db"
    with Corpus(db) as corpus:
        store_records(corpus, [Record("Zelensky met Witkoff in Kyiv.", "t")])
    article = tmp_path / "a.txt"
    article.write_text("Another article about Kyiv.", encoding="utf-8")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        out = subprocess.run([sys.executable, "-m", "annotator", "import", str(article), "--db", str(db), "--model", "none"],
                             capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert out.returncode != 0 and "Traceback" not in out.stderr, out.stderr
    assert f"locked for writing by process {holder.pid}" in out.stderr and "run the same command again" in out.stderr
