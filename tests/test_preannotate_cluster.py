"""`annotator preannotate` on a real Dask cluster: shards, manifest, resume, a killed worker, a killed client,
Ctrl+C at each stage of a run, inputs with nothing to pre-annotate.

One LocalCluster (2 worker processes) is shared by the module: starting one costs seconds.
"""

import contextlib
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

import psutil  # noqa: E402  (a dependency of distributed)

from annotator.core.errors import BadInput, NotFound  # noqa: E402
from annotator.session.preannotate_cluster import preannotate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
RULER_PATTERNS = [
    {"label": "GPE", "pattern": "Kyiv"}, {"label": "GPE", "pattern": "Ukraine"}, {"label": "GPE", "pattern": "Russia"},
    {"label": "PERSON", "pattern": [{"LOWER": "zelensky"}]}, {"label": "ORG", "pattern": "White House"},
]


def run_cli(*args, timeout=300, env=None):
    return subprocess.run(
        [sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, text=True, timeout=timeout,
        env=dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {})),
    )


class Terminal:
    """The CLI in a session of its own with Ctrl+C live, as a shell starts it; its output read as it comes."""

    def __init__(self, *args):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "annotator", *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
            env=dict(os.environ, PYTHONIOENCODING="utf-8"),
        )
        self.out: list[str] = []
        self.err: list[str] = []
        self.readers = [threading.Thread(target=self.out.extend, args=(self.proc.stdout,), daemon=True),
                        threading.Thread(target=self.err.extend, args=(self.proc.stderr,), daemon=True)]
        for reader in self.readers:
            reader.start()

    def ctrl_c(self) -> int:
        """A terminal's Ctrl+C: SIGINT to the whole process group (the CLI and its local workers); the exit code."""
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            code = self.proc.wait(timeout=180)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            raise AssertionError(f"still running after Ctrl+C: {''.join(self.err)}") from None
        for reader in self.readers:  # a worker left alive would hold the pipes open
            reader.join(30)
        return code

    @property
    def stderr(self) -> str:
        return "".join(self.err)


def dask_workers(session: int) -> list[psutil.Process]:
    """Live worker processes (multiprocessing spawn children) of the CLI started as `session`."""
    found = []
    for p in psutil.process_iter(["cmdline", "status"]):
        try:
            if os.getsid(p.pid) == session and p.info["status"] != psutil.STATUS_ZOMBIE and "spawn_main" in " ".join(p.info["cmdline"] or []):
                found.append(p)
        except (OSError, psutil.Error):
            continue
    return found


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def paragraphs() -> list[str]:
    out = []
    for path in SEEDS:
        out.extend(p.strip() for p in path.read_text(encoding="utf-8").split("\n") if len(p.strip()) > 80)
    return out


def write_corpus(folder: Path, n: int, short: bool = False) -> list[str]:
    """n different articles as JSONL (varied copies of the seeds); returns their texts in order."""
    folder.mkdir(parents=True, exist_ok=True)
    base = paragraphs() if short else [p.read_text(encoding="utf-8").strip() for p in SEEDS]
    texts = [f"{base[i % len(base)]}\nCopy {i} from Kyiv." for i in range(n)]
    with open(folder / "articles.jsonl", "w", encoding="utf-8") as f:
        for i, text in enumerate(texts):
            f.write(json.dumps({"text": text, "meta": {"n": i}}) + "\n")
    return texts


