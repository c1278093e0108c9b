"""A corpus: the one object the CLI and the window talk to.

Reading methods return core dataclasses. Editing methods *plan* a Change (validated,
nothing written); `apply` commits it in one transaction with its history row and then
tells the listeners. Undo is `apply(change.inverse())`.
"""

from __future__ import annotations

import functools
import getpass
import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import Damaged, Kind, StorageFailed
from annotator.core.model import (
    ANNOTATOR_ORIGIN,
    IN_PROGRESS,
    NEW,
    STATUSES,
    Document,
    EntitySpan,
    Label,
    Stance,
)
from annotator.session import documents, entities, labels
from annotator.session.changes import Change, ConflictError, EditError, ListenerError, Op, apply_op
from annotator.session.doc_filter import DocFilter
from annotator.session.entities import SPAN_COLS
from annotator.storage import open_database
from annotator.storage.backup import RollingBackups
from annotator.storage.db import DatabaseError, migrate_database, needs_migration
from annotator.storage.integrity import is_damage, write_failure
from annotator.storage.lock import DatabaseLocked, InstanceLock
from annotator.storage.search import fts_query

log = logging.getLogger("annotator.session")
# counted where shown (an index range per row) rather than stored: see migration 0002
UNFINISHED = "unfinished"  # a filter: new or in progress
N_SPANS = "(SELECT count(*) FROM spans WHERE spans.doc_id = documents.id)"
STANCE_COLS = (
    "id, doc_id, target, value, holder_text, holder_span_id, holder_start, holder_end, ev_start, ev_end, note, annotator"
)


@dataclass(frozen=True)
class DocRow:
    id: int
    title: str
    status: str
    n_spans: int


