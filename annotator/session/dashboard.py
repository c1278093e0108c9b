"""The dashboard's numbers, each one GROUP BY in SQL over the filtered documents.

Progress (accepted per day, what is left), entities by label, the stance matrix holder x
target x value, the stance timeline over publication dates (day / week / month buckets, with
a "no date" bucket for documents without one), and the stance records behind any cell or
point. No aggregate loops over records in Python: Python only reshapes the grouped rows.

Joins from stances and entities to their document go through `documents_facets` (id, status,
published, outlet): reading those columns from the documents row itself would walk the
article text's overflow pages (see migration 0011).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from annotator.core.errors import BadInput
from annotator.core.model import IN_PROGRESS, NEW, STATUSES
from annotator.session.corpus import Corpus
from annotator.session.doc_filter import DocFilter
from annotator.session.stances import ARTICLE_HOLDER

NO_DATE = "no date"
BUCKETS = ("day", "week", "month")
GROUPINGS = ("target", "holder")
DOCS = "documents d INDEXED BY documents_facets"


# ---- who holds a stance --------------------------------------------------------------------
@dataclass(frozen=True)
class HolderGrouping:
    """How stances are grouped by holder: the columns it is read from (`raw`, over `stances s` and
    the tables `join` brings in) and the SQL that names a holder from them (`name`, over {raw}).

    Today: the holder's text, trimmed and grouped case-insensitively (none is "the article").
    When the actors feature lands (an `actors` table and a holder actor id on stances), this is
    the one place to change: `raw` becomes the actor id and the text, `name` the actor's name
    with the text as fallback, `join` the LEFT JOIN to actors; every aggregate, the records
    behind a cell and `annotator table` use it.
    """

    raw: str = "s.holder_text"
    name: str = f"coalesce(nullif(trim({{raw}}), ''), '{ARTICLE_HOLDER}') COLLATE NOCASE"
    join: str = ""

    @property
    def expr(self) -> str:
        return self.name.format(raw=self.raw)

    def over(self, column: str) -> str:
        """The name read from a subquery's column holding `raw`."""
        return self.name.format(raw=column)


def holder_grouping(corpus: Corpus) -> HolderGrouping:
    return HolderGrouping()


def _nocase(name: str) -> str:
    # SQLite's NOCASE folds ASCII letters only: fold the same way, so a name matches its own records
    return "".join(c.lower() if c.isascii() else c for c in name)


def _names(groups) -> dict[str, str]:
    """One spelling per holder: GROUP BY ... COLLATE NOCASE gives any spelling of a group, and
    the matrix's cells are several groups. Capitalised spellings win ("Zelensky" over "zelensky")."""
    best: dict[str, str] = {}
    for name in groups:
        key = _nocase(name)
        if key not in best or (name.islower(), name) < (best[key].islower(), best[key]):
            best[key] = name
    return {name: best[_nocase(name)] for name in groups}


# ---- filters in SQL ---------------------------------------------------------------------------
def _where(where: DocFilter | None, *more: str) -> tuple[str, list]:
    clauses, args = (where or DocFilter()).clauses("d")
    clauses = [*clauses, *[m for m in more if m]]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def _selective(where: DocFilter | None) -> bool:
    """An outlet or a date range keeps few documents: start from them (through the covering
    outlet / date indexes) rather than from every stance or entity."""
    return bool(where and (where.outlets or where.date_from or where.date_to or where.undated == "only"))


def _stances_from(g: HolderGrouping, where: DocFilter | None, dates: bool = True) -> str:
    """FROM for stances `s` with their document's facets `d`, in the join order that reads least.

    CROSS JOIN fixes the order (SQLite's planner, without ANALYZE statistics, may otherwise walk
    every stance even for one outlet)."""
    if not dates and (where is None or where.empty):
        return f"stances s {g.join}"
    if _selective(where):
        return f"documents d CROSS JOIN stances s ON s.doc_id = d.id {g.join}"
    return f"stances s {g.join} CROSS JOIN {DOCS} ON d.id = s.doc_id"


def bucket_expr(size: str, column: str = "d.published") -> str:
    """The bucket of a publication date: the day itself, the Monday of its week, the 1st of its month."""
    if size == "day":
        return column
    if size == "week":
        return f"date({column}, '-6 days', 'weekday 1')"
    if size == "month":
        return f"substr({column}, 1, 8) || '01'"
    raise BadInput(f"unknown bucket {size!r}: choose one of {', '.join(BUCKETS)}")


