"""Pre-annotating a corpus on a Dask cluster into JSONL shards that `annotator import` takes.

The driver (this process) reads the inputs as a stream and cuts the records into partitions
of `partition_size`, in input order: partition k is records [k*P, (k+1)*P), so a re-run with
the same inputs and size gives the same partitions. Workers only run the model on the texts
and send back spans; the driver writes each finished partition as one shard, atomically
(temporary file, fsync, rename). A worker killed mid-partition costs nothing but time: its
task is rescheduled by Dask, and a shard is written only by the driver, once. A re-run
skips the partitions whose shard is written and whose texts are unchanged (a fingerprint of
the texts' sha256s), so it finishes an interrupted run without doing anything twice.

Dask is an optional extra: it is imported only here, inside the functions that need it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError, BadInput, Locked, ModelUnavailable, NotFound, StorageFailed
from annotator.core.model import ACCEPTED, IN_PROGRESS, NEW, SKIPPED
from annotator.core.records import Record, Rejection
from annotator.core.spans import trim
from annotator.session.dask_logs import quiet_dask_logs

FORMAT = "annotator-preannotate"
MANIFEST = "manifest.json"
INSTALL_HINT = "pip install 'annotator[cluster]'"
ANSWERS = {ACCEPTED: "accept", IN_PROGRESS: "reject", SKIPPED: "ignore"}
MANIFEST_EVERY = 2.0  # seconds between manifest rewrites; shards written in between are adopted on resume

ProgressFn = Callable[[int], None]


@dataclass
class PreannotateReport:
    out: Path
    model: str = ""
    shards_written: int = 0
    shards_skipped: int = 0
    documents: int = 0  # written by this run
    documents_skipped: int = 0  # in shards an earlier run wrote
    spans: int = 0
    spans_dropped: int = 0  # overlapping spans a span-setting pipeline made (a task cannot hold them)
    shards_removed: int = 0  # an earlier run's shards past the end of inputs that have since become shorter
    documents_removed: int = 0
    kept_spans: int = 0  # records that came with their own spans: written through, not sent to the model
    rejected: list[Rejection] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    dashboard: str | None = None

    @property
    def ok(self) -> bool:
        return not self.rejected


def require_dask() -> None:
    """Raise a one-line error saying what to install when Dask is missing."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise NotFound(
            f"preannotate runs on Dask, which is not installed ({exc.name or exc}): install it with {INSTALL_HINT}"
        ) from None


def is_preannotated_folder(path: str | Path) -> bool:
    """A folder `preannotate` wrote (its tasks carry their model; importing it needs no model)."""
    try:
        return json.loads((Path(path) / MANIFEST).read_text(encoding="utf-8")).get("format") == FORMAT
    except (OSError, ValueError, AttributeError):
        return False


def fingerprint(records: list[Record]) -> str:
    return hashlib.sha256("\n".join(r.sha256 for r in records).encode()).hexdigest()


def shard_name(k: int) -> str:
    return f"part-{k:06d}.jsonl"


