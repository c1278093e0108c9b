"""Corpora as an older version could leave them, for tests of how exports treat such rows."""

from annotator.session import Corpus


def allow_overlaps(corpus: Corpus) -> Corpus:
    """Drop the triggers that refuse overlapping entities (migration 0013): a corpus made before it may
    hold overlapping rows, and the export must still name them instead of writing a broken DocBin."""
    corpus.db.execute("DROP TRIGGER IF EXISTS spans_no_overlap_insert")
    corpus.db.execute("DROP TRIGGER IF EXISTS spans_no_overlap_update")
    return corpus