def bucket_range(first: str, last: str, size: str) -> list[str]:
    """Every bucket from the first to the last (the empty ones too, so a gap shows as a gap)."""
    out, day, end = [], date.fromisoformat(first), date.fromisoformat(last)
    while day <= end:
        out.append(day.isoformat())
        if size == "day":
            day += timedelta(days=1)
        elif size == "week":
            day += timedelta(days=7)
        else:
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


# ---- progress -------------------------------------------------------------------------------
@dataclass
class Progress:
    statuses: dict[str, int]  # every status, with 0 for none
    accepted_per_day: list[tuple[str, int]]  # local day of acceptance, oldest first

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def left(self) -> int:
        """Documents still to do: new or in progress (skipped ones are done with)."""
        return self.statuses[NEW] + self.statuses[IN_PROGRESS]


def progress(corpus: Corpus, where: DocFilter | None = None) -> Progress:
    db = corpus.db
    sql, args = _where(where)
    statuses = dict.fromkeys(STATUSES, 0)
    statuses.update(dict(db.execute(f"SELECT d.status, count(*) FROM documents d{sql} GROUP BY d.status", args).fetchall()))
    source = "documents_accepted a"
    if where is not None and not where.empty:
        source += f" CROSS JOIN {DOCS} ON d.id = a.doc_id"
    per_day = db.execute(
        f"SELECT date(a.ts, 'localtime') AS day, count(*) FROM {source}{sql} GROUP BY day ORDER BY day", args
    ).fetchall()
    return Progress(statuses, [(r[0], r[1]) for r in per_day])


# ---- entities -------------------------------------------------------------------------------
def entities_by_label(corpus: Corpus, where: DocFilter | None = None) -> list[tuple[str, int]]:
    """Entities per label in the filtered documents, most first."""
    if where is None or where.empty:
        sql = "SELECT label, count(*) FROM spans GROUP BY label"
        args: list = []
    else:
        clause, args = _where(where)
        # every filtered document's entities, counted in the (doc_id, label) index alone
        sql = f"SELECT e.label, count(*) FROM documents d CROSS JOIN spans e ON e.doc_id = d.id{clause} GROUP BY e.label"
    rows = corpus.db.execute(sql, args).fetchall()
    return sorted(((r[0], r[1]) for r in rows), key=lambda r: (-r[1], r[0]))


# ---- stances --------------------------------------------------------------------------------
@dataclass
class StanceMatrix:
    """counts[(holder, target)][value]; holders most stances first, targets in scheme order."""

    holders: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    counts: dict[tuple[str, str], Counter] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(c.total() for c in self.counts.values())

    def holder_total(self, holder: str) -> int:
        return sum(c.total() for (h, _), c in self.counts.items() if h == holder)


def stance_matrix(corpus: Corpus, where: DocFilter | None = None) -> StanceMatrix:
    g = holder_grouping(corpus)
    clause, args = _where(where)
    # grouped on the raw columns first, in the order of the stances_holder index (no sort), then by name
    rows = corpus.db.execute(
        f"SELECT {g.over('h')} AS holder, t, v, sum(n) FROM ("
        f"SELECT {g.raw} AS h, s.target AS t, s.value AS v, count(*) AS n "
        f"FROM {_stances_from(g, where, dates=False)}{clause} GROUP BY h, t, v"
        ") GROUP BY holder, t, v",
        args,
    ).fetchall()
    m = StanceMatrix(values=corpus.stance_values())
    totals: Counter = Counter()
    names = _names({r[0] for r in rows})
    for holder, target, value, n in rows:
        holder = names[holder]
        m.counts.setdefault((holder, target), Counter())[value] += n
        totals[holder] += n
    m.holders = sorted(totals, key=lambda h: (-totals[h], h.casefold()))
    used = {t for _, t in m.counts}
    m.targets = [t for t in corpus.stance_targets() if t in used] + sorted(used - set(corpus.stance_targets()))
    m.values += sorted({v for c in m.counts.values() for v in c} - set(m.values))
    return m


@dataclass
class Timeline:
    """counts[(bucket, group)][value]; buckets oldest first, NO_DATE last when any document lacks a date."""

    by: str
    size: str
    buckets: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # targets or holders, most stances first
    values: list[str] = field(default_factory=list)
    counts: dict[tuple[str, str], Counter] = field(default_factory=dict)

    def series(self, group: str | None = None) -> dict[str, list[int]]:
        """value -> count per bucket, for one target or holder (None: all of them)."""
        out = {v: [0] * len(self.buckets) for v in self.values}
        index = {b: i for i, b in enumerate(self.buckets)}
        for (bucket, g), counts in self.counts.items():
            if group is None or g == group:
                for value, n in counts.items():
                    out.setdefault(value, [0] * len(self.buckets))[index[bucket]] += n
        return out

    @property
    def total(self) -> int:
        return sum(c.total() for c in self.counts.values())


