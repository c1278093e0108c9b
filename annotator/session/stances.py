"""Stance records and their scheme (targets, values), planned as Changes like entity edits.

Every `plan_*` function validates against the corpus and returns a Change, writing nothing;
the caller commits it with `corpus.apply(change)` and undoes it with
`corpus.apply(change.inverse())`.

Rules the functions enforce (messages are for the user):
- a stance needs a known target and a known value; hidden targets stay valid for records;
- the holder is an entity of the same document (its text and offsets are copied, so the
  record survives the entity's deletion) or free text; no holder means "the article";
- evidence lies inside the text, whitespace is trimmed and it is grown to whole tokens, so
  the export's strict char_span never fails; no evidence makes a document-level stance;
- one document-level stance per document and target: it is the article's overall stance and
  becomes `doc.cats`, where two values for one target would contradict each other;
- the same holder, target, value and evidence twice is refused as a duplicate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from annotator.core.model import Stance
from annotator.core.spans import SpanError, check_span, snap, trim
from annotator.nlp.tokens import token_bounds
from annotator.session.changes import Change, Op
from annotator.session.corpus import STANCE_COLS, Corpus, EditError

ARTICLE_HOLDER = "the article"
STANCE_FIELDS = ("target", "value", "holder_span_id", "holder_text", "ev_start", "ev_end", "note")
_COLS = [c.strip() for c in STANCE_COLS.split(",")]


# entity labels that never hold a stance (a date does not favour anything)
NON_HOLDER_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})


# ---- holders: domain rules the form uses --------------------------------------
def default_speaker(text: str, spans: list, evidence: tuple[int, int], lang: str = "en"):
    """The entity the form proposes as holder: the nearest speaker in the evidence's sentences
    (a quote's speaker is often outside the selection: "…," Zelensky said)."""
    from annotator.core.speakers import nearest_speaker
    from annotator.nlp.sentences import sentence_at

    first = sentence_at(text, evidence[0], lang) or evidence
    last = sentence_at(text, evidence[1], lang) or evidence
    return nearest_speaker(spans, min(first[0], evidence[0]), max(last[1], evidence[1]))


def holder_choices(text: str, spans: list, evidence: tuple[int, int] | None, speaker=None) -> list[tuple[str, int | None, str]]:
    """'the article', then each distinct entity text once (labels that can hold a stance), linked to its
    occurrence nearest before the evidence; (name, span id or None, label)."""
    anchor = evidence[0] if evidence else len(text)
    chosen: dict[str, object] = {}
    for span in spans:
        if span.label in NON_HOLDER_LABELS:
            continue
        name = " ".join(text[span.start : span.end].split())
        best = chosen.get(name)
        if best is None or (span.start <= anchor and best.start < span.start):
            chosen[name] = span
    if speaker is not None:
        chosen[" ".join(text[speaker.start : speaker.end].split())] = speaker
    ordered = sorted(chosen.items(), key=lambda kv: kv[1].start)
    return [(ARTICLE_HOLDER, None, "")] + [(name, span.id, span.label) for name, span in ordered]


# ---- reading --------------------------------------------------------------
def get_stance(corpus: Corpus, stance_id: int) -> Stance:
    row = corpus.db.execute(f"SELECT {STANCE_COLS} FROM stances WHERE id = ?", [stance_id]).fetchone()
    if row is None:
        raise EditError(f"stance {stance_id} no longer exists")
    return Stance(*row)


def new_stance_id(change: Change) -> int | None:
    """The id of the stance a planned add inserts (to select it once applied)."""
    for op in change.touched("stances"):
        if op.before is None and op.after is not None:
            return op.after["id"]
    return None


# ---- records --------------------------------------------------------------
def plan_add_stance(
    corpus: Corpus,
    doc_id: int,
    target: str,
    value: str,
    holder_span_id: int | None = None,
    holder_text: str = "",
    ev_start: int | None = None,
    ev_end: int | None = None,
    note: str = "",
) -> Change:
    text = corpus.text(doc_id)
    row = {
        "id": corpus.next_id("stances"),
        "doc_id": doc_id,
        "target": target,
        "value": value,
        "holder_text": "",
        "holder_span_id": None,
        "holder_start": None,
        "holder_end": None,
        "ev_start": None,
        "ev_end": None,
        "note": (note or "").strip(),
        "annotator": corpus.annotator,
    }
    row.update(_holder(corpus, doc_id, holder_span_id, holder_text))
    row.update(_evidence(corpus, text, ev_start, ev_end))
    _check_record(corpus, row)
    return corpus.finish_edit(f"add stance {_describe(row)}", doc_id, [Op("stances", None, row)])


def plan_update_stance(corpus: Corpus, stance_id: int, **fields) -> Change:
    """Change some fields of a record: target, value, holder_span_id, holder_text, ev_start, ev_end, note.

    `holder_span_id=<id>` links an entity; `holder_text="..."` alone (or with holder_span_id=None)
    makes a free-text holder; `ev_start=None, ev_end=None` makes the stance document-level.
    """
    unknown = set(fields) - set(STANCE_FIELDS)
    if unknown:
        raise ValueError(f"unknown stance fields {sorted(unknown)}")
    before = _row(corpus, stance_id)
    after = dict(before)
    for key in ("target", "value"):
        if key in fields:
            after[key] = fields[key]
    if "note" in fields:
        after["note"] = (fields["note"] or "").strip()
    if "holder_span_id" in fields or "holder_text" in fields:
        span_id = fields.get("holder_span_id")
        text = fields.get("holder_text", before["holder_text"])  # unlinking keeps the name
        after.update(_holder(corpus, before["doc_id"], span_id, text))
    if "ev_start" in fields or "ev_end" in fields:
        start = fields.get("ev_start", before["ev_start"])
        end = fields.get("ev_end", before["ev_end"])
        after.update(_evidence(corpus, corpus.text(before["doc_id"]), start, end))
    if after == before:
        raise EditError("nothing to change in this stance")
    _check_record(corpus, after)
    return corpus.finish_edit(f"change stance {_describe(after)}", before["doc_id"], [Op("stances", before, after)])


def plan_delete_stance(corpus: Corpus, stance_id: int) -> Change:
    row = _row(corpus, stance_id)
    return corpus.finish_edit(f"delete stance {_describe(row)}", row["doc_id"], [Op("stances", row, None)])


# ---- scheme: targets ------------------------------------------------------
def plan_add_target(corpus: Corpus, name: str) -> Change:
    name = _scheme_name(name, "target")
    if _target_row(corpus, name, missing_ok=True):
        raise EditError(f"a target named {name!r} exists already")
    position = corpus.db.execute("SELECT coalesce(max(position), -1) + 1 FROM stance_targets").fetchone()[0]
    row = {"name": name, "hidden": 0, "position": position}
    return Change(f"add stance target {name!r}", None, (Op("stance_targets", None, row),))


def plan_rename_target(corpus: Corpus, old: str, new: str) -> Change:
    row = _target_row(corpus, old)
    new = _scheme_name(new, "target")
    if new == old:
        raise EditError("the target already has that name")
    if _target_row(corpus, new, missing_ok=True):
        raise EditError(f"a target named {new!r} exists already; merge the two instead")
    # the records follow through ON UPDATE CASCADE, so the rename (and its undo) is one row op
    return Change(f"rename stance target {old!r} → {new!r}", None, (Op("stance_targets", row, dict(row, name=new)),))


def plan_merge_targets(corpus: Corpus, source: str, into: str) -> Change:
    """Move every record of `source` to `into` and remove `source`, in one undoable Change.

    A record that would become an exact duplicate of one already on `into` is dropped; two
    document-level stances of one article with different values are refused (the analyst decides).
    """
    src = _target_row(corpus, source)
    _target_row(corpus, into)
    if source == into:
        raise EditError("a target cannot be merged into itself")
    moving = _rows(corpus, "target = ?", [source])
    staying = _rows(corpus, "target = ?", [into])
    doc_level = {r["doc_id"]: r for r in staying if r["ev_start"] is None}
    kept = {_identity(r) for r in staying}
    ops: list[Op] = []
    clashes = []
    for row in moving:
        moved = dict(row, target=into)
        other = doc_level.get(row["doc_id"]) if row["ev_start"] is None else None
        if other is not None and other["value"] != row["value"]:
            clashes.append(f"document {row['doc_id']} ({row['value']} vs {other['value']})")
        elif _identity(moved) in kept or other is not None:
            ops.append(Op("stances", row, None))
        else:
            kept.add(_identity(moved))
            ops.append(Op("stances", row, moved))
    if clashes:
        raise EditError(
            f"cannot merge {source!r} into {into!r}: the article-level stances differ in " + ", ".join(clashes)
        )
    ops.append(Op("stance_targets", src, None))
    return Change(f"merge stance target {source!r} into {into!r}", None, tuple(ops))


def plan_hide_target(corpus: Corpus, name: str, hidden: bool = True) -> Change:
    """Hidden targets are not offered for new stances; their records stay and are exported."""
    row = _target_row(corpus, name)
    if bool(row["hidden"]) == hidden:
        raise EditError(f"the target {name!r} is already {'hidden' if hidden else 'shown'}")
    verb = "hide" if hidden else "show"
    return Change(f"{verb} stance target {name!r}", None, (Op("stance_targets", row, dict(row, hidden=int(hidden))),))


def plan_remove_target(corpus: Corpus, name: str) -> Change:
    row = _target_row(corpus, name)
    used = _count(corpus, "target", name)
    if used:
        raise EditError(f"the target {name!r} is used by {_n(used, 'stance')}; hide it or merge it instead")
    return Change(f"remove stance target {name!r}", None, (Op("stance_targets", row, None),))


# ---- scheme: values -------------------------------------------------------
def plan_add_value(corpus: Corpus, name: str) -> Change:
    name = _scheme_name(name, "value")
    if _value_row(corpus, name, missing_ok=True):
        raise EditError(f"a stance value named {name!r} exists already")
    position = corpus.db.execute("SELECT coalesce(max(position), -1) + 1 FROM stance_values").fetchone()[0]
    return Change(f"add stance value {name!r}", None, (Op("stance_values", None, {"name": name, "position": position}),))


def plan_rename_value(corpus: Corpus, old: str, new: str) -> Change:
    row = _value_row(corpus, old)
    new = _scheme_name(new, "value")
    if new == old:
        raise EditError("the value already has that name")
    if _value_row(corpus, new, missing_ok=True):
        raise EditError(f"a stance value named {new!r} exists already")
    return Change(f"rename stance value {old!r} → {new!r}", None, (Op("stance_values", row, dict(row, name=new)),))


def plan_remove_value(corpus: Corpus, name: str) -> Change:
    row = _value_row(corpus, name)
    used = _count(corpus, "value", name)
    if used:
        raise EditError(f"the value {name!r} is used by {_n(used, 'stance')}; change or delete those first, or rename it")
    if corpus.db.execute("SELECT count(*) FROM stance_values").fetchone()[0] <= 1:
        raise EditError("the scheme needs at least one stance value")
    return Change(f"remove stance value {name!r}", None, (Op("stance_values", row, None),))


# ---- statistics -----------------------------------------------------------
@dataclass
class StanceStats:
    total: int = 0
    document_level: int = 0
    documents: int = 0  # documents with at least one stance
    values: list[str] = field(default_factory=list)  # the scheme's values, in order (columns for a table)
    by_target: dict[str, Counter] = field(default_factory=dict)  # target -> value -> count
    by_holder: dict[str, Counter] = field(default_factory=dict)  # holder text -> value -> count, most stances first


def target_counts(corpus: Corpus) -> dict[str, int]:
    """How many records each target has (hidden ones included)."""
    return dict(corpus.db.execute("SELECT target, count(*) FROM stances GROUP BY target").fetchall())


def stance_stats(corpus: Corpus) -> StanceStats:
    """Counts for `annotator stats`: by target and value, and by holder; three GROUP BY queries."""
    db = corpus.db
    stats = StanceStats(values=corpus.stance_values())
    stats.total, stats.document_level, stats.documents = db.execute(
        "SELECT count(*), coalesce(sum(ev_start IS NULL), 0), count(DISTINCT doc_id) FROM stances"
    ).fetchone()
    for target in corpus.stance_targets():
        stats.by_target[target] = Counter()
    for target, value, n in db.execute("SELECT target, value, count(*) FROM stances GROUP BY target, value"):
        stats.by_target.setdefault(target, Counter())[value] = n
    holders: dict[str, Counter] = {}
    for holder, value, n in db.execute("SELECT holder_text, value, count(*) FROM stances GROUP BY holder_text, value"):
        holders.setdefault(holder or ARTICLE_HOLDER, Counter())[value] += n
    stats.by_holder = dict(sorted(holders.items(), key=lambda kv: (-kv[1].total(), kv[0])))
    return stats


# ---- helpers --------------------------------------------------------------
def _row(corpus: Corpus, stance_id: int) -> dict:
    return {k: v for k, v in asdict(get_stance(corpus, stance_id)).items() if k in _COLS}


def _rows(corpus: Corpus, where: str, args: list) -> list[dict]:
    return corpus.stance_rows(where, args)


def _holder(corpus: Corpus, doc_id: int, span_id: int | None, text: str) -> dict:
    if span_id is not None:
        span = corpus.span(span_id)
        if span.doc_id != doc_id:
            raise EditError(f"entity {span_id} belongs to another document")
        doc_text = corpus.text(doc_id)
        return {"holder_span_id": span.id, "holder_text": doc_text[span.start : span.end],
                "holder_start": span.start, "holder_end": span.end}
    text = " ".join((text or "").split()) or ARTICLE_HOLDER
    return {"holder_span_id": None, "holder_text": text, "holder_start": None, "holder_end": None}


def _evidence(corpus: Corpus, text: str, start: int | None, end: int | None) -> dict:
    if start is None and end is None:
        return {"ev_start": None, "ev_end": None}
    if start is None or end is None:
        raise EditError("evidence needs both a start and an end (or neither, for the whole article)")
    try:
        check_span(text, *_inside(text, start, end))
    except SpanError as exc:
        raise EditError(f"evidence {exc}") from exc
    return dict(zip(("ev_start", "ev_end"), snap_to_tokens(text, start, end, corpus.meta("lang", "en"))))


def _inside(text: str, start: int, end: int) -> tuple[int, int]:
    """Check the raw offsets, then trim; check_span then catches the all-whitespace case."""
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise SpanError(f"offsets must be integers, got start={start!r} end={end!r}")
    if start < 0 or end > len(text):
        raise SpanError(f"[{start}, {end}) is outside the text (length {len(text)})")
    if start >= end:
        raise SpanError(f"[{start}, {end}) has start >= end")
    s, e = trim(text, start, end)
    if s >= e:
        raise SpanError(f"[{start}, {end}) is only whitespace")
    return s, e


def snap_to_tokens(text: str, start: int, end: int, lang: str = "en") -> tuple[int, int]:
    """Trim and grow [start, end) to whole tokens, tokenizing only the words around it.

    The tokenizer splits on whitespace before anything else, so the stretch between the
    whitespace before `start` and the whitespace after `end` tokenizes exactly as it does
    inside the whole text, and a stance on a long article costs what a sentence costs.
    """
    start, end = trim(text, start, end)
    lo = start
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    hi = end
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    bounds = [(s + lo, e + lo) for s, e in token_bounds(text[lo:hi], lang)]
    return snap(bounds, start, end)


def _check_record(corpus: Corpus, row: dict) -> None:
    if not row["target"]:
        raise EditError("a stance needs a target")
    if not row["value"]:
        raise EditError("a stance needs a value")
    if _target_row(corpus, row["target"], missing_ok=True) is None:
        raise EditError(f"unknown stance target {row['target']!r}")
    if _value_row(corpus, row["value"], missing_ok=True) is None:
        raise EditError(f"unknown stance value {row['value']!r}; the values are {', '.join(corpus.stance_values())}")
    others = _rows(corpus, "doc_id = ? AND target = ? AND id != ?", [row["doc_id"], row["target"], row["id"]])
    if row["ev_start"] is None:
        level = [r for r in others if r["ev_start"] is None]
        if level:
            raise EditError(
                f"this article already has an overall stance on {row['target']!r} ({level[0]['value']}, "
                f"held by {level[0]['holder_text']}); edit that one"
            )
    if any(_identity(r) == _identity(row) for r in others):
        raise EditError("the same stance with the same evidence exists already")


def _identity(row: dict) -> tuple:
    holder = row["holder_span_id"] if row["holder_span_id"] is not None else row["holder_text"].casefold()
    return row["doc_id"], holder, row["target"], row["value"], row["ev_start"], row["ev_end"]


def _target_row(corpus: Corpus, name: str, missing_ok: bool = False) -> dict | None:
    row = corpus.db.execute("SELECT name, hidden, position FROM stance_targets WHERE name = ?", [name]).fetchone()
    if row is None:
        if missing_ok:
            return None
        raise EditError(f"unknown stance target {name!r}")
    return dict(zip(("name", "hidden", "position"), row))


def _value_row(corpus: Corpus, name: str, missing_ok: bool = False) -> dict | None:
    row = corpus.db.execute("SELECT name, position FROM stance_values WHERE name = ?", [name]).fetchone()
    if row is None:
        if missing_ok:
            return None
        raise EditError(f"unknown stance value {name!r}")
    return dict(zip(("name", "position"), row))


def _scheme_name(name: str, what: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise EditError(f"a stance {what} needs a name")
    if "=" in name:
        raise EditError(f"a stance {what} cannot contain '=': it separates target and value in exported labels")
    return name


def _count(corpus: Corpus, column: str, name: str) -> int:
    return corpus.db.execute(f"SELECT count(*) FROM stances WHERE [{column}] = ?", [name]).fetchone()[0]


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _describe(row: dict) -> str:
    return f"{row['holder_text']} → {row['target']} {row['value']}"
