"""Stopping an import (Cancel in the window) keeps every document annotated so far."""

import json

from annotator.session.imports import import_paths


def test_stopping_keeps_the_documents_read_so_far_and_a_rerun_adds_the_rest(tmp_path, empty_corpus):
    data = tmp_path / "many.jsonl"
    data.write_text("".join(json.dumps({"text": f"Article {i} about Kyiv."}) + "\n" for i in range(1000)), encoding="utf-8")
    seen = []
    report = import_paths(empty_corpus, [data], model="none", on_progress=lambda n, _t: seen.append(n),
                          should_stop=lambda: len(seen) >= 300)
    assert report.interrupted
    assert len(report.added) == 300  # the 256 of the first batch and the 44 of the unfinished one
    assert empty_corpus.count_documents() == 300
    again = import_paths(empty_corpus, [data], model="none")
    assert not again.interrupted and len(again.added) == 700 and again.duplicates == 300