def shard_tasks(out: Path) -> list[dict]:
    return [json.loads(line) for p in sorted(out.glob("part-*.jsonl")) for line in p.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def ruler(tmp_path_factory) -> str:
    """A real, fast pipeline: blank English with an EntityRuler, saved to disk like any model."""
    import spacy

    nlp = spacy.blank("en")
    nlp.meta.update(name="ruler_test", version="1.0.0")
    nlp.add_pipe("entity_ruler").add_patterns(RULER_PATTERNS)
    path = tmp_path_factory.mktemp("model") / "ruler"
    nlp.to_disk(path)
    return str(path)


@pytest.fixture(scope="module")
def client():
    import logging

    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_cli_preannotate_then_import_then_stats(tmp_path, ruler):
    texts = write_corpus(tmp_path / "in", 23)
    (tmp_path / "in" / "one.txt").write_text("Zelensky in Kyiv\n\nA text file read whole.", encoding="utf-8")
    with open(tmp_path / "in" / "articles.jsonl", "a", encoding="utf-8") as f:
        f.write("{broken\n")
    out = tmp_path / "out"
    done = run_cli("preannotate", tmp_path / "in", "--out", out, "--model", ruler, "--workers", "2", "--partition-size", "5")
    assert done.returncode == 1, done.stderr  # finished, with one rejected line
    assert "wrote 5 shards (24 documents" in done.stdout and "from en_ruler_test-1.0.0" in done.stdout
    assert "articles.jsonl:24: invalid JSON" in done.stderr and "Traceback" not in done.stderr
    assert "Dask dashboard: http" in done.stderr
    tasks = shard_tasks(out)
    assert [t["text"] for t in tasks] == texts + ["Zelensky in Kyiv\n\nA text file read whole."]
    first = tasks[0]
    assert first["meta"]["model"] == "en_ruler_test-1.0.0" and first["meta"]["sha256"] == sha(first["text"])
    assert first["meta"]["n"] == 0 and first["meta"]["title"] and first["meta"]["input"].endswith("articles.jsonl:1")
    assert all(first["text"][s["start"]:s["end"]] in ("Kyiv", "Ukraine", "Russia", "Zelensky", "White House") for s in first["spans"])

    db = tmp_path / "c.db"
    imported = run_cli("import", out, "--db", db)
    assert imported.returncode == 0, imported.stderr
    n_spans = sum(len(t["spans"]) for t in tasks)
    assert f"imported 24 documents, {n_spans} entities from en_ruler_test-1.0.0" in imported.stdout
    again = run_cli("import", out, "--db", db)
    assert "imported 0 documents" in again.stdout and "24 already in the corpus" in again.stdout
    stats = json.loads(run_cli("stats", "--db", db, "--json").stdout)
    assert stats["documents"]["total"] == 24
    assert stats["entities"]["by_origin"] == {"en_ruler_test-1.0.0": n_spans}


def test_manifest_lists_shards_counts_model_inputs_and_rejections(tmp_path, ruler, client):
    texts = write_corpus(tmp_path / "in", 17)
    missing = tmp_path / "nowhere.jsonl"
    out = tmp_path / "out"
    report = preannotate([tmp_path / "in", missing], out, client, model=ruler, partition_size=4)
    assert report.documents == 17 and report.shards_written == 5 and len(report.rejected) == 1
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "annotator-preannotate" and manifest["complete"] is True
    assert manifest["model"] == "en_ruler_test-1.0.0" and manifest["model_argument"] == ruler
    assert manifest["inputs"] == [str(tmp_path / "in"), str(missing)]
    assert manifest["partition_size"] == 4 and manifest["documents"] == 17
    assert [s["file"] for s in manifest["shards"]] == [f"part-{k:06d}.jsonl" for k in range(5)]
    assert [s["documents"] for s in manifest["shards"]] == [4, 4, 4, 4, 1]
    for shard in manifest["shards"]:
        lines = (out / shard["file"]).read_text(encoding="utf-8").splitlines()
        assert len(lines) == shard["documents"]
        assert shard["spans"] == sum(len(json.loads(line)["spans"]) for line in lines)
        assert shard["fingerprint"] == sha("\n".join(json.loads(line)["meta"]["sha256"] for line in lines))
    assert manifest["spans"] == report.spans == sum(s["spans"] for s in manifest["shards"])
    assert manifest["rejected"] == [{"source": str(missing), "line": 0, "reason": "no such file or folder"}]
    assert [t["meta"]["sha256"] for t in shard_tasks(out)] == [sha(t) for t in texts]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_rerun_skips_written_shards_and_redoes_only_what_is_missing(tmp_path, ruler, client):
    write_corpus(tmp_path / "in", 20)
    out = tmp_path / "out"
    first = preannotate([tmp_path / "in"], out, client, model=ruler, partition_size=4)
    assert first.shards_written == 5
    stamp = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("part-*.jsonl")}

    again = preannotate([tmp_path / "in"], out, client, model=ruler, partition_size=4)
    assert (again.shards_written, again.shards_skipped, again.documents, again.documents_skipped) == (0, 5, 0, 20)
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.glob("part-*.jsonl")} == stamp

    # a lost shard is redone; a shard renamed into place after the last manifest write is adopted, not redone
    (out / "part-000002.jsonl").unlink()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["shards"] = [s for s in manifest["shards"] if s["partition"] != 3]
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    third = preannotate([tmp_path / "in"], out, client, model=ruler, partition_size=4)
    assert (third.shards_written, third.shards_skipped) == (1, 4)
    assert (out / "part-000003.jsonl").stat().st_ino == stamp["part-000003.jsonl"][0]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [s["partition"] for s in manifest["shards"]] == [0, 1, 2, 3, 4] and manifest["documents"] == 20
    assert len(shard_tasks(out)) == 20

    with pytest.raises(BadInput, match="partition_size was 4, now 5"):
        preannotate([tmp_path / "in"], out, client, model=ruler, partition_size=5)


