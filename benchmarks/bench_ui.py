"""Window speed, offscreen: medians and p95 of the hot paths (figures only; nothing is asserted).

1. open a 10k-word article with 1,000 entities until it is fully highlighted and painted
2. relabel the current entity: key press → committed → repainted
3. add an entity with token snapping: key press → committed → repainted
   ("repainted": the event loop has run until idle, so every dirty region of the window is painted)
4. cold start of the app (a subprocess running `annotator run`) until the first article is painted
5. the document list on a 100k-document database: time to show the window, then resident memory

Run: `make bench-ui` (or QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ui.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.core.records import Record  # noqa: E402
from annotator.session import Corpus  # noqa: E402
from annotator.session.importer import store_records  # noqa: E402
from annotator.session.imports import seeds_dir  # noqa: E402
from annotator.storage.schema import SCHEMA_VERSION  # noqa: E402

LABELS = ["PERSON", "ORG", "GPE", "NORP", "DATE"]
TARGETS = {"open": 30.0, "relabel": 16.0, "add": 16.0, "cold": 1500.0, "list_show": 1000.0, "list_rss": 500.0}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(name: str, values_ms: list[float], target: float, on: str = "median", cpu_ms: list[float] | None = None) -> None:
    med, p95 = statistics.median(values_ms), pct(values_ms, 0.95)
    ok = (med if on == "median" else p95) <= target
    cpu = f"   CPU median {statistics.median(cpu_ms):6.2f} ms" if cpu_ms else ""
    print(f"{name:<44} median {med:8.2f} ms   p95 {p95:8.2f} ms   (n={len(values_ms)}; target {on} <= {target:g} ms: "
          f"{'met' if ok else 'MISSED'}){cpu}")


def isolate_settings(folder: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("annotator-bench")
    QCoreApplication.setApplicationName("annotator-bench")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder / "settings"))


# ---- data ----------------------------------------------------------------------------------
def long_article(words: int = 10_000, suffix: str = "") -> str:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
    out, n, i = [], 0, 0
    while n < words:
        para = seeds[i % len(seeds)]
        out.append(para)
        n += len(para.split())
        i += 1
    return "\n".join(out) + suffix


def entity_spans(text: str, n: int = 1000) -> list[tuple[int, int, str]]:
    """n one-token entities spread evenly over the words of the text."""
    import re

    words = [m.span() for m in re.finditer(r"[A-Za-z]{3,}", text)]
    step = len(words) / n
    return [(*words[int(k * step)], LABELS[k % len(LABELS)]) for k in range(n)]


def big_article_db(folder: Path) -> Path:
    path = folder / "long.db"
    with Corpus(path) as corpus:
        records = []
        for k in range(2):  # two of them, so that every open is a real switch
            text = long_article(suffix=f"\nEdition {k}.")
            records.append(Record(text, f"long article {k}", spans=entity_spans(text), source="bench", line=k + 1))
        store_records(corpus, records)
    return path


def many_documents_db(n: int) -> Path:
    """A 100k-document database, built once and kept in the temp folder."""
    path = Path(tempfile.gettempdir()) / f"annotator-bench-{n}-docs-v{SCHEMA_VERSION}.db"
    if path.exists():
        return path
    tmp = path.with_suffix(".partial")
    for p in tmp.parent.glob(tmp.name + "*"):
        p.unlink()
    seeds = [p.read_text(encoding="utf-8").split("\n") for p in sorted(seeds_dir().glob("*.txt"))]
    print(f"building a {n:,}-document database (once) at {path} ...", flush=True)
    with Corpus(tmp) as corpus:
        batch = []
        for i in range(n):
            paras = seeds[i % len(seeds)]
            text = f"Report {i}. " + " ".join(paras[(i // 5) % len(paras) : (i // 5) % len(paras) + 3])
            batch.append(Record(text, f"Report {i}: {paras[0][:60]}", spans=[(0, 6, "ORG")], source="bench"))
            if len(batch) == 5000:
                store_records(corpus, batch)
                batch = []
        if batch:
            store_records(corpus, batch)
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(tmp) + suffix)
        if src.exists():
            src.rename(Path(str(path) + suffix))
    return path


# ---- measurements --------------------------------------------------------------------------
def bench_in_process(folder: Path, runs: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    isolate_settings(folder)
    from annotator.ui.main_window import MainWindow
    from annotator.ui.theme import apply_theme

    apply_theme(app, dark=False)
    db = big_article_db(folder)
    # the window warms the tokenizer in a background thread after the first article; do it up front here
    # so that import does not compete with the measurements (its cost is printed below)
    from annotator.nlp.tokens import tokenizer

    t = time.perf_counter()
    tokenizer("en")
    token_load = (time.perf_counter() - t) * 1000
    w = MainWindow(db)
    w.resize(1400, 900)
    w.show()
    w.activateWindow()
    app.processEvents()
    view = w.article

    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        n = 0

        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Paint:
                PaintCounter.n += 1
            return False

    counter = PaintCounter()
    view.viewport().installEventFilter(counter)

    def settle() -> None:
        """Run the event loop until idle, as after a real key press: layout, highlight and paint what is dirty."""
        before = PaintCounter.n
        app.processEvents()
        assert PaintCounter.n > before, "nothing was repainted"

    def measure(mode: str) -> None:
        print(f"-- {mode}")
        # 1. open until fully highlighted
        times, cpu = [], []
        for k in range(runs):
            target = 1 + (k + 1) % 2
            before = view.highlighter.blocks_drawn
            t, c = time.perf_counter(), time.process_time()
            w.open_document(target)
            settle()
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert view.highlighter.blocks_drawn - before >= view.document().blockCount()
            assert len(view.spans) == 1000
        report("open 10k words / 1,000 entities", times, TARGETS["open"], cpu_ms=cpu)
        words = len(w.document.text.split())
        shown = len(view.highlighted_ranges())
        print(f"{'':<44} ({words:,} words, {len(w.document.text):,} characters, {view.document().blockCount()} blocks, "
              f"{shown} highlighted pieces)")

        # 2. relabel: key press → commit → repaint
        view.setFocus()
        spans = view.ordered_spans()
        times, cpu = [], []
        for k in range(runs * 2):
            span = spans[(k * 37) % len(spans)]
            view.set_current(span.id, move_caret=True)
            settle()
            key = Qt.Key_O if view.spans[span.id].label != "ORG" else Qt.Key_P
            t, c = time.perf_counter(), time.process_time()
            QTest.keyClick(view, key)
            settle()
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert w.statusBar().currentMessage().startswith("saved"), w.notice.label.text()
        report("relabel (key → committed → repainted)", times, TARGETS["relabel"], on="p95", cpu_ms=cpu)

        # 3. add with snapping: select inside a word that is no entity, press a key
        print(f"{'':<44} (tokenizer load, done in a background thread after the first article: {token_load:.0f} ms)")
        import re

        text = w.document.text
        taken = [(s.start, s.end) for s in view.ordered_spans()]
        free = [m.span() for m in re.finditer(r"\b[a-z]{5,}\b", text) if not any(a < m.end() and m.start() < b for a, b in taken)]
        times, cpu = [], []
        for k in range(runs * 2):
            s, e = free[(k * 53) % len(free)]
            view.select_range(s + 1, e - 1)
            settle()
            t, c = time.perf_counter(), time.process_time()
            QTest.keyClick(view, Qt.Key_P)
            settle()
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert w.statusBar().currentMessage().startswith("saved · add"), w.notice.label.text()
            assert (s, e) in [(x.start, x.end) for x in view.ordered_spans()]
            w.edits.undo()
        report("add with snapping (key → committed → repainted)", times, TARGETS["add"], on="p95", cpu_ms=cpu)

    # the reading view (labels on spans, air between lines) against the plain view, in this one run
    for mode, on in (("plain view: no label tags, no line or paragraph spacing", False),
                     ("reading view: label tags on spans, line and paragraph spacing", True)):
        view.air.enabled = on
        view.set_tags_shown(on)
        measure(mode)
    w.close()


def bench_cold_start(folder: Path, runs: int) -> None:
    import shutil

    db = folder / "seeds.db"
    with Corpus(db) as corpus:
        from annotator.core.records import title_from_text

        texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir().glob("*.txt"))]
        store_records(corpus, [Record(t, title_from_text(t), spans=entity_spans(t, 60)) for t in texts])
    cli = Path(sys.executable).with_name("annotator")
    env = dict(os.environ, ANNOTATOR_STARTUP_PROBE="1", HOME=str(folder), XDG_CONFIG_HOME=str(folder / "config"),
               XDG_DATA_HOME=str(folder / "data"))
    walls, inner = [], []
    for k in range(runs):
        copy = folder / f"cold{k}.db"
        shutil.copyfile(db, copy)
        t = time.perf_counter()
        out = subprocess.run([str(cli), "run", "--db", str(copy)], env=env, capture_output=True, text=True, timeout=120)
        wall = (time.perf_counter() - t) * 1000
        line = next((x for x in out.stdout.splitlines() if x.startswith("first-article-visible")), None)
        if line is None:
            print("cold start failed:", out.stdout, out.stderr)
            return
        walls.append(wall)
        inner.append(float(line.split()[1]) * 1000)
        assert line.endswith("spacy-imported=False"), line
    report("cold start → first article (process, wall)", walls, TARGETS["cold"])
    report("  of which inside main()", inner, TARGETS["cold"])
    print(f"{'':<44} (spaCy was not imported before the first article in any run)")


LIST_CHILD = r"""
import os, sys, time
t0 = time.perf_counter()
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
sys.path.insert(0, sys.argv[2])
from benchmarks.bench_ui import isolate_settings
isolate_settings(Path(sys.argv[3]))
from annotator.ui.main_window import MainWindow
t = time.perf_counter()
w = MainWindow(Path(sys.argv[1])); w.resize(1400, 900); w.show()
app.processEvents(); w.docs.table.viewport().repaint()
shown = time.perf_counter() - t
total = w.docs.model.rowCount()
table = w.docs.table
t = time.perf_counter(); table.scrollToBottom(); table.viewport().repaint(); bottom = time.perf_counter() - t
t = time.perf_counter(); w.open_document(90_000); app.processEvents(); table.viewport().repaint(); jump = time.perf_counter() - t
t = time.perf_counter(); w.docs.filter_box.setCurrentIndex(w.docs.filter_box.findData("new")); app.processEvents(); table.viewport().repaint(); filt = time.perf_counter() - t
w.docs.filter_box.setCurrentIndex(0); app.processEvents()
t = time.perf_counter(); w.docs.search_box.setText("Witkoff"); w.docs._apply_filter(); app.processEvents(); table.viewport().repaint(); found = time.perf_counter() - t
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
rss = int(status["VmRSS"].split()[0]) / 1024
hwm = int(status["VmHWM"].split()[0]) / 1024
print(f"RESULT {shown*1000:.1f} {bottom*1000:.1f} {jump*1000:.1f} {filt*1000:.1f} {rss:.1f} {hwm:.1f} {total} "
      f"{(time.perf_counter()-t0)*1000:.0f} {found*1000:.1f} {w.docs.model.rowCount()}")