def reads(method):
    """A read that fails in SQLite (I/O error, damaged page, busy) raises from the error family instead."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            if is_damage(exc):
                raise Damaged(f"could not read {self.path.name}: the database file is damaged ({exc}). "
                              "Restore a backup (File ▸ Restore backup…, or `annotator restore`)") from exc
            raise StorageFailed(f"could not read {self.path.name}: {exc}") from exc

    return wrapper


class Corpus:
    def __init__(self, path: str | Path, annotator: str | None = None, *, read_only: bool = False):
        """Writers take the database's instance lock (DatabaseLocked names the holder); `read_only`
        (stats, export) neither locks nor backs up, and any write raises EditError."""
        self.path = Path(path)
        self.read_only = read_only
        self._instance = None if read_only else InstanceLock(self.path).acquire()
        try:
            # after a kill or crash the whole file is checked, otherwise only cheaply (see storage.integrity)
            self.db = open_database(self.path, migrate=not read_only, thorough=bool(self._instance and self._instance.unclean))
        except BaseException:
            if self._instance:
                self._instance.release()
            raise
        if read_only:
            if needs_migration(self.db):
                self._upgrade_for_reading()
            self.db.execute("PRAGMA query_only = ON")
        self.backups = None if read_only else RollingBackups(self.path)
        self.annotator = annotator or _default_annotator()
        self._listeners: list[Callable[[Change], None]] = []
        self._lock = threading.RLock()
        self._closed = False

    def _upgrade_for_reading(self) -> None:
        """An older database is upgraded before it is read, under the writer lock: never behind
        the back of a window (of the older annotator) that has it open for editing."""
        try:
            lock = InstanceLock(self.path).acquire()
        except DatabaseLocked as exc:
            self.db.conn.close()
            pid = exc.holder.get("pid", "?")
            raise DatabaseError(
                f"{self.path.name} was written by an older annotator and must be upgraded before it can be read, "
                f"but process {pid} has it open for editing. Close it there, then try again."
            ) from exc
        try:
            migrate_database(self.db, self.path)
        except DatabaseError:
            self.db.conn.close()
            raise
        finally:
            lock.release()

    # ---- lifecycle -------------------------------------------------------
    def close(self) -> None:
        """Back up (if anything was written), close, release the lock; a failed backup is logged, never raised."""
        if self._closed:
            return
        self._closed = True
        try:
            if self.backups:
                self.backups.on_close(self.db.conn)
        finally:
            self.db.conn.close()
            if self._instance:
                self._instance.release()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def subscribe(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    # ---- reading ---------------------------------------------------------
    @reads
    def document(self, doc_id: int) -> Document:
        row = self.db.execute(
            "SELECT id, title, text, status, source, meta, sha256 FROM documents WHERE id = ?", [doc_id]
        ).fetchone()
        if row is None:
            raise EditError(f"document {doc_id} does not exist")
        return Document(row[0], row[1], row[2], row[3], row[4], json.loads(row[5] or "{}"), row[6])

    @reads
    def spans(self, doc_id: int) -> list[EntitySpan]:
        rows = self.db.execute(f"SELECT {SPAN_COLS} FROM spans WHERE doc_id = ? ORDER BY start, end", [doc_id])
        return [EntitySpan(*r) for r in rows]

    @reads
    def span(self, span_id: int) -> EntitySpan:
        row = self.db.execute(f"SELECT {SPAN_COLS} FROM spans WHERE id = ?", [span_id]).fetchone()
        if row is None:
            raise EditError(f"entity {span_id} no longer exists")
        return EntitySpan(*row)

    @reads
    def stances(self, doc_id: int) -> list[Stance]:
        rows = self.db.execute(f"SELECT {STANCE_COLS} FROM stances WHERE doc_id = ? ORDER BY target, id", [doc_id])
        return [_stance(r) for r in rows]

    @reads
    def labels(self, include_hidden: bool = True) -> list[Label]:
        rows = self.db.execute("SELECT name, color, key, hidden, position FROM labels ORDER BY position, name")
        out = [Label(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]
        return out if include_hidden else [lb for lb in out if not lb.hidden]

    @reads
    def stance_targets(self, include_hidden: bool = True) -> list[str]:
        sql = "SELECT name FROM stance_targets" + ("" if include_hidden else " WHERE hidden = 0") + " ORDER BY position, name"
        return [r[0] for r in self.db.execute(sql)]

    @reads
    def stance_values(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT name FROM stance_values ORDER BY position, name")]

    @reads
    def meta(self, key: str, default=None):
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return default if row is None else row[0]

    def _filter_sql(self, status: str | None, search: str | None, where_: DocFilter | None = None) -> tuple[str, list]:
        where, args = where_.clauses() if where_ else ([], [])
        if status == UNFINISHED:
            where.append("status IN ('new', 'in_progress')")
        elif status:
            where.append("status = ?")
            args.append(status)
        query = fts_query(search) if search else None
        if query:
            where.append("id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
            args.append(query)
        elif search:  # no word in it (e.g. "—"): only titles, by substring
            where.append("title LIKE ? ESCAPE '\\'")
            args.append("%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        return (" WHERE " + " AND ".join(where)) if where else "", args

    @reads
    def count_documents(self, status: str | None = None, search: str | None = None, where: DocFilter | None = None) -> int:
        """`where` filters further by metadata (outlet, publication dates) and statuses."""
        where, args = self._filter_sql(status, search, where)
        return self.db.execute(f"SELECT count(*) FROM documents{where}", args).fetchone()[0]

    @reads
    def document_rows(
        self, offset: int = 0, limit: int = 200, status: str | None = None, search: str | None = None,
        where: DocFilter | None = None, order: str = "id",
    ) -> list[DocRow]:
        """`where` filters by metadata; `order`: "id", or "unsure" (the documents the current model is least
        sure about first; see session.reannotate)."""
        where, args = self._filter_sql(status, search, where)
        rows = self.db.execute(
            f"SELECT id, title, status, {N_SPANS} FROM documents{where} ORDER BY {_order_sql(order)} LIMIT ? OFFSET ?",
            args + [limit, offset],
        )
        return [DocRow(*r) for r in rows]

    @reads
    def document_row(self, doc_id: int) -> DocRow | None:
        """One row of the document list (no text), for refreshing it after an edit."""
        row = self.db.execute(f"SELECT id, title, status, {N_SPANS} FROM documents WHERE id = ?", [doc_id]).fetchone()
        return DocRow(*row) if row else None

    @reads
    def document_index(
        self, doc_id: int, status: str | None = None, search: str | None = None, where: DocFilter | None = None,
        order: str = "id",
    ) -> int | None:
        """Where a document sits in document_rows(status, search, where, order), or None if the filter leaves it out."""
        where, args = self._filter_sql(status, search, where)
        if not self.db.execute(f"SELECT 1 FROM documents{where}{' AND' if where else ' WHERE'} id = ?", args + [doc_id]).fetchone():
            return None
        if order != "id":
            row = self.db.execute(
                f"SELECT n FROM (SELECT id, row_number() OVER (ORDER BY {_order_sql(order)}) - 1 AS n FROM documents{where}) "
                "WHERE id = ?", args + [doc_id]).fetchone()
            return row[0] if row else None
        where_before = f"{where}{' AND' if where else ' WHERE'} id < ?"
        return self.db.execute(f"SELECT count(*) FROM documents{where_before}", args + [doc_id]).fetchone()[0]

    @reads
    def progress(self) -> tuple[int, int]:
        row = self.db.execute(
            "SELECT sum(status = 'accepted'), count(*) FROM documents"
        ).fetchone()
        return row[0] or 0, row[1]

    @reads
    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for status, n in self.db.execute("SELECT status, count(*) FROM documents GROUP BY status"):
            counts[status] = n
        return counts

    @reads
    def next_unfinished(self, after_id: int | None = None) -> int | None:
        """The next document after `after_id` that is new or in progress, wrapping around."""
        sql = "SELECT id FROM documents WHERE status IN ('new', 'in_progress') AND id > ? ORDER BY id LIMIT 1"
        row = self.db.execute(sql, [after_id or 0]).fetchone()
        if row is None and after_id:
            row = self.db.execute(sql, [0]).fetchone()
        return row[0] if row else None

    @reads
    def neighbour(self, doc_id: int, step: int) -> int | None:
        if step > 0:
            row = self.db.execute("SELECT id FROM documents WHERE id > ? ORDER BY id LIMIT 1", [doc_id]).fetchone()
        else:
            row = self.db.execute("SELECT id FROM documents WHERE id < ? ORDER BY id DESC LIMIT 1", [doc_id]).fetchone()
        return row[0] if row else None

    # ---- planning edits (validate, write nothing): session.entities, .labels, .documents ---------
    @reads
    def plan_add_span(self, doc_id: int, start: int, end: int, label: str, origin: str = ANNOTATOR_ORIGIN) -> Change:
        return entities.plan_add_span(self, doc_id, start, end, label, origin)

    @reads
    def plan_delete_span(self, span_id: int) -> Change:
        return entities.plan_delete_span(self, span_id)

    @reads
    def plan_relabel_span(self, span_id: int, label: str) -> Change:
        return entities.plan_relabel_span(self, span_id, label)

    @reads
    def plan_resize_span(self, span_id: int, start: int, end: int) -> Change:
        return entities.plan_resize_span(self, span_id, start, end)

    @reads
    def plan_set_status(self, doc_id: int, status: str) -> Change:
        return documents.plan_set_status(self, doc_id, status)

    @reads
    def plan_rename_label(self, old: str, new: str) -> Change:
        return labels.plan_rename_label(self, old, new)

    @reads
    def plan_update_label(self, name: str, /, **fields) -> Change:
        return labels.plan_update_label(self, name, **fields)

    @reads
    def plan_add_label(self, name: str, color: str | None = None, key: str = "") -> Change:
        return labels.plan_add_label(self, name, color, key)

    # ---- applying --------------------------------------------------------
    def apply(self, change: Change) -> Change:
        """Commit a user's edit (one transaction, with its history row), then notify listeners."""
        self.commit(change)
        return change

    def commit(self, change: Change, kind: str = "edit", ref: int | None = None, *, bulk: bool = False) -> int:
        """Commit a change with its history row in one transaction, tell the listeners; returns the history id.

        `kind` says what the row is ('edit', 'undo' or 'redo' of history row `ref`, 'import', or a bulk
        operation's name); the undo history is rebuilt from it after a restart. `bulk` (imports): the
        change only inserts fresh rows, written with executemany and no per-row conflict check.
        """
        return self.commit_planned(lambda: change, kind, ref, bulk=bulk)[0]

    def commit_planned(
        self, plan: Callable[[], Change | None], kind: str = "edit", ref: int | None = None, *, bulk: bool = False
    ) -> tuple[int | None, Change | None]:
        """Plan and commit in the same write transaction: for writers whose plan picks row ids (an import
        beside the window's edits), so no other connection can take those ids in between. A plan that
        returns None writes nothing. Returns (history id, change)."""
        if self.read_only:
            raise EditError(f"{self.path.name} is open read-only: the edit was not applied")
        with self._lock:
            try:
                with self.db.atomic():
                    change = plan()
                    if change is None:
                        return None, None
                    if bulk:
                        _insert_all(self.db, change.ops)
                    else:
                        for op in change.ops:
                            apply_op(self.db, op)
                        self._check_no_overlap(change)
                    cur = self.db.execute(
                        "INSERT INTO history (annotator, doc_id, action, ops, kind, ref) VALUES (?, ?, ?, ?, ?, ?)",
                        [self.annotator, change.doc_id, change.action,
                         _history_ops(change) if kind == "import" else change.ops_json(), kind, ref],
                    )
                    history_id = cur.lastrowid
            except sqlite3.IntegrityError as exc:
                raise EditError(f"refused: {exc}") from exc
            except sqlite3.DatabaseError as exc:  # disk full, read-only, damaged: rolled back, nothing written
                raise EditError(write_failure(exc, self.path), kind=Kind.STORAGE) from exc
            if self.backups:
                self.backups.after_write(self.db.conn)
        failures = []
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception as exc:  # the edit is committed whatever a view does with it; the rest still hear of it
                log.exception("a change listener failed after %r was committed", change.action)
                failures.append(exc)
        if failures:
            raise ListenerError(f"the edit was saved, but showing it failed: {failures[0]!r}", change) from failures[0]
        return history_id, change

    @reads
    def history(self, doc_id: int | None = None, limit: int = 100) -> list[dict]:
        where, args = ("WHERE doc_id = ?", [doc_id]) if doc_id is not None else ("", [])
        rows = self.db.execute(
            f"SELECT id, ts, annotator, doc_id, action, ops FROM history {where} ORDER BY id DESC LIMIT ?", args + [limit]
        )
        return [dict(zip(("id", "ts", "annotator", "doc_id", "action", "ops"), r)) for r in rows]

    @reads
    def history_kinds(self, limit: int = 10_000) -> list[tuple[int, str, int | None]]:
        """(id, kind, ref) of the newest `limit` history rows, oldest first: what the undo history is rebuilt from."""
        rows = self.db.execute("SELECT id, kind, ref FROM history ORDER BY id DESC LIMIT ?", [limit]).fetchall()
        return rows[::-1]

    @reads
    def history_change(self, history_id: int) -> Change:
        """The Change a history row recorded (to undo or redo it)."""
        row = self.db.execute("SELECT doc_id, action, ops FROM history WHERE id = ?", [history_id]).fetchone()
        if row is None:
            raise EditError(f"history entry {history_id} does not exist")
        ops = json.loads(row[2])
        if not isinstance(ops, list):  # an import written before 0004 kept a summary, not row ops
            raise ConflictError(f"history entry {history_id} ({row[1]}) cannot be replayed")
        return Change(row[1], row[0], tuple(Op(o["table"], o["before"], o["after"]) for o in ops))

    # ---- helpers ---------------------------------------------------------
    def finish_edit(self, action: str, doc_id: int, ops: list[Op]) -> Change:
        """Any entity edit moves a new document to in progress, in the same change."""
        status = self.db.execute("SELECT status FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
        if status == NEW:
            ops.append(Op("documents", {"id": doc_id, "status": NEW}, {"id": doc_id, "status": IN_PROGRESS}))
        return Change(action, doc_id, tuple(ops))

    @reads
    def text(self, doc_id: int) -> str:
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise EditError(f"document {doc_id} does not exist")
        return row[0]

    def next_id(self, table: str) -> int:
        # ids are planned before the write so that redo re-inserts the very same row
        # AUTOINCREMENT's sequence: an id once used (even if deleted since) is never planned again
        seq = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", [table]).fetchone()
        top = self.db.execute(f"SELECT max(id) FROM [{table}]").fetchone()[0]
        return max(seq[0] if seq else 0, top or 0) + 1

    def stance_rows(self, where: str, args: list) -> list[dict]:
        cols = [c.strip() for c in STANCE_COLS.split(",")]
        rows = self.db.execute(f"SELECT {STANCE_COLS} FROM stances WHERE {where}", args)
        return [dict(zip(cols, r)) for r in rows]

    def _check_no_overlap(self, change: Change) -> None:
        # only the rows this change wrote can clash; checked inside the transaction as the last guard
        for op in change.touched("spans"):
            row = op.after
            if row is None:
                continue
            clash = self.db.execute(
                "SELECT start, end FROM spans WHERE doc_id = ? AND id != ? AND start < ? AND end > ? LIMIT 1",
                [row["doc_id"], row["id"], row["end"], row["start"]],
            ).fetchone()
            if clash:
                raise ConflictError(f"entities [{row['start']}, {row['end']}) and [{clash[0]}, {clash[1]}) would overlap")

def _insert_all(db, ops: tuple[Op, ...]) -> None:
    """The bulk path: inserts only, grouped by table and columns, one executemany each, in order of first use."""
    groups: dict[tuple[str, tuple[str, ...]], list[list]] = {}
    for op in ops:
        if op.before is not None or op.after is None:
            raise ValueError("a bulk change may only insert rows")
        cols = tuple(op.after)
        groups.setdefault((op.table, cols), []).append([op.after[c] for c in cols])
    for (table, cols), rows in groups.items():
        db.conn.executemany(
            f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' for _ in cols)})", rows
        )


def _history_ops(change: Change) -> str:
    """An import's ops as history keeps them: a document's text is named by its sha256, not repeated
    (the text is in documents; repeating it would double the file)."""
    out = []
    for op in change.ops:
        row = op.after
        if op.table == "documents" and row is not None and "text" in row:
            row = {k: v for k, v in row.items() if k != "text"}
        out.append({"table": op.table, "before": op.before, "after": row})
    return json.dumps(out, ensure_ascii=False)


def _order_sql(order: str) -> str:
    if order == "id":
        return "id"
    if order == "unsure":
        # unfinished documents by their unsure score (migration 0008), then the rest, each in id order
        return ("(status IN ('new', 'in_progress')) DESC, "
                "coalesce((SELECT score FROM doc_unsure WHERE doc_unsure.doc_id = documents.id), -1) DESC, id")
    raise ValueError(f"unknown document order {order!r}")


def _stance(r) -> Stance:
    return Stance(*r)


def _default_annotator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers; provenance still records something
        return "annotator"


__all__ = ["Corpus", "DocRow", "EditError", "ConflictError"]
