"""Edits through the session layer: validation, one transaction each, undo by inverse."""

import pytest

from annotator.core.records import Record
from annotator.session import ConflictError, Corpus, EditError
from annotator.session.importer import store_records

TEXT = "Joe Biden met Vladimir Putin in Kyiv on Monday."


@pytest.fixture
def doc(empty_corpus):
    res = store_records(empty_corpus, [Record(TEXT, "t", spans=[(0, 9, "PERSON"), (32, 36, "GPE")], source="a.jsonl", line=1)])
    return empty_corpus, res.added[0]


def spans(corpus, doc_id):
    return [(s.start, s.end, s.label) for s in corpus.spans(doc_id)]


def test_add_relabel_resize_delete_and_undo_each(doc):
    corpus, d = doc
    original = spans(corpus, d)
    add = corpus.apply(corpus.plan_add_span(d, 14, 28, "PERSON"))
    assert spans(corpus, d) == [(0, 9, "PERSON"), (14, 28, "PERSON"), (32, 36, "GPE")]
    assert corpus.document(d).status == "in_progress"
    new_id = [s.id for s in corpus.spans(d) if s.start == 14][0]
    relabel = corpus.apply(corpus.plan_relabel_span(new_id, "ORG"))
    resize = corpus.apply(corpus.plan_resize_span(new_id, 23, 28))
    assert spans(corpus, d)[1] == (23, 28, "ORG")
    delete = corpus.apply(corpus.plan_delete_span(new_id))
    assert spans(corpus, d) == original
    for change in (delete, resize, relabel, add):
        corpus.apply(change.inverse())
    assert spans(corpus, d) == original
    assert corpus.document(d).status == "new"
    # every apply wrote one history row, newest first
    assert [h["action"] for h in corpus.history(d, limit=2)][0].startswith("undo add")


def test_a_new_entity_replaces_what_it_overlaps_and_undo_restores_it(doc):
    corpus, d = doc
    change = corpus.apply(corpus.plan_add_span(d, 4, 13, "PERSON"))  # "Biden met" overlaps "Joe Biden"
    assert spans(corpus, d) == [(4, 13, "PERSON"), (32, 36, "GPE")]
    corpus.apply(change.inverse())
    assert spans(corpus, d) == [(0, 9, "PERSON"), (32, 36, "GPE")]
    assert corpus.spans(d)[0].origin == "file:a.jsonl"


@pytest.mark.parametrize(
    "start,end,label,message",
    [
        (5, 5, "PERSON", "start >= end"),
        (40, 99, "PERSON", "outside the text"),
        (3, 9, "PERSON", "whitespace"),
        (0, 9, "NOPE", "unknown label"),
        (0, 9, "PERSON", "already PERSON"),
    ],
)
def test_invalid_edits_are_refused_with_a_message_and_change_nothing(doc, start, end, label, message):
    corpus, d = doc
    with pytest.raises(EditError, match=message):
        corpus.plan_add_span(d, start, end, label)
    assert spans(corpus, d) == [(0, 9, "PERSON"), (32, 36, "GPE")]


def test_applying_a_stale_change_is_a_conflict_and_rolls_back_whole(doc):
    corpus, d = doc
    change = corpus.plan_add_span(d, 14, 28, "PERSON")
    corpus.apply(change)
    n_history = len(corpus.history(limit=1000))
    with pytest.raises(ConflictError):
        corpus.apply(change)  # the overlapped rows are gone now
    assert spans(corpus, d) == [(0, 9, "PERSON"), (14, 28, "PERSON"), (32, 36, "GPE")]
    assert len(corpus.history(limit=1000)) == n_history


