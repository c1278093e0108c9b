"""Counts over a corpus for `annotator stats` and the window."""

from __future__ import annotations

from annotator.session.corpus import Corpus
from annotator.session.stances import stance_stats


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
        "stances": _stances(corpus),
        "actors": _actors(corpus),
    }


def _actors(corpus: Corpus) -> dict:
    """Mentions and stances counted by actor (what charts by actor read)."""
    from annotator.session.actors import actors, stances_by_actor

    rows = actors(corpus)
    return {
        "total": len(rows),
        "linked_entities": sum(r.mentions for r in rows),
        "by_actor": {r.actor.name: {"mentions": r.mentions, "documents": r.documents, "stances": r.stances} for r in rows},
        "stances_by_actor": stances_by_actor(corpus),
    }


def _stances(corpus: Corpus) -> dict:
    st = stance_stats(corpus)
    return {
        "total": st.total,
        "document_level": st.document_level,
        "documents": st.documents,
        "values": st.values,
        "by_target": {t: dict(c) for t, c in st.by_target.items()},
        "by_holder": {h: dict(c) for h, c in st.by_holder.items()},
    }
