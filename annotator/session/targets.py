"""Stance targets (and values) taken from a file or from another corpus, as one undoable Change.

A new corpus starts with no targets (migration 0007); the seed articles bring their own on the
first-run seed import. A file holds one target per line (blank lines and `#` comments skipped),
or JSON: a list of names, or {"targets": [...], "values": [...]} (each item a name or an
object with "name"). Names already in the corpus are left alone and counted; nothing is
written when the file is bad, and the message names the file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import BadInput
from annotator.core.scheme import DEFAULT_STANCE_TARGETS
from annotator.session.changes import Change, Op
from annotator.session.corpus import Corpus, EditError


class TargetsFileError(BadInput):
    """A targets file that cannot be read; the message names the file and line."""


@dataclass
class Scheme:
    targets: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class TargetsReport:
    added_targets: list[str] = field(default_factory=list)
    added_values: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)  # already in the corpus: left as they are
    duplicates: int = 0  # the same name twice in the source
    source: str = ""

    def describe(self) -> str:
        parts = [f"{len(self.added_targets)} target{'s' if len(self.added_targets) != 1 else ''} added"]
        if self.added_values:
            parts.append(f"{len(self.added_values)} value{'s' if len(self.added_values) != 1 else ''} added")
        if self.existing:
            parts.append(f"{len(self.existing)} already there ({', '.join(self.existing[:5])}{' …' if len(self.existing) > 5 else ''})")
        if self.duplicates:
            parts.append(f"{self.duplicates} repeated in the source, taken once")
        return f"{self.source}: " + ", ".join(parts)


def read_scheme_file(path: str | Path) -> Scheme:
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetsFileError(f"{path}: cannot read the file: {exc}") from exc
    stripped = raw.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise TargetsFileError(f"{path}, line {exc.lineno}: not valid JSON: {exc.msg}") from exc
        if isinstance(data, list):
            return Scheme(_names(data, path, "the list"), [], str(path))
        if isinstance(data, dict):
            if "targets" not in data and "values" not in data:
                raise TargetsFileError(f"{path}: a JSON object needs a \"targets\" list (and may have \"values\")")
            return Scheme(_names(data.get("targets", []), path, "\"targets\""),
                          _names(data.get("values", []), path, "\"values\""), str(path))
        raise TargetsFileError(f"{path}: expected a JSON list of targets or an object with \"targets\"")
    names = []
    for line in raw.splitlines():
        name = line.strip()
        if name and not name.startswith("#"):
            names.append(" ".join(name.split()))
    if not names:
        raise TargetsFileError(f"{path}: no targets in the file (one per line, or JSON)")
    return Scheme(names, [], str(path))


def _names(items, path: Path, where: str) -> list[str]:
    if not isinstance(items, list):
        raise TargetsFileError(f"{path}: {where} must be a list")
    out = []
    for i, item in enumerate(items, 1):
        if isinstance(item, dict):
            item = item.get("name")
        if not isinstance(item, str) or not item.strip():
            raise TargetsFileError(f"{path}: item {i} of {where} is not a name: {item!r}")
        out.append(" ".join(item.split()))
    return out


def read_scheme_db(path: str | Path) -> Scheme:
    """The targets (hidden ones too) and values of another corpus, read without locking or changing it."""
    path = Path(path)
    if not path.exists():
        raise TargetsFileError(f"no database at {path}")
    with Corpus(path, read_only=True) as other:
        return Scheme(other.stance_targets(include_hidden=True), other.stance_values(), str(path))


def plan_take_scheme(corpus: Corpus, scheme: Scheme) -> tuple[Change, TargetsReport]:
    """Add the scheme's targets and values the corpus lacks, in its order, as one Change."""
    report = TargetsReport(source=scheme.source)
    have_t = set(corpus.stance_targets(include_hidden=True))
    have_v = set(corpus.stance_values())
    pos_t = corpus.db.execute("SELECT coalesce(max(position), -1) + 1 FROM stance_targets").fetchone()[0]
    pos_v = corpus.db.execute("SELECT coalesce(max(position), -1) + 1 FROM stance_values").fetchone()[0]
    ops: list[Op] = []
    seen: set[str] = set()
    for name in scheme.targets:
        if name in seen:
            report.duplicates += 1
            continue
        seen.add(name)
        if name in have_t:
            report.existing.append(name)
            continue
        ops.append(Op("stance_targets", None, {"name": name, "hidden": 0, "position": pos_t}))
        pos_t += 1
        report.added_targets.append(name)
    for name in dict.fromkeys(scheme.values):
        if name in have_v:
            continue
        ops.append(Op("stance_values", None, {"name": name, "position": pos_v}))
        pos_v += 1
        report.added_values.append(name)
    if not ops:
        raise EditError(f"{scheme.source}: nothing to add, the corpus has all {len(seen)} of its targets already")
    return Change(f"take stance targets from {Path(scheme.source).name}", None, tuple(ops)), report


def take_targets(corpus: Corpus, source: str | Path, from_db: bool = False) -> TargetsReport:
    scheme = read_scheme_db(source) if from_db else read_scheme_file(source)
    change, report = plan_take_scheme(corpus, scheme)
    corpus.apply(change)
    return report


def give_seed_targets(corpus: Corpus) -> TargetsReport | None:
    """The seed articles' targets, on their first-run import into a corpus that has none."""
    if corpus.stance_targets(include_hidden=True):
        return None
    change, report = plan_take_scheme(corpus, Scheme(list(DEFAULT_STANCE_TARGETS), [], "the seed articles"))
    corpus.commit(change, "import")  # part of the import: in the history, not a step to undo
    return report
