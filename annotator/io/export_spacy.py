"""Gold documents as spaCy Docs, DocBin shards and a training config.

Entities are set with `char_span(..., alignment_mode="strict")` on the tokenizer the caller
passes in (the corpus language's blank pipeline). A span that does not align, overlaps an
earlier one or leaves the text is returned as a Problem, never dropped silently; its tokens
become "missing" so that even a skipped span teaches nothing false.
"""

from __future__ import annotations

import importlib.util
import os
import struct
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy
import srsly
from spacy.attrs import ENT_KB_ID, ENT_TYPE, NORM, ORTH, SPACY
from spacy.tokens import Doc, DocBin, Span
from srsly.msgpack import Packer

# What NER training reads back; ORTH and SPACY are always stored. Fewer columns than the
# DocBin default (13) keeps a shard 3x smaller in memory. doc.cats and doc.spans are always kept.
DOCBIN_ATTRS = ["ORTH", "NORM", "ENT_IOB", "ENT_TYPE"]
KB_ATTRS = DOCBIN_ATTRS + ["ENT_KB_ID"]  # when entities are linked to actors


@dataclass
class ExportDoc:
    """One document as the exporters see it."""

    id: int
    text: str
    spans: list[tuple[int, int, str]]  # sorted by start
    complete: bool = True  # accepted: tokens outside entities are O; else they are missing
    status: str = "accepted"
    title: str = ""
    source: str = ""
    meta: dict = field(default_factory=dict)
    extras: dict = field(default_factory=dict)  # filled by export extensions (e.g. stances)
    links: dict = field(default_factory=dict)  # (start, end) of an entity -> its actor {"actor_id", "kb_id", "name", "kind"}
    tokens: list[tuple[int, int]] | None = None  # the file's own tokenization (CoNLL, DocBin import)
    rejected: list[tuple[int, int, str]] = field(default_factory=list)  # "NOT that label": never an entity
    relations: list[dict] = field(default_factory=list)  # {"head": (s, e, label), "child": ..., "label"}
    split_entities: int = 0  # entities inside a token: the token was split at their edges
    tool: dict = field(default_factory=dict)  # the source tool's own keys, kept apart from meta (ids, hashes)


@dataclass(frozen=True)
class Problem:
    """An entity span (or another exported span, e.g. stance evidence) that cannot be token-aligned."""

    doc_id: int
    start: int
    end: int
    label: str
    text: str
    reason: str
    kind: str = "entity"

    def __str__(self) -> str:
        kind = "" if self.kind == "entity" else f"{self.kind} "
        return f"document {self.doc_id}: {kind}{self.label} [{self.start}, {self.end}) {self.text!r} {self.reason}"


INCORRECT_KEY = "incorrect_spans"  # spaCy's ner reads rejected spans here (incorrect_spans_key)


def build_doc(nlp, item: ExportDoc) -> tuple[Doc, list[Problem]]:
    """The tokenized document with its entities, and the spans that could not be set.

    No entity inside the text is lost: where one starts or ends inside a token (exact
    characters in "Kyiv‘s"), that token is split at its edge and the entity counted in
    `item.split_entities`. The reference tokenization may then differ from a model's; spaCy's
    Example aligns the two in training.
    """
    # the tokenizer alone: make_doc would refuse texts over nlp.max_length, which do not matter here
    doc = doc_from_offsets(nlp.vocab, item.text, item.tokens) if item.tokens else nlp.tokenizer(item.text)
    problems: list[Problem] = []
    good: list[tuple[int, int, str]] = []
    last_end = 0
    for start, end, label in item.spans:
        if not 0 <= start < end <= len(item.text):
            reason = f"is outside the text (length {len(item.text)})"
        elif start < last_end:
            reason = f"overlaps the entity ending at {last_end}"
        else:
            good.append((start, end, label))
            last_end = end
            continue
        problems.append(Problem(item.id, start, end, label, item.text[max(start, 0) : max(end, 0)], reason))
    edges = {t.idx for t in doc} | {t.idx + len(t.text) for t in doc}
    cuts = {p for s, e, _ in good for p in (s, e) if p not in edges}
    if cuts:
        item.split_entities = sum(1 for s, e, _ in good if s in cuts or e in cuts)
        doc = _split_tokens(doc, cuts)
    ents = [doc.char_span(s, e, label=lb, alignment_mode="strict", **_kb(item, s, e)) for s, e, lb in good]
    bad = [(p.start, p.end) for p in problems]
    missing = _missing_spans(doc, bad, ents) if bad else None
    doc.set_ents(ents, missing=missing, default="outside" if item.complete else "missing")
    if item.rejected:
        rejected = [doc.char_span(s, e, label=lb, alignment_mode="expand") for s, e, lb in item.rejected]
        doc.spans[INCORRECT_KEY] = [r for r in rejected if r is not None]
    return doc, problems


