"""Label scheme edits, planned as Changes: add, rename (spans follow by ON UPDATE CASCADE), recolour,
re-key, hide, move; a rename plus a recolour is one row op, so one transaction and one undo step."""

from __future__ import annotations

from annotator.core.scheme import colour_for_new_label
from annotator.session.changes import Change, EditError, Op


def plan_rename_label(corpus, old: str, new: str) -> Change:
    new = new.strip()
    if not new:
        raise EditError("a label needs a name")
    if any(lb.name == new for lb in corpus.labels()):
        raise EditError(f"a label named {new} exists already")
    row = _label_row(corpus, old)
    # spans follow through ON UPDATE CASCADE, so the rename is one row op
    return Change(f"rename label {old} → {new}", None, (Op("labels", row, dict(row, name=new)),))


def plan_update_label(corpus, name: str, /, **fields) -> Change:
    """Change a label's name, colour, key, hidden flag or position: one row op, so a rename plus a
    recolour is one transaction and one undo step (spans follow a rename by ON UPDATE CASCADE)."""
    row = _label_row(corpus, name)
    unknown = set(fields) - {"name", "color", "key", "hidden", "position"}
    if unknown:
        raise ValueError(f"unknown label fields {unknown}")
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise EditError("a label needs a name")
        if fields["name"] != name and any(lb.name == fields["name"] for lb in corpus.labels()):
            raise EditError(f"a label named {fields['name']} exists already")
    if fields.get("key"):
        taken = [lb.name for lb in corpus.labels() if lb.key == fields["key"] and lb.name != name]
        if taken:
            raise EditError(f"key {fields['key']!r} is already used by {taken[0]}")
    after = dict(row, **{k: int(v) if k == "hidden" else v for k, v in fields.items()})
    if after == row:
        raise EditError("nothing to change")
    new = after["name"]
    action = f"rename label {name} → {new}" if new != name and len(fields) == 1 else f"change label {name}"
    return Change(action, None, (Op("labels", row, after),))


def plan_add_label(corpus, name: str, color: str | None = None, key: str = "") -> Change:
    name = name.strip()
    if not name:
        raise EditError("a label needs a name")
    labels = corpus.labels()
    if any(lb.name == name for lb in labels):
        raise EditError(f"a label named {name} exists already")
    if key and any(lb.key == key for lb in labels):
        raise EditError(f"key {key!r} is already used")
    row = {"name": name, "color": color or colour_for_new_label([lb.color for lb in labels]), "key": key, "hidden": 0,
           "position": max((lb.position for lb in labels), default=-1) + 1}
    return Change(f"add label {name}", None, (Op("labels", None, row),))


def _label_row(corpus, name: str) -> dict:
    row = corpus.db.execute("SELECT name, color, key, hidden, position FROM labels WHERE name = ?", [name]).fetchone()
    if row is None:
        raise EditError(f"unknown label {name!r}")
    return dict(zip(("name", "color", "key", "hidden", "position"), row))
