"""Document metadata: publication date, outlet, URL and author, and where each value came from.

Values come from the import meta under the keys news feeds and scrapers commonly use, else
from the text itself (a dateline such as "Tuesday, 02 January 2024 12:17 GMT", a "Published …"
line, a "By …" byline, a wire tag such as "(Reuters) -"), else from the analyst (typed).

Dates are kept as the calendar day written in the source, 'YYYY-MM-DD' (no time-zone
conversion: a dateline's day is the day analysts see and count). Parsing is strict on
purpose: a value that is not clearly one date is left out rather than guessed (dateutil's
parser fills missing parts from today's date and reads "01/02/2024" either way round).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

FIELDS = ("published", "outlet", "url", "author")
SOURCES = ("meta", "text", "typed")
LABELS = {"published": "published", "outlet": "outlet", "url": "URL", "author": "author"}
MAX_CHARS = 300  # an outlet or author name longer than this is not a name

# meta keys, in order of preference (compared lower-case, with "-" and " " read as "_")
META_KEYS = {
    "published": ("published", "publication_date", "pub_date", "pubdate", "date_published", "datepublished",
                  "published_at", "publishedat", "published_date", "date"),
    "outlet": ("outlet", "source", "publisher", "publication", "source_name", "site_name", "sitename", "site",
               "newspaper", "media", "domain"),
    "url": ("url", "link", "article_url", "source_url", "canonical_url", "permalink", "href", "uri"),
    "author": ("author", "authors", "byline", "creator", "writer", "by"),
}

MONTHS = {
    m: i + 1
    for i, names in enumerate([
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
        ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
        ("december", "dec"),
    ])
    for m in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME_ONLY = r"\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*\(?[A-Z]{2,5}\)?|\s*[+-]\d{2}:?\d{2}|\s*UTC[+-]?\d*)?"
_TIME = r"(?:\s*(?:,|at|-|–|—|\|)?\s*" + _TIME_ONLY + r")?"
# a date written out: "02 January 2024", "January 2, 2024", "2nd Jan. 2024"
_DAY_MONTH_YEAR = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r",?\s+(?P<year>\d{4})"
_MONTH_DAY_YEAR = _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"
_ISO = r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
_WRITTEN = [re.compile(p, re.IGNORECASE) for p in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR)]
# a line that is a dateline and nothing else: an optional weekday, the date, an optional time and zone
# ("Tuesday, 02 January 2024 12:17 GMT"), or the time first ("12:17 GMT, 2 January 2024")
_DATELINE = [re.compile(r"^\s*" + _WEEKDAY + p + _TIME + r"\s*$", re.IGNORECASE) for p in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _ISO)]
_DATELINE += [
    re.compile(r"^\s*" + _TIME_ONLY + r"\s*[,|–—-]?\s*" + _WEEKDAY + p + r"\s*$", re.IGNORECASE)
    for p in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR)
]
_PUBLISHED_LINE = re.compile(
    r"^\s*(?:first\s+)?(?:published|posted|publication\s+date|date\s+published|date)\b\s*(?:on|at)?\s*[:\-–—]?\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*[Bb][Yy]\s+(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|da|del|van|von|der|al|bin|le|la)){0,7})"
    r"\s*(?:$|[,|–—-]\s*\S.*$|\s+in\s+[A-Z].*$)",
)
_WIRE_TAG = re.compile(r"^\s*(?:[A-Z][A-Za-z .,'’/-]{0,40}?\s)?\((?P<name>[A-Z][A-Za-z&.]{1,19}(?:\s[A-Z][A-Za-z&.]{1,19})?)\)\s*(?:[-–—:]\s*)?\S")
_NOT_WIRES = {"update", "updated", "photo", "photos", "video", "audio", "watch", "live", "opinion", "analysis",
              "editorial", "file", "reuters file", "ap photo", "breaking", "exclusive", "explainer"}
_SOURCE_LINE = re.compile(r"^\s*(?:source|url|link|read more at|originally published (?:at|on|in))\s*:?\s*(?P<rest>.+?)\s*$",
                          re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
HEAD_LINES = 15  # datelines, bylines and wire tags are at the top of an article
TAIL_LINES = 8  # "Source: …" lines are often at the foot


class MetadataError(ValueError):
    """A typed value that cannot be stored; the message is for the user."""


# ---- dates ----------------------------------------------------------------------------------
def normalize_date(value: object) -> str | None:
    """'YYYY-MM-DD' for a value that is clearly one date (ISO 8601, RFC 2822, "2 January 2024",
    "January 2, 2024", 2024/01/02, 20240102, a Unix time), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) > 1e11 else value  # milliseconds, as JavaScript writes them
        try:
            return _checked(datetime.fromtimestamp(seconds, UTC).date())
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 80:
        return None
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?", s)
    if m:
        return _ymd(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s)
    if m:
        return _ymd(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", s)
    if m:  # day and month either way round: only when just one reading is a date
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        readings = {r for r in (_ymd(y, b, a), _ymd(y, a, b)) if r}
        return readings.pop() if len(readings) == 1 else None
    for pattern in _DATELINE:
        m = pattern.match(s)
        if m:
            return _from_match(m)
    try:
        return _checked(parsedate_to_datetime(s).date())
    except (TypeError, ValueError, IndexError):
        return None


def is_dateline(line: str) -> bool:
    """A line that is a date and nothing else (with a weekday, a time and a zone, maybe)."""
    return len(line) <= 120 and any(p.match(line) for p in _DATELINE) and normalize_date(line.strip()) is not None


def find_date(text: str) -> str | None:
    """The first written-out date inside a longer string ("Published 12:17 GMT, 2 January 2024")."""
    found = [(m.start(), m) for p in _WRITTEN for m in [p.search(text)] if m]
    iso = re.search(_ISO, text)
    if iso:
        found.append((iso.start(), iso))
    for _, m in sorted(found, key=lambda f: f[0]):
        day = _from_match(m)
        if day:
            return day
    return None


def _from_match(m: re.Match) -> str | None:
    month = m["month"]
    month = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    return _ymd(int(m["year"]), month, int(m["day"]))


def _ymd(year: int, month: int, day: int) -> str | None:
    try:
        return _checked(date(year, month, day))
    except ValueError:
        return None


def _checked(d: date) -> str | None:
    return d.isoformat() if 1800 <= d.year <= 2200 else None


# ---- other values ---------------------------------------------------------------------------
def clean_name(value: object) -> str | None:
    """An outlet or author as one line of text; lists (several authors) are joined with "; "."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    if isinstance(value, list):
        names = [n for n in (clean_name(v) for v in value) if n]
        return "; ".join(names) or None
    if not isinstance(value, str):
        return None
    s = " ".join(value.split())
    s = re.sub(r"^by\s+", "", s, flags=re.IGNORECASE)
    return s if 0 < len(s) <= MAX_CHARS else None


def clean_url(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    s = value.strip()
    return s if _URL.match(s) and len(s) <= 2000 else None


_CLEAN = {"published": normalize_date, "outlet": clean_name, "url": clean_url, "author": clean_name}


def check_typed(field: str, raw: str | None) -> str | None:
    """A value typed by the analyst, normalised; None clears it. Raises MetadataError."""
    if field not in FIELDS:
        raise MetadataError(f"unknown metadata field {field!r}: choose one of {', '.join(FIELDS)}")
    if raw is None or not str(raw).strip():
        return None
    value = _CLEAN[field](str(raw))
    if value is None:
        raise MetadataError({
            "published": f"{raw!r} is not a date: write it as YYYY-MM-DD (e.g. 2024-01-02) or as 2 January 2024",
            "url": f"{raw!r} is not a web address: it must start with http:// or https:// and hold no spaces",
        }.get(field, f"the {LABELS[field]} must be one line of at most {MAX_CHARS} characters"))
    return value


# ---- finding them ---------------------------------------------------------------------------
def from_meta(meta: dict) -> dict[str, str]:
    """Values under the common keys of an import's meta."""
    if not isinstance(meta, dict):
        return {}
    keys = {re.sub(r"[\s-]+", "_", str(k).strip().lower()): v for k, v in meta.items()}
    out = {}
    for field, names in META_KEYS.items():
        for name in names:
            value = _CLEAN[field](keys.get(name)) if name in keys else None
            if value:
                out[field] = value
                break
    return out


def from_text(text: str) -> dict[str, str]:
    """Values the article states itself, near its top (or, for a source line, its foot)."""
    lines = [ln.strip() for ln in text[:6000].splitlines() if ln.strip()][:HEAD_LINES]
    tail = [ln.strip() for ln in text[-3000:].splitlines() if ln.strip()][-TAIL_LINES:]
    out: dict[str, str] = {}
    for line in lines:
        if "published" not in out and len(line) <= 120:
            day = normalize_date(line) if any(p.match(line) for p in _DATELINE) else None
            m = None if day else _PUBLISHED_LINE.match(line)
            if m and not re.match(r"\s*(?:last\s+)?updated", line, re.IGNORECASE):
                day = find_date(m["rest"])
            if day:
                out["published"] = day
                continue
        if "author" not in out and len(line) <= 120:
            m = _BYLINE.match(line)
            if m:
                out["author"] = m["name"].strip()
                continue
        if "outlet" not in out:
            m = _WIRE_TAG.match(line)
            if m and m["name"].lower() not in _NOT_WIRES and not m["name"].isdigit():
                out["outlet"] = m["name"]
    for line in lines[:3] + tail:
        m = _SOURCE_LINE.match(line)
        if not m or len(line) > 300:
            continue
        rest = m["rest"]
        if clean_url(rest):
            out.setdefault("url", rest)
        elif not rest.lower().startswith("http") and len(rest) <= 60 and "outlet" not in out and re.match(r"[A-Z]", rest):
            out["outlet"] = rest.rstrip(".")
    return out


def find(meta: dict, text: str) -> dict[str, tuple[str, str]]:
    """field -> (value, source) for each field known: the meta first, the text for what it lacks."""
    found = {f: (v, "meta") for f, v in from_meta(meta).items()}
    if len(found) < len(FIELDS):
        for f, v in from_text(text).items():
            found.setdefault(f, (v, "text"))
    return found


def columns(found: dict[str, tuple[str, str]]) -> dict[str, str | None]:
    """The documents columns for what `find` returned: <field> and <field>_src for every field."""
    out: dict[str, str | None] = {}
    for f in FIELDS:
        value, source = found.get(f, (None, None))
        out[f] = value
        out[f"{f}_src"] = source
    return out


COLUMNS = tuple(c for f in FIELDS for c in (f, f"{f}_src"))


@dataclass(frozen=True)
class DocumentMetadata:
    """One document's metadata: a value (None: unknown) and its source for each field."""

    doc_id: int
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    sources: dict[str, str | None] = dataclasses.field(default_factory=dict)  # field -> meta / text / typed (None: unknown)

    def value(self, name: str) -> str | None:
        return getattr(self, name)

    def source(self, name: str) -> str | None:
        return self.sources.get(name)