def _kb(item: ExportDoc, start: int, end: int) -> dict:
    link = item.links.get((start, end))
    return {"kb_id": link["kb_id"]} if link else {}  # the actor an entity linker learns (Span.kb_id_)


def doc_from_offsets(vocab, text: str, offsets: list[tuple[int, int]]) -> Doc:
    """A Doc with exactly these tokens; any text between them other than one space becomes a whitespace token."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for start, end in offsets:
        gap = text[pos:start]
        if gap:
            if gap == " " and words and not spaces[-1]:
                spaces[-1] = True
            else:
                if words and gap.startswith(" ") and not spaces[-1]:
                    spaces[-1], gap = True, gap[1:]
                if gap:
                    words.append(gap)
                    spaces.append(False)
        words.append(text[start:end])
        spaces.append(False)
        pos = end
    if pos < len(text):
        tail = text[pos:]
        if tail.startswith(" ") and words and not spaces[-1]:
            spaces[-1], tail = True, tail[1:]
        if tail:
            words.append(tail)
            spaces.append(False)
    return Doc(vocab, words=words, spaces=spaces)


def _split_tokens(doc: Doc, cuts: set[int]) -> Doc:
    words: list[str] = []
    spaces: list[bool] = []
    text = doc.text
    for t in doc:
        start, end = t.idx, t.idx + len(t.text)
        points = [start, *sorted(c for c in cuts if start < c < end), end]
        for a, b in zip(points, points[1:]):
            words.append(text[a:b])
            spaces.append(False)
        spaces[-1] = bool(t.whitespace_)
    return Doc(doc.vocab, words=words, spaces=spaces)


def _missing_spans(doc: Doc, bad: list[tuple[int, int]], ents: list[Span]) -> list[Span]:
    """Tokens under refused spans (but not under kept entities): neither entity nor O."""
    taken = {i for ent in ents for i in range(ent.start, ent.end)}
    marked: set[int] = set()
    for start, end in bad:
        start, end = max(start, 0), min(end, len(doc.text))
        cover = doc.char_span(start, end, alignment_mode="expand") if start < end else None
        if cover is not None:
            marked.update(i for i in range(cover.start, cover.end) if i not in taken)
    runs: list[Span] = []
    for i in sorted(marked):
        if runs and runs[-1].end == i:
            runs[-1] = doc[runs[-1].start : i + 1]
        else:
            runs.append(doc[i : i + 1])
    return runs


class GoldDocBin(DocBin):
    """A DocBin whose `add` skips spaCy's per-token Python loop (9 string lookups a token).

    Only the strings of the stored attributes are needed to read the Docs back; they are
    collected per unique hash with numpy. For the Docs the export builds (tokenizer output
    with entities, spans and cats) the bytes equal DocBin.add's: tests/test_export_spacy.py
    checks that, so a change in spaCy shows up there. 4x faster than DocBin.add.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # srsly.msgpack_dumps builds a Packer per call (~0.3 ms: a registry lookup); span groups need 1 + 1 a group
        self._packer = Packer(use_bin_type=True)

    def add(self, doc: Doc) -> None:
        array = doc.to_array(self.attrs)
        self.tokens.append(array)
        spaces = doc.to_array(SPACY)
        self.spaces.append(numpy.asarray(spaces.reshape((spaces.shape[0], 1)), dtype=bool))
        self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        cols = [self.attrs.index(a) for a in (ORTH, NORM, ENT_TYPE, ENT_KB_ID) if a in self.attrs]
        strings = doc.vocab.strings
        self.strings.update([strings[h] for h in numpy.unique(array[:, cols]).tolist()])
        self.strings.add("")  # what DocBin.add records for the empty tag, lemma, dep... of every token
        self.cats.append(doc.cats)
        if self.store_user_data:
            self.user_data.append(srsly.msgpack_dumps(doc.user_data))
        self.span_groups.append(self._span_groups_bytes(doc))

    def _span_groups_bytes(self, doc: Doc) -> bytes:
        """doc.spans.to_bytes() (SpanGroups and SpanGroup.to_bytes, same bytes), and the strings of the spans."""
        if not doc.spans:
            return doc.spans.to_bytes()
        strings = doc.vocab.strings
        msg: dict[bytes, list[str]] = {}
        for key, group in doc.spans.items():
            packed = []
            for span in group:
                packed.append(struct.pack(">QQQllll", span.id, span.kb_id, span.label, span.start, span.end, span.start_char, span.end_char))
                self.strings.add(span.label_)
                if span.kb_id in strings:
                    self.strings.add(span.kb_id_)
                if span.id in strings:
                    self.strings.add(span.id_)
            data = self._packer.pack({"name": group.name, "attrs": group.attrs, "spans": packed})
            msg.setdefault(data, []).append(key)
        return self._packer.pack(msg)


def write_bytes(path: Path, data: bytes) -> None:
    """Write and fsync: the folder is renamed into place only once its files are on disk."""
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


