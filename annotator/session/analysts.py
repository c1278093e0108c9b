"""Several analysts' corpora opened side by side, read-only, and matched document by document.

Agreement and review both start here. Each corpus is opened read-only (nothing is ever written
to an analyst's file) after checking that no window has it open for editing: figures over a
corpus someone is still changing would not be the figures of anything. Documents are matched
by the sha256 of their text; a document whose title and source match but whose text does not
is reported, not compared. Label schemes must agree once the user's mapping is applied.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import BadInput, Locked, NotFound
from annotator.core.model import ACCEPTED, STATUSES
from annotator.session.corpus import Corpus
from annotator.storage.lock import held_message, writer_of

ANY_STATUS = "any"


@dataclass
class Version:
    """One analyst's annotation of one document, labels already mapped."""

    annotator: str
    doc_id: int
    status: str
    ts: str
    spans: list[tuple[int, int, str]]
    stances: list[dict]


@dataclass
class MatchedDoc:
    sha256: str
    title: str
    text: str
    source: str
    meta: dict
    versions: dict[str, Version] = field(default_factory=dict)  # by annotator, in the order given


@dataclass
class Analyst:
    name: str
    path: Path
    corpus: Corpus
    labels: list[str]  # the scheme, mapped


@dataclass
class Matching:
    analysts: list[Analyst]
    docs: list[MatchedDoc]  # every document of any corpus, in first-seen order
    text_differs: list[dict]  # same title and source, different text: never compared
    mapping: dict[str, str]
    lang: str = "en"
    unused_mapping: list[str] = field(default_factory=list)  # --map entries whose label no corpus has

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.analysts]

    def close(self) -> None:
        for a in self.analysts:
            a.corpus.close()

    def __enter__(self) -> Matching:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def parse_mapping(items: Sequence[str]) -> dict[str, str]:
    """`--map OLD=NEW` options as a dict; a malformed one is refused by name."""
    mapping: dict[str, str] = {}
    for item in items:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise BadInput(f"--map {item!r}: write it as LABEL=OTHER_LABEL, e.g. --map MISC=ORG")
        mapping[old.strip()] = new.strip()
    return mapping


def check_statuses(status: str) -> str:
    if status != ANY_STATUS and status not in STATUSES:
        raise BadInput(f"unknown status {status!r}: use one of {', '.join(STATUSES)} or {ANY_STATUS}")
    return status


def open_analysts(
    paths: Sequence[str | Path], names: Sequence[str] = (), mapping: dict[str, str] | None = None, *, allow_open: bool = False
) -> Matching:
    """Open every corpus read-only and match their documents; clear errors for every mismatch."""
    mapping = mapping or {}
    paths = [Path(p) for p in paths]
    if len(paths) < 2:
        raise BadInput("give at least two analysts' corpora")
    if names and len(names) != len(paths):
        raise BadInput(f"{len(names)} --name for {len(paths)} corpora: give one name per corpus, in order")
    for p in paths:
        if not p.is_file():
            raise NotFound(f"no corpus database at {p}")
    resolved = [p.resolve() for p in paths]
    for i, p in enumerate(resolved):
        if p in resolved[:i]:
            raise BadInput(f"{paths[i]} is given twice")
    if not allow_open:
        for p in paths:
            holder = writer_of(p)
            if holder is not None:
                raise Locked(
                    f"{held_message(p, holder)}: the analyst may still be changing it. Close it there first "
                    "(or pass --allow-open to read what it holds now). Nothing was written to it."
                )
    analysts: list[Analyst] = []
    try:
        for i, p in enumerate(paths):
            corpus = Corpus(p, read_only=True)
            name = names[i] if names else (corpus.meta("annotator") or p.stem)
            analysts.append(Analyst(name, p, corpus, []))
        _check_names(analysts, bool(names))
        for a in analysts:
            a.labels = sorted({mapping.get(lb.name, lb.name) for lb in a.corpus.labels()})
        _check_labels(analysts, mapping)
        unused = _unused_mapping(analysts, mapping)
        docs, differs = _match(analysts, mapping)
        lang = analysts[0].corpus.meta("lang", "en") or "en"
    except BaseException:
        for a in analysts:
            a.corpus.close()
        raise
    return Matching(analysts, docs, differs, mapping, lang, unused)


def _unused_mapping(analysts: list[Analyst], mapping: dict[str, str]) -> list[str]:
    """The --map entries that change nothing: no corpus has their label, in its scheme or on an entity (a typo?)."""
    present: set[str] = set()
    for a in analysts:
        present |= {lb.name for lb in a.corpus.labels()}
        present |= {r[0] for r in a.corpus.db.execute("SELECT DISTINCT label FROM spans")}
    return [f"--map {old}={new}: no corpus has a label {old!r}, so this entry is not used (a typo?)"
            for old, new in mapping.items() if old not in present]


