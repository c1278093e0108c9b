"""Corpus-wide consistency: one name, labelled the same way everywhere.

Every entity text is grouped with the others that name the same thing (annotator.core.surface:
case, diacritics, apostrophes, possessive, transliteration variants). A group shows its labels
and their counts, the documents for each, and the places where the same name stands in the
text with no entity (found through the search index, then checked in the text: whole words,
exact case). Groups are sorted by inconsistency: the occurrences that do not carry the group's
most common label (unlabelled ones included).

Counting is SQL: entities and documents per (text, label) are kept by triggers in
entity_forms (migration 0010), so the view reads one row per distinct text and label; only
those distinct texts are normalised in Python. Unlabelled occurrences need the articles' text: the summary reads at
most `scan_docs` candidate articles per group (and says when it stopped), `occurrences` and
the fixes read them all.

Fix rule ("label all as X"): every entity of the group gets label X, and every unlabelled
occurrence becomes a new X entity, in documents that are not accepted; accepted documents are
listed and changed only when the caller confirms them. An unlabelled occurrence that overlaps
another entity (Kyiv inside "Kyiv City Military Administration") is left alone and reported:
the longer entity is usually right and the analyst decides. One that does not fall on token
boundaries (the export could not align it) is also left alone and reported. The whole fix is
one Change: one transaction, one undo step.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from annotator.core.model import ACCEPTED, ANNOTATOR_ORIGIN, IN_PROGRESS, NEW
from annotator.core.surface import core, key, variant_groups
from annotator.session.changes import Change, EditError, Op
from annotator.session.corpus import Corpus
from annotator.session.entities import _check_label, span_row
from annotator.session.stances import snap_to_tokens
from annotator.storage.search import fts_any_of

EXACT_DOCS = 5_000  # above this, documents per label of a many-spelling name are summed over its spellings
SCAN_DOCS = 20  # candidate articles read per group for the summary's unlabelled count (the rest on opening it)


@dataclass
class Group:
    """One name and every way it is labelled (or not) in the corpus."""

    name: str  # the most frequent text of its entities, as written
    key: str
    forms: dict[str, int]  # entity text -> number of entities, most frequent first
    labels: dict[str, int]  # label -> number of entities, most frequent first
    label_docs: dict[str, int]  # label -> number of documents with such an entity
    entities: int
    unlabelled: int = 0  # occurrences with no entity, in the articles scanned
    unlabelled_docs: int = 0
    overlapping: int = 0  # occurrences inside or across another entity (left alone by fixes)
    candidate_docs: int = 0  # articles the search index finds with the name's words
    scanned_docs: int = 0
    complete: bool = True  # every candidate article was read (else unlabelled is a lower bound)

    @property
    def cores(self) -> list[str]:
        """The texts searched for unlabelled occurrences (each entity text without a possessive or comma)."""
        return sorted({core(f) for f in self.forms} - {""}, key=lambda c: (-len(c), c))

    @property
    def majority(self) -> str:
        return next(iter(self.labels))

    @property
    def inconsistency(self) -> int:
        """Occurrences that do not carry the most common label: 0 is consistent."""
        return self.entities + self.unlabelled - self.labels[self.majority]

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "key": self.key,
            "inconsistency": self.inconsistency,
            "entities": self.entities,
            "labels": self.labels,
            "label_documents": self.label_docs,
            "forms": self.forms,
            "unlabelled": self.unlabelled,
            "unlabelled_documents": self.unlabelled_docs,
            "overlapping": self.overlapping,
            "candidate_documents": self.candidate_docs,
            "scanned_documents": self.scanned_docs,
            "complete": self.complete,
        }


@dataclass(frozen=True)
class Occurrence:
    doc_id: int
    start: int
    end: int
    text: str
    status: str  # the document's
    label: str | None = None  # None: no entity here
    span_id: int | None = None
    overlaps: tuple[int, int, str] | None = None  # the other entity it lies in or across


@dataclass
class FixPlan:
    """What "label all as X" will do; `change` is None when there is nothing to do."""

    change: Change | None
    label: str
    relabelled: int = 0
    added: int = 0
    documents: int = 0
    accepted_left: dict[int, int] = field(default_factory=dict)  # accepted doc id -> occurrences not changed
    overlapping: list[Occurrence] = field(default_factory=list)
    misaligned: list[Occurrence] = field(default_factory=list)

    def message(self) -> str:
        parts = [f"{self.relabelled} relabelled, {self.added} added as {self.label} in {self.documents} document(s)"]
        if self.accepted_left:
            parts.append(f"{sum(self.accepted_left.values())} in {len(self.accepted_left)} accepted document(s) left as they are "
                         "(confirm to change them too)")
        if self.overlapping:
            parts.append(f"{len(self.overlapping)} inside or across another entity left alone")
        if self.misaligned:
            parts.append(f"{len(self.misaligned)} not on token boundaries left alone")
        return "; ".join(parts)


# ---- the view ---------------------------------------------------------------------------------
def consistency(corpus: Corpus, min_count: int = 1, scan_docs: int = SCAN_DOCS, everything: bool = False) -> list[Group]:
    """The groups, most inconsistent first; `everything` keeps consistent groups too."""
    forms: dict[str, Counter] = defaultdict(Counter)  # surface -> label -> entities
    docs: dict[tuple[str, str], int] = {}
    # entity_forms is spans GROUP BY surface, label, kept by triggers (see migration 0010)
    for surface, label, n, n_docs in corpus.db.execute("SELECT surface, label, spans, docs FROM entity_forms"):
        forms[surface][label] += n
        docs[surface, label] = n_docs
    by_key: dict[str, list[str]] = defaultdict(list)
    for surface in forms:
        k = key(surface)
        if k:
            by_key[k].append(surface)
    groups = []
    for keys in variant_groups(by_key):
        surfaces = [s for k in keys for s in by_key[k]]
        entities = sum(forms[s].total() for s in surfaces)
        if entities < min_count:
            continue
        groups.append(_group(corpus, keys, surfaces, forms, docs))
    _count_unlabelled_sampled(corpus, groups, scan_docs)
    if not everything:
        groups = [g for g in groups if g.inconsistency > 0]
    groups.sort(key=lambda g: (-g.inconsistency, -g.entities, g.key))
    return groups


def _group(corpus: Corpus, keys: list[str], surfaces: list[str], forms: dict, docs: dict) -> Group:
    labels: Counter = Counter()
    per_form: Counter = Counter()
    for s in surfaces:
        labels.update(forms[s])
        per_form[s] = forms[s].total()
    summed = {label: sum(docs.get((s, label), 0) for s in surfaces) for label in labels}
    if len(surfaces) == 1 or sum(summed.values()) > EXACT_DOCS:
        # an article holding two spellings counts twice here: an upper bound, exact for one spelling
        label_docs = summed
    else:  # one article may hold two spellings: count its documents once
        marks = ",".join("?" for _ in surfaces)
        label_docs = dict(corpus.db.execute(
            f"SELECT label, count(DISTINCT doc_id) FROM spans WHERE surface IN ({marks}) GROUP BY label", surfaces
        ).fetchall())
    ordered_forms = dict(sorted(per_form.items(), key=lambda kv: (-kv[1], kv[0])))
    name = core(next(iter(ordered_forms))) or next(iter(ordered_forms))
    return Group(
        name=name,
        key=min(keys, key=lambda k: (-sum(per_form[s] for s in surfaces if key(s) == k), k)),
        forms=ordered_forms,
        labels=dict(sorted(labels.items(), key=lambda kv: (-kv[1], kv[0]))),
        label_docs=label_docs,
        entities=labels.total(),
    )


def find_group(corpus: Corpus, name: str, count: bool = True) -> Group:
    """The group a name belongs to (any of its spellings); `count`: its unlabelled occurrences counted
    in every article (a fix finds them itself: pass False)."""
    k = key(name)
    for group in consistency(corpus, scan_docs=0, everything=True):
        if group.key == k or k in {key(f) for f in group.forms}:
            if count:
                _count_unlabelled(corpus, group, None)
            return group
    raise EditError(f"no entity in the corpus is {name!r}")


# ---- occurrences ------------------------------------------------------------------------------
class _Finder:
    """Whole-word, exact-case occurrences of a few texts; longest first where two start together.

    str.find, then a look at the characters on either side: several times faster than one
    regular expression with look-arounds, which Python cannot start with a literal search.
    """

    def __init__(self, cores: list[str]):
        self.cores = cores

    def finditer(self, text: str):
        hits = []
        for c in self.cores:
            pos = text.find(c)
            while pos >= 0:
                end = pos + len(c)
                if (pos == 0 or not _word(text[pos - 1])) and (end == len(text) or not _word(text[end])):
                    hits.append((pos, end))
                pos = text.find(c, pos + 1)
        hits.sort(key=lambda h: (h[0], -h[1]))
        last = -1
        for start, end in hits:
            if start >= last:
                yield start, end
                last = end


def _word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _pattern(cores: list[str]) -> _Finder | None:
    return _Finder(cores) if cores else None


def candidate_docs(corpus: Corpus, group: Group, limit: int | None = None) -> list[int]:
    """Articles holding the words of one of the group's texts (the search index), or holding one of its entities."""
    query = fts_any_of(group.cores)
    ids: set[int] = set()
    if query:
        sql = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid" + (" LIMIT ?" if limit else "")
        ids.update(r[0] for r in corpus.db.execute(sql, [query] + ([limit] if limit else [])))
    group.candidate_docs = len(ids) if not limit or len(ids) < limit else _fts_count(corpus, query)
    return sorted(ids)