class DocBinWriter:
    """One split as DocBin shards, each flushed to disk when full, so memory stays bounded.

    Shards are written as <split>/<split>-000.spacy...; a split that needed only one shard
    becomes <split>.spacy on close. A shard closes at `max_docs` documents or `max_tokens`
    tokens, whichever comes first (a DocBin needs ~150 bytes a token at its peak while serialising).
    """

    def __init__(self, folder: Path, split: str, max_docs: int, max_tokens: int, attrs: list[str] = DOCBIN_ATTRS):
        self.folder, self.split = folder, split
        self.max_docs, self.max_tokens = max_docs, max_tokens
        self.attrs = attrs
        self.shards: list[Path] = []
        self._bin = GoldDocBin(attrs=attrs)
        self._docs = self._tokens = 0

    def add(self, doc: Doc) -> None:
        if self._docs and (self._docs >= self.max_docs or self._tokens + len(doc) > self.max_tokens):
            self._flush()
        self._bin.add(doc)
        self._docs += 1
        self._tokens += len(doc)

    def _flush(self) -> None:
        shard_dir = self.folder / self.split
        shard_dir.mkdir(exist_ok=True)
        path = shard_dir / f"{self.split}-{len(self.shards):03d}.spacy"
        write_bytes(path, self._bin.to_bytes())
        self.shards.append(path)
        self._bin = GoldDocBin(attrs=self.attrs)
        self._docs = self._tokens = 0

    def close(self) -> str:
        """Write what is left; returns the path (relative to the folder) spaCy's corpus reader takes."""
        if self._docs or not self.shards:
            self._flush()
        if len(self.shards) == 1:
            single = self.folder / f"{self.split}.spacy"
            self.shards[0].rename(single)
            self.shards[0].parent.rmdir()
            self.shards = [single]
            return single.name
        return self.split  # spaCy reads every .spacy file under a folder


class DocBinExport:
    """The spaCy format: train and dev DocBins."""

    name = "spacy"
    needs_tokens = True
    marks_missing = True
    keeps_rejected = True  # in doc.spans["incorrect_spans"]
    keeps_relations = False

    def __init__(self, folder: Path, options, kb_ids: bool = False):
        self.folder = folder
        attrs = KB_ATTRS if kb_ids else DOCBIN_ATTRS
        self.writers = {s: DocBinWriter(folder, s, options.shard_size, options.shard_tokens, attrs) for s in ("train", "dev")}
        self.paths: dict[str, str] = {}

    def add(self, doc: Doc, item: ExportDoc, split: str) -> None:
        self.writers[split].add(doc)

    def close(self) -> dict[str, list[str]]:
        files = {}
        for split, writer in self.writers.items():
            self.paths[split] = writer.close()
            files[split] = [str(p.relative_to(self.folder)) for p in writer.shards]
        return files


def vectors_available(name: str | None) -> bool:
    return bool(name) and (Path(name).exists() or importlib.util.find_spec(name) is not None)


@lru_cache(maxsize=8)
def _base_config(lang: str, pipeline: tuple[str, ...], optimize: str) -> str:
    # init_config builds and validates a whole pipeline (~1 s): once per process and setting is enough
    from spacy.cli.init_config import init_config

    return init_config(lang=lang, pipeline=list(pipeline), optimize=optimize, gpu=False, silent=True).to_str(interpolate=False)


def training_config(
    lang: str,
    train: str,
    dev: str,
    optimize: str = "efficiency",
    pipeline: tuple[str, ...] = ("ner",),
    overrides: dict[str, object] | None = None,
):
    """A CPU training config from spaCy's own init-config API, with the data paths filled in.

    `pipeline` and `overrides` ("section.key" -> value) let export extensions add components
    (e.g. spancat with spans_key "stance"); a callable value receives the current value and returns
    the new one (e.g. to rename score weights). Returns (config, notes for the README).
    """
    from thinc.api import Config

    config = Config().from_str(_base_config(lang, tuple(pipeline), optimize), interpolate=False)
    notes = []
    vectors = config["paths"].get("vectors")
    if vectors and not vectors_available(vectors):
        # accuracy configs name a vectors package (en_core_web_lg); training would fail without it
        config["paths"]["vectors"] = None
        embed = config["components"]["tok2vec"]["model"]["embed"]
        embed["include_static_vectors"] = False
        notes.append(
            f"The accuracy preset wants static vectors from {vectors}, which is not installed: the config trains "
            f"without them. To use them: pip install the package, then add --paths.vectors {vectors} "
            "--components.tok2vec.model.embed.include_static_vectors true to the train command."
        )
    config["paths"]["train"] = train
    config["paths"]["dev"] = dev
    for dotted, value in (overrides or {}).items():
        *parents, key = dotted.split(".")
        section = config
        for p in parents:
            section = section.setdefault(p, {})
        section[key] = value(section.get(key)) if callable(value) else value
    return config, notes
