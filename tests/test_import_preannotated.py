"""Tasks `annotator preannotate` wrote import with the model as their spans' origin, no model run."""

import hashlib
import json

from annotator.session.corpus import Corpus
from annotator.session.imports import import_paths


def _task(text: str, spans, model="en_shardmodel-1.0.0", sha=None):
    return {
        "text": text,
        "spans": [{"start": s, "end": e, "label": lb} for s, e, lb in spans],
        "meta": {"title": text[:10], "model": model, "sha256": sha or hashlib.sha256(text.encode()).hexdigest()},
    }


def test_shard_spans_take_the_model_from_the_task_meta_and_duplicates_are_skipped(tmp_path):
    shard = tmp_path / "part-000000.jsonl"
    tasks = [
        _task("Zelensky spoke in Kyiv.", [(0, 8, "PERSON"), (18, 22, "GPE")]),
        _task("Moscow answered.", [(0, 6, "GPE")], model="en_other-2.0.0"),
        _task("Zelensky spoke in Kyiv.", [(0, 8, "PERSON")]),  # the same text again
        # the text was edited after the model saw it: its spans are the file's, not the model's
        _task("Edited by hand in Paris.", [(18, 23, "GPE")], sha="0" * 64),
    ]
    shard.write_text("".join(json.dumps(t) + "\n" for t in tasks), encoding="utf-8")
    corpus = Corpus(tmp_path / "c.db")
    report = import_paths(corpus, [tmp_path], model=None)
    assert len(report.added) == 3 and report.duplicates == 1 and not report.rejected
    assert report.model_spans == 3 and report.model == "en_shardmodel-1.0.0, en_other-2.0.0"
    origins = {}
    for doc_id in report.added:
        for span in corpus.spans(doc_id):
            origins[span.label, span.start, span.end] = span.origin
    assert origins == {
        ("PERSON", 0, 8): "en_shardmodel-1.0.0",
        ("GPE", 18, 22): "en_shardmodel-1.0.0",
        ("GPE", 0, 6): "en_other-2.0.0",
        ("GPE", 18, 23): f"file:{shard}",
    }
    assert json.loads(corpus.meta("models", "[]")) == ["en_shardmodel-1.0.0", "en_other-2.0.0"]
    corpus.close()
