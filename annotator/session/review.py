"""Review corpora: every analyst's version of each document kept, differences settled into one gold set.

`build_review` reads the analysts' corpora (read-only, see session.analysts) and writes a new
corpus: each document once, each analyst's version of it in the `versions` table (name,
status, when, spans and stances as JSON), and as gold to start from what every analyst agrees
on (entities with origin "adjudicated"). `review_items` compares the versions of a document:

- entities are grouped into clusters of overlapping spans across versions; a cluster is agreed
  when every version has exactly the same spans there, else a difference of one kind: only in
  some analysts' versions, the same span with different labels, or overlapping boundaries;
- stances are grouped by target and overlapping evidence (article-level ones by holder); a
  group is agreed when every version has one record with the same value, holder and evidence.

Settling a difference is a Change like any edit (undoable, in the history with the reviewer's
name): take one analyst's version, take several where they do not overlap, reject all,
or mark it to be edited by hand; `plan_take_agreed` takes everything agreed plus whatever a
clear majority said. Each decision is a row in `review_decisions`, so a document knows which
differences are still open; `plan_accept_review` refuses while some are, and otherwise accepts
the document as gold with a history entry saying who said what.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core import doc_metadata
from annotator.core.errors import BadInput
from annotator.core.model import ACCEPTED, ADJUDICATED_ORIGIN, NEW
from annotator.session.analysts import ACCEPTED as DEFAULT_STATUS
from annotator.session.analysts import ANY_STATUS, Matching, check_statuses, describe_differs, open_analysts
from annotator.session.changes import Change, Op
from annotator.session.corpus import Corpus, EditError

# the entity module's own rules, so a taken version is checked exactly like a hand-made entity
from annotator.session.entities import _check_label as check_label
from annotator.session.entities import _holder_ops_for_removed as holder_ops_for_removed
from annotator.storage.db import write_transaction

ProgressFn = Callable[[int, int], None]
ARTICLE = "the article"
STANCE_KEYS = ("target", "value", "holder_text", "holder_start", "holder_end", "ev_start", "ev_end", "note")
# kinds of difference, in the words the window shows
ONLY_IN, LABEL, BOUNDARY = "only in", "different labels", "overlapping boundaries"
VALUE, HOLDER, EVIDENCE = "different values", "different holders", "different evidence"
HAND, REJECT = "hand", "reject"


# ---- what the versions say -------------------------------------------------
@dataclass(frozen=True)
class VersionRow:
    annotator: str
    status: str
    ts: str
    spans: tuple[tuple[int, int, str], ...]
    stances: tuple[dict, ...]


@dataclass
class Item:
    """A place in a document where the versions are compared: an entity cluster or a stance group."""

    key: str
    what: str  # "entity" or "stance"
    kind: str  # "agreed" or one of the difference kinds
    start: int  # entity clusters: the range they cover; stances: the evidence range (0, 0 for the article)
    end: int
    variants: dict[str, list] = field(default_factory=dict)  # annotator -> their spans (s, e, label) or stance dicts here
    decision: str | None = None

    @property
    def agreed(self) -> bool:
        return self.kind == "agreed"

    @property
    def open(self) -> bool:
        return not self.agreed and self.decision is None

    def who(self) -> list[str]:
        """The analysts who have something here."""
        return [a for a, v in self.variants.items() if v]


def versions(corpus: Corpus, doc_id: int) -> list[VersionRow]:
    rows = corpus.db.execute("SELECT annotator, status, ts, spans, stances FROM versions WHERE doc_id = ? ORDER BY id", [doc_id])
    return [VersionRow(r[0], r[1], r[2], tuple(tuple(s) for s in json.loads(r[3])), tuple(json.loads(r[4]))) for r in rows]


def is_review(corpus: Corpus) -> bool:
    return corpus.meta("review_of") is not None


def document_by_sha(corpus: Corpus, sha256: str) -> int | None:
    """The document with this text (by its sha256), e.g. one the agreement report ranks."""
    row = corpus.db.execute("SELECT id FROM documents WHERE sha256 = ?", [sha256]).fetchone()
    return row[0] if row else None


def review_items(corpus: Corpus, doc_id: int) -> list[Item]:
    """Every compared place of a document, in text order (entities, then stances), with its decision."""
    vers = versions(corpus, doc_id)
    decided = dict(corpus.db.execute("SELECT item, decision FROM review_decisions WHERE doc_id = ?", [doc_id]))
    items = entity_items(vers) + stance_items(vers)
    for it in items:
        it.decision = decided.get(it.key)
    return items


def differences(corpus: Corpus, doc_id: int) -> list[Item]:
    return [it for it in review_items(corpus, doc_id) if not it.agreed]


def entity_items(vers: Sequence[VersionRow]) -> list[Item]:
    names = [v.annotator for v in vers]
    tagged = sorted((s, v.annotator) for v in vers for s in v.spans)
    clusters: list[list] = []
    end = -1
    for span, who in tagged:
        if not clusters or span[0] >= end:
            clusters.append([])
            end = span[1]
        clusters[-1].append((span, who))
        end = max(end, span[1])
    items = []
    for members in clusters:
        per = {n: [] for n in names}
        for span, who in members:
            per[who].append(span)
        start, stop = min(s[0] for s, _ in members), max(s[1] for s, _ in members)
        kind = _entity_kind(list(per.values()))
        items.append(Item(f"entity:{start}:{stop}", "entity", kind, start, stop, per))
    return items


def _entity_kind(variants: list[list]) -> str:
    if all(v == variants[0] for v in variants):
        return "agreed"
    if any(not v for v in variants):
        return ONLY_IN
    bounds = [[(s, e) for s, e, _ in v] for v in variants]
    if all(b == bounds[0] for b in bounds):
        return LABEL
    return BOUNDARY


def _holder(st: dict) -> str:
    return (st.get("holder_text") or "").strip().casefold() or ARTICLE


def _stance_match(a: dict, b: dict) -> bool:
    if a["target"] != b["target"]:
        return False
    if a.get("ev_start") is None or b.get("ev_start") is None:
        return a.get("ev_start") is None and b.get("ev_start") is None and _holder(a) == _holder(b)
    return a["ev_start"] < b["ev_end"] and b["ev_start"] < a["ev_end"]


def stance_items(vers: Sequence[VersionRow]) -> list[Item]:
    names = [v.annotator for v in vers]
    records = [(v.annotator, st) for v in vers for st in v.stances]
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(records)):
        for j in range(i + 1, len(records)):
            if records[i][0] != records[j][0] and _stance_match(records[i][1], records[j][1]):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        groups[find(i)].append(i)
    items = []
    for members in groups.values():
        per = {n: [] for n in names}
        for i in members:
            per[records[i][0]].append(records[i][1])
        sts = [records[i][1] for i in members]
        evs = [(s["ev_start"], s["ev_end"]) for s in sts if s.get("ev_start") is not None]
        start, end = (min(e[0] for e in evs), max(e[1] for e in evs)) if evs else (0, 0)
        target = sts[0]["target"]
        holder = "" if evs else _holder(sts[0])
        items.append(Item(f"stance:{target}:{holder}:{start}:{end}", "stance", _stance_kind(list(per.values())), start, end, per))
    items.sort(key=lambda it: (it.start, it.key))
    return items


def _stance_kind(variants: list[list[dict]]) -> str:
    if any(not v for v in variants):
        return ONLY_IN
    sig = [sorted((s["value"], _holder(s), s.get("ev_start"), s.get("ev_end")) for s in v) for v in variants]
    if all(x == sig[0] for x in sig):
        return "agreed"
    if any(sorted(s["value"] for s in v) != sorted(s["value"] for s in variants[0]) for v in variants):
        return VALUE
    if any(sorted(_holder(s) for s in v) != sorted(_holder(s) for s in variants[0]) for v in variants):
        return HOLDER
    return EVIDENCE


def describe(item: Item, text: str) -> str:
    """One line for the panel: what each analyst has at this place."""
    parts = []
    for who, variant in item.variants.items():
        if item.what == "entity":
            said = ", ".join(f"{lb} {text[s:e]!r}" for s, e, lb in variant) or "nothing"
        else:
            said = ", ".join(f"{st['value']} ({st.get('holder_text') or ARTICLE})" for st in variant) or "nothing"
        parts.append(f"{who}: {said}")
    return "; ".join(parts)


# ---- building a review corpus ----------------------------------------------
@dataclass
class ReviewReport:
    path: Path
    annotators: list[str]
    documents: int = 0
    agreed_entities: int = 0
    agreed_stances: int = 0
    differences: int = 0
    left_out: int = 0  # no version with the chosen status
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"review corpus {self.path}: {self.documents} documents from {', '.join(self.annotators)}",
               f"{self.agreed_entities} agreed entities and {self.agreed_stances} agreed stances already in the gold; "
               f"{self.differences} differences to settle"]
        if self.left_out:
            out.append(f"{self.left_out} documents left out (no version with the chosen status)")
        out += [f"warning: {w}" for w in self.warnings]
        return out


def build_review(
    paths: Sequence[str | Path],
    out: str | Path,
    *,
    names: Sequence[str] = (),
    mapping: dict[str, str] | None = None,
    status: str = DEFAULT_STATUS,
    allow_open: bool = False,
    reviewer: str | None = None,
    progress: ProgressFn | None = None,
) -> ReviewReport:
    """Write a new review corpus at `out` from the analysts' corpora (which are only read)."""
    out = Path(out)
    check_statuses(status)
    if out.exists():
        raise BadInput(f"{out} exists already: give a new --out (nothing was written)")
    with open_analysts(paths, names, mapping, allow_open=allow_open) as matching:
        report = ReviewReport(out, matching.names, warnings=[*matching.unused_mapping, *(describe_differs(d) for d in matching.text_differs)])
        try:
            with Corpus(out, annotator=reviewer) as review:
                _write_review(review, matching, status, report, progress)
            if not report.documents:  # an empty review corpus would look like a finished one
                if not matching.docs:
                    raise BadInput("the corpora hold no documents: nothing to review (nothing was written)")
                raise BadInput(f"no document is {status.replace('_', ' ')} in any corpus: nothing to review "
                               f"({report.left_out} documents left out; try --status any). Nothing was written.")
        except BaseException:
            from annotator.storage.backup import backup_dir

            for extra in (out, out.with_name(out.name + "-wal"), out.with_name(out.name + "-shm")):
                extra.unlink(missing_ok=True)
            import shutil

            shutil.rmtree(backup_dir(out), ignore_errors=True)
            raise
    return report