def _fts_count(corpus: Corpus, query: str | None) -> int:
    if not query:
        return 0
    return corpus.db.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH ?", [query]).fetchone()[0]


def occurrence_docs(corpus: Corpus, group: Group) -> list[int]:
    """The articles that may hold the group's name: the search index's candidates and those with its entities.
    (To read occurrences a few articles at a time: occurrences(corpus, group, a slice of these).)"""
    docs = set(candidate_docs(corpus, group))
    forms = list(group.forms)
    marks = ",".join("?" for _ in forms)
    docs.update(r[0] for r in corpus.db.execute(f"SELECT DISTINCT doc_id FROM spans WHERE surface IN ({marks})", forms))
    return sorted(docs)


def occurrences(corpus: Corpus, group: Group, doc_ids: list[int] | None = None) -> list[Occurrence]:
    """Every occurrence of the group's name: its entities (any text of the group) and the same
    text with no entity, in document and text order. `doc_ids` restricts the search."""
    forms = set(group.forms)
    pattern = _pattern(group.cores)
    if doc_ids is None:
        doc_ids = occurrence_docs(corpus, group)
    out: list[Occurrence] = []
    form_list = list(forms)
    form_marks = ",".join("?" for _ in form_list)
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        marks = ",".join("?" for _ in chunk)
        own: dict[int, list] = defaultdict(list)  # the group's entities; others are looked up only where a match falls
        for row in corpus.db.execute(
            f"SELECT doc_id, id, start, end, label, surface FROM spans WHERE surface IN ({form_marks}) AND doc_id IN ({marks}) "
            "ORDER BY doc_id, start", form_list + chunk
        ):
            own[row[0]].append(row[1:])
        for doc_id, text, status in corpus.db.execute(f"SELECT id, text, status FROM documents WHERE id IN ({marks}) ORDER BY id", chunk):
            out += _in_document(corpus, doc_id, text, status, own[doc_id], forms, pattern)
    return out


