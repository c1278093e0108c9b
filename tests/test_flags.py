"""Issue 12 item 4 (Qt-free part): the model's suspicious spans are flagged and the obvious fix is one Change."""

from __future__ import annotations

import pytest

from annotator.core.flags import LINE_BREAK, POSSESSIVE, PUNCTUATION, span_flags
from annotator.core.records import Record
from annotator.session import EditError
from annotator.session.corpus import Corpus
from annotator.session.flags import flagged_spans, next_flag, plan_fix_all_flags, plan_fix_flag, plan_keep_span
from annotator.session.importer import store_records

TEXT = "Talks with Zelensky\nZelensky met Donald Trump’s envoy in Kyiv, said Kyiv‘s negotiator from the U.S. (Donbas) team."
MODEL = "en_core_web_sm-3.8.0"


def at(piece, n=0):
    s = -1
    for _ in range(n + 1):
        s = TEXT.index(piece, s + 1)
    return s, s + len(piece)


@pytest.fixture
def doc(tmp_path):
    corpus = Corpus(tmp_path / "f.db")
    spans = [(*at("Zelensky\nZelensky"), "PERSON"), (*at("Donald Trump’s"), "PERSON"), (*at("Kyiv,"), "GPE"),
             (*at("Kyiv‘s"), "GPE"), (*at("U.S."), "GPE"), (*at("(Donbas)"), "GPE")]
    model_doc = store_records(corpus, [Record(TEXT, "m", spans=spans)], {0: MODEL}).added[0]
    own_doc = store_records(corpus, [Record(TEXT + " Own.", "o", spans=spans)]).added[0]  # the analyst's file
    yield corpus, model_doc, own_doc
    corpus.close()


def test_the_three_kinds_are_flagged_on_model_spans_only(doc):
    corpus, d, own = doc
    flagged = flagged_spans(corpus, d)
    got = {TEXT[f.span.start : f.span.end]: ([fl.kind for fl in f.flags], f.fix and TEXT[f.fix[0] : f.fix[1]]) for f in flagged}
    assert got == {
        "Zelensky\nZelensky": ([LINE_BREAK], None),
        "Donald Trump’s": ([POSSESSIVE], "Donald Trump"),
        "Kyiv,": ([PUNCTUATION], "Kyiv"),
        "Kyiv‘s": ([POSSESSIVE], "Kyiv"),
        "(Donbas)": ([PUNCTUATION], "Donbas"),
    }  # "U.S." keeps its full stop
    assert flagged_spans(corpus, own) == []
    assert next_flag(flagged, at("Kyiv,")[0]).span.start == at("Kyiv‘s")[0]
    assert next_flag(flagged, len(TEXT)).span.start == at("Zelensky\nZelensky")[0]  # wraps around


def test_one_key_fix_and_fix_all_are_single_undoable_edits(doc, tmp_path):
    corpus, d, _ = doc
    trump = next(s for s in corpus.spans(d) if s.start == at("Donald Trump’s")[0])
    change = corpus.apply(plan_fix_flag(corpus, trump.id))
    assert "possessive" in change.action and TEXT[trump.start : corpus.span(trump.id).end] == "Donald Trump"
    corpus.apply(change.inverse())
    assert corpus.span(trump.id).end == at("Donald Trump’s")[1]
    all_fixed = corpus.apply(plan_fix_all_flags(corpus, d))
    with Corpus(tmp_path / "f.db", read_only=True) as fresh:
        texts = sorted(TEXT[s.start : s.end] for s in fresh.spans(d))
    assert texts == sorted(["Zelensky\nZelensky", "Donald Trump", "Kyiv", "Kyiv", "U.S.", "Donbas"])
    assert [f.flags[0].kind for f in flagged_spans(corpus, d)] == [LINE_BREAK]
    corpus.apply(all_fixed.inverse())
    assert len(flagged_spans(corpus, d)) == 5


def test_no_obvious_fix_is_refused_with_the_reason_and_keep_clears_the_flag(doc):
    corpus, d, _ = doc
    broken = next(s for s in corpus.spans(d) if s.start == at("Zelensky\nZelensky")[0])
    with pytest.raises(EditError, match="no obvious fix: “Zelensky⏎Zelensky” runs over a line break"):
        plan_fix_flag(corpus, broken.id)
    kept = corpus.apply(plan_keep_span(corpus, broken.id))
    assert all(f.span.id != broken.id for f in flagged_spans(corpus, d))
    corpus.apply(kept.inverse())
    assert any(f.span.id == broken.id for f in flagged_spans(corpus, d))


def test_flags_on_text_edges():
    assert span_flags("Kyiv", 0, 4) == []
    assert [f.kind for f in span_flags("“Kyiv’s”", 0, 8)] == [PUNCTUATION]  # quote marks around a possessive
    assert span_flags("Shahed (Iranian-made)", 0, 21) == []
