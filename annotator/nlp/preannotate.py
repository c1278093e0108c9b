"""Pre-annotating texts with a pipeline's NER, in batches, with long texts split."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import util as mp_util
from typing import TypeVar

T = TypeVar("T")


def chunk_text(text: str, limit: int) -> list[tuple[int, str]]:
    """Split a text longer than `limit` at paragraph, then line, then sentence or space breaks.

    Returns (offset, piece) pairs; entities found in a piece are shifted by its offset.
    """
    if len(text) <= limit:
        return [(0, text)]
    pieces = []
    pos = 0
    while pos < len(text):
        end = min(pos + limit, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, pos + limit // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        pieces.append((pos, text[pos:end]))
        pos = end
    return pieces


class _QuietWorkers:
    """While alive, nlp.pipe workers forked by multiprocessing leave quietly on Ctrl+C.

    A terminal's Ctrl+C reaches the workers too; left alone each prints a KeyboardInterrupt
    traceback and spaCy warns W127. The parent handles the interrupt and stops the import.
    """

    @staticmethod
    def after_fork(_: object) -> None:
        signal.signal(signal.SIGINT, lambda *_: os._exit(0))  # status 0: spaCy warns W127 on any other


def annotate(
    nlp, items: Iterable[tuple[str, T]], batch_size: int = 64, n_process: int = 1, chunk: int = 100_000
) -> Iterator[tuple[T, list[tuple[int, int, str]]]]:
    """For each (text, context) in order, yield (context, doc.ents as (start, end, label))."""
    return annotate_with(nlp, _ents, items, batch_size=batch_size, n_process=n_process, chunk=chunk)


def _ents(doc) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def annotate_with(
    nlp, extract: Callable, items: Iterable[tuple[str, T]], batch_size: int = 64, n_process: int = 1, chunk: int = 100_000
) -> Iterator[tuple[T, list[tuple[int, int, str]]]]:
    """For each (text, context) in order, yield (context, extract(doc) as (start, end, label)).

    One nlp.pipe call streams the whole input (so --n-process workers start once).
    Texts beyond `chunk` characters are split, so a 2 MB article is annotated piece by
    piece instead of tripping nlp.max_length.
    """
    limit = min(chunk, nlp.max_length)
    contexts: dict[int, T] = {}

    def pieces() -> Iterator[tuple[str, tuple[int, int]]]:
        for i, (text, ctx) in enumerate(items):
            contexts[i] = ctx
            for offset, piece in chunk_text(text, limit):
                yield piece, (i, offset)

    # every text yields at least one piece and nlp.pipe keeps order, so pieces arrive grouped by text
    quiet = _QuietWorkers()
    if n_process > 1:
        mp_util.register_after_fork(quiet, _QuietWorkers.after_fork)  # held by weak reference while `quiet` lives
    current, found, started = 0, [], False
    restore = _stop_workers_on_sigint() if n_process > 1 else None
    try:
        for doc, (i, offset) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size, n_process=n_process):
            if i != current:
                yield contexts.pop(current), found
                current, found = i, []
            started = True
            found.extend((offset + start, offset + end, label) for start, end, label in extract(doc))
        if started:
            yield contexts.pop(current), found
    finally:
        if restore:
            restore()


def _stop_workers_on_sigint() -> Callable[[], None] | None:
    """SIGINT to this process alone (not to its process group) must stop nlp.pipe's workers too.

    Otherwise the KeyboardInterrupt unwinds through spaCy's pipe, whose cleanup joins workers that
    are blocked sending results nobody reads any more: a hang. The handler kills them first (the
    documents already received are stored; the re-run adds the rest), then raises KeyboardInterrupt
    as usual. Signal handlers can only be set on the main thread; elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        return None
    previous = signal.getsignal(signal.SIGINT)

    def on_sigint(signum, frame):
        warnings.filterwarnings("ignore", message=r"\[W127\]")  # the killed workers' exit codes
        for child in multiprocessing.active_children():
            child.kill()
        signal.signal(signal.SIGINT, previous)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_sigint)
    return lambda: signal.signal(signal.SIGINT, previous)