def _write_review(review: Corpus, matching: Matching, status: str, report: ReviewReport, progress: ProgressFn | None) -> None:
    db = review.db
    with write_transaction(db):
        _copy_scheme(review, matching)
        total = len(matching.docs)
        for k, doc in enumerate(matching.docs):
            if progress and (k % 50 == 0 or k == total - 1):
                progress(k + 1, total)
            vers = [v for v in doc.versions.values() if status == ANY_STATUS or v.status == status]
            if not vers:
                report.left_out += 1
                continue
            # metadata found again from the meta and the text, as an import finds it (values typed in an
            # analyst's copy are not carried over: the versions hold spans and stances only)
            found = doc_metadata.columns(doc_metadata.find(doc.meta, doc.text))
            cur = db.execute(f"INSERT INTO documents (source, title, text, sha256, meta, {', '.join(found)}) "
                             f"VALUES (?, ?, ?, ?, ?, {', '.join('?' for _ in found)})",
                             [doc.source, doc.title, doc.text, doc.sha256, json.dumps(doc.meta, ensure_ascii=False), *found.values()])
            doc_id = cur.lastrowid
            report.documents += 1
            rows = []
            for v in vers:
                stances = [{k_: st.get(k_) for k_ in STANCE_KEYS} for st in v.stances]
                db.execute("INSERT INTO versions (doc_id, annotator, source, status, ts, spans, stances) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [doc_id, v.annotator, str(next(a.path.resolve() for a in matching.analysts if a.name == v.annotator)), v.status, v.ts,
                            json.dumps(v.spans), json.dumps(stances, ensure_ascii=False)])
                rows.append(VersionRow(v.annotator, v.status, v.ts, tuple(tuple(s) for s in v.spans), tuple(stances)))
            ents, sts = entity_items(rows), stance_items(rows)
            gold: dict[tuple[int, int], int] = {}
            for it in ents:
                if it.agreed:
                    for s, e, lb in it.variants[rows[0].annotator]:
                        gold[(s, e)] = db.execute("INSERT INTO spans (doc_id, start, end, label, origin) VALUES (?, ?, ?, ?, ?)",
                                                  [doc_id, s, e, lb, ADJUDICATED_ORIGIN]).lastrowid
                        report.agreed_entities += 1
                else:
                    report.differences += 1
            for it in sts:
                if it.agreed:
                    who = "+".join(it.variants)
                    for st in it.variants[rows[0].annotator]:
                        row = _stance_row(st, doc_id, None, who, gold)
                        del row["id"]
                        db.execute(f"INSERT INTO stances ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values()))
                        report.agreed_stances += 1
                else:
                    report.differences += 1
        db.execute(
            "INSERT INTO history (annotator, doc_id, action, ops, kind) VALUES (?, NULL, ?, ?, 'import')",
            [review.annotator, f"review of {report.documents} documents from {', '.join(matching.names)}",
             json.dumps({"corpora": [str(a.path) for a in matching.analysts], "annotators": matching.names,
                         "status": status, "label_mapping": matching.mapping})],
        )


def _copy_scheme(review: Corpus, matching: Matching) -> None:
    db = review.db
    mapping = matching.mapping
    db.execute("DELETE FROM labels")
    db.execute("DELETE FROM stance_targets")
    db.execute("DELETE FROM stance_values")
    labels: dict[str, tuple] = {}
    targets: dict[str, int] = {}
    values: dict[str, int] = {}
    models: list[str] = []
    for a in matching.analysts:
        for lb in a.corpus.labels():
            name = mapping.get(lb.name, lb.name)
            if name not in labels:
                taken = {row[2] for row in labels.values() if row[2]}
                labels[name] = (name, lb.color, lb.key if lb.key not in taken else "", int(lb.hidden), len(labels))
        for t in a.corpus.stance_targets():
            targets.setdefault(t, len(targets))
        for v in a.corpus.stance_values():
            values.setdefault(v, len(values))
        models += [m for m in json.loads(a.corpus.meta("models", "[]") or "[]") if m not in models]
    for row in labels.values():
        db.execute("INSERT INTO labels (name, color, key, hidden, position) VALUES (?, ?, ?, ?, ?)", row)
    for t, i in targets.items():
        db.execute("INSERT INTO stance_targets (name, hidden, position) VALUES (?, 0, ?)", [t, i])
    for v, i in values.items():
        db.execute("INSERT INTO stance_values (name, position) VALUES (?, ?)", [v, i])
    meta = {"lang": matching.lang, "models": json.dumps(models),
            "review_of": json.dumps([{"annotator": a.name, "path": str(a.path.resolve())} for a in matching.analysts]),
            "label_mapping": json.dumps(mapping)}
    for key, value in meta.items():
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def _stance_row(st: dict, doc_id: int, stance_id: int | None, who: str, gold_spans: dict[tuple[int, int], int]) -> dict:
    holder_span = gold_spans.get((st.get("holder_start"), st.get("holder_end"))) if st.get("holder_start") is not None else None
    return {
        "id": stance_id, "doc_id": doc_id, "target": st["target"], "value": st["value"],
        "holder_text": st.get("holder_text") or "", "holder_span_id": holder_span,
        "holder_start": st.get("holder_start"), "holder_end": st.get("holder_end"),
        "ev_start": st.get("ev_start"), "ev_end": st.get("ev_end"), "note": st.get("note") or "", "annotator": who,
    }


# ---- settling differences: Changes ------------------------------------------
def _item(corpus: Corpus, doc_id: int, key: str) -> Item:
    for it in review_items(corpus, doc_id):
        if it.key == key:
            return it
    raise EditError(f"no difference {key!r} in this document")


def _decision_op(corpus: Corpus, doc_id: int, key: str, decision: str | None) -> list[Op]:
    row = corpus.db.execute("SELECT id, doc_id, item, decision FROM review_decisions WHERE doc_id = ? AND item = ?", [doc_id, key]).fetchone()
    before = dict(zip(("id", "doc_id", "item", "decision"), row)) if row else None
    if decision is None:
        return [Op("review_decisions", before, None)] if before else []
    if before:
        return [Op("review_decisions", before, dict(before, decision=decision))] if before["decision"] != decision else []
    new_id = (corpus.db.execute("SELECT max(id) FROM review_decisions").fetchone()[0] or 0) + 1
    return [Op("review_decisions", None, {"id": new_id, "doc_id": doc_id, "item": key, "decision": decision})]


class _Planner:
    """Ops for one Change: removing gold in a place, adding chosen records, with fresh ids."""

    def __init__(self, corpus: Corpus, doc_id: int):
        self.corpus, self.doc_id = corpus, doc_id
        self.ops: list[Op] = []
        self.span_id = corpus.next_id("spans")
        self.stance_id = corpus.next_id("stances")
        self.removed_spans: set[int] = set()
        self.removed_stances: set[int] = set()
        self.added: dict[tuple[int, int], int] = {}
        self.next_decision = (corpus.db.execute("SELECT max(id) FROM review_decisions").fetchone()[0] or 0) + 1

    def gold_spans(self) -> dict[tuple[int, int], int]:
        rows = self.corpus.db.execute("SELECT id, start, end FROM spans WHERE doc_id = ?", [self.doc_id])
        out = {(s, e): i for i, s, e in rows if i not in self.removed_spans}
        out.update(self.added)
        return out

    def clear_entities(self, start: int, end: int) -> None:
        rows = self.corpus.db.execute(
            "SELECT id, doc_id, start, end, label, origin FROM spans WHERE doc_id = ? AND start < ? AND end > ?", [self.doc_id, end, start]
        ).fetchall()
        rows = [r for r in rows if r[0] not in self.removed_spans]
        ids = [r[0] for r in rows]
        for op in holder_ops_for_removed(self.corpus, ids):
            if op.before["id"] not in self.removed_stances:
                self.ops.append(op)
        for r in rows:
            self.ops.append(Op("spans", dict(zip(("id", "doc_id", "start", "end", "label", "origin"), r)), None))
        self.removed_spans.update(ids)

    def add_entities(self, spans: Sequence[tuple[int, int, str]]) -> None:
        ordered = sorted(set(tuple(s) for s in spans))
        for a, b in zip(ordered, ordered[1:]):
            if b[0] < a[1]:
                text = self.corpus.text(self.doc_id)
                raise EditError(f"{a[2]} {text[a[0]:a[1]]!r} and {b[2]} {text[b[0]:b[1]]!r} overlap: "
                                "take one analyst's version here, or edit by hand")
        for s, e, lb in ordered:
            check_label(self.corpus, lb)
            self.ops.append(Op("spans", None, {"id": self.span_id, "doc_id": self.doc_id, "start": s, "end": e,
                                               "label": lb, "origin": ADJUDICATED_ORIGIN}))
            self.added[(s, e)] = self.span_id
            self.span_id += 1

    def clear_stances(self, item: Item) -> None:
        cols = ("id", "doc_id", "target", "value", "holder_text", "holder_span_id", "holder_start", "holder_end",
                "ev_start", "ev_end", "note", "annotator")
        for row in self.corpus.db.execute(f"SELECT {', '.join(cols)} FROM stances WHERE doc_id = ?", [self.doc_id]).fetchall():
            st = dict(zip(cols, row))
            if st["id"] in self.removed_stances:
                continue
            if any(_stance_match(st, v) for variant in item.variants.values() for v in variant):
                # an earlier op of this change may have unlinked its holder: remove the row as it will be then
                for op in self.ops:
                    if op.table == "stances" and op.before and op.before["id"] == st["id"] and op.after:
                        st = op.after
                self.ops.append(Op("stances", st, None))
                self.removed_stances.add(st["id"])

    def add_stances(self, records: Sequence[tuple[str, dict]]) -> None:
        doc_level = Counter(st["target"] for _, st in records if st.get("ev_start") is None and not (st.get("holder_text") or "").strip())
        clash = [t for t, n in doc_level.items() if n > 1]
        if clash:
            raise EditError(f"two article-level stances on {clash[0]!r}: a document has one overall stance per target; take one of them")
        gold = self.gold_spans()
        seen = set()
        for who, st in records:
            sig = (st["target"], st["value"], _holder(st), st.get("ev_start"), st.get("ev_end"))
            if sig in seen:
                continue
            seen.add(sig)
            self.ops.append(Op("stances", None, _stance_row(st, self.doc_id, self.stance_id, who, gold)))
            self.stance_id += 1

    def decide(self, key: str, decision: str | None) -> None:
        ops = _decision_op(self.corpus, self.doc_id, key, decision)
        for op in ops:
            if op.before is None and op.after is not None:
                op = Op(op.table, None, dict(op.after, id=self.next_decision))
                self.next_decision += 1
            self.ops.append(op)

    def change(self, action: str) -> Change:
        if not self.ops:
            raise EditError("nothing to change here")
        return self.corpus.finish_edit(action, self.doc_id, self.ops)


def _settle(planner: _Planner, item: Item, chosen: Sequence[str], decision: str) -> None:
    if item.what == "entity":
        planner.clear_entities(item.start, item.end)
        planner.add_entities([s for who in chosen for s in item.variants.get(who, [])])
    else:
        planner.clear_stances(item)
        planner.add_stances([(who, st) for who in chosen for st in item.variants.get(who, [])])
    planner.decide(item.key, decision)


def plan_take(corpus: Corpus, doc_id: int, key: str, annotators: Sequence[str]) -> Change:
    """Take the named analysts' version of one place (one name: theirs; several: all of them, if they do not overlap)."""
    item = _item(corpus, doc_id, key)
    unknown = [a for a in annotators if a not in item.variants]
    if unknown or not annotators:
        raise EditError(f"no analyst named {unknown[0]!r} in this review" if unknown else "take whose version?")
    planner = _Planner(corpus, doc_id)
    _settle(planner, item, annotators, "take " + "+".join(annotators))
    return planner.change(f"take {' and '.join(annotators)}'s {item.what}: {_said(item, annotators, corpus.text(doc_id))}")


def plan_take_both(corpus: Corpus, doc_id: int, key: str) -> Change:
    """Take every analyst's version of one place, where they do not overlap (refused where they do)."""
    item = _item(corpus, doc_id, key)
    return plan_take(corpus, doc_id, key, item.who())


def plan_reject(corpus: Corpus, doc_id: int, key: str) -> Change:
    """Nothing at this place: the gold keeps none of the versions."""
    item = _item(corpus, doc_id, key)
    planner = _Planner(corpus, doc_id)
    _settle(planner, item, [], REJECT)
    return planner.change(f"reject the {item.what} versions: {_said(item, item.who(), corpus.text(doc_id))}")


def plan_by_hand(corpus: Corpus, doc_id: int, key: str) -> Change:
    """The reviewer settles this place by editing the gold as usual: marks it decided, changes nothing else."""
    item = _item(corpus, doc_id, key)
    planner = _Planner(corpus, doc_id)
    planner.decide(item.key, HAND)
    return planner.change(f"settle by hand: {_said(item, item.who(), corpus.text(doc_id))}")


def plan_take_agreed(corpus: Corpus, doc_id: int) -> Change:
    """Everything the analysts agree on into the gold, and each open difference a clear majority
    (more than half of the analysts, with identical versions) settles."""
    items = review_items(corpus, doc_id)
    planner = _Planner(corpus, doc_id)
    gold_labels = dict(((s, e), lb) for s, e, lb in corpus.db.execute("SELECT start, end, label FROM spans WHERE doc_id = ?", [doc_id]))
    n_agreed = n_majority = 0
    for it in items:
        if it.agreed and it.what == "entity":
            first = next(iter(it.variants.values()))
            if all(gold_labels.get((s, e)) == lb for s, e, lb in first):
                continue
            planner.clear_entities(it.start, it.end)
            planner.add_entities(first)
            n_agreed += 1
        elif it.agreed:
            first = next(iter(it.variants.values()))
            present = corpus.db.execute("SELECT target, value, ev_start, ev_end, holder_text FROM stances WHERE doc_id = ?", [doc_id]).fetchall()
            have = {(t, v, s, e, (h or "").strip().casefold() or ARTICLE) for t, v, s, e, h in present}
            if all((st["target"], st["value"], st.get("ev_start"), st.get("ev_end"), _holder(st)) in have for st in first):
                continue
            planner.clear_stances(it)
            planner.add_stances([("+".join(it.variants), st) for st in first])
            n_agreed += 1
        elif it.open:
            winner = _majority(it)
            if winner:
                # a majority with nothing here is a majority for nothing: the place is rejected
                said_nothing = not any(it.variants[w] for w in winner)
                _settle(planner, it, [] if said_nothing else winner, "majority reject" if said_nothing else "majority " + "+".join(winner))
                n_majority += 1
    if not planner.ops:
        raise EditError("everything agreed is in the gold already, and no open difference has a clear majority")
    return planner.change(f"take all agreed ({n_agreed} agreed, {n_majority} by majority)")


def _majority(item: Item) -> list[str] | None:
    sig = {who: _signature(item, v) for who, v in item.variants.items()}
    counts = Counter(sig.values())
    best, n = counts.most_common(1)[0]
    if n * 2 > len(sig):
        return [who for who, s in sig.items() if s == best]
    return None


def _signature(item: Item, variant: list) -> tuple:
    if item.what == "entity":
        return tuple(sorted(tuple(s) for s in variant))
    return tuple(sorted((st["target"], st["value"], _holder(st), st.get("ev_start"), st.get("ev_end")) for st in variant))


def _said(item: Item, who: Sequence[str], text: str) -> str:
    parts = []
    for name in who:
        for v in item.variants.get(name, []):
            parts.append(f"{v[2]} {text[v[0]:v[1]]!r}" if item.what == "entity" else f"{v['target']} {v['value']}")
    return ", ".join(dict.fromkeys(parts)) or "nothing"


def plan_accept_review(corpus: Corpus, doc_id: int) -> Change:
    """Accept a reviewed document as gold; refused while a difference is open. The history entry
    says who said what: each decision, with the analysts it followed."""
    items = review_items(corpus, doc_id)
    still = [it for it in items if it.open]
    if still:
        raise EditError(f"{len(still)} difference{'s' if len(still) > 1 else ''} still open in this document: "
                        "take a version, reject or settle by hand first")
    status = corpus.document(doc_id).status
    if status == ACCEPTED:
        raise EditError("the document is already accepted")
    tally = Counter(it.decision for it in items if not it.agreed)
    agreed = sum(1 for it in items if it.agreed)
    said = ", ".join(f"{d} {n}" for d, n in sorted(tally.items()))
    op = Op("documents", {"id": doc_id, "status": status}, {"id": doc_id, "status": ACCEPTED})
    return Change(f"accept adjudicated: {agreed} agreed" + (f", {said}" if said else ""), doc_id, (op,))


def next_open(corpus: Corpus, doc_id: int | None, step: int = 1) -> int | None:
    """The next review document (after doc_id, wrapping) with an open difference or not yet accepted."""
    ids = [r[0] for r in corpus.db.execute("SELECT id FROM documents WHERE status != ? ORDER BY id", [ACCEPTED])]
    if not ids:
        return None
    if doc_id is None:
        return ids[0] if step > 0 else ids[-1]
    later = [i for i in ids if (i > doc_id if step > 0 else i < doc_id)]
    return (later[0] if step > 0 else later[-1]) if later else (ids[0] if step > 0 else ids[-1])


__all__ = [
    "BOUNDARY", "LABEL", "NEW", "ONLY_IN", "Item", "ReviewReport", "build_review", "differences", "is_review",
    "plan_accept_review", "plan_by_hand", "plan_reject", "plan_take", "plan_take_agreed", "plan_take_both", "review_items",
]
