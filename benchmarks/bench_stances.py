"""The stance key on a long article: `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_stances.py`.

Builds one ~110k-character article (the seeds repeated, with the model's entities, ~5k spans)
and prints medians for what one press of the stance key costs: the sentence at the cursor,
the default speaker, planning + committing the record, and the panel's reload; plus the
ratio of snapping on the whole text to the windowed snapping the session uses.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.core.records import Record  # noqa: E402
from annotator.core.spans import snap, trim  # noqa: E402
from annotator.core.speakers import nearest_speaker  # noqa: E402
from annotator.nlp.sentences import sentence_at  # noqa: E402
from annotator.nlp.tokens import token_bounds  # noqa: E402
from annotator.session import Corpus  # noqa: E402
from annotator.session.importer import store_records  # noqa: E402
from annotator.session.stances import plan_add_stance, plan_delete_stance, snap_to_tokens  # noqa: E402


def long_article(min_chars: int = 110_000) -> tuple[str, list[tuple[int, int, str]]]:
    from annotator.nlp.preannotators import load_pipeline

    nlp = load_pipeline()
    pieces = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8").strip()
        pieces.append((text, [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]))
    text, spans = "", []
    while len(text) < min_chars:
        for piece, ents in pieces:
            base = len(text)
            text += piece + "\n"
            spans += [(s + base, e + base, label) for s, e, label in ents]
    return text, spans


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    text, spans = long_article()
    rng = random.Random(1)
    corpus = Corpus(Path(tempfile.mkdtemp()) / "bench.db")
    doc_id = store_records(corpus, [Record(text, "long", spans=spans)]).added[0]
    ents = corpus.spans(doc_id)
    positions = [rng.randrange(len(text)) for _ in range(200)]
    sentence_at(text, 0)  # load the blank pipeline once
    print(f"article: {len(text):,} characters, {len(ents):,} entities")

    it = iter(positions * 10)
    print(f"sentence_at:            {median_ms(lambda: sentence_at(text, next(it)), 200):.2f} ms")
    sents = [s for s in (sentence_at(text, p) for p in positions) if s]
    it2 = iter(sents * 10)
    print(f"nearest_speaker:        {median_ms(lambda: nearest_speaker(ents, *next(it2)), 200):.2f} ms")

    it3 = iter(sents * 10)

    def add_and_delete():
        s, e = next(it3)
        change = corpus.apply(plan_add_stance(corpus, doc_id, "ceasefire", "FAVOR", holder_text="x", ev_start=s, ev_end=e))
        corpus.apply(plan_delete_stance(corpus, change.ops[0].after["id"]))

    print(f"plan+apply add, delete: {median_ms(add_and_delete, 100):.2f} ms (two commits)")

    ranges = [(s, s + rng.randrange(1, 300)) for s in positions]
    ranges = [(s, min(e, len(text))) for s, e in ranges if text[s : min(e, len(text))].strip()]
    it4 = iter(ranges * 10)
    windowed = median_ms(lambda: snap_to_tokens(text, *next(it4)), 100)
    it5 = iter(ranges * 10)
    whole = median_ms(lambda: snap(token_bounds(text), *trim(text, *next(it5))), 10)
    print(f"snap evidence:          {windowed:.3f} ms windowed vs {whole:.1f} ms on the whole text ({whole / windowed:.0f}x)")

    for s, e in sents[:50]:
        try:
            corpus.apply(plan_add_stance(corpus, doc_id, "ceasefire", "FAVOR", holder_text=f"h{s}", ev_start=s, ev_end=e))
        except Exception:  # a repeated sentence is a duplicate: skip it
            pass
    from PySide6.QtWidgets import QApplication

    from annotator.session.session import Session
    from annotator.ui.edits import EditRunner
    from annotator.ui.stance_panel import StancePanel

    app = QApplication.instance() or QApplication([])
    panel = StancePanel(EditRunner(Session(corpus)))
    panel.set_document(doc_id, text)
    n = len(corpus.stances(doc_id))
    print(f"panel reload ({n} records): {median_ms(panel.reload, 30):.2f} ms")
    print(f"panel tag_at (editor open): {median_ms(lambda: (panel.tag_at(positions[0]), panel.cancel(quiet=True)), 30):.2f} ms")
    app.processEvents()
    corpus.close()


if __name__ == "__main__":
    main()