def test_a_rerun_on_a_shorter_input_drops_the_shards_past_its_end(tmp_path, ruler, client):
    """Before, part-000004 of the longer input stayed: `import` brought back 4 records no longer in the input."""
    texts = write_corpus(tmp_path / "in", 20)
    out = tmp_path / "out"
    preannotate([tmp_path / "in"], out, client, model=ruler, partition_size=4)
    texts = write_corpus(tmp_path / "in", 14)
    report = preannotate([tmp_path / "in"], out, client, model=ruler, partition_size=4)
    assert (report.shards_skipped, report.shards_written, report.shards_removed, report.documents_removed) == (3, 1, 1, 4)
    assert sorted(p.name for p in out.glob("part-*")) == [f"part-{k:06d}.jsonl" for k in range(4)]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"] == 14 and [s["partition"] for s in manifest["shards"]] == [0, 1, 2, 3]
    assert [t["meta"]["sha256"] for t in shard_tasks(out)] == [sha(t) for t in texts]


def test_files_and_folders_whose_names_are_not_utf8_are_preannotated_and_imported(tmp_path, ruler, client):
    """Latin-1 names from an old archive: before, the shard's meta could not be written (UnicodeEncodeError)."""
    from annotator.session.corpus import Corpus
    from annotator.session.imports import import_paths

    folder = Path(os.fsdecode(bytes(tmp_path) + b"/archiv\xe9"))
    folder.mkdir()
    Path(os.fsdecode(bytes(folder) + b"/caf\xe9.txt")).write_text("Zelensky spoke in Kyiv.\n", encoding="utf-8")
    (folder / "ok.txt").write_text("The White House answered.\n", encoding="utf-8")
    out = tmp_path / "out"
    report = preannotate([folder], out, client, model=ruler, partition_size=4)
    assert (report.documents, report.spans, report.rejected) == (2, 3, [])
    tasks = shard_tasks(out)
    assert [t["meta"]["input"] for t in tasks] == [
        str(tmp_path / "archiv\\xe9" / "caf\\xe9.txt"), str(tmp_path / "archiv\\xe9" / "ok.txt")]
    assert [t["meta"]["file"] for t in tasks] == ["caf\\xe9.txt", "ok.txt"]
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["inputs"] == [str(tmp_path / "archiv\\xe9")]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert preannotate([folder], out, client, model=ruler, partition_size=4).shards_skipped == 1  # resumes
    corpus = Corpus(tmp_path / "c.db")
    try:
        imported = import_paths(corpus, [out], model=None)
        assert len(imported.added) == 2 and imported.model_spans == 3 and not imported.rejected
        direct = import_paths(Corpus(tmp_path / "d.db"), [folder], model=None)
        assert len(direct.added) == 2 and not direct.rejected
    finally:
        corpus.close()