def _check_names(analysts: list[Analyst], given: bool) -> None:
    """Names must differ, and in more than case: 'Bob' and 'bob' are refused rather than compared as two people."""
    seen: dict[str, Analyst] = {}
    for a in analysts:
        if not a.name.strip():
            raise BadInput(f"{a.path}: an analyst needs a name (--name)")
        first = seen.get(a.name.casefold())
        if first is not None and first.name == a.name:
            how = "were given the same --name" if given else "are both marked as the work of"
            raise BadInput(
                f"{first.path} and {a.path} {how} {a.name!r}: one analyst's work cannot be compared with itself. "
                "If they are two people, name them apart with --name, one per corpus in order (e.g. --name alice --name bob)."
            )
        if first is not None:
            raise BadInput(
                f"{first.path} is the work of {first.name!r} and {a.path} of {a.name!r}: names that differ only in case "
                "may be one analyst twice. If they are two people, name them apart with --name, one per corpus in order "
                f"(e.g. --name {first.name} --name {a.name}2); nothing was compared."
            )
        seen[a.name.casefold()] = a


def _check_labels(analysts: list[Analyst], mapping: dict[str, str]) -> None:
    """Every label used in one corpus must be in every other's scheme, after the mapping."""
    used = {a.name: _used_labels(a, mapping) for a in analysts}
    missing = []
    for a in analysts:
        for b in analysts:
            if a is b:
                continue
            for lb, n in sorted(used[a.name].items()):
                if lb not in b.labels:
                    missing.append(f"{a.path.name} uses {lb} ({n} entities), which {b.path.name} does not have")
    if missing:
        raise BadInput(
            "the label schemes differ: " + "; ".join(missing[:6]) + (f" (and {len(missing) - 6} more)" if len(missing) > 6 else "")
            + ".\n" + scheme_table(analysts)
            + "\nGive --map LABEL=OTHER (repeatable) to count two labels as one, e.g. --map "
            + f"{missing[0].split(' uses ')[1].split(' ')[0]}=…"
        )


def _used_labels(a: Analyst, mapping: dict[str, str]) -> Counter:
    out: Counter = Counter()
    for label, n in a.corpus.db.execute("SELECT label, count(*) FROM spans GROUP BY label"):
        out[mapping.get(label, label)] += n
    return out


def scheme_table(analysts: list[Analyst]) -> str:
    """The label schemes side by side (mapped names), a row per label, for the mismatch message."""
    labels = sorted({lb for a in analysts for lb in a.labels})
    width = max([len(lb) for lb in labels] + [5])
    cols = [a.path.name for a in analysts]
    lines = ["label".ljust(width) + "  " + "  ".join(cols)]
    for lb in labels:
        lines.append(lb.ljust(width) + "  " + "  ".join(("yes" if lb in a.labels else "—").center(len(c)) for a, c in zip(analysts, cols)))
    return "\n".join(lines)


def _match(analysts: list[Analyst], mapping: dict[str, str]) -> tuple[list[MatchedDoc], list[dict]]:
    docs: dict[str, MatchedDoc] = {}
    by_key: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for a in analysts:
        db = a.corpus.db
        spans: dict[int, list] = defaultdict(list)
        for doc_id, s, e, lb in db.execute("SELECT doc_id, start, end, label FROM spans ORDER BY doc_id, start, end"):
            spans[doc_id].append((s, e, mapping.get(lb, lb)))
        stances: dict[int, list] = defaultdict(list)
        for row in db.execute(
            "SELECT doc_id, target, value, holder_text, holder_start, holder_end, ev_start, ev_end, note FROM stances ORDER BY doc_id, id"
        ):
            stances[row[0]].append(dict(zip(("target", "value", "holder_text", "holder_start", "holder_end", "ev_start", "ev_end", "note"), row[1:])))
        last_edit = dict(db.execute("SELECT doc_id, max(ts) FROM history WHERE doc_id IS NOT NULL GROUP BY doc_id"))
        for doc_id, sha, title, text, source, meta, status, updated in db.execute(
            "SELECT id, sha256, title, text, source, meta, status, updated_at FROM documents ORDER BY id"
        ):
            doc = docs.get(sha)
            if doc is None:
                doc = docs[sha] = MatchedDoc(sha, title, text, source, json.loads(meta or "{}"))
            doc.versions[a.name] = Version(a.name, doc_id, status, last_edit.get(doc_id) or updated, spans.get(doc_id, []), stances.get(doc_id, []))
            if title or source:
                by_key[(title, source)][sha].add(a.name)
    differs = []
    for (title, source), shas in by_key.items():
        if len(shas) > 1:
            differs.append({"title": title, "source": source, "versions": {sha: sorted(names) for sha, names in shas.items()}})
    return list(docs.values()), differs


def eligible(doc: MatchedDoc, status: str) -> bool:
    return status == ANY_STATUS or all(v.status == status for v in doc.versions.values())


def describe_differs(item: dict) -> str:
    groups = "; ".join(f"{', '.join(names)} have text {sha[:8]}" for sha, names in item["versions"].items())
    return f"{item['title'] or item['source']!r}: the text differs between corpora ({groups}): not compared"


__all__ = ["ACCEPTED", "ANY_STATUS", "Analyst", "MatchedDoc", "Matching", "Version", "open_analysts", "parse_mapping"]