def _in_document(corpus: Corpus, doc_id, text, status, own, forms: set[str], pattern) -> list[Occurrence]:
    found = [Occurrence(doc_id, s, e, surface, status, label, sid) for sid, s, e, label, surface in own]
    if pattern is not None:
        starts = [s[1] for s in own]
        for start, end in pattern.finditer(text):
            if _overlapping(own, starts, start, end) is not None:
                continue  # inside one of the group's own entities ("Kyiv" in "Kyiv,"): that entity
            other = corpus.db.execute(  # entities never overlap: only the last one starting before `end` can
                "SELECT id, start, end, label, surface FROM spans WHERE doc_id = ? AND start < ? ORDER BY start DESC LIMIT 1",
                [doc_id, end],
            ).fetchone()
            if other is None or other[2] <= start:
                found.append(Occurrence(doc_id, start, end, text[start:end], status))
            else:
                found.append(Occurrence(doc_id, start, end, text[start:end], status, overlaps=(other[1], other[2], other[3])))
    found.sort(key=lambda o: (o.start, o.end))
    return found


def _overlapping(spans, starts, start: int, end: int):
    # entities never overlap one another, so only the last one starting before `end` can reach past `start`
    i = bisect.bisect_left(starts, end)
    if i and spans[i - 1][2] > start:
        return spans[i - 1]
    return None


def _count_unlabelled_sampled(corpus: Corpus, groups: list[Group], scan_docs: int) -> None:
    """The summary's count: the first `scan_docs` candidate articles of each group, each article read once
    for all the groups that need it (the same articles mention many names)."""
    if scan_docs == 0:
        for group in groups:
            group.complete = False
        return
    wanted: dict[int, list[Group]] = defaultdict(list)
    for group in groups:
        query = fts_any_of(group.cores)
        ids = [r[0] for r in corpus.db.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid LIMIT ?", [query, scan_docs + 1]
        )] if query else []
        group.complete = len(ids) <= scan_docs
        group.candidate_docs = len(ids[:scan_docs])  # at least; all of them when complete
        group.scanned_docs = len(ids[:scan_docs])
        group.unlabelled = group.unlabelled_docs = group.overlapping = 0
        for doc_id in ids[:scan_docs]:
            wanted[doc_id].append(group)
    patterns = {id(g): _pattern(g.cores) for g in groups}
    forms = {id(g): set(g.forms) for g in groups}
    doc_ids = sorted(wanted)
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        marks = ",".join("?" for _ in chunk)
        spans: dict[int, list] = defaultdict(list)
        for row in corpus.db.execute(
            f"SELECT doc_id, id, start, end, label, surface FROM spans WHERE doc_id IN ({marks}) ORDER BY doc_id, start", chunk
        ):
            spans[row[0]].append(row[1:])
        for doc_id, text in corpus.db.execute(f"SELECT id, text FROM documents WHERE id IN ({marks})", chunk):
            rows = spans[doc_id]
            starts = [r[1] for r in rows]
            for group in wanted[doc_id]:
                free = inside = 0
                for start, end in patterns[id(group)].finditer(text):
                    other = _overlapping(rows, starts, start, end)
                    if other is None:
                        free += 1
                    elif other[4] not in forms[id(group)]:
                        inside += 1
                group.unlabelled += free
                group.unlabelled_docs += free > 0
                group.overlapping += inside