def test_a_worker_killed_mid_partition_is_retried_and_every_record_lands_exactly_once(tmp_path, client):
    """The real small model, short texts: slow enough to kill a worker while it runs a partition."""
    texts = write_corpus(tmp_path / "in", 90, short=True)
    out = tmp_path / "out"
    pids = client.run(os.getpid)
    result: dict = {}

    def run():
        try:
            result["report"] = preannotate([tmp_path / "in"], out, client, partition_size=5, batch_size=4)
        except BaseException as exc:  # surfaced by the assertion below
            result["error"] = exc

    runner = threading.Thread(target=run)
    runner.start()
    victim = None
    deadline = time.monotonic() + 240
    while victim is None and runner.is_alive() and time.monotonic() < deadline:
        if list(out.glob("part-*.jsonl")):  # under way: the model is loaded and partitions flow
            busy = [w for w, keys in client.processing().items() if any(str(k).startswith("preannotate-") for k in keys)]
            if busy:
                victim = busy[0]
                os.kill(pids[victim], signal.SIGKILL)
                break
        time.sleep(0.02)
    runner.join(300)
    assert victim is not None, "the run ended before a worker could be killed mid-partition"
    assert "error" not in result, result.get("error")
    report = result["report"]
    client.wait_for_workers(2, timeout=120)  # the nanny restarts the killed worker for the next tests
    assert victim not in client.run(os.getpid) or client.run(os.getpid)[victim] != pids[victim]
    tasks = shard_tasks(out)
    assert report.documents == 90 and report.shards_written == 18
    assert [t["meta"]["sha256"] for t in tasks] == [sha(t) for t in texts]  # each once, in input order
    assert all(t["meta"]["model"] == report.model for t in tasks)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["documents"] == 90 and manifest["complete"] is True


