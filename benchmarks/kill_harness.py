"""Kill -9 harness: edits, imports and exports killed at random moments lose nothing.

    python benchmarks/kill_harness.py --kills 1000            (make reliability)
    python benchmarks/kill_harness.py --kills 50 --import-kills 3 --export-kills 2 --json

Edits: a child process opens the corpus through the session layer (Corpus, plan_* and apply,
the code the window runs) and applies random edits: add, relabel, resize and delete entities,
status changes, stance add/change/delete, undo; every few dozen edits it closes and reopens
the corpus (a backup on close). After each apply() returns it prints the change's ops as an
acknowledgement line. The parent SIGKILLs it at a random moment, reopens the database and
checks:
  - PRAGMA integrity_check is ok;
  - every acknowledged change is in the history, in order, with the same ops (else: lost);
  - the rows equal a replay of the acknowledged ops on the state before the child started,
    or that plus the one change in flight (committed, not yet acknowledged) as a whole, and no
    entity outlives its document (else: half-applied);
  - every backup in the backups folder passes integrity_check.
Imports: `annotator import --model none` over generated .txt and .jsonl files, killed again and
again; after each kill every stored document is one of the files' texts with exactly its title,
meta, status and entities, no text twice; a final run completes the corpus exactly.
Exports: `annotator export` killed midway leaves either no output folder or one whose files are
byte for byte those of a clean export with the same seed (manifest.json: all but its "created" time).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness_common import log, print_figures, work_folder  # noqa: E402

TRACKED = {
    "spans": ("id", ["id", "doc_id", "start", "end", "label", "origin"]),
    "documents": ("id", ["id", "status"]),
    "stances": ("id", ["id", "doc_id", "target", "value", "holder_text", "holder_span_id", "holder_start",
                       "holder_end", "ev_start", "ev_end", "note", "annotator"]),
    "labels": ("name", ["name", "color", "key", "hidden", "position"]),
}


# ---------------------------------------------------------------- the child
def run_child(db: Path, seed: int) -> None:
    import re

    from annotator.core.model import STATUSES
    from annotator.session import stances as st
    from annotator.session.changes import ConflictError
    from annotator.session.corpus import Corpus, EditError

    rnd = random.Random(seed)
    print("warm", flush=True)
    if sys.stdin.readline().strip() != "go":
        return

    def open_corpus() -> Corpus:
        corpus = Corpus(db, annotator="harness")
        corpus.backups.interval = rnd.choice([0.2, 1, 1800])  # also back up on a worker thread mid-editing
        return corpus

    corpus = open_corpus()
    print("ready", flush=True)
    doc_ids = [r.id for r in corpus.document_rows(limit=10_000)]
    labels = [lb.name for lb in corpus.labels()]
    targets, values = corpus.stance_targets(include_hidden=False), corpus.stance_values()
    words = {d: [m.span() for m in re.finditer(r"\w+", corpus.document(d).text)] for d in doc_ids}
    done = []
    n = 0

    def plan():
        doc = rnd.choice(doc_ids)
        kind = rnd.choices(
            ["add", "relabel", "resize", "delete", "status", "stance", "stance_change", "stance_delete", "undo"],
            [30, 12, 12, 12, 8, 8, 5, 5, 8],
        )[0]
        spans = corpus.spans(doc) if kind in ("relabel", "resize", "delete", "stance") else []
        if kind == "add":
            w = words[doc]
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
            w = words[doc]
            starts = [a for a, _ in w]
            ends = [b for _, b in w]
            start = rnd.choice([s for s in starts if s < span.end][-2:] or [span.start])
            end = rnd.choice([e for e in ends if e > start][:3])
            return corpus.plan_resize_span(span.id, start, end)
        if kind == "delete":
            return corpus.plan_delete_span(rnd.choice(spans).id)
        if kind == "status":
            current = corpus.document(doc).status
            return corpus.plan_set_status(doc, rnd.choice([s for s in STATUSES if s != current]))
        if kind == "stance":
            holder = rnd.choice(spans).id if spans and rnd.random() < 0.6 else None
            return st.plan_add_stance(corpus, doc, rnd.choice(targets), rnd.choice(values), holder_span_id=holder,
                                      holder_text="" if holder else rnd.choice(["", "Kremlin", "Kyiv"]))
        if kind in ("stance_change", "stance_delete"):
            stances = corpus.stances(doc)
            if not stances:
                return None
            one = rnd.choice(stances)
            if kind == "stance_delete":
                return st.plan_delete_stance(corpus, one.id)
            return st.plan_update_stance(corpus, one.id, value=rnd.choice(values), note=f"n{rnd.randrange(1000)}")
        if kind == "undo" and done:
            return done.pop().inverse()
        return None

    while True:
        if rnd.random() < 0.02:
            corpus.close()  # a backup on close, which a kill may interrupt too
            corpus = open_corpus()
        try:
            change = plan()
            if change is None:
                continue
            corpus.apply(change)
        except (EditError, ConflictError):
            continue
        if not change.action.startswith("undo "):
            done.append(change)
        n += 1
        ack = {"n": n, "action": change.action, "ops": [op.to_json() for op in change.ops]}
        sys.stdout.write(json.dumps(ack, ensure_ascii=False) + "\n")
        sys.stdout.flush()


# ---------------------------------------------------------------- the parent: edits
class Child:
    """A child started ahead of time: it imports the code while the parent checks the last kill."""

    def __init__(self, db: Path, seed: int, workdir: Path):
        self.err = tempfile.TemporaryFile(dir=workdir)
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(db), "--seed", str(seed)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, cwd=ROOT,
        )
        self.lines: list[bytes] = []
        self.warm = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        buf = b""
        while True:
            chunk = self.proc.stdout.read1(65536)
            if not chunk:
                break
            buf += chunk
            *complete, buf = buf.split(b"\n")
            for line in complete:
                if line == b"warm":
                    self.warm.set()
                else:
                    self.lines.append(line)
        self.warm.set()

    def go(self) -> None:
        if not self.warm.wait(60):
            raise RuntimeError("the child did not start within 60 s")
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.flush()

    def kill(self) -> tuple[bool, list[dict]]:
        """SIGKILL; returns whether it was still running and the acknowledged changes."""
        alive = self.proc.poll() is None
        if alive:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.reader.join()
        if not alive:
            self.err.seek(0)
            raise RuntimeError(f"the child exited by itself ({self.proc.returncode}):\n{self.err.read().decode()}")
        self.err.close()
        return "ready" in [ln.decode() for ln in self.lines], [json.loads(ln) for ln in self.lines if ln.startswith(b"{")]


def snapshot(conn: sqlite3.Connection) -> dict[str, dict]:
    state = {}
    for table, (pk, cols) in TRACKED.items():
        rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table}")
        state[table] = {r[cols.index(pk)]: dict(zip(cols, r)) for r in rows}
    return state


def replay(state: dict[str, dict], ops: list[dict]) -> dict[str, dict]:
    for op in ops:
        pk, cols = TRACKED[op["table"]]
        rows = state[op["table"]]
        before, after = op["before"], op["after"]
        if before is None:
            rows[after[pk]] = {c: after.get(c) for c in cols}
        elif after is None:
            del rows[before[pk]]
        else:
            row = rows.pop(before[pk])
            row.update({c: after[c] for c in cols if c in after})
            rows[after[pk]] = row
    return state


def make_corpus(db: Path, n_docs: int, seed: int) -> None:
    import re

    from annotator.core.records import Record
    from annotator.session.corpus import Corpus
    from annotator.session.importer import store_records
    from annotator.session.targets import give_seed_targets

    rnd = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    records = []
    for i in range(n_docs):
        text = f"Copy {i}. " + seeds[i % len(seeds)]
        w = [m.span() for m in re.finditer(r"\w+", text)]
        picks = sorted(rnd.sample(range(len(w)), min(12, len(w))))
        spans = [(w[k][0], w[k][1], rnd.choice(["PERSON", "ORG", "GPE"])) for k in picks]
        records.append(Record(text=text, title=f"doc {i}", spans=spans, source="harness"))
    with Corpus(db, annotator="harness") as corpus:
        store_records(corpus, records)
        give_seed_targets(corpus)  # the seed articles' stance targets (a new corpus has none)


def edit_kills(workdir: Path, kills: int, seed: int, max_delay: float, log) -> dict:
    from annotator.storage.integrity import check_file

    db = workdir / "edits.db"
    make_corpus(db, 40, seed)
    rnd = random.Random(seed)
    conn = sqlite3.connect(db)
    state = snapshot(conn)
    last_history = conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]
    conn.close()
    fig = {"kills": 0, "kills_before_ready": 0, "edits_acknowledged": 0, "edits_verified": 0, "lost": 0,
           "half_applied": 0, "in_flight_committed": 0, "integrity_failures": 0, "backups_verified": 0,
           "bad_backups": 0}
    checked_backups: set[str] = set()
    started = time.perf_counter()
    # children waiting for "go": they import their code while another one edits (the database is touched only after "go")
    queue = [Child(db, rnd.randrange(2**31), workdir) for _ in range(min(2, kills))]
    for k in range(kills):
        child = queue.pop(0)
        child.go()
        if k + len(queue) + 1 < kills:
            queue.append(Child(db, rnd.randrange(2**31), workdir))
        time.sleep(rnd.uniform(0, max_delay))
        ready, acked = child.kill()
        fig["kills"] += 1
        fig["kills_before_ready"] += not ready
        fig["edits_acknowledged"] += len(acked)

        conn = sqlite3.connect(db)  # recovers the WAL the child left
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            fig["integrity_failures"] += 1
        rows = conn.execute("SELECT id, action, ops FROM history WHERE id > ? ORDER BY id", [last_history]).fetchall()
        present = 0
        for ack, row in zip(acked, rows):
            if row[1] != ack["action"] or json.loads(row[2]) != ack["ops"]:
                break
            present += 1
        fig["lost"] += len(acked) - present
        expected = copy.deepcopy(state)
        for ack in acked:
            replay(expected, ack["ops"])
        actual = snapshot(conn)
        extra = rows[len(acked):]
        consistent = actual == expected and not extra
        if not consistent and len(extra) == 1 and present == len(acked):
            consistent = actual == replay(expected, json.loads(extra[0][2]))
            fig["in_flight_committed"] += consistent
        # no span may outlive its document (foreign keys are enforced; this checks they were)
        counts_ok = conn.execute(
            "SELECT count(*) FROM spans s WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = s.doc_id)"
        ).fetchone()[0] == 0
        if not (consistent and counts_ok):
            fig["half_applied"] += 1
            log(f"kill {k}: state differs from the replay of {len(acked)} acknowledged changes (+{len(extra)} in history)")
        else:
            fig["edits_verified"] += present
        state = actual
        last_history = rows[-1][0] if rows else last_history
        conn.close()

        for path in sorted((workdir / "edits.db.backups").glob("*.db")):
            key = f"{path.name}:{path.stat().st_mtime_ns}"
            if key in checked_backups:
                continue
            checked_backups.add(key)
            problem = check_file(path)
            fig["backups_verified"] += problem is None
            fig["bad_backups"] += problem is not None
        if (k + 1) % 100 == 0:
            log(f"  {k + 1} kills, {fig['edits_acknowledged']} edits acknowledged, lost {fig['lost']}, "
                f"half-applied {fig['half_applied']}")
    for spare in queue:
        spare.proc.kill()
    fig["seconds"] = round(time.perf_counter() - started, 1)
    return fig


# ---------------------------------------------------------------- imports
def make_import_files(folder: Path, n_txt: int, n_jsonl: int, per_jsonl: int) -> dict[str, dict]:
    """Files to import, and what each distinct text must end up as: {sha256: {title, meta, status, spans}}."""
    folder.mkdir(parents=True)
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    expected: dict[str, dict] = {}
    for i in range(n_txt):
        text = f"Article {i}.\n" + seeds[i % len(seeds)]
        (folder / f"a{i:04d}.txt").write_text(text, encoding="utf-8")
        expected[hashlib.sha256(text.encode()).hexdigest()] = {
            "title": f"Article {i}.", "meta": {"file": f"a{i:04d}.txt"}, "status": "new", "spans": []}
    for f in range(n_jsonl):
        with (folder / f"b{f}.jsonl").open("w", encoding="utf-8") as fh:
            for i in range(per_jsonl):
                j = i if i % 50 else i - 1  # every 50th line repeats the previous one: a duplicate to skip
                text = f"Report {f}-{j}: Zelensky met Witkoff in Kyiv on day {j}."
                spans = [{"start": text.index("Zelensky"), "end": text.index("Zelensky") + 8, "label": "PERSON"},
                         {"start": text.index("Kyiv"), "end": text.index("Kyiv") + 4, "label": "GPE"}]
                answer = ["accept", "reject", "ignore"][j % 3]  # Prodigy: the answer sets the status
                meta = {"title": f"Report {f}-{j}", "day": j}
                fh.write(json.dumps({"text": text, "spans": spans, "answer": answer, "meta": meta}) + "\n")
                expected[hashlib.sha256(text.encode()).hexdigest()] = {
                    "title": f"Report {f}-{j}", "meta": meta,
                    "status": {"accept": "accepted", "reject": "in_progress", "ignore": "skipped"}[answer],
                    "spans": sorted((s["start"], s["end"], s["label"]) for s in spans)}
    return expected


def check_import_state(db: Path, expected: dict[str, dict]) -> tuple[bool, int, str]:
    conn = sqlite3.connect(db)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            return False, 0, "integrity check failed"
        docs = conn.execute("SELECT id, sha256 FROM documents").fetchall()
        rows = {r[0]: r[1:] for r in conn.execute("SELECT id, title, meta, status FROM documents")}
        spans: dict[int, list] = {}
        for doc_id, s, e, label in conn.execute("SELECT doc_id, start, end, label FROM spans"):
            spans.setdefault(doc_id, []).append((s, e, label))
    except sqlite3.OperationalError:  # killed before the schema was created
        return True, 0, ""
    finally:
        conn.close()
    if len({sha for _, sha in docs}) != len(docs):
        return False, len(docs), "a text is stored twice"
    for doc_id, sha in docs:
        if sha not in expected:
            return False, len(docs), f"document {doc_id} is not one of the files' texts"
        want = expected[sha]
        if sorted(spans.get(doc_id, [])) != want["spans"]:
            return False, len(docs), f"document {doc_id} is stored without all of its entities"
        title, meta, status = rows[doc_id]
        if (title, json.loads(meta), status) != (want["title"], want["meta"], want["status"]):
            return False, len(docs), (f"document {doc_id} has title/meta/status {(title, meta, status)!r}, "
                                      f"its file says {(want['title'], want['meta'], want['status'])!r}")
    return True, len(docs), ""


def _count_documents(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def import_kills(workdir: Path, kills: int, seed: int, log) -> dict:
    rnd = random.Random(seed)
    expected = make_import_files(workdir / "import-src", n_txt=300, n_jsonl=4, per_jsonl=1500)
    cmd = [sys.executable, "-m", "annotator", "import", str(workdir / "import-src"), "--model", "none", "--db"]
    t0 = time.perf_counter()
    full = subprocess.run(cmd + [str(workdir / "import-calibrate.db")], capture_output=True, text=True, cwd=ROOT)
    duration = time.perf_counter() - t0
    if full.returncode not in (0, 9):  # 9: nothing rejected, repeated texts in the files reported as changed
        raise RuntimeError(f"the import failed:\n{full.stderr}")
    db = workdir / "import.db"
    fig = {"import_kills": 0, "import_kills_midway": 0, "import_restarts": 0, "import_bad_states": 0, "import_documents_expected": len(expected),
           "import_seconds_full_run": round(duration, 2)}
    stored_before = 0
    for k in range(kills):
        proc = subprocess.Popen(cmd + [str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        # wait for the first new batch, then kill at a random moment: most kills land between two batches' commits
        deadline = time.perf_counter() + 60
        while proc.poll() is None and time.perf_counter() < deadline and _count_documents(db) <= stored_before:
            time.sleep(0.01)
        time.sleep(rnd.uniform(0, 0.3) * duration)
        finished = proc.poll() is not None
        proc.kill()
        proc.wait()
        fig["import_kills"] += 1
        ok, stored, why = check_import_state(db, expected)
        fig["import_kills_midway"] += (not finished) and stored_before < stored < len(expected)
        if not ok or stored < stored_before:
            fig["import_bad_states"] += 1
            log(f"import kill {k}: {why or 'documents disappeared'}")
        stored_before = stored
        if stored == len(expected) and k + 1 < kills:
            # this run got to the end before the kill: start over, so the next kill lands in an unfinished import
            fig["import_restarts"] += 1
            for leftover in workdir.glob("import.db*"):
                shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
            stored_before = 0
    final = subprocess.run(cmd + [str(db)], capture_output=True, text=True, cwd=ROOT)
    ok, stored, why = check_import_state(db, expected)
    fig["import_rerun_ok"] = final.returncode in (0, 9) and ok and stored == len(expected)
    fig["import_documents_after_rerun"] = stored
    if not fig["import_rerun_ok"]:
        log(f"import re-run: rc={final.returncode} {why} {final.stderr[-500:]}")
    return fig


# ---------------------------------------------------------------- exports
def export_kills(workdir: Path, kills: int, seed: int, log) -> dict:
    rnd = random.Random(seed)
    db = workdir / "export.db"
    src = workdir / "import-calibrate.db"
    if not src.exists():
        make_import_files(workdir / "export-src", n_txt=300, n_jsonl=2, per_jsonl=1500)
        done = subprocess.run([sys.executable, "-m", "annotator", "import", str(workdir / "export-src"), "--model", "none",
                               "--db", str(src)], capture_output=True, cwd=ROOT)
        if done.returncode not in (0, 9):  # 9: repeated texts in the files, reported as changed
            raise RuntimeError(f"the import failed:\n{done.stderr.decode()}")
    shutil.copyfile(src, db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE documents SET status = 'accepted' WHERE id % 3 = 0")
    conn.close()
    cmd = [sys.executable, "-m", "annotator", "export", "--db", str(db), "--seed", "1", "--out"]
    # a clean run, timed: how long it writes (from its temporary folder's appearance to its end) sets when to kill
    t0, started_writing = time.perf_counter(), None
    full = subprocess.Popen(cmd + [str(workdir / "exports" / "complete")], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    while full.poll() is None:
        if started_writing is None and list((workdir / "exports").glob(".complete.*.tmp")):
            started_writing = time.perf_counter()
        time.sleep(0.005)
    duration = time.perf_counter() - t0
    writing_time = time.perf_counter() - (started_writing or t0)
    if full.returncode != 0:
        raise RuntimeError(f"the export failed:\n{full.stderr.read()}")
    reference = _tree(workdir / "exports" / "complete")
    fig = {"export_kills": 0, "export_kills_midway": 0, "export_partial_outputs": 0, "export_outputs_compared": 0,
           "export_seconds_full_run": round(duration, 2)}
    for k in range(kills):
        out = workdir / "exports" / f"killed-{k}"
        proc = subprocess.Popen(cmd + [str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        # wait until the export writes its (hidden, temporary) folder, then kill at a random moment
        deadline = time.perf_counter() + 60
        while proc.poll() is None and time.perf_counter() < deadline and not list(out.parent.glob(f".{out.name}.*.tmp")):
            time.sleep(0.01)
        time.sleep(rnd.uniform(0, 0.6) * writing_time)  # within the writing, so most kills land midway whatever the load
        writing = bool(list(out.parent.glob(f".{out.name}.*.tmp")))
        finished = proc.poll() is not None
        proc.kill()
        proc.wait()
        fig["export_kills"] += 1
        fig["export_kills_midway"] += not finished and writing and not out.exists()
        if out.exists():
            got = _tree(out)
            fig["export_outputs_compared"] += 1
            if got != reference:
                fig["export_partial_outputs"] += 1
                differ = sorted(set(got) ^ set(reference)) or [n for n in got if got[n] != reference[n]]
                log(f"export kill {k}: {out} differs from a clean export: {differ[:5]}")
    fig["export_hidden_leftovers"] = len(list((workdir / "exports").glob(".*.tmp")))
    return fig


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file's bytes by relative path; manifest.json without its creation time (the one thing two
    clean exports with the same seed do not share)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            if path.name == "manifest.json":
                manifest = json.loads(data)
                manifest.pop("created", None)
                data = json.dumps(manifest, sort_keys=True).encode()
            out[path.relative_to(folder).as_posix()] = data
    return out


# ---------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=1000, help="kills of the editing child")
    ap.add_argument("--import-kills", type=int, default=20)
    ap.add_argument("--export-kills", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-delay", type=float, default=0.5, help="longest wait (s) between go and kill")
    ap.add_argument("--workdir", type=Path, help="keep the databases here (default: a temporary folder)")
    ap.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        run_child(args.child, args.seed)
        return 0

    with work_folder(args.workdir, "kill-harness-") as workdir:
        fig = {}
        if args.kills:
            fig.update(edit_kills(workdir, args.kills, args.seed, args.max_delay, log))
        if args.import_kills:
            fig.update(import_kills(workdir, args.import_kills, args.seed, log))
        if args.export_kills:
            fig.update(export_kills(workdir, args.export_kills, args.seed, log))
    bad = (fig.get("lost", 0) + fig.get("half_applied", 0) + fig.get("integrity_failures", 0) + fig.get("bad_backups", 0)
           + fig.get("import_bad_states", 0) + fig.get("export_partial_outputs", 0)
           + (0 if fig.get("import_rerun_ok", True) else 1))
    print_figures(fig, 28, "0 lost, nothing half-applied" if not bad else f"{bad} FAILURES", args.json)
    return 1 if bad else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
