"""Which documents a list or the dashboard shows: status, outlet, publication date range, undated.

One filter, one SQL builder, used by the document list (Corpus.document_rows) and every
dashboard aggregate, so a count in the dashboard and the list it opens agree by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.doc_metadata import normalize_date
from annotator.core.errors import BadInput
from annotator.core.model import STATUSES

UNDATED = ("include", "exclude", "only")
NO_OUTLET = ""  # in `outlets`: documents whose outlet is unknown


@dataclass(frozen=True)
class DocFilter:
    """Empty fields do not filter. A date range applies to dated documents; undated ones are kept
    (they show in the dashboard's "no date" bucket) unless `undated` is "exclude"; "only" keeps
    just them (to find the documents whose date is still to be typed)."""

    statuses: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None  # YYYY-MM-DD, inclusive
    undated: str = "include"

    def __post_init__(self) -> None:
        bad = set(self.statuses) - set(STATUSES)
        if bad:
            raise BadInput(f"unknown status {', '.join(sorted(bad))}: choose from {', '.join(STATUSES)}")
        if self.undated not in UNDATED:
            raise BadInput(f"undated must be one of {', '.join(UNDATED)}, not {self.undated!r}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None:
                day = normalize_date(value)
                if day is None:
                    raise BadInput(f"{value!r} is not a date: write it as YYYY-MM-DD")
                object.__setattr__(self, name, day)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadInput(f"the date range starts ({self.date_from}) after it ends ({self.date_to})")

    @property
    def empty(self) -> bool:
        return self == DocFilter()

    def clauses(self, alias: str = "") -> tuple[list[str], list]:
        """SQL conditions on the documents table (as `alias`, if given) and their arguments."""
        col = f"{alias}." if alias else ""
        where: list[str] = []
        args: list = []
        if self.statuses:
            where.append(f"{col}status IN ({', '.join('?' for _ in self.statuses)})")
            args += list(self.statuses)
        if self.outlets:
            named = [o for o in self.outlets if o != NO_OUTLET]
            parts = [f"{col}outlet IN ({', '.join('?' for _ in named)})"] if named else []
            if NO_OUTLET in self.outlets:
                parts.append(f"{col}outlet IS NULL")
            where.append("(" + " OR ".join(parts) + ")")
            args += named
        if self.undated == "only":
            where.append(f"{col}published IS NULL")
        else:
            dated = []
            if self.date_from:
                dated.append(f"{col}published >= ?")
                args.append(self.date_from)
            if self.date_to:
                dated.append(f"{col}published <= ?")
                args.append(self.date_to)
            if self.undated == "exclude":
                where.append(" AND ".join([f"{col}published IS NOT NULL", *dated]))
            elif dated:
                where.append(f"({col}published IS NULL OR ({' AND '.join(dated)}))")
        return where, args


def published_range(text: str) -> dict:
    """The DocFilter fields for what an analyst types in a list's "published" box:
    "2024-01-01..2024-03-31", "2024-01-01.." (from), "..2024-03-31" (to), one day, or "none"
    (documents without a date). Empty: no filter. A typed range leaves undated documents out."""
    text = text.strip()
    if not text:
        return {}
    if text.lower() in ("none", "no date", "undated", "-"):
        return {"undated": "only"}
    start, sep, end = text.partition("..")
    if not sep:
        start = end = text
    out = {"date_from": start.strip() or None, "date_to": end.strip() or None, "undated": "exclude"}
    for key in ("date_from", "date_to"):
        if out[key] is not None and normalize_date(out[key]) is None:
            raise BadInput(f"{out[key]!r} is not a date: write YYYY-MM-DD, a range such as 2024-01-01..2024-03-31, or none")
    return out
