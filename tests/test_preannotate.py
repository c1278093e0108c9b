"""Pre-annotation: long texts in pieces at the right offsets; several processes agree with one."""

import pytest

from annotator.nlp.preannotate import annotate, chunk_text
from annotator.session.imports import import_paths, seeds_dir


def test_chunks_cover_the_text_exactly_and_cut_at_breaks():
    text = ("Zelensky spoke in Kyiv. " * 40 + "\n\n") * 30
    pieces = chunk_text(text, 1000)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 1000 for _, p in pieces)
    assert all(text[off : off + len(p)] == p for off, p in pieces)
    assert all(p.endswith(("\n", ". ", " ")) for _, p in pieces[:-1])


def test_a_text_beyond_max_length_is_annotated_in_pieces_at_the_right_offsets(nlp):
    sentence = "Volodymyr Zelensky met Steve Witkoff in Geneva on Tuesday. "
    text = sentence * 60  # ~3.5k characters, annotated in pieces of at most 500
    [(ctx, ents)] = list(annotate(nlp, [(text, "ctx")], chunk=500))
    assert ctx == "ctx"
    found = {text[s:e] for s, e, _ in ents}
    assert {"Volodymyr Zelensky", "Steve Witkoff", "Geneva"} <= found
    assert sum(1 for s, e, _ in ents if text[s:e] == "Geneva") == 60
    whole = {(s, e, lb) for _, ents1 in annotate(nlp, [(text, 0)], chunk=10_000) for s, e, lb in ents1}
    assert {(s, e, lb) for s, e, lb in ents if text[s:e] in ("Geneva", "Steve Witkoff")} <= whole


def test_empty_and_short_texts_keep_their_order(nlp):
    out = list(annotate(nlp, [("Kyiv.", 1), ("", 2), ("Moscow and Kyiv talked.", 3)]))
    assert [ctx for ctx, _ in out] == [1, 2, 3]
    assert out[1][1] == []


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")
def test_two_processes_give_the_same_entities_as_one(tmp_path, nlp):
    from annotator.session.corpus import Corpus

    results = []
    for n_process in (1, 2):
        corpus = Corpus(tmp_path / f"p{n_process}.db")
        report = import_paths(corpus, [seeds_dir()], nlp=nlp, n_process=n_process, batch_size=2)
        results.append(sorted((d, s.start, s.end, s.label) for d in report.added for s in corpus.spans(d)))
        corpus.close()
    assert results[0] == results[1] and len(results[0]) > 100