def timeline(corpus: Corpus, where: DocFilter | None = None, by: str = "target", size: str = "week") -> Timeline:
    if by not in GROUPINGS:
        raise BadInput(f"the timeline groups by {' or '.join(GROUPINGS)}, not {by!r}")
    g = holder_grouping(corpus)
    group = g.expr if by == "holder" else "s.target"
    clause, args = _where(where)
    rows = corpus.db.execute(
        f"SELECT coalesce({bucket_expr(size)}, '{NO_DATE}') AS bucket, {group} AS grp, s.value, count(*) "
        f"FROM {_stances_from(g, where)}{clause} GROUP BY bucket, grp, s.value",
        args,
    ).fetchall()
    t = Timeline(by, size, values=corpus.stance_values())
    totals: Counter = Counter()
    names = _names({r[1] for r in rows}) if by == "holder" else {r[1]: r[1] for r in rows}
    for bucket, grp, value, n in rows:
        grp = names[grp]
        t.counts.setdefault((bucket, grp), Counter())[value] += n
        totals[grp] += n
    dated = sorted({b for b, _ in t.counts if b != NO_DATE})
    t.buckets = bucket_range(dated[0], dated[-1], size) if dated else []
    if any(b == NO_DATE for b, _ in t.counts):
        t.buckets.append(NO_DATE)
    t.groups = sorted(totals, key=lambda k: (-totals[k], k.casefold()))
    t.values += sorted({v for c in t.counts.values() for v in c} - set(t.values))
    return t


# ---- the records behind a number ------------------------------------------------------------
@dataclass(frozen=True)
class StanceRow:
    id: int
    doc_id: int
    title: str
    published: str | None
    outlet: str | None
    holder: str
    target: str
    value: str
    ev_start: int | None
    ev_end: int | None
    evidence: str  # the evidence text, or "" for a document-level stance


@dataclass(frozen=True)
class Cell:
    """Which stances a number counts: any field left None does not narrow."""

    holder: str | None = None
    target: str | None = None
    value: str | None = None
    bucket: str | None = None  # a bucket of `size`, or NO_DATE
    size: str = "week"


def _cell_clauses(g: HolderGrouping, cell: Cell) -> tuple[list[str], list]:
    clauses, args = [], []
    if cell.holder is not None:
        clauses.append(f"{g.expr} = ?")
        args.append(cell.holder)
    if cell.target is not None:
        clauses.append("s.target = ?")
        args.append(cell.target)
    if cell.value is not None:
        clauses.append("s.value = ?")
        args.append(cell.value)
    if cell.bucket == NO_DATE:
        clauses.append("d.published IS NULL")
    elif cell.bucket is not None:
        clauses.append(f"{bucket_expr(cell.size)} = ?")
        args.append(cell.bucket)
    return clauses, args


def count_stances(corpus: Corpus, where: DocFilter | None = None, cell: Cell | None = None) -> int:
    g = holder_grouping(corpus)
    more, more_args = _cell_clauses(g, cell or Cell())
    clause, args = _where(where, *more)
    return corpus.db.execute(f"SELECT count(*) FROM {_stances_from(g, where)}{clause}", args + more_args).fetchone()[0]


def stance_rows(corpus: Corpus, where: DocFilter | None = None, cell: Cell | None = None, limit: int = 500) -> list[StanceRow]:
    """The stance records behind a number, by publication date (undated last), then document and id."""
    g = holder_grouping(corpus)
    more, more_args = _cell_clauses(g, cell or Cell())
    clause, args = _where(where, *more)
    rows = corpus.db.execute(
        f"SELECT s.id, s.doc_id, doc.title, d.published, d.outlet, {g.expr}, s.target, s.value, s.ev_start, s.ev_end, "
        "CASE WHEN s.ev_start IS NULL THEN '' ELSE substr(doc.text, s.ev_start + 1, s.ev_end - s.ev_start) END "
        f"FROM {_stances_from(g, where)} JOIN documents doc ON doc.id = s.doc_id{clause} "
        "ORDER BY d.published IS NULL, d.published, s.doc_id, s.id LIMIT ?",
        args + more_args + [limit],
    ).fetchall()
    return [StanceRow(*r) for r in rows]