def test_a_killed_client_leaves_only_whole_shards_and_a_rerun_completes_them(tmp_path, client):
    texts = write_corpus(tmp_path / "in", 90, short=True)
    out = tmp_path / "out"
    # the CLI joins the shared cluster, so killing it kills the client only
    proc = subprocess.Popen(
        [sys.executable, "-m", "annotator", "preannotate", tmp_path / "in", "--out", out,
         "--scheduler", client.scheduler.address, "--partition-size", "5", "--batch-size", "4"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 240
    while not list(out.glob("part-*.jsonl")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.kill()
    proc.wait()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is False, err  # killed mid-run, not after it
    visible = sorted(out.glob("part-*.jsonl"))
    assert visible and len(visible) < 18
    for shard in visible:  # each visible shard is whole: its partition's 5 tasks, every line complete
        k = int(shard.stem.split("-")[1])
        lines = shard.read_bytes().split(b"\n")
        assert lines[-1] == b"" and len(lines) == 6
        assert [json.loads(line)["meta"]["sha256"] for line in lines[:-1]] == [sha(t) for t in texts[5 * k:5 * k + 5]]

    report = preannotate([tmp_path / "in"], out, client, partition_size=5, batch_size=4)
    assert report.shards_skipped == len(visible) and report.shards_written == 18 - len(visible)
    assert [t["meta"]["sha256"] for t in shard_tasks(out)] == [sha(t) for t in texts]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_without_dask_preannotate_says_what_to_install(tmp_path):
    code = (
        "import sys; sys.modules['dask'] = None; sys.modules['distributed'] = None\n"
        "from annotator.cli import main\n"
        f"sys.argv = ['annotator', 'preannotate', {str(ROOT / 'seeds')!r}, '--out', {str(tmp_path / 'out')!r}, '--workers', '2']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 4
    assert "Dask, which is not installed" in done.stderr and "pip install 'annotator[cluster]'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
    # the rest of the CLI does not need Dask
    code_import = code.replace("'preannotate'", "'import'").replace(", '--workers', '2'", ", '--db', " + repr(str(tmp_path / "c.db")))
    code_import = code_import.replace(f", '--out', {str(tmp_path / 'out')!r}", ", '--model', 'none'")
    done = subprocess.run([sys.executable, "-c", code_import], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "imported 5 documents" in done.stdout


def assert_cancelled_with_one_line(term: Terminal, code: int, shards: int) -> None:
    """Exit 130, the one line (after the dashboard's, when there was one), no traceback, no worker left."""
    err = term.stderr
    assert code == 130, err
    lines = [line for line in err.splitlines() if not line.startswith("Dask dashboard: http")]
    kept = {0: "no shard was written yet", 1: "1 shard written is kept"}.get(shards, f"{shards} shards written are kept")
    assert lines == [lines[0]] and lines[0].startswith(f"preannotate: cancelled; {kept}"), err
    assert "run the same command again" in lines[0]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert not dask_workers(term.proc.pid), "worker processes outlived the cancelled run"


def test_ctrl_c_stops_a_local_cluster_run_without_tracebacks_and_a_rerun_finishes_it(tmp_path, client):
    texts = write_corpus(tmp_path / "in", 60, short=True)
    out = tmp_path / "out"
    term = Terminal("preannotate", tmp_path / "in", "--out", out, "--workers", "1", "--partition-size", "3", "--batch-size", "4")
    deadline = time.monotonic() + 240
    while not list(out.glob("part-*.jsonl")) and term.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    code = term.ctrl_c()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is False, term.stderr
    written = len(list(out.glob("part-*.jsonl")))
    assert_cancelled_with_one_line(term, code, written)
    assert "Dask dashboard: http" in term.stderr and not term.out  # no summary after a Ctrl+C: the one line says it
    report = preannotate([tmp_path / "in"], out, client, partition_size=3, batch_size=4)
    assert report.shards_skipped == written and report.shards_skipped + report.shards_written == 20
    assert [t["meta"]["sha256"] for t in shard_tasks(out)] == [sha(t) for t in texts]


def test_ctrl_c_while_the_local_cluster_starts_stops_it_at_once_and_leaves_no_worker(tmp_path, ruler, client):
    """Before, Ctrl+C was ignored while the cluster started (the driver ignored SIGINT so that its workers would)."""
    texts = write_corpus(tmp_path / "in", 12, short=True)
    out = tmp_path / "out"
    term = Terminal("preannotate", tmp_path / "in", "--out", out, "--model", ruler, "--workers", "2", "--partition-size", "3")
    deadline = time.monotonic() + 240
    while not dask_workers(term.proc.pid) and term.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not term.err, term.stderr  # still starting: the dashboard line is printed once the cluster is up
    code = term.ctrl_c()
    assert_cancelled_with_one_line(term, code, 0)
    assert "Dask dashboard" not in term.stderr and not out.exists()
    report = preannotate([tmp_path / "in"], out, client, model=ruler, partition_size=3)
    assert (report.shards_skipped, report.shards_written) == (0, 4)
    assert [t["meta"]["sha256"] for t in shard_tasks(out)] == [sha(t) for t in texts]


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the signal dispositions in /proc")
def test_local_workers_start_with_ctrl_c_ignored(tmp_path, ruler):
    """Blocking SIGINT in the thread that starts the cluster did not reach the workers (multiprocessing's spawn
    starts a fresh interpreter with SigBlk 0): a Ctrl+C while one was importing killed it ("Fatal Python error:
    init_sys_streams ... KeyboardInterrupt" on the terminal). Each must begin with SIGINT ignored."""
    write_corpus(tmp_path / "in", 6, short=True)
    term = Terminal("preannotate", tmp_path / "in", "--out", tmp_path / "out", "--model", ruler, "--workers", "2")
    seen: dict[int, bool] = {}
    deadline = time.monotonic() + 240
    while term.proc.poll() is None and time.monotonic() < deadline and len(seen) < 2:
        for p in dask_workers(term.proc.pid):
            if p.pid not in seen:
                with contextlib.suppress(OSError):
                    ignored = next(line for line in Path(f"/proc/{p.pid}/status").read_text().splitlines() if line.startswith("SigIgn"))
                    seen[p.pid] = bool(int(ignored.split()[1], 16) & (1 << (signal.SIGINT - 1)))
        time.sleep(0.005)
    term.proc.wait(timeout=240)
    assert len(seen) == 2 and all(seen.values()), seen


def test_ctrl_c_while_the_workers_load_the_model_is_one_line_too(tmp_path, client):
    """Before, it exited 130 with no message: the interrupt came before preannotate's own handling."""
    texts = write_corpus(tmp_path / "in", 9, short=True)
    out = tmp_path / "out"
    term = Terminal("preannotate", tmp_path / "in", "--out", out, "--workers", "1", "--partition-size", "3")
    deadline = time.monotonic() + 240
    while not any(line.startswith("Dask dashboard") for line in term.err) and term.proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    code = term.ctrl_c()  # the cluster is up; its worker loads the real model (seconds) before any folder is made
    assert_cancelled_with_one_line(term, code, 0)
    assert not out.exists(), term.stderr
    report = preannotate([tmp_path / "in"], out, client, partition_size=3)
    assert report.shards_written == 3
    assert [t["meta"]["sha256"] for t in shard_tasks(out)] == [sha(t) for t in texts]


def test_a_ctrl_c_lost_in_a_finalizer_is_raised_again_and_not_printed(capsys):
    """Python raises a KeyboardInterrupt wherever the main thread is, also in Dask's gc callback or a Future's
    __del__, which print it as "Exception ignored" and drop it: before, the run then went on to the end."""
    from annotator.session.preannotate_cluster import CTRL_C

    class Finalizer:
        def __del__(self):
            signal.raise_signal(signal.SIGINT)  # the handler runs here, in __del__, where its exception is dropped

    raised = False
    with CTRL_C.delivered():
        try:
            Finalizer()
            threading.Event().wait(60)  # the run blocked on the cluster; never woken without the repeat
        except KeyboardInterrupt:
            CTRL_C.taken()
            raised = True
    assert raised
    assert "Exception ignored" not in capsys.readouterr().err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.fixture
def dask_log_levels():
    """The levels of Dask's loggers, put back after a test that changes them."""
    names = ["distributed", "tornado", "asyncio", *[n for n in logging.root.manager.loggerDict if n.startswith(("distributed.", "tornado."))]]
    levels = {n: logging.getLogger(n).level for n in names}
    yield
    for name in [n for n in logging.root.manager.loggerDict if n.startswith(("distributed", "tornado", "asyncio"))]:
        logging.getLogger(name).setLevel(levels.get(name, logging.NOTSET))


def test_an_interrupted_run_silences_dasks_loggers_for_the_teardown_and_a_complete_one_does_not(
        tmp_path, ruler, client, dask_log_levels):
    """Before, tearing down after Ctrl+C logged "broadcast ... failed: CommClosedError" from the scheduler."""
    scheduler_log = logging.getLogger("distributed.scheduler")
    write_corpus(tmp_path / "in", 12, short=True)
    preannotate([tmp_path / "in"], tmp_path / "whole", client, model=ruler, partition_size=3)
    assert scheduler_log.isEnabledFor(logging.ERROR)  # a real error still shows

    def stop(done: int) -> None:
        raise KeyboardInterrupt

    report = preannotate([tmp_path / "in"], tmp_path / "out", client, model=ruler, partition_size=3, on_progress=stop)
    assert report.interrupted and report.shards_written == 1
    for name in ("distributed", "distributed.scheduler", "distributed.client", "distributed.core", "distributed.comm"):
        assert not logging.getLogger(name).isEnabledFor(logging.CRITICAL), name


def test_inputs_with_no_text_are_one_line_naming_them_before_any_cluster_starts(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "a.csv").write_text("a,b\n", encoding="utf-8")
    (tmp_path / "blank.jsonl").write_text("\n\n", encoding="utf-8")
    (tmp_path / "void.txt").write_text("  \n", encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("preannotate", tmp_path / "empty", tmp_path / "tables", tmp_path / "blank.jsonl", tmp_path / "void.txt",
                   "--out", out, "--workers", "1")
    assert done.returncode == 2, done.stderr  # bad input
    [line] = done.stderr.splitlines()
    assert line.startswith("error: no texts to pre-annotate in ")
    for name in ("empty", "tables", "blank.jsonl", "void.txt"):
        assert str(tmp_path / name) in line
    assert "no .txt, .jsonl" in line and "Dask dashboard" not in done.stderr and not done.stdout and not out.exists()

    missing = run_cli("preannotate", tmp_path / "nowhere.jsonl", tmp_path / "gone", "--out", out, "--workers", "1")
    assert missing.returncode == 4, missing.stderr  # not found
    [line] = missing.stderr.splitlines()
    assert line.startswith("error: ") and "no such file or folder" in line
    assert str(tmp_path / "nowhere.jsonl") in line and str(tmp_path / "gone") in line and not out.exists()


def test_the_library_refuses_inputs_with_no_text_before_loading_a_model(tmp_path, client):
    (tmp_path / "blank.jsonl").write_text("\n", encoding="utf-8")
    with pytest.raises(BadInput, match="no texts to pre-annotate in .*blank.jsonl"):
        preannotate([tmp_path / "blank.jsonl"], tmp_path / "out", client, model="no_such_model")
    with pytest.raises(NotFound, match=r"nowhere.jsonl \(no such file or folder\)"):
        preannotate([tmp_path / "nowhere.jsonl"], tmp_path / "out", client, model="no_such_model")
    assert not (tmp_path / "out").exists()
