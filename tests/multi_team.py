"""Building small teams of analysts' corpora for the agreement and review tests (not a test module)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.records import Record
from annotator.session.corpus import Corpus
from annotator.session.handout import copy_for_annotators
from annotator.session.importer import store_records
from annotator.session.stances import plan_add_stance

TEXTS = [
    "Zelensky met Trump in Davos on Monday.",
    "Putin spoke to Erdogan in Ankara about the Black Sea.",
    "Kyiv and Warsaw signed a deal in Brussels.",
]


def source_corpus(path: Path, texts=TEXTS, model_spans: dict[int, list] | None = None) -> Path:
    """A corpus of short articles; `model_spans` (by index) are stored as a model's pre-annotations."""
    with Corpus(path) as c:
        records = [Record(text=t, title=f"article {i + 1}", source="wire.jsonl", spans=(model_spans or {}).get(i, [])) for i, t in enumerate(texts)]
        store_records(c, records, {i: "test_model-1.0" for i in (model_spans or {})})
        c.db.execute("UPDATE meta SET value = ? WHERE key = 'models'", ['["test_model-1.0"]'])
    return path


def span_at(text: str, word: str, label: str, nth: int = 0) -> tuple[int, int, str]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word), label


def annotate(path: Path, name: str, spans_by_text: dict[str, list[tuple[str, str]]],
             stances_by_text: dict[str, list[dict]] | None = None, accept: bool = True) -> None:
    """An analyst's work, through the session API as the window does it: entities, stances, accept."""
    with Corpus(path, annotator=name) as c:
        for row in c.document_rows():
            doc = c.document(row.id)
            for sp in c.spans(row.id):  # start from nothing: the tests say exactly what each analyst marked
                c.apply(c.plan_delete_span(sp.id))
            for word, label in spans_by_text.get(doc.text, []):
                s, e, lb = span_at(doc.text, word, label)
                c.apply(c.plan_add_span(row.id, s, e, lb))
            for st in (stances_by_text or {}).get(doc.text, []):
                st = dict(st)
                if "evidence" in st:
                    s, e, _ = span_at(doc.text, st.pop("evidence"), "")
                    st["ev_start"], st["ev_end"] = s, e
                c.apply(plan_add_stance(c, row.id, **st))
            if accept:
                c.apply(c.plan_set_status(row.id, "accepted"))


def team(tmp_path: Path, names=("alice", "bob"), overlap: int = 3, texts=TEXTS) -> dict[str, Path]:
    src = source_corpus(tmp_path / "source.db", texts)
    report = copy_for_annotators(src, tmp_path / "team", list(names), overlap=overlap, seed=1)
    return report.outputs