def test_resize_into_a_neighbour_replaces_it_by_name_like_an_add(doc):
    corpus, d = doc
    span, neighbour = corpus.spans(d)[:2]
    change = corpus.plan_resize_span(span.id, span.start, neighbour.end)
    assert f"replacing {neighbour.label} " in change.action  # the one overlap rule (issue 12, item 2)
    corpus.apply(change)
    assert neighbour.id not in [s.id for s in corpus.spans(d)]
    corpus.apply(change.inverse())
    assert [s.id for s in corpus.spans(d)][:2] == [span.id, neighbour.id]


def test_label_rename_cascades_to_spans_and_undoes(doc):
    corpus, d = doc
    change = corpus.apply(corpus.plan_rename_label("PERSON", "PER"))
    assert spans(corpus, d)[0][2] == "PER"
    assert "PERSON" not in [lb.name for lb in corpus.labels()]
    corpus.apply(change.inverse())
    assert spans(corpus, d)[0][2] == "PERSON"
    with pytest.raises(EditError, match="exists already"):
        corpus.plan_rename_label("PERSON", "GPE")


def test_status_and_navigation(doc):
    corpus, d = doc
    second = store_records(corpus, [Record("Another article about Kyiv.", "u")]).added[0]
    corpus.apply(corpus.plan_set_status(d, "accepted"))
    assert corpus.progress() == (1, 2)
    assert corpus.next_unfinished(d) == second
    assert corpus.next_unfinished(second) == second
    assert corpus.neighbour(d, 1) == second and corpus.neighbour(d, -1) is None
    with pytest.raises(EditError, match="already accepted"):
        corpus.plan_set_status(d, "accepted")


def test_edits_survive_reopening(doc, tmp_path):
    corpus, d = doc
    corpus.apply(corpus.plan_add_span(d, 14, 28, "PERSON"))
    path = corpus.path
    corpus.close()
    again = Corpus(path)
    assert (14, 28, "PERSON") in spans(again, d)
    again.close()


def test_document_list_is_paged_filtered_and_searched(empty_corpus):
    recs = [Record(f"Article number {i} about {'Davos' if i % 2 else 'Kyiv'}.", f"Title {i}") for i in range(30)]
    store_records(empty_corpus, recs)
    assert empty_corpus.count_documents() == 30
    page = empty_corpus.document_rows(offset=10, limit=5)
    assert [r.title for r in page] == [f"Title {i}" for i in range(10, 15)]
    assert empty_corpus.count_documents(search="Davos") == 15
    assert empty_corpus.count_documents(search="davo") == 15  # the last word may be the start of one
    assert empty_corpus.count_documents(search="Title 2") == 1 + 10  # "2" and "2x" as you type
    assert empty_corpus.count_documents(search="about Kyiv") == 15
    assert empty_corpus.count_documents(search="100%") == 0
    assert [r.title for r in empty_corpus.document_rows(limit=3, search="Kyiv")] == ["Title 0", "Title 2", "Title 4"]
    assert empty_corpus.count_documents(status="accepted") == 0


@pytest.mark.parametrize("typed", ['Kyiv OR', 'NOT Kyiv', '"Kyiv', 'Ky*iv', 'NEAR(Kyiv', 'title:Kyiv', '—', '^Kyiv'])
def test_search_operators_are_searched_as_text_and_never_fail(empty_corpus, typed):
    store_records(empty_corpus, [Record("Talks in Kyiv: NOT over, OR so they say.", "a"), Record("Nothing here.", "b")])
    assert empty_corpus.count_documents(search=typed) <= 1


def test_search_follows_edits_of_the_index_but_not_status_changes(empty_corpus):
    d = store_records(empty_corpus, [Record("Witkoff arrived in Geneva.", "Geneva talks")]).added[0]
    assert empty_corpus.count_documents(search="Witkoff") == 1
    empty_corpus.apply(empty_corpus.plan_set_status(d, "accepted"))
    assert empty_corpus.count_documents(search="Witkoff", status="accepted") == 1
    assert empty_corpus.db.execute("SELECT count(*) FROM documents_fts").fetchone()[0] == 1
