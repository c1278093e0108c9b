"""The cyclic garbage collector runs on the GUI thread only (annotator.ui.gc_guard): freed in a background
parse's thread, a Qt wrapper crashed PySide (SIGSEGV in runDeletionInMainThread, 3-6 of 10 runs of
test_stance_panel.py before)."""

from __future__ import annotations

import gc
import threading
import weakref

import srsly

from annotator.ui.app import make_application
from annotator.ui.gc_guard import GuiThreadCollector


class Node:
    pass


def test_the_app_turns_automatic_collection_off_and_collects_on_its_own_thread(qapp):
    app = make_application()
    assert app.findChild(GuiThreadCollector) is not None
    assert gc.get_threshold()[0] == 0  # no collection in whatever thread allocates
    srsly.msgpack_loads(srsly.msgpack_dumps({"a": 1}))  # srsly's gc.disable()/gc.enable() pair (a model load)
    assert gc.get_threshold()[0] == 0
    # garbage made in another thread waits for the GUI thread's check
    box = {}

    def make_cycle():
        a, b = Node(), Node()
        a.b, b.a = b, a
        box["ref"] = weakref.ref(a)
        # well past the first threshold (it counts objects made and not yet freed): the automatic collector
        # would have run here, in this thread
        box["kept"] = [Node() for _ in range(5000)]

    worker = threading.Thread(target=make_cycle)
    worker.start()
    worker.join()
    assert box["ref"]() is not None  # not collected in the worker
    collector = app.findChild(GuiThreadCollector)
    assert gc.get_count()[0] > collector.threshold[0]  # a collection is due
    collector.check()
    assert box["ref"]() is None
