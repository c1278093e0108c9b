"""What runs on a Dask worker: the pre-annotator, loaded once per worker process and kept.

Imported by the driver only after Dask was found, and unpickled on each worker with the
task that needs it; so a worker must have annotator (and the model) installed.
"""

from __future__ import annotations

import signal
import threading

from distributed import WorkerPlugin

from annotator.core.errors import AnnotatorError, ModelUnavailable
from annotator.nlp.preannotators import get_preannotator
from annotator.session.dask_logs import quiet_dask_logs

_LOADED: dict[tuple[str | None, str], object] = {}
_LOCK = threading.Lock()  # a worker with several threads must still load the pipeline once


def loaded(model: str | None, kind: str = "spacy"):
    """This process's pre-annotator for (model, kind), loaded on first use and kept."""
    key = (model, kind)
    found = _LOADED.get(key)
    if found is None:
        with _LOCK:
            found = _LOADED.get(key)
            if found is None:
                try:
                    found = get_preannotator(model, kind)
                except AnnotatorError:
                    raise
                except Exception as exc:  # a plugin's own failure still reaches the user as one line
                    raise ModelUnavailable(f"could not load the pre-annotator {kind!r} for {model!r}: {exc}") from exc
                _LOADED[key] = found
    return found


def warm(model: str | None, kind: str = "spacy") -> str:
    """Load the pre-annotator now; its origin id (the model name and version)."""
    return loaded(model, kind).origin


class PreannotatorPlugin(WorkerPlugin):
    """Loads the pipeline when a worker starts, also one that joins later or replaces a killed one."""

    def __init__(self, model: str | None, kind: str = "spacy"):
        self.model = model
        self.kind = kind

    def setup(self, worker) -> None:
        loaded(self.model, self.kind)


def dask_setup(worker) -> None:
    """The preload of a local cluster's workers (`distributed.worker.preload`), run as each one starts,
    also one the nanny starts again after a kill: Ctrl+C is left to the driver.

    The workers share the terminal's process group, so a Ctrl+C reaches each of them; the driver
    stops the run and closes them, and a worker that took it would die with a KeyboardInterrupt
    traceback instead. They start with SIGINT blocked (inherited from the thread that started the
    cluster), so one that comes before this runs waits for the handler set here.
    """
    leave_interrupt_to_the_driver()


def leave_interrupt_to_the_driver() -> None:
    """On SIGINT, this process goes on (the driver closes it) and only silences its Dask loggers.

    The close that follows may cut a heartbeat or a reply in two, or come while the model loads
    and the worker's event loop is busy; the errors it logs would only bury the driver's one line.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _on_interrupt)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _on_interrupt(signum, frame) -> None:
    quiet_dask_logs()


def annotate_partition(model: str | None, kind: str, batch_size: int, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """The spans of each text, in order. Nothing is written here: the driver writes each shard once."""
    pre = loaded(model, kind)
    out: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    for i, spans in pre.annotate(((t, i) for i, t in enumerate(texts)), batch_size=batch_size):
        out[i] = [(int(s), int(e), str(lb)) for s, e, lb in spans]
    return out
