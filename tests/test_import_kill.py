"""An import killed midway leaves a consistent database; running it again completes it."""

import json
import signal
import sqlite3
import subprocess
import sys
import time


def test_import_killed_midway_then_rerun_has_no_loss_and_no_duplicates(tmp_path):
    n = 30_000
    data = tmp_path / "big.jsonl"
    with data.open("w", encoding="utf-8") as fh:
        for i in range(n):
            text = f"Report {i}: Zelensky met Witkoff in Kyiv."
            start = text.index("Zelensky")
            fh.write(json.dumps({"text": text, "label": [[start, start + 8, "PERSON"], [text.index("Kyiv"), len(text) - 1, "GPE"]]}) + "\n")
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "annotator", "import", str(data), "--db", str(db), "--model", "none"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    count = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            with sqlite3.connect(db, timeout=5) as conn:
                count = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        except sqlite3.OperationalError:
            continue  # schema not there yet
        if count > 0:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 0 < count < n, "the kill should land midway"

    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    partial = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    # whole documents only: every stored document has both of its spans
    assert conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 2 * partial
    assert conn.execute(
        "SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM spans s WHERE s.doc_id = d.id) != 2"
    ).fetchone()[0] == 0
    conn.close()
    assert partial < n

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"imported {n - partial} documents" in rerun.stdout and f"{partial} already in the corpus" in rerun.stdout
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*), count(DISTINCT sha256) FROM documents").fetchone() == (n, n)
    assert conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 2 * n
    conn.close()