class _CtrlC:
    """Ctrl+C as a KeyboardInterrupt that cannot get lost.

    Python raises it wherever the main thread is, also inside code the interpreter calls from C:
    Dask's garbage-collector callbacks, a Future's __del__. There it is printed ("Exception
    ignored in ...", with a traceback) and dropped, and the run went on as if Ctrl+C had never
    come (seen while the workers loaded the model: the run finished and exited 0). While
    `delivered()` is active, a Ctrl+C that no `except KeyboardInterrupt` of this module or the CLI
    has taken (`taken()`) is sent to the main thread again every REPEAT seconds, and a dropped
    KeyboardInterrupt is not printed.
    """

    REPEAT = 0.25

    def __init__(self) -> None:
        self.pending = False  # raised, and not taken yet
        self.again = False  # the next SIGINT is a repeat, not the user's
        self.came = False  # a Ctrl+C was taken since the cluster was started: its teardown is to be quiet

    def taken(self) -> None:
        self.pending = False
        self.came = True

    @contextlib.contextmanager
    def delivered(self):
        if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
            yield  # Ctrl+C ignored (nohup, a background job) or handled by the caller: left alone
            return
        main = threading.main_thread().ident
        stop = threading.Event()

        def on_sigint(signum, frame):
            if self.again:
                self.again = False
                if not self.pending:  # taken in the meantime
                    return
            self.pending = True
            raise KeyboardInterrupt

        def repeat() -> None:
            while not stop.wait(self.REPEAT):
                if self.pending:
                    self.again = True
                    signal.pthread_kill(main, signal.SIGINT)

        def unraisable(info) -> None:
            if not isinstance(info.exc_value, KeyboardInterrupt):  # a lost Ctrl+C is sent again: no news
                hook(info)

        self.pending = self.again = False
        hook = sys.unraisablehook
        sys.unraisablehook = unraisable
        signal.signal(signal.SIGINT, on_sigint)
        watcher = threading.Thread(target=repeat, name="annotator-ctrl-c", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            watcher.join()
            self.pending = self.again = False
            signal.signal(signal.SIGINT, signal.default_int_handler)
            sys.unraisablehook = hook


CTRL_C = _CtrlC()


@contextlib.contextmanager
def cluster_client(scheduler: str | None = None, workers: int | None = None, *, quiet: bool = True):
    """A Dask client: on the cluster at `scheduler`, or on a new local cluster of `workers` processes."""
    require_dask()
    import logging

    from distributed import Client, LocalCluster

    cluster = None
    CTRL_C.came = False
    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise NotFound(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    else:
        import dask

        n = workers or os.cpu_count() or 1
        # One thread per process: spaCy holds the GIL, processes are what run in parallel.
        # Two Dask defaults cost spaCy CPU (bench_preannotate): the workers' statistical profiler
        # samples its deep stacks every 10 ms (~15 %), and MALLOC_TRIM_THRESHOLD_=65536 hands
        # each batch's memory back to the OS only to fault it in again (6x the page faults, ~17 %).
        # The dashboard keeps its task stream and worker panes. The preload leaves Ctrl+C to the
        # driver in each worker, also one the nanny starts again after a kill.
        settings = {
            "distributed.worker.profile.enabled": False,
            "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
            "distributed.worker.preload": [WORKER_PRELOAD],
        }
        # kept while the cluster lives: the nanny restarts a killed worker through the same executable
        spawning = _workers_ignore_ctrl_c()
        spawning.__enter__()
        try:
            with dask.config.set(settings):
                cluster = _start_local_cluster(lambda: LocalCluster(
                    n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0",
                    silence_logs=logging.ERROR if quiet else logging.WARNING,
                ))
        except BaseException:
            spawning.__exit__(None, None, None)
            raise
        try:
            client = Client(cluster)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                CTRL_C.taken()
                quiet_dask_logs()
                _quiet_workers(cluster)
            cluster.close()
            spawning.__exit__(None, None, None)
            raise
    try:
        yield client
    except KeyboardInterrupt:
        CTRL_C.taken()
        raise
    finally:
        if CTRL_C.came:  # the teardown of a stopped run: closing comms in use only makes noise
            quiet_dask_logs()
            if cluster is not None:
                _quiet_workers(cluster)
        client.close()
        if cluster is not None:
            cluster.close()
            spawning.__exit__(None, None, None)


def _quiet_workers(cluster) -> None:
    """SIGINT to each local worker after a Ctrl+C sent to the driver alone (`kill -INT`): a worker takes it
    by silencing its Dask loggers before the close (a terminal's Ctrl+C has reached them already)."""
    for nanny in list(cluster.workers.values()):
        pid = getattr(nanny, "pid", None)
        if pid:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGINT)


WORKER_PRELOAD = "annotator.session.preannotate_worker"  # its dask_setup leaves Ctrl+C to the driver


@contextlib.contextmanager
def _workers_ignore_ctrl_c():
    """Worker processes started meanwhile begin with SIGINT ignored.

    Dask starts each worker with multiprocessing's "spawn": a fresh interpreter whose signal mask is
    reset, so blocking SIGINT in the starting thread does not reach it (seen in /proc: SigBlk 0). A
    Ctrl+C that came while it was starting killed it mid-import ("Fatal Python error:
    init_sys_streams ... KeyboardInterrupt" on the terminal, then a failing close). An ignored
    signal does survive exec, and Python keeps it ignored: so the interpreter is started through a
    two-line shell script that ignores SIGINT and execs it. The worker's preload then sets its own
    handler. POSIX only; elsewhere, and if the script cannot be written, nothing changes."""
    import multiprocessing
    import shlex
    import tempfile
    from multiprocessing import spawn

    if os.name != "posix":
        yield
        return
    before = spawn.get_executable()
    try:
        folder = tempfile.mkdtemp(prefix="annotator-worker-")
        script = Path(folder) / "python"
        script.write_text(f"#!/bin/sh\ntrap '' INT\nexec {shlex.quote(os.fsdecode(before))} \"$@\"\n", encoding="utf-8")
        script.chmod(0o700)
    except OSError:
        yield
        return
    multiprocessing.set_executable(str(script))
    try:
        yield
    finally:
        import shutil

        multiprocessing.set_executable(before)
        shutil.rmtree(folder, ignore_errors=True)


def _start_local_cluster(start: Callable[[], object]):
    """`start()` (a new LocalCluster), in a thread of its own that blocks SIGINT, while Ctrl+C stays live here.

    A terminal's Ctrl+C goes to the whole process group: to this process and to the local
    workers, which must leave it to this process (it stops the run and closes them) instead of
    each dying with a KeyboardInterrupt traceback. A blocked signal mask is inherited by the
    threads the cluster starts (its event loop, the nannies' process watchers) and, across fork
    and exec, by the worker processes they spawn, so a worker cannot be interrupted from its first
    instruction until its preload sets its own handler. This thread is never blocked: Ctrl+C
    during start-up waits for the start to end, closes what it started, and raises KeyboardInterrupt.
    """
    started: dict = {}

    def run() -> None:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            started["cluster"] = start()
        except BaseException as exc:  # handed to the caller's thread
            started["error"] = exc

    thread = threading.Thread(target=run, name="annotator-local-cluster-start", daemon=True)
    thread.start()
    try:
        thread.join()
    except KeyboardInterrupt:
        CTRL_C.taken()
        quiet_dask_logs()
        thread.join()
        if "cluster" in started:
            _quiet_workers(started["cluster"])
            started["cluster"].close()
        raise
    if "error" in started:
        raise started["error"]
    return started["cluster"]


def dashboard_of(client) -> str | None:
    """The dashboard address, when the scheduler serves one (it needs bokeh)."""
    try:
        if "dashboard" not in client.scheduler_info().get("services", {}):
            return None
        return client.dashboard_link
    except Exception:  # a missing dashboard is never a reason to fail the run
        return None


def preannotate(
    inputs: Iterable[str | Path],
    out: str | Path,
    client,
    *,
    model: str | None = None,
    kind: str = "spacy",
    partition_size: int = 1000,
    batch_size: int = 64,
    window: int | None = None,
    on_progress: ProgressFn | None = None,
) -> PreannotateReport:
    """Pre-annotate `inputs` (files and folders, as `annotator import` reads them) into shards in `out`.

    `client` is a connected Dask client. `window` bounds the partitions in flight (default:
    two per worker thread), so the driver holds a few partitions, not the corpus.
    `on_progress(n)` is called with the number of documents this run has written so far.
    """
    if partition_size < 1 or batch_size < 1:
        raise BadInput("--partition-size and --batch-size must be at least 1")
    from annotator.io.readers import read_paths, shown

    started = time.perf_counter()
    inputs = [str(p) for p in inputs]
    out = Path(out)
    report = PreannotateReport(out=out)
    require_texts(inputs)  # before the model: inputs with nothing to annotate cost no cluster time and leave no folder
    run = None
    try:  # Ctrl+C anywhere, from loading the model to the last shard: the shards written are kept
        report.dashboard = dashboard_of(client)
        report.model = _load_on_workers(client, model, kind)  # before the folder: a wrong --model leaves nothing behind
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageFailed(f"cannot create the output folder {out}: {exc.strerror or exc}") from None
        with _dir_lock(out):
            _sweep_temporaries(out)
            manifest = _open_manifest(out, [shown(os.path.abspath(p)) for p in inputs], model, kind, report.model, partition_size)
            run = _Run(client, out, manifest, report, model, kind, batch_size, window, on_progress)
            try:
                n = 0
                for n, records in enumerate(_partitions(read_paths(inputs), partition_size, report), start=1):
                    run.add(n - 1, records)
                run.drain()
                run.drop_from(n)
                manifest["complete"] = True
            finally:
                manifest["rejected"] = [{"source": r.source, "line": r.line, "reason": r.reason} for r in report.rejected]
                manifest["seconds"] = round(manifest.get("seconds", 0) + time.perf_counter() - started, 3)
                _write_manifest(out, manifest)
    except KeyboardInterrupt:
        CTRL_C.taken()
        report.interrupted = True
        quiet_dask_logs()  # what follows (cancelled tasks, a broadcast cut short, workers closed) is no news
        if run is not None:
            run.cancel()
    report.seconds = time.perf_counter() - started
    return report


def require_texts(inputs: Iterable[str | Path]) -> None:
    """Refuse inputs that hold no text to pre-annotate, in one line naming each with why.

    Reads up to the first text only, so on a real corpus it returns at once. NotFound when none
    of the inputs exists, BadInput otherwise (empty files, folders without .txt or JSONL files,
    files whose every record is rejected).
    """
    from annotator.io.readers import read_paths, shown
    from annotator.session.imports import MAX_ARTICLE_CHARS

    inputs = [str(p) for p in inputs]
    rejections: list[Rejection] = []
    for item in read_paths(inputs):
        if isinstance(item, Rejection):
            rejections.append(item)
        elif len(item.text) <= MAX_ARTICLE_CHARS:
            return
        else:
            rejections.append(Rejection(item.source, item.line, f"over the limit of {MAX_ARTICLE_CHARS:,} characters"))
    said = []
    for given in inputs:
        name = shown(given)
        inside = [r for r in rejections if r.source == name or r.source.startswith(name.rstrip("/") + "/")]
        if not inside:
            said.append(f"{name} (no records)")
        elif len(inside) == 1 and inside[0].source == name and not inside[0].line:
            said.append(f"{name} ({inside[0].reason})")
        else:
            said.append(f"{name} ({len(inside)} rejected, the first: {inside[0]})")
    shown_inputs = ", ".join(said[:5]) + (f", and {len(said) - 5} more" if len(said) > 5 else "")
    if not any(os.path.lexists(p) for p in inputs):
        raise NotFound(f"no texts to pre-annotate in {shown_inputs}")
    raise BadInput(f"no texts to pre-annotate in {shown_inputs}: give .txt or JSONL files of articles, or folders of them")


def _partitions(items: Iterable[Record | Rejection], size: int, report: PreannotateReport) -> Iterator[list[Record]]:
    from annotator.session.imports import MAX_ARTICLE_CHARS

    part: list[Record] = []
    for item in items:
        if isinstance(item, Rejection):
            report.rejected.append(item)
            continue
        if len(item.text) > MAX_ARTICLE_CHARS:  # `import` would refuse it: spend no model time on it
            report.rejected.append(Rejection(item.source, item.line, (
                f"the article is {len(item.text):,} characters long, over the limit of {MAX_ARTICLE_CHARS:,}: split it into parts")))
            continue
        part.append(item)
        if len(part) == size:
            yield part
            part = []
    if part:
        yield part


def _load_on_workers(client, model: str | None, kind: str) -> str:
    """Load the pipeline on every worker now (and on any that starts later); its origin id."""
    from annotator.session.preannotate_worker import PreannotatorPlugin, warm

    try:
        origins = set(client.run(warm, model, kind).values())
        if not origins:  # a cluster still scaling up: one task waits for a worker
            origins = {client.submit(warm, model, kind, pure=False).result()}
    except AnnotatorError:
        raise
    except Exception as exc:
        raise ModelUnavailable(f"the workers could not load the pre-annotator: {type(exc).__name__}: {exc}") from None
    if len(origins) > 1:
        raise ModelUnavailable(f"the workers loaded different models ({', '.join(sorted(origins))}): install the same one on every worker")
    client.register_plugin(PreannotatorPlugin(model, kind), name=f"annotator-preannotator-{kind}-{model}")
    return origins.pop()


class _Run:
    """Partitions in flight on the cluster, and the shards written as they come back."""

    def __init__(self, client, out, manifest, report, model, kind, batch_size, window, on_progress):
        from distributed import as_completed

        self.client, self.out, self.manifest, self.report = client, out, manifest, report
        self.model, self.kind, self.batch_size = model, kind, batch_size
        self.on_progress = on_progress
        threads = sum(client.nthreads().values()) or 1
        self.window = window or max(2, 2 * threads)
        self.pending: dict = {}  # future -> (k, records, fingerprint)
        self.done = as_completed()
        self.shards: dict[int, dict] = {s["partition"]: s for s in manifest["shards"]}
        self.saved_at = time.monotonic()

    def add(self, k: int, records: list[Record]) -> None:
        fp = fingerprint(records)
        if self._already_written(k, fp, len(records)):
            self.report.shards_skipped += 1
            self.report.documents_skipped += len(records)
            return
        from annotator.session.preannotate_worker import annotate_partition

        texts = [r.text for r in records if r.spans is None]
        future = self.client.submit(
            annotate_partition, self.model, self.kind, self.batch_size, texts,
            key=f"preannotate-{k:06d}-{os.urandom(6).hex()}", pure=False,
        )
        self.pending[future] = (k, records, fp)
        self.done.add(future)
        while len(self.pending) >= self.window:
            self._collect(next(self.done))

    def drain(self) -> None:
        while self.pending:
            self._collect(next(self.done))

    def drop_from(self, n: int) -> None:
        """Shards past the last partition: an earlier run's, from inputs that were longer then.

        Kept, they would bring back records no longer in the inputs (and count them in the
        manifest); dropped from the manifest first, then from the folder, so a kill in between
        leaves only unlisted files that the next complete run drops.
        """
        stale = sorted({k for k in self.shards if k >= n} | {
            int(p.name[5:11]) for p in self.out.glob("part-*.jsonl") if p.name[5:11].isdigit() and int(p.name[5:11]) >= n})
        if not stale:
            return
        for k in stale:
            self.report.shards_removed += 1
            self.report.documents_removed += self.shards.pop(k, {}).get("documents", 0)
        self.manifest["shards"] = [self.shards[i] for i in sorted(self.shards)]
        self.manifest["documents"] = sum(s["documents"] for s in self.shards.values())
        self.manifest["spans"] = sum(s["spans"] for s in self.shards.values())
        _write_manifest(self.out, self.manifest)
        for k in stale:
            with contextlib.suppress(FileNotFoundError):
                (self.out / shard_name(k)).unlink()
        _sync_dir(self.out)

    def cancel(self) -> None:
        self.client.cancel(list(self.pending))
        self.pending.clear()

    def _collect(self, future) -> None:
        k, records, fp = self.pending.pop(future)
        try:
            spans = future.result()
        except AnnotatorError:
            self.cancel()
            raise
        except Exception as exc:  # KilledWorker after too many deaths, a model crash
            self.cancel()
            raise ModelUnavailable(
                f"partition {k} failed on the cluster ({type(exc).__name__}: {exc}); the shards written so far are kept: "
                "run the same command again to finish"
            ) from None
        tasks, n_spans, dropped = _tasks(records, spans, self.report.model)
        _write_shard(self.out / shard_name(k), tasks)
        self._record(k, fp, len(records), n_spans)
        self.report.shards_written += 1
        self.report.documents += len(records)
        self.report.spans += n_spans
        self.report.spans_dropped += dropped
        self.report.kept_spans += sum(1 for r in records if r.spans is not None)
        if self.on_progress:
            self.on_progress(self.report.documents)

    def _record(self, k: int, fp: str, n: int, n_spans: int) -> None:
        self.shards[k] = {"partition": k, "file": shard_name(k), "documents": n, "spans": n_spans, "fingerprint": fp}
        self.manifest["shards"] = [self.shards[i] for i in sorted(self.shards)]
        self.manifest["documents"] = sum(s["documents"] for s in self.shards.values())
        self.manifest["spans"] = sum(s["spans"] for s in self.shards.values())
        if time.monotonic() - self.saved_at >= MANIFEST_EVERY:
            _write_manifest(self.out, self.manifest)
            self.saved_at = time.monotonic()

    def _already_written(self, k: int, fp: str, n: int) -> bool:
        path = self.out / shard_name(k)
        listed = self.shards.get(k)
        if listed is not None and listed["fingerprint"] == fp and path.is_file():
            return True
        # a shard renamed into place after the last manifest write (the run was killed in between)
        found = _shard_fingerprint(path)
        if found is not None and found[0] == fp and found[1] == n:
            self._record(k, fp, n, found[2])
            return True
        return False


def _tasks(records: list[Record], spans: list[list[tuple[int, int, str]]], origin: str) -> tuple[list[dict], int, int]:
    """Prodigy-shaped tasks; meta carries the model and the text's sha256 (`import` checks both)."""
    tasks, n_spans, dropped = [], 0, 0
    found = iter(spans)
    for rec in records:
        # "input", not "source": news metadata often has a "source" (the publication) of its own
        meta = {**rec.meta, "title": rec.title, "input": rec.where, "sha256": rec.sha256}
        task: dict = {"text": rec.text}
        if rec.spans is None:
            kept, lost = _clean(rec.text, next(found))
            dropped += lost
            meta["model"] = origin
        else:  # spans the input brought: written through as they are, with the input's answer
            kept = list(rec.spans)
            meta.pop("model", None)
            if rec.status != NEW:
                task["answer"] = ANSWERS[rec.status]
        task["spans"] = [{"start": s, "end": e, "label": lb} for s, e, lb in kept]
        task["meta"] = meta
        n_spans += len(kept)
        tasks.append(task)
    return tasks, n_spans, dropped


def _clean(text: str, spans: list[tuple[int, int, str]]) -> tuple[list[tuple[int, int, str]], int]:
    """Spans trimmed of edge whitespace, without overlaps (longest first), as a task must hold them."""
    trimmed = []
    for start, end, label in spans:
        start, end = trim(text, start, end)
        if start < end:
            trimmed.append((start, end, label))
    kept: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for start, end, label in sorted(trimmed, key=lambda s: (s[0] - s[1], s[0])):
        if not taken.intersection(range(start, end)):
            kept.append((start, end, label))
            taken.update(range(start, end))
    return sorted(kept), len(spans) - len(kept)


def _write_shard(path: Path, tasks: list[dict]) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # hidden: `import` of the folder never reads it
    try:
        with open(tmp, "wb") as f:
            for task in tasks:
                f.write(json.dumps(task, ensure_ascii=False).encode("utf-8") + b"\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _sync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StorageFailed(f"cannot write the shard {path}: {exc.strerror or exc}") from None
    except BaseException:  # a task that cannot be encoded, Ctrl+C: no half-written file stays behind
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _shard_fingerprint(path: Path) -> tuple[str, int, int] | None:
    """(fingerprint, documents, spans) of a shard file, from the sha256 in each task's meta."""
    try:
        hashes, n_spans = [], 0
        with open(path, "rb") as f:
            for line in f:
                task = json.loads(line)
                hashes.append(task["meta"]["sha256"])
                n_spans += len(task["spans"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return hashlib.sha256("\n".join(hashes).encode()).hexdigest(), len(hashes), n_spans


def _open_manifest(out: Path, inputs: list[str], model: str | None, kind: str, origin: str, size: int) -> dict:
    """The manifest of `out`, new or (same inputs as absolute paths, size and model) resumed."""
    settings = {"inputs": inputs, "partition_size": size, "model": origin, "kind": kind}
    path = out / MANIFEST
    if path.exists():
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
            manifest["shards"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BadInput(f"{path} is not a manifest preannotate can resume from ({exc}): use a new --out folder") from None
        if manifest.get("format") != FORMAT:
            raise BadInput(f"{out} holds something else (its manifest.json is not from preannotate): use a new --out folder")
        differ = [k for k, v in settings.items() if manifest.get(k) != v]
        if differ:
            was = "; ".join(f"{k} was {manifest.get(k)!r}, now {settings[k]!r}" for k in differ)
            raise BadInput(
                f"{out} holds shards of a different run ({was}): run with the same inputs, --partition-size and "
                "--model to resume it, or use a new --out folder"
            )
        manifest["complete"] = False
        manifest["runs"] = manifest.get("runs", 1) + 1
        return manifest
    stray = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    if stray:
        raise BadInput(f"{out} is not empty ({', '.join(stray[:3])}{', ...' if len(stray) > 3 else ''}) and has no manifest: use a new --out folder")
    from annotator import __version__

    manifest = {
        "format": FORMAT, "annotator": __version__, **settings, "model_argument": model,
        "documents": 0, "spans": 0, "shards": [], "rejected": [], "complete": False, "runs": 1, "seconds": 0,
    }
    _write_manifest(out, manifest)
    return manifest


def _write_manifest(out: Path, manifest: dict) -> None:
    path = out / MANIFEST
    tmp = out / f".{MANIFEST}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=1, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _sync_dir(out)
    except OSError as exc:
        raise StorageFailed(f"cannot write {path}: {exc.strerror or exc}") from None


def _sweep_temporaries(out: Path) -> None:
    """Half-written shards a killed run left (hidden, never imported); this run holds the folder's lock."""
    for p in out.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            p.unlink()


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _dir_lock(out: Path):
    """One run per output folder: two would write the same shards."""
    import fcntl

    fd = os.open(out / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Locked(f"another preannotate run is writing into {out}: wait for it or use a new --out folder") from None
        yield
    finally:
        os.close(fd)
