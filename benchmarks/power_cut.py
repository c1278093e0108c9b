"""Power-cut harness: a SQLite VFS that loses every write not yet synced, then every acknowledged edit is checked.

    python benchmarks/power_cut.py --cuts 200                 (make reliability)
    python benchmarks/power_cut.py --cuts 20 --mutant sync-off --json

A kill -9 never exercises fsync: the kernel still writes the page cache out. A power cut does
not. This harness records, per file, every write and truncate since the file's last sync; at a
random point (a random write, sync or truncate of the run) the power goes: that operation and
every later one fail, and each file is rebuilt from its last synced image, every unsynced write
discarded (SQLite's own crash tests, test6.c, work the same way). Then the database is opened
by the production code (`Corpus`, Python's sqlite3) and checked:
  - PRAGMA integrity_check is ok, and the open itself succeeds (no foreign-WAL or damage refusal);
  - every acknowledged change (apply() returned) is in the history, in order, with the same ops;
  - the tracked rows equal a replay of the acknowledged ops on the starting state, or that plus
    the one change in flight, whole.

What runs: the production session code — `Corpus.plan_*`, `stances.plan_*` and `Corpus.apply`
(write_transaction = BEGIN IMMEDIATE, the history row, the overlap check) — on the production
schema (made by the migrations), with the production durability pragmas (storage.db.DURABILITY:
WAL, synchronous=FULL). What differs: the connection. The VFS comes from apsw, which bundles its
own SQLite (3.54 here; Python's sqlite3 links the system's 3.40), and a VFS registered in one
SQLite library is invisible to another, so Python's sqlite3 cannot open a file through it (URI
`vfs=`). The edits therefore run on an apsw connection behind a small adapter with the few
methods Corpus uses (execute, fetchone/fetchall, rowcount, lastrowid, in_transaction). The
harness lowers wal_autocheckpoint to 50 pages so that checkpoints (writes to the main file) fall
inside the runs too, and closes and reopens the corpus now and then (checkpoint and WAL removal).

`--mutant sync-off` runs the same with synchronous=OFF: it must lose acknowledged edits, or the
harness is not testing anything (tests/test_reliability_power.py checks that it does).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

import apsw

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness_common import log as log_line  # noqa: E402
from harness_common import print_figures, work_folder  # noqa: E402
from kill_harness import make_corpus, replay, snapshot  # noqa: E402

VFS_NAME = "powercut"


class PowerCut(Exception):
    """Raised inside the harness when an edit hit the cut (apsw reports the VFS's IOError as this)."""


# ---------------------------------------------------------------- the VFS
class _FileLog:
    """A file's last synced image and the writes since."""

    def __init__(self, path: str):
        self.path = path
        try:
            self.image = bytearray(Path(path).read_bytes())
        except FileNotFoundError:
            self.image = bytearray()
        self.pending: list[tuple] = []

    def synced(self) -> None:
        for op in self.pending:
            if op[0] == "w":
                _, offset, data = op
                if len(self.image) < offset:
                    self.image.extend(b"\0" * (offset - len(self.image)))
                self.image[offset:offset + len(data)] = data
            else:
                del self.image[op[1]:]
        self.pending.clear()


class CutVFS(apsw.VFS):
    """The default unix VFS with a recorder; `cut_at` is the operation number at which the power goes."""

    def __init__(self):
        self.files: dict[str, _FileLog] = {}
        self.ops = 0
        self.cut_at: int | None = None
        self.dead = False
        super().__init__(VFS_NAME, "")

    def tick(self) -> None:
        if self.dead:
            raise apsw.IOError("power is off")
        self.ops += 1
        if self.cut_at is not None and self.ops >= self.cut_at:
            self.dead = True
            raise apsw.IOError("power cut")

    def log(self, name: str) -> _FileLog:
        if name not in self.files:
            self.files[name] = _FileLog(name)
        return self.files[name]

    def xOpen(self, name, flags):
        return CutFile(self, name, flags)

    def xDelete(self, name, syncdir):
        self.tick()
        super().xDelete(name, syncdir)
        self.files.pop(name, None)  # an unlink is taken as durable (SQLite syncs the folder when it matters)

    def restore_power(self) -> None:
        """Every file back to its last synced image; the -shm (memory, rebuilt on open) goes."""
        for log in self.files.values():
            with open(log.path, "wb") as fh:
                fh.write(log.image)
            shm = log.path + "-shm"
            if os.path.exists(shm):
                os.unlink(shm)
        self.files.clear()
        self.dead = False
        self.cut_at = None


class CutFile(apsw.VFSFile):
    def __init__(self, vfs: CutVFS, name, flags):
        self.vfs = vfs
        self.name = name.filename() if hasattr(name, "filename") else name
        super().__init__("", name, flags)
        if self.name:
            vfs.log(self.name)  # its synced image: what is on disk before this run writes to it

    def xWrite(self, data, offset):
        self.vfs.tick()
        super().xWrite(data, offset)
        if self.name:
            self.vfs.log(self.name).pending.append(("w", offset, bytes(data)))

    def xTruncate(self, size):
        self.vfs.tick()
        super().xTruncate(size)
        if self.name:
            self.vfs.log(self.name).pending.append(("t", size))

    def xSync(self, flags):
        self.vfs.tick()
        super().xSync(flags)
        if self.name:
            self.vfs.log(self.name).synced()


# ---------------------------------------------------------------- the adapter
class _Result:
    def __init__(self, cursor, conn, rows):
        self._rows = rows
        self.rowcount = conn.changes()
        self.lastrowid = conn.last_insert_rowid()

    def __iter__(self):
        return iter(self._rows)

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def fetchall(self):
        return list(self._rows)


class ApswDatabase:
    """What Corpus uses of a sqlite_utils.Database, on an apsw connection."""

    def __init__(self, conn: apsw.Connection):
        self.conn = conn

    def execute(self, sql: str, params=None):
        cursor = self.conn.cursor()
        rows = list(cursor.execute(sql, tuple(params) if params is not None else ()))
        return _Result(cursor, self.conn, rows)


def open_corpus(db: Path, synchronous: str | None):
    """A Corpus whose connection is apsw's, through the power-cut VFS, set up as storage.db sets up its own."""
    import threading as th

    from annotator.session.corpus import Corpus
    from annotator.storage.db import BUSY_TIMEOUT_MS, DURABILITY

    conn = apsw.Connection(str(db), vfs=VFS_NAME)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    for name, value in DURABILITY:
        if name == "synchronous" and synchronous:
            value = synchronous  # the mutant
        conn.execute(f"PRAGMA {name} = {value}")
    conn.execute("PRAGMA wal_autocheckpoint = 50")
    corpus = Corpus.__new__(Corpus)
    corpus.path, corpus.read_only, corpus._instance, corpus.backups = db, False, None, None
    corpus.db, corpus.annotator = ApswDatabase(conn), "power-cut"
    corpus._listeners, corpus._lock, corpus._closed = [], th.RLock(), False
    return corpus


def close_corpus(corpus) -> None:
    try:
        corpus.db.conn.close(True)
    except apsw.Error:
        pass


# ---------------------------------------------------------------- one cut
def edit(corpus, rnd: random.Random, done: list, words: dict, labels: list, targets: list, values: list):
    """Plan one random edit with the production plan_* functions; None if this draw does not apply."""
    from annotator.core.model import STATUSES
    from annotator.session import stances as st

    doc = rnd.choice(list(words))
    kind = rnd.choices(["add", "relabel", "resize", "delete", "status", "stance", "stance_change", "undo"],
                       [30, 12, 10, 12, 8, 8, 5, 8])[0]
    spans = corpus.spans(doc)
    w = words[doc]
    if kind == "add":
        i = rnd.randrange(len(w))
        j = min(len(w) - 1, i + rnd.choice([0, 0, 1, 2]))
        return corpus.plan_add_span(doc, w[i][0], w[j][1], rnd.choice(labels))
    if kind in ("relabel", "resize", "delete") and not spans:
        return None
    if kind == "relabel":
        span = rnd.choice(spans)
        return corpus.plan_relabel_span(span.id, rnd.choice([lb for lb in labels if lb != span.label]))
    if kind == "resize":
        span = rnd.choice(spans)
        start = rnd.choice([a for a, _ in w if a < span.end][-2:] or [span.start])
        end = rnd.choice([b for _, b in w if b > start][:3])
        return corpus.plan_resize_span(span.id, start, end)
    if kind == "delete":
        return corpus.plan_delete_span(rnd.choice(spans).id)
    if kind == "status":
        current = corpus.document(doc).status
        return corpus.plan_set_status(doc, rnd.choice([s for s in STATUSES if s != current]))
    if kind == "stance":
        holder = rnd.choice(spans).id if spans and rnd.random() < 0.6 else None
        return st.plan_add_stance(corpus, doc, rnd.choice(targets), rnd.choice(values), holder_span_id=holder,
                                  holder_text="" if holder else "Kyiv")
    if kind == "stance_change":
        stances = corpus.stances(doc)
        if not stances:
            return None
        return st.plan_update_stance(corpus, rnd.choice(stances).id, value=rnd.choice(values), note=f"n{rnd.randrange(999)}")
    if kind == "undo" and done:
        return done.pop().inverse()
    return None


def one_cut(vfs: CutVFS, template: Path, workdir: Path, rnd: random.Random, max_ops: int, synchronous: str | None) -> dict:
    import re

    from annotator.session.changes import ConflictError
    from annotator.session.corpus import Corpus, EditError

    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    db = workdir / "power.db"
    shutil.copyfile(template, db)
    import sqlite3

    conn = sqlite3.connect(db)
    state = snapshot(conn)
    start_history = conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]
    conn.close()

    vfs.files.clear()
    vfs.ops, vfs.dead = 0, False
    vfs.cut_at = rnd.randint(1, max_ops)
    acked: list[dict] = []
    done: list = []
    corpus = open_corpus(db, synchronous)
    try:
        words = {d.id: [m.span() for m in re.finditer(r"\w+", corpus.document(d.id).text)]
                 for d in corpus.document_rows(limit=10_000)}
        labels = [lb.name for lb in corpus.labels()]
        targets, values = corpus.stance_targets(include_hidden=False), corpus.stance_values()
        while True:
            if rnd.random() < 0.02:
                close_corpus(corpus)  # checkpoint and WAL removal on close: cut there too
                if vfs.dead:
                    break
                corpus = open_corpus(db, synchronous)
            try:
                change = edit(corpus, rnd, done, words, labels, targets, values)
                if change is None:
                    continue
                corpus.apply(change)
            except (EditError, ConflictError, apsw.ConstraintError):
                if vfs.dead:
                    break
                continue
            except apsw.Error:
                if vfs.dead:
                    break
                raise
            if not change.action.startswith("undo "):
                done.append(change)
            acked.append({"action": change.action, "ops": [op.to_json() for op in change.ops]})
    except apsw.Error:
        if not vfs.dead:
            raise
    finally:
        close_corpus(corpus)
    vfs.restore_power()

    # the production open path reads what survived
    result = {"acknowledged": len(acked), "lost": 0, "half_applied": 0, "integrity_failure": 0, "open_refused": "",
              "in_flight_committed": 0}
    try:
        reopened = Corpus(db, annotator="check")
    except Exception as exc:  # noqa: BLE001 - any refusal is a failure of the run, reported as such
        result["open_refused"] = f"{type(exc).__name__}: {exc}"
        result["lost"] = len(acked)
        return result
    try:
        conn = reopened.db.conn
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            result["integrity_failure"] = 1
        rows = conn.execute("SELECT id, action, ops FROM history WHERE id > ? ORDER BY id", [start_history]).fetchall()
        present = 0
        for ack, row in zip(acked, rows):
            if row[1] != ack["action"] or json.loads(row[2]) != ack["ops"]:
                break
            present += 1
        result["lost"] = len(acked) - present
        expected = copy.deepcopy(state)
        for ack in acked:
            replay(expected, ack["ops"])
        actual = snapshot(conn)
        extra = rows[len(acked):]
        consistent = actual == expected and not extra
        if not consistent and len(extra) == 1 and present == len(acked):
            consistent = actual == replay(expected, json.loads(extra[0][2]))
            result["in_flight_committed"] = int(consistent)
        result["half_applied"] = int(not consistent and present == len(acked))
    finally:
        reopened.backups = None  # no backup of a scratch file
        reopened.close()
    return result