def _count_unlabelled(corpus: Corpus, group: Group, scan_docs: int | None) -> None:
    if scan_docs == 0:
        group.complete = False
        return
    docs = candidate_docs(corpus, group, limit=scan_docs)
    found = occurrences(corpus, group, docs)
    free = [o for o in found if o.label is None and o.overlaps is None]
    group.unlabelled = len(free)
    group.unlabelled_docs = len({o.doc_id for o in free})
    group.overlapping = sum(1 for o in found if o.overlaps is not None)
    group.scanned_docs = len(docs)
    group.complete = group.scanned_docs >= group.candidate_docs


# ---- fixing -----------------------------------------------------------------------------------
def plan_label_all(corpus: Corpus, group: Group, label: str, include_accepted: bool = False,
                   doc_ids: list[int] | None = None) -> FixPlan:
    """Give every occurrence of the group's name the label, as one Change (see the module's rule)."""
    _check_label(corpus, label)
    found = occurrences(corpus, group, doc_ids)
    return _plan(corpus, found, label, include_accepted, f"label all {group.name!r} as {label}")


def plan_label_all_in_document(corpus: Corpus, span_id: int) -> FixPlan:
    """The entity's label on every other occurrence of its name in its article (adding and relabelling)."""
    span = corpus.span(span_id)
    text = corpus.text(span.doc_id)
    surface = text[span.start : span.end]
    k = key(surface)
    same = {r[0]: r[1] for r in corpus.db.execute("SELECT surface, count(*) FROM spans WHERE doc_id = ? GROUP BY surface", [span.doc_id])}
    forms = {s: n for s, n in same.items() if s and key(s) == k} or {surface: 1}
    group = Group(name=core(surface) or surface, key=k, forms=forms, labels={span.label: 1}, label_docs={}, entities=1)
    found = occurrences(corpus, group, [span.doc_id])
    return _plan(corpus, found, span.label, True, f"label every {group.name!r} in this article as {span.label}")


def _plan(corpus: Corpus, found: list[Occurrence], label: str, include_accepted: bool, action: str) -> FixPlan:
    plan = FixPlan(None, label)
    ops: list[Op] = []
    touched: dict[int, str] = {}
    next_id = corpus.next_id("spans")
    lang = corpus.meta("lang", "en") or "en"
    texts: dict[int, str] = {}
    for occ in found:
        if occ.overlaps is not None:
            plan.overlapping.append(occ)
            continue
        if occ.label == label:
            continue
        if occ.status == ACCEPTED and not include_accepted:
            plan.accepted_left[occ.doc_id] = plan.accepted_left.get(occ.doc_id, 0) + 1
            continue
        if occ.span_id is not None:
            row = corpus.db.execute("SELECT id, doc_id, start, end, label, origin, actor_id FROM spans WHERE id = ?",
                                    [occ.span_id]).fetchone()
            before = span_row(row)
            ops.append(Op("spans", before, dict(before, label=label, origin=ANNOTATOR_ORIGIN)))
            plan.relabelled += 1
        else:
            if occ.doc_id not in texts:
                texts[occ.doc_id] = corpus.text(occ.doc_id)
            if snap_to_tokens(texts[occ.doc_id], occ.start, occ.end, lang) != (occ.start, occ.end):
                plan.misaligned.append(occ)
                continue
            ops.append(Op("spans", None, {"id": next_id, "doc_id": occ.doc_id, "start": occ.start, "end": occ.end,
                                          "label": label, "origin": ANNOTATOR_ORIGIN}))
            next_id += 1
            plan.added += 1
        touched[occ.doc_id] = occ.status
    for doc_id, status in touched.items():
        if status == NEW:
            ops.append(Op("documents", {"id": doc_id, "status": NEW}, {"id": doc_id, "status": IN_PROGRESS}))
    plan.documents = len(touched)
    if ops:
        only = next(iter(touched)) if len(touched) == 1 else None
        plan.change = Change(f"{action}: {plan.relabelled + plan.added} change(s) in {plan.documents} document(s)", only, tuple(ops))
    return plan