"""


def bench_document_list(folder: Path, n: int, runs: int) -> None:
    db = many_documents_db(n)
    results = []
    for k in range(runs):
        copy = folder / f"many{k}.db"
        import shutil

        shutil.copyfile(db, copy)
        out = subprocess.run([sys.executable, "-c", LIST_CHILD, str(copy), str(ROOT), str(folder)],
                             capture_output=True, text=True, timeout=300, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
        line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT")), None)
        if line is None:
            print("document list run failed:", out.stdout[-2000:], out.stderr[-2000:])
            return
        results.append([float(x) for x in line.split()[1:]])
        copy.unlink()
    cols = list(zip(*results))
    rows = int(cols[6][0])
    report(f"document list, {rows:,} documents: window shown", list(cols[0]), TARGETS["list_show"])
    report("  scroll to the last row", list(cols[1]), TARGETS["list_show"])
    report("  open document 90,000 (list follows)", list(cols[2]), TARGETS["list_show"])
    report("  status filter 'New'", list(cols[3]), TARGETS["list_show"])
    report(f"  search 'Witkoff' ({int(cols[9][0]):,} found)", list(cols[8]), TARGETS["list_show"])
    print(f"{'  resident memory after that (MB)':<44} median {statistics.median(cols[4]):8.1f} MB  "
          f"peak {max(cols[5]):8.1f} MB   (target <= {TARGETS['list_rss']:g} MB: "
          f"{'met' if max(cols[5]) <= TARGETS['list_rss'] else 'MISSED'})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--cold-runs", type=int, default=5)
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--list-runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_in_process(folder, args.runs)
        bench_cold_start(folder, args.cold_runs)
        bench_document_list(folder, args.documents, args.list_runs)


if __name__ == "__main__":
    main()
