"""Read queries the window's document list needs: one row, and a row's position under a filter."""

from annotator.core.records import Record
from annotator.session.importer import store_records


def test_document_row_and_index_follow_filter_and_search(empty_corpus):
    texts = ["Kyiv talks resume.", "Moscow replies.", "Kyiv and Moscow meet.", "Nothing here."]
    ids = store_records(empty_corpus, [Record(t, t[:10]) for t in texts]).added
    empty_corpus.apply(empty_corpus.plan_set_status(ids[2], "accepted"))

    row = empty_corpus.document_row(ids[2])
    assert (row.id, row.status, row.n_spans) == (ids[2], "accepted", 0)
    assert empty_corpus.document_row(9999) is None

    # the index is the row number in document_rows with the same filter
    for status, search in [(None, None), (None, "Kyiv"), ("accepted", None), ("new", "Moscow")]:
        rows = [r.id for r in empty_corpus.document_rows(0, 100, status, search)]
        for doc_id in ids:
            expected = rows.index(doc_id) if doc_id in rows else None
            assert empty_corpus.document_index(doc_id, status, search) == expected
