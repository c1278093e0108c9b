"""Edits as reversible row operations.

Every edit the user makes becomes a Change: a list of row inserts, deletes and updates.
Its inverse is the undo. Applying one is a single transaction that also appends the
Change to the history table, so the database never holds half an edit and every edit
has provenance.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from annotator.core.errors import Conflict, RefusedEdit

PRIMARY_KEYS = {
    "documents": "id",
    "spans": "id",
    "stances": "id",
    "labels": "name",
    "stance_targets": "name",
    "stance_values": "name",
    "actors": "id",
    # migration 0005_formats: what imports keep beside entities
    "rejected_spans": "id",
    "relations": "id",
    "document_formats": "doc_id",
    "review_decisions": "id",  # a review corpus's settled differences (session.review)
    "meta": "key",  # settings an undoable operation changes with its rows (a re-annotation's current model)
}
LENIENT = {"meta"}  # a setting changed since (`models --use`) is left as it is, not a conflict that blocks the undo


class EditError(RefusedEdit):
    """An edit that is refused; the message is for the user (kind: refused, or storage when the write failed)."""


class ListenerError(RuntimeError):
    """The change WAS committed, but a listener (a view) failed while showing it: a bug to report."""

    def __init__(self, message: str, change: Change):
        super().__init__(message)
        self.change = change


class ConflictError(Conflict):
    """The rows an edit expected are no longer there (edited elsewhere, or undone twice)."""


@dataclass(frozen=True)
class Op:
    table: str
    before: dict | None  # None: an insert
    after: dict | None  # None: a delete

    def inverse(self) -> Op:
        return Op(self.table, self.after, self.before)

    def to_json(self) -> dict:
        return {"table": self.table, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Change:
    action: str
    doc_id: int | None
    ops: tuple[Op, ...]

    def inverse(self) -> Change:
        action = self.action[5:] if self.action.startswith("undo ") else f"undo {self.action}"
        return Change(action, self.doc_id, tuple(op.inverse() for op in reversed(self.ops)))

    @staticmethod
    def compose(action: str, changes: list[Change] | tuple[Change, ...]) -> Change:
        """Several planned changes as one: one transaction, one history row, one undo step.

        Each part must have been planned against the state the parts before it leave (plan them
        in order, or plan parts that touch different rows). The doc id is the parts' common one,
        or None when they span documents (a bulk relabel across the corpus).
        """
        if not changes:
            raise ValueError("nothing to compose")
        docs = {c.doc_id for c in changes}
        doc_id = docs.pop() if len(docs) == 1 else None
        ops: list[Op] = []
        updates: dict[tuple[str, object], int] = {}  # (table, primary key) -> index of its update in ops
        for op in (op for c in changes for op in c.ops):
            key = (op.table, (op.before or {}).get(PRIMARY_KEYS.get(op.table, "id")))
            if op.before is not None and op.after is not None and key in updates:
                prior = ops[updates[key]]
                if op == prior:  # planned twice (e.g. each part moves a new document to in progress): once is enough
                    continue
                if all(prior.after.get(k) == v for k, v in op.before.items() if k in prior.after):
                    ops[updates[key]] = Op(op.table, prior.before, {**prior.after, **op.after})
                    continue
            if op.before is not None and op.after is not None:
                updates[key] = len(ops)
            ops.append(op)
        return Change(action, doc_id, tuple(ops))

    def docs(self) -> set[int]:
        """Every document whose rows this change touches (a bulk change may span many)."""
        found = {self.doc_id} if self.doc_id is not None else set()
        for op in self.ops:
            row = op.after or op.before or {}
            if op.table == "documents":
                found.add(row.get("id"))
            elif "doc_id" in row:
                found.add(row["doc_id"])
        found.discard(None)
        return found

    def touched(self, table: str) -> list[Op]:
        return [op for op in self.ops if op.table == table]

    def ops_json(self) -> str:
        return json.dumps([op.to_json() for op in self.ops], ensure_ascii=False)


def apply_op(db, op: Op) -> None:
    """Run one op inside the caller's transaction; raise ConflictError if the row moved."""
    if op.table not in PRIMARY_KEYS:
        raise ValueError(f"unknown table {op.table!r}")
    pk = PRIMARY_KEYS[op.table]
    if op.table in LENIENT:
        _apply_setting(db, op, pk)
        return
    if op.before is None and op.after is not None:
        cols = list(op.after)
        if db.execute(f"SELECT 1 FROM [{op.table}] WHERE [{pk}] = ?", [op.after[pk]]).fetchone():
            raise ConflictError(f"{op.table} row {op.after[pk]!r} exists already (applied twice?)")
        db.execute(
            f"INSERT INTO [{op.table}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [op.after[c] for c in cols],
        )
    elif op.after is None and op.before is not None:
        # the whole row must be as planned: undoing an add must not delete a row edited since
        cols = list(op.before)
        cur = db.execute(
            f"DELETE FROM [{op.table}] WHERE {' AND '.join(f'[{c}] IS ?' for c in cols)}", [op.before[c] for c in cols]
        )
        if cur.rowcount != 1:
            exists = db.execute(f"SELECT 1 FROM [{op.table}] WHERE [{pk}] = ?", [op.before[pk]]).fetchone()
            raise ConflictError(f"{op.table} row {op.before[pk]!r} " + ("was changed elsewhere" if exists else "no longer exists"))
    elif op.before is not None and op.after is not None:
        cols = [c for c in op.after if op.before.get(c) != op.after[c]]
        if not cols:
            return
        checks = [c for c in op.before if c in cols]
        where = " AND ".join([f"[{pk}] = ?"] + [f"[{c}] IS ?" for c in checks])
        cur = db.execute(
            f"UPDATE [{op.table}] SET {', '.join(f'[{c}] = ?' for c in cols)} WHERE {where}",
            [op.after[c] for c in cols] + [op.before[pk]] + [op.before[c] for c in checks],
        )
        if cur.rowcount != 1:
            raise ConflictError(f"{op.table} row {op.before[pk]!r} was changed elsewhere")
    else:
        raise ValueError("an op needs a before or an after row")


def _apply_setting(db, op: Op, pk: str) -> None:
    """A setting row (key, value) goes from before to after only if it is still as planned; one set otherwise since
    (another command chose another model) is kept, and the rest of the change applies."""
    key = (op.after or op.before or {}).get(pk)
    if key is None:
        raise ValueError("an op needs a before or an after row")
    cols = list(op.before or op.after)
    row = db.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{op.table}] WHERE [{pk}] = ?", [key]).fetchone()
    now = None if row is None else dict(zip(cols, row))
    if now != op.before:
        return
    if op.after is None:
        db.execute(f"DELETE FROM [{op.table}] WHERE [{pk}] = ?", [key])
    else:
        cols = list(op.after)
        db.execute(
            f"INSERT OR REPLACE INTO [{op.table}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [op.after[c] for c in cols],
        )
