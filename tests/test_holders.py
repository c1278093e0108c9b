"""Holder suggestions from the dependency parse (session.holders), with the real pipeline and a real corpus."""

from __future__ import annotations

import pytest

from annotator.nlp.attribution import CACHE
from annotator.session.holders import same_holder, suggest_holders
from annotator.session.imports import import_paths

ARTICLE = (
    "Grain deal must be revived, says Zelensky\n"
    "Russian strikes hit the port of Odesa overnight, killing two people.\n"
    "“If the Russians were serious about peace, they would stop the strikes,” Zelensky said in his nightly address.\n"
    "Condemning the attack, the French president announced a visit to Kyiv. He said Europe would not look away.\n"
    "Vladimir Putin met Donald Trump in Alaska last week. The White House says there are no plans for another summit.\n"
    "Ukrainian President Volodymyr Zelensky spoke to reporters in Kyiv.\n"
    "The Ukrainian leader said the talks had to include Europe.\n"
)


@pytest.fixture
def article(empty_corpus, tmp_path, nlp):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    doc_id = import_paths(empty_corpus, [path], nlp=nlp).added[0]
    return empty_corpus, doc_id, empty_corpus.document(doc_id).text


def _ask(corpus, doc_id, text, sentence):
    start = text.index(sentence)
    return suggest_holders(corpus, doc_id, start, start + len(sentence))


@pytest.mark.parametrize(
    ("sentence", "holder"),
    [
        ("Grain deal must be revived, says Zelensky", "Zelensky"),  # headline "X …, says Y"
        ("“If the Russians were serious about peace, they would stop the strikes,” Zelensky said in his nightly address.",
         "Zelensky"),  # a quotation and its attribution after it, not the Russians inside it
        ("Condemning the attack, the French president announced a visit to Kyiv.", "the French president"),
        ("He said Europe would not look away.", "the French president"),  # pronoun -> the previous speaker
        ("The White House says there are no plans for another summit.", "White House"),  # an institution
        ("The Ukrainian leader said the talks had to include Europe.", "Volodymyr Zelensky"),  # description -> named
    ],
)
def test_the_holder_comes_first(article, sentence, holder):
    corpus, doc_id, text = article
    got = _ask(corpus, doc_id, text, sentence)
    assert got, "no suggestion"
    assert same_holder(got[0].text, holder), [(c.text, c.reason) for c in got]
    assert got[0].reason


def test_a_mention_that_is_an_entity_is_linked_to_it(article):
    corpus, doc_id, text = article
    best = _ask(corpus, doc_id, text, "The Ukrainian leader said the talks had to include Europe.")[0]
    span = next(s for s in corpus.spans(doc_id) if s.id == best.span_id)
    assert (best.start, best.end) == (span.start, span.end) and text[best.start : best.end] == best.text
    assert best.start < text.index("The Ukrainian leader")  # the person introduced before, not a later mention


def test_a_description_without_a_name_is_free_text_with_its_place(article):
    corpus, doc_id, text = article
    best = _ask(corpus, doc_id, text, "He said Europe would not look away.")[0]
    assert best.span_id is None and text[best.start : best.end] == "French president"


def test_only_the_lines_around_are_parsed_and_kept_per_document(article):
    corpus, doc_id, text = article
    before = CACHE.parsed_chars
    _ask(corpus, doc_id, text, "The Ukrainian leader said the talks had to include Europe.")
    parsed = CACHE.parsed_chars - before
    assert 0 < parsed <= len(text)
    _ask(corpus, doc_id, text, "The Ukrainian leader said the talks had to include Europe.")
    assert CACHE.parsed_chars - before == parsed  # the second time nothing is parsed again
    long_text = "Nothing to see here. " * 3000 + "\nZelensky said the strikes must stop.\n"
    from annotator.session.holders import rank_holders

    before = CACHE.parsed_chars
    pos = long_text.index("Zelensky")
    got = rank_holders(long_text, [], pos, len(long_text) - 1, key="long")
    assert got[0].text == "Zelensky"
    assert CACHE.parsed_chars - before < 10_000  # a window of the huge paragraph before it, not all 63k characters


def test_names_that_match():
    assert same_holder("Zelensky", "Volodymyr Zelensky")
    assert same_holder("the White House", "White House")
    assert same_holder("Mr Umerov", "Rustem Umerov")
    assert not same_holder("Putin", "Volodymyr Zelensky")
    assert not same_holder("watchdog", "UN’s nuclear watchdog")
