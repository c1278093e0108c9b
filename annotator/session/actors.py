"""Actors: who a mention is, so that stances can be counted by who holds them.

An actor has a name, a kind (person, organisation, country, other), aliases and an optional
external id (a Wikidata QID the analyst types). Entities link to an actor (spans.actor_id);
a stance's holder is an actor (stances.holder_actor_id), copied from its holder entity's link.

The app proposes actors from the consistency groups (annotator.core.surface: the same name in
its spellings), joining a lone surname to the one full name it ends ("Zelensky" and "Volodymyr
Zelensky"); the analyst confirms, merges or splits them. Every edit is a `plan_*` function
returning a Change (one transaction, one undo step), as for entities and stances.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from annotator.core.model import ACTOR_KINDS, Actor
from annotator.core.surface import are_variants, core, key
from annotator.session.changes import Change, EditError, Op
from annotator.session.consistency import Group, consistency
from annotator.session.corpus import Corpus
from annotator.session.entities import SPAN_COLS, span_row

# the entity labels that name an actor, and the kind an actor proposed from each gets
KIND_OF_LABEL = {"PERSON": "person", "ORG": "organisation", "GPE": "country", "NORP": "other", "LOC": "other", "FAC": "other"}
ACTOR_COLS = ("id", "name", "kind", "aliases", "external_id", "note")


@dataclass
class ActorRow:
    actor: Actor
    mentions: int
    documents: int
    stances: int

    def to_json(self) -> dict:
        a = self.actor
        return {"id": a.id, "name": a.name, "kind": a.kind, "aliases": list(a.aliases), "external_id": a.external_id,
                "kb_id": a.kb_id, "mentions": self.mentions, "documents": self.documents, "stances": self.stances}


@dataclass
class Proposal:
    """An actor the mentions suggest: confirm it (plan_confirm) to create it and link them."""

    name: str
    kind: str
    forms: dict[str, int]  # entity texts -> entities not yet linked
    labels: dict[str, int]
    actor_id: int | None = None  # an existing actor with this name or alias: confirming links to it
    keys: list[str] = field(default_factory=list)

    @property
    def mentions(self) -> int:
        return sum(self.forms.values())

    def to_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "mentions": self.mentions, "forms": self.forms, "labels": self.labels,
                "existing_actor": self.actor_id}


# ---- reading ----------------------------------------------------------------------------------
def get_actor(corpus: Corpus, actor_id: int) -> Actor:
    row = corpus.db.execute(f"SELECT {', '.join(ACTOR_COLS)} FROM actors WHERE id = ?", [actor_id]).fetchone()
    if row is None:
        raise EditError(f"actor {actor_id} does not exist")
    return _actor(row)


def actors(corpus: Corpus) -> list[ActorRow]:
    """Every actor with its mentions, the documents they are in and the stances it holds; most mentioned first."""
    rows = corpus.db.execute(
        f"""SELECT {', '.join('a.' + c for c in ACTOR_COLS)},
               (SELECT count(*) FROM spans s WHERE s.actor_id = a.id),
               (SELECT count(DISTINCT doc_id) FROM spans s WHERE s.actor_id = a.id),
               (SELECT count(*) FROM stances t WHERE t.holder_actor_id = a.id)
            FROM actors a"""
    ).fetchall()
    out = [ActorRow(_actor(r[:6]), r[6], r[7], r[8]) for r in rows]
    out.sort(key=lambda r: (-r.mentions, r.actor.name.casefold()))
    return out


def find_actor(corpus: Corpus, name: str) -> Actor | None:
    """The actor whose name or an alias is this name (after normalisation)."""
    k = key(name)
    for row in corpus.db.execute(f"SELECT {', '.join(ACTOR_COLS)} FROM actors ORDER BY id"):
        actor = _actor(row)
        if any(key(n) == k for n in (actor.name, *actor.aliases)):
            return actor
    return None


def proposals(corpus: Corpus, min_mentions: int = 1) -> list[Proposal]:
    """Actors suggested by entity mentions not linked yet, most mentions first."""
    unlinked = Counter(dict(corpus.db.execute(
        "SELECT surface, count(*) FROM spans WHERE actor_id IS NULL AND surface IS NOT NULL GROUP BY surface")))
    groups = [g for g in consistency(corpus, scan_docs=0, everything=True) if g.majority in KIND_OF_LABEL]
    joined = _join_surnames(groups)
    known = {key(n): a.id for a in (r.actor for r in actors(corpus)) for n in (a.name, *a.aliases)}
    out = []
    for members in joined:
        forms = {f: unlinked[f] for g in members for f in g.forms if unlinked[f]}
        if sum(forms.values()) < min_mentions or not forms:
            continue
        labels: Counter = Counter()
        for g in members:
            labels.update(g.labels)
        main = max(members, key=lambda g: (len(g.key.split()), g.entities))
        keys = [g.key for g in members]
        out.append(Proposal(
            name=main.name, kind=KIND_OF_LABEL.get(labels.most_common(1)[0][0], "other"),
            forms=dict(sorted(forms.items(), key=lambda kv: (-kv[1], kv[0]))), labels=dict(labels.most_common()),
            actor_id=next((known[k] for k in keys if k in known), None), keys=keys,
        ))
    out.sort(key=lambda p: (-p.mentions, p.name))
    return out


def _join_surnames(groups: list[Group]) -> list[list[Group]]:
    """A one-word PERSON name joins the one full PERSON name that ends with it (a spelling variant counts)."""
    people = [g for g in groups if "PERSON" in g.labels]
    # "Zelensky Zelensky" (a span across a line break) is no full name
    full = [g for g in people if g.majority == "PERSON" and len(set(g.key.split())) > 1]
    joined: dict[int, list[Group]] = {id(g): [g] for g in groups}
    for g in people:
        if len(g.key.split()) != 1:
            continue
        ends = [f for f in full if are_variants(f.key.split()[-1], g.key)]
        if len(ends) == 1 and id(g) in joined:
            joined[id(ends[0])] += joined.pop(id(g))
    return list(joined.values())


# ---- planning ---------------------------------------------------------------------------------
def plan_create_actor(corpus: Corpus, name: str, kind: str = "other", aliases=(), external_id: str = "", note: str = "") -> Change:
    row = _checked(corpus, {"id": corpus_next_actor_id(corpus), "name": name, "kind": kind, "aliases": aliases,
                            "external_id": external_id, "note": note})
    return Change(f"add actor {row['name']!r}", None, (Op("actors", None, row),))


def plan_update_actor(corpus: Corpus, actor_id: int, **fields) -> Change:
    unknown = set(fields) - {"name", "kind", "aliases", "external_id", "note"}
    if unknown:
        raise ValueError(f"unknown actor fields {sorted(unknown)}")
    before = _row(corpus, actor_id)
    after = _checked(corpus, {**before, "aliases": json.loads(before["aliases"]), **fields})
    if after == before:
        raise EditError("nothing to change in this actor")
    return Change(f"change actor {after['name']!r}", None, (Op("actors", before, after),))


def plan_link(corpus: Corpus, span_ids: list[int], actor_id: int | None) -> Change:
    """Link entities to an actor (None: unlink them); stances they hold follow."""
    if actor_id is not None:
        get_actor(corpus, actor_id)
    ops = _link_ops(corpus, span_ids, actor_id)
    if not ops:
        raise EditError("those entities are linked that way already")
    what = "unlink" if actor_id is None else f"link to {get_actor(corpus, actor_id).name!r}"
    docs = {op.after["doc_id"] for op in ops if op.table == "spans"}
    return Change(f"{what}: {sum(op.table == 'spans' for op in ops)} mention(s)", next(iter(docs)) if len(docs) == 1 else None, tuple(ops))


def plan_link_forms(corpus: Corpus, forms, actor_id: int, relink: bool = False) -> Change:
    """Link every entity whose text is one of `forms` (a group's, in bulk); `relink` also moves ones linked elsewhere."""
    return plan_link(corpus, _spans_with(corpus, list(forms), None if relink else "unlinked"), actor_id)


def plan_confirm(corpus: Corpus, proposal: Proposal, name: str | None = None, kind: str | None = None,
                 external_id: str = "") -> Change:
    """Create the proposed actor (or take the existing one it matched) and link its unlinked mentions, as one Change."""
    ops: list[Op] = []
    actor_id = proposal.actor_id
    name = (name or proposal.name).strip()
    if actor_id is None:
        aliases = sorted({core(f) for f in proposal.forms} - {name, ""})
        row = _checked(corpus, {"id": corpus_next_actor_id(corpus), "name": name, "kind": kind or proposal.kind,
                                "aliases": aliases, "external_id": external_id, "note": ""})
        ops.append(Op("actors", None, row))
        actor_id = row["id"]
    ops += _link_ops(corpus, _spans_with(corpus, list(proposal.forms), "unlinked"), actor_id)
    return Change(f"confirm actor {name!r}: {sum(op.table == 'spans' for op in ops)} mention(s) linked", None, tuple(ops))


def plan_merge_actors(corpus: Corpus, source_id: int, into_id: int) -> Change:
    """Move every mention and stance of `source` to `into`, keep its names as aliases, remove it."""
    if source_id == into_id:
        raise EditError("an actor cannot be merged into itself")
    src, into = _row(corpus, source_id), _row(corpus, into_id)
    aliases = json.loads(into["aliases"])
    for n in (src["name"], *json.loads(src["aliases"])):
        if n != into["name"] and n not in aliases:
            aliases.append(n)
    ops = _link_ops(corpus, _spans_with(corpus, None, source_id), into_id)
    ops += _holder_ops(corpus, source_id, into_id, ops)
    ops.append(Op("actors", into, dict(into, aliases=json.dumps(aliases, ensure_ascii=False))))
    ops.append(Op("actors", src, None))
    return Change(f"merge actor {src['name']!r} into {into['name']!r}", None, tuple(ops))


def plan_split_actor(corpus: Corpus, actor_id: int, forms, name: str, kind: str | None = None, external_id: str = "") -> Change:
    """A new actor takes the mentions of `actor_id` written as one of `forms` (any spelling of them), and those aliases."""
    src = _row(corpus, actor_id)
    keys = {key(f) for f in forms}
    moving = [r for r in corpus.db.execute("SELECT id, surface FROM spans WHERE actor_id = ?", [actor_id]) if key(r[1] or "") in keys]
    if not moving:
        raise EditError(f"no mention of {src['name']!r} is written {', '.join(map(repr, forms))}")
    aliases = json.loads(src["aliases"])
    new_row = _checked(corpus, {"id": corpus_next_actor_id(corpus), "name": name, "kind": kind or src["kind"],
                                "aliases": sorted({a for a in aliases if key(a) in keys} - {name}),
                                "external_id": external_id, "note": ""})
    ops = [Op("actors", None, new_row)]
    kept = [a for a in aliases if key(a) not in keys]
    if kept != aliases:
        ops.append(Op("actors", src, dict(src, aliases=json.dumps(kept, ensure_ascii=False))))
    ops += _link_ops(corpus, [r[0] for r in moving], new_row["id"])
    return Change(f"split {len(moving)} mention(s) of {src['name']!r} into {name!r}", None, tuple(ops))


def plan_delete_actor(corpus: Corpus, actor_id: int) -> Change:
    """Unlink its mentions and stances and remove it (undo brings all back)."""
    row = _row(corpus, actor_id)
    ops = _link_ops(corpus, _spans_with(corpus, None, actor_id), None)
    ops += _holder_ops(corpus, actor_id, None, ops)
    ops.append(Op("actors", row, None))
    return Change(f"delete actor {row['name']!r}", None, tuple(ops))


# ---- statistics -------------------------------------------------------------------------------
def stances_by_actor(corpus: Corpus) -> dict[str, dict[str, int]]:
    """Stance values counted per holder actor (name); stances whose holder is no actor are left out."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for name, value, n in corpus.db.execute(
        "SELECT a.name, t.value, count(*) FROM stances t JOIN actors a ON a.id = t.holder_actor_id GROUP BY a.id, t.value"
    ):
        out[name][value] = n
    return dict(sorted(out.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])))


# ---- helpers ----------------------------------------------------------------------------------
def corpus_next_actor_id(corpus: Corpus) -> int:
    return corpus.next_id("actors")


def _actor(row) -> Actor:
    return Actor(row[0], row[1], row[2], tuple(json.loads(row[3] or "[]")), row[4], row[5])


def _row(corpus: Corpus, actor_id: int) -> dict:
    row = corpus.db.execute(f"SELECT {', '.join(ACTOR_COLS)} FROM actors WHERE id = ?", [actor_id]).fetchone()
    if row is None:
        raise EditError(f"actor {actor_id} does not exist")
    return dict(zip(ACTOR_COLS, row))


def _checked(corpus: Corpus, row: dict) -> dict:
    name = " ".join((row.get("name") or "").split())
    if not name:
        raise EditError("an actor needs a name")
    if row.get("kind") not in ACTOR_KINDS:
        raise EditError(f"unknown actor kind {row.get('kind')!r}: choose one of {', '.join(ACTOR_KINDS)}")
    aliases = row.get("aliases") or []
    if isinstance(aliases, str):
        aliases = json.loads(aliases)
    aliases = list(dict.fromkeys(" ".join(a.split()) for a in aliases if a and a.strip() and a.strip() != name))
    external = (row.get("external_id") or "").strip()
    same = corpus.db.execute("SELECT id FROM actors WHERE name = ? COLLATE NOCASE AND external_id = ? AND id != ?",
                             [name, external, row["id"]]).fetchone()
    if same:
        raise EditError(f"an actor named {name!r} exists already (actor {same[0]}); give an external id to tell them apart")
    return {"id": row["id"], "name": name, "kind": row["kind"], "aliases": json.dumps(aliases, ensure_ascii=False),
            "external_id": external, "note": (row.get("note") or "").strip()}


def _spans_with(corpus: Corpus, forms: list[str] | None, actor) -> list[int]:
    if forms is None:
        return [r[0] for r in corpus.db.execute("SELECT id FROM spans WHERE actor_id = ? ORDER BY id", [actor])]
    out: list[int] = []
    for i in range(0, len(forms), 500):
        chunk = forms[i : i + 500]
        marks = ",".join("?" for _ in chunk)
        extra = " AND actor_id IS NULL" if actor == "unlinked" else ""
        out += [r[0] for r in corpus.db.execute(f"SELECT id FROM spans WHERE surface IN ({marks}){extra} ORDER BY id", chunk)]
    return out


def _holder_ops(corpus: Corpus, actor_id: int, new_id: int | None, done: list[Op]) -> list[Op]:
    """Stances still held by `actor_id` once `done` has run (those whose holder entity moved are in it)."""
    moved = {op.before["id"] for op in done if op.table == "stances"}
    rows = corpus.stance_rows("holder_actor_id = ?", [actor_id])
    return [Op("stances", r, dict(r, holder_actor_id=new_id)) for r in rows if r["id"] not in moved]


def _link_ops(corpus: Corpus, span_ids: list[int], actor_id: int | None) -> list[Op]:
    ops: list[Op] = []
    changed: dict[int, int | None] = {}  # span id -> its previous actor
    for i in range(0, len(span_ids), 500):
        chunk = span_ids[i : i + 500]
        marks = ",".join("?" for _ in chunk)
        for row in corpus.db.execute(f"SELECT {SPAN_COLS} FROM spans WHERE id IN ({marks}) ORDER BY id", chunk):
            before = span_row(row)
            if before["actor_id"] != actor_id:
                ops.append(Op("spans", before, dict(before, actor_id=actor_id)))
                changed[before["id"]] = before["actor_id"]
    ids = list(changed)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" for _ in chunk)
        for rec in corpus.stance_rows(f"holder_span_id IN ({marks})", chunk):
            # the holder follows its entity, unless the analyst had set another actor on the stance
            if rec["holder_actor_id"] in (None, changed[rec["holder_span_id"]]) and rec["holder_actor_id"] != actor_id:
                ops.append(Op("stances", rec, dict(rec, holder_actor_id=actor_id)))
    return ops