def run(cuts: int, seed: int, synchronous: str | None, max_ops: int, workdir: Path, log) -> dict:
    template = workdir / "template.db"
    make_corpus(template, 40, seed)
    for extra in workdir.glob("template.db.*"):
        shutil.rmtree(extra) if extra.is_dir() else extra.unlink()
    vfs = CutVFS()
    rnd = random.Random(seed)
    fig = {"cuts": 0, "edits_acknowledged": 0, "edits_verified": 0, "lost": 0, "cuts_losing_edits": 0,
           "half_applied": 0, "integrity_failures": 0, "open_refused": 0, "in_flight_committed": 0,
           "synchronous": synchronous or dict(__import__("annotator.storage.db", fromlist=["DURABILITY"]).DURABILITY)["synchronous"]}
    started = time.perf_counter()
    for k in range(cuts):
        r = one_cut(vfs, template, workdir / "cut", rnd, max_ops, synchronous)
        fig["cuts"] += 1
        fig["edits_acknowledged"] += r["acknowledged"]
        fig["lost"] += r["lost"]
        fig["cuts_losing_edits"] += r["lost"] > 0
        fig["edits_verified"] += r["acknowledged"] - r["lost"] if not r["half_applied"] else 0
        fig["half_applied"] += r["half_applied"]
        fig["integrity_failures"] += r["integrity_failure"]
        fig["open_refused"] += bool(r["open_refused"])
        fig["in_flight_committed"] += r["in_flight_committed"]
        if r["lost"] or r["half_applied"] or r["integrity_failure"] or r["open_refused"]:
            log(f"cut {k}: {r['acknowledged']} acknowledged, {r['lost']} lost, half-applied {r['half_applied']}, "
                f"integrity {'FAILED' if r['integrity_failure'] else 'ok'} {r['open_refused']}")
        if (k + 1) % 50 == 0:
            log(f"  {k + 1} cuts, {fig['edits_acknowledged']} edits acknowledged, lost {fig['lost']}")
    fig["seconds"] = round(time.perf_counter() - started, 1)
    return fig


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cuts", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-ops", type=int, default=800, help="the cut falls on a random write/sync/truncate up to this one")
    ap.add_argument("--mutant", choices=["sync-off", "sync-normal"], help="run with a weaker synchronous setting")
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    synchronous = {"sync-off": "OFF", "sync-normal": "NORMAL"}.get(args.mutant or "")

    with work_folder(args.workdir, "power-cut-") as workdir:
        fig = run(args.cuts, args.seed, synchronous, args.max_ops, workdir, log_line)
    bad = fig["lost"] + fig["half_applied"] + fig["integrity_failures"] + fig["open_refused"]
    print_figures(fig, 22, f"{fig['cuts']} power cuts, {fig['edits_acknowledged']} acknowledged edits checked, "
                  + ("0 lost" if not bad else f"{fig['lost']} lost, {bad} FAILURES"), args.json)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
