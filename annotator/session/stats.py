"""Counts over a corpus for `annotator stats` and the window."""

from __future__ import annotations

from annotator.session.corpus import Corpus


def corpus_stats(corpus: Corpus) -> dict:
    q = corpus.db.execute
    return {
        "database": str(corpus.path),
        "documents": {"total": corpus.count_documents(), **corpus.status_counts()},
        "entities": {
            "total": q("SELECT count(*) FROM spans").fetchone()[0],
            "by_label": dict(q("SELECT label, count(*) FROM spans GROUP BY label ORDER BY count(*) DESC, label")),
            "by_origin": dict(q("SELECT origin, count(*) FROM spans GROUP BY origin ORDER BY count(*) DESC, origin")),
        },
        "stances": {
            "total": q("SELECT count(*) FROM stances").fetchone()[0],
            "by_target_value": {
                f"{t}={v}": n
                for t, v, n in q("SELECT target, value, count(*) FROM stances GROUP BY target, value ORDER BY target, value")
            },
            "by_holder": dict(
                q(
                    "SELECT CASE holder_text WHEN '' THEN '(none)' ELSE holder_text END, count(*) FROM stances "
                    "GROUP BY 1 ORDER BY count(*) DESC, 1"
                )
            ),
            "document_level": q("SELECT count(*) FROM stances WHERE ev_start IS NULL").fetchone()[0],
        },
    }
