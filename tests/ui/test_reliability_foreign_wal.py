"""The window opened on a corpus with another database's -wal beside it: it says the WAL was set
aside (never applied) and opens the corpus as it is (issue 11, item 3)."""

import sqlite3
import subprocess
import sys

from annotator.core.records import Record
from annotator.session.corpus import Corpus
from annotator.session.importer import store_records


def test_the_window_sets_a_foreign_wal_aside_says_so_and_opens_the_corpus(tmp_path, qtbot, monkeypatch):
    from annotator.ui import app as ui_app

    db, other = tmp_path / "corpus.db", tmp_path / "other.db"
    for path, word, n in ((db, "Kyiv", 3), (other, "Moscow", 40)):
        with Corpus(path) as corpus:
            store_records(corpus, [Record(f"{word} report {i}: Zelensky met Witkoff.", f"{word} {i}") for i in range(n)])
    conn = sqlite3.connect(other, isolation_level=None)
    for n in range(3):  # another analyst's session: a few edits
        conn.execute(f"UPDATE documents SET title = 'other {n} ' || id WHERE id % 3 = {n}")
    wal = other.with_name("other.db-wal").read_bytes()
    conn.close()
    # the window that edited corpus.db was killed (its lock file records its WAL's salts), then a
    # WAL of another corpus was copied in over its own: same schema, pages that fit
    code = ("import sys, os; from annotator.session.corpus import Corpus; c = Corpus(sys.argv[1]);"
            "c.apply(c.plan_set_status(1, 'accepted')); os._exit(9)")
    subprocess.run([sys.executable, "-c", code, str(db)], check=False, timeout=60)
    db.with_name("corpus.db-wal").write_bytes(wal)
    db.with_name("corpus.db-shm").unlink(missing_ok=True)
    shown = []
    class Box:  # the message box, recorded instead of shown modally
        def __init__(self, icon, title, text):
            shown.append((title, text))

        def exec(self):
            return 0

    monkeypatch.setattr(ui_app, "plain_box", Box)
    window = ui_app.open_window(db)
    qtbot.addWidget(window)
    assert window is not None
    assert shown and shown[0][0] == "A -wal file was set aside"
    assert "does not belong" in shown[0][1] and "salts" in shown[0][1] and "was not changed" in shown[0][1]
    assert window.corpus.count_documents() == 3
    assert [r.title for r in window.corpus.document_rows()] == ["Kyiv 0", "Kyiv 1", "Kyiv 2"]
    window.close()
