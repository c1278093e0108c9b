"""What the safety nets cost on a big corpus: open (cheap check / full quick_check), backup on close, restore.

    python benchmarks/bench_backup.py --docs 100000     (about 1 minute to build, 750 MB)

Figures are wall-clock seconds on a warm page cache; nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def build(path: Path, n: int) -> None:
    from annotator.storage import open_database

    db = open_database(path)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    rnd = random.Random(1)
    with db.atomic():
        for i in range(n):
            text = f"{i} " + seeds[i % len(seeds)]
            cur = db.execute("INSERT INTO documents (source, title, text, sha256) VALUES (?, ?, ?, ?)",
                             [f"bench:{i}", f"doc {i}", text, hashlib.sha256(text.encode()).hexdigest()])
            pos = 0
            for _ in range(20):
                pos += rnd.randint(5, 100)
                if pos + 5 >= len(text):
                    break
                db.execute("INSERT INTO spans (doc_id, start, end, label) VALUES (?, ?, ?, 'PERSON')", [cur.lastrowid, pos, pos + 3])
                pos += 5
    db.conn.close()


def row(label: str, value: str) -> None:
    print(f"{label:<48} {value}")


def timed(fn):
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100_000)
    args = ap.parse_args()

    from annotator.session.corpus import Corpus
    from annotator.storage.backup import list_backups, restore
    from annotator.storage.lock import lock_path

    with tempfile.TemporaryDirectory(prefix="bench-backup-") as tmp:
        db = Path(tmp) / "big.db"
        seconds, _ = timed(lambda: build(db, args.docs))
        print(f"built {args.docs} documents, {db.stat().st_size / 1e6:.0f} MB, in {seconds:.1f} s")

        seconds, corpus = timed(lambda: Corpus(db))
        row("open after a clean shutdown (header check)", f"{seconds:.3f} s")
        times = []
        for i in range(21):
            change = corpus.plan_set_status(1 + i, "accepted")
            times.append(timed(lambda c=change: corpus.apply(c))[0])
        row("apply one edit, median of 21", f"{statistics.median(times) * 1000:.1f} ms")
        seconds, _ = timed(corpus.close)
        row("close with backup + integrity_check", f"{seconds:.2f} s")

        lock_path(db).write_text("pid=1\nhost=bench\n")  # as a killed writer leaves it
        seconds, corpus = timed(lambda: Corpus(db))
        row("open after an unclean shutdown (quick_check)", f"{seconds:.2f} s")
        corpus.close()

        seconds, infos = timed(lambda: list_backups(db))
        row(f"list {len(infos)} backup(s) with document counts", f"{seconds:.3f} s")
        seconds, _ = timed(lambda: restore(db))
        row("restore the latest (verify, keep current, copy)", f"{seconds:.2f} s")


if __name__ == "__main__":
    main()
