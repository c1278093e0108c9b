"""Document edits, planned as Changes: the status (new, in progress, accepted, skipped)."""

from __future__ import annotations

from annotator.core.model import STATUSES
from annotator.session.changes import Change, EditError, Op


def plan_set_status(corpus, doc_id: int, status: str) -> Change:
    if status not in STATUSES:
        raise EditError(f"unknown status {status!r}")
    current = corpus.document(doc_id).status
    if current == status:
        raise EditError(f"the document is already {status.replace('_', ' ')}")
    op = Op("documents", {"id": doc_id, "status": current}, {"id": doc_id, "status": status})
    return Change(f"mark {status.replace('_', ' ')}", doc_id, (op,))
