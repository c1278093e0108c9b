"""The built-in input and export formats, registered in annotator.io.formats' registries.

Cheap to import: each reader and writer loads its heavy parts (spaCy, srsly) when used.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from annotator.core.records import Record, Rejection, title_from_text
from annotator.core.spans import normalize_newlines
from annotator.io.decoding import bom_of, bom_reason, nul_reason, shown, utf8_reason
from annotator.io.registries import READERS, WRITERS

JSONL = (".jsonl", ".ndjson", ".json-lines")
MAX_TEXT_BYTES = 20_000_000  # 4 bytes a character at most: a longer file cannot be under the 5M-character limit


def first_object(head: bytes) -> dict | None:
    """The first JSON object of a JSONL head, or of a JSON array's first element if it fits in the head."""
    body = head.lstrip(b" \t\r\n\xef\xbb\xbf")
    if body.startswith(b"["):
        try:
            obj, _ = json.JSONDecoder().raw_decode(body[1:].decode("utf-8", "replace").lstrip())
        except ValueError:
            return None
        return obj if isinstance(obj, dict) else None
    line = body.split(b"\n", 1)[0]
    try:
        obj = json.loads(line.decode("utf-8", "replace"))
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


class _Base:
    priority = 0
    suffixes: tuple[str, ...] = ()

    def detect(self, head: bytes) -> bool:
        return True


class TextReader(_Base):
    name = "text"
    description = "plain text, one article per .txt file (the title is its first line)"
    suffixes = (".txt",)

    def read(self, path: Path, source: str, options=None) -> Iterator[Record | Rejection]:
        yield read_txt(path, source)


def read_txt(path: Path, source: str) -> Record | Rejection:
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:  # said before reading: a 200 MB file would be read whole only to be refused
            return Rejection(source, 0, f"the file is {size:,} bytes, over the limit of 5,000,000 characters for one article: split it into parts")
        data = path.read_bytes()
    except OSError as err:
        return Rejection(source, 0, f"cannot read the file: {err.strerror or err}")
    name = bom_of(data)
    if name:
        return Rejection(source, 0, bom_reason(name))
    nul = nul_reason(data, whole_file=True)  # UTF-16 without a byte-order mark, or a stray NUL
    if nul:
        return Rejection(source, data.count(b"\n", 0, data.find(b"\x00")) + 1, nul)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return Rejection(source, 0, utf8_reason(data, err, whole_file=True))
    if not text.strip():
        return Rejection(source, 0, "empty text: the file is empty or only whitespace")
    notes = []
    if "\r" in text:
        text, _ = normalize_newlines(text)
        notes.append("line breaks \\r\\n (or \\r) changed to \\n")
    return Record(text=text, title=title_from_text(text), meta={"file": shown(path.name)}, spans=None, source=source, line=0, notes=notes)


class JsonlReader(_Base):
    name = "jsonl"
    description = 'JSON Lines (or a JSON array): {"text", "meta"} a record, with Prodigy or doccano spans if present'
    suffixes = (*JSONL, ".json")

    def read(self, path: Path, source: str, options=None) -> Iterator[Record | Rejection]:
        from annotator.io.readers_jsonl import read_json_array, read_jsonl

        if path.suffix.lower() == ".json":
            return read_json_array(path, source, options)
        return read_jsonl(path, source, options)


class ProdigyReader(JsonlReader):
    name = "prodigy"
    description = "Prodigy tasks (db-out JSONL): spans, answer, binary ner.teach answers, relations"
    suffixes = JSONL
    priority = 20

    def detect(self, head: bytes) -> bool:
        obj = first_object(head)
        return bool(obj) and any(k in obj for k in ("spans", "answer", "_input_hash", "_task_hash", "_view_id"))


class DoccanoReader(JsonlReader):
    name = "doccano"
    description = 'doccano JSONL or JSON: "label"/"labels" [start, end, label] lists or "entities"; text in "text" or "data"'
    suffixes = (*JSONL, ".json")
    priority = 10

    def detect(self, head: bytes) -> bool:
        obj = first_object(head)
        if obj is None:  # an empty array, or a first record beyond the head: doccano's JSON export is an array
            return head.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"[")
        return any(k in obj for k in ("entities", "label", "labels")) or isinstance(obj.get("data"), str)


class LabelStudioReader(DoccanoReader):
    name = "labelstudio"
    description = 'Label Studio tasks, JSON export (an array) or JSONL: "data", "annotations", "predictions"'
    priority = 30

    def detect(self, head: bytes) -> bool:
        return b'"data"' in head and (b'"annotations"' in head or b'"predictions"' in head)


class SpacyV2Reader(_Base):
    name = "spacy-v2"
    description = "spaCy v2 training JSON (paragraphs, sentences, tokens with BILUO ner), via spaCy's converter"
    suffixes = (".json",)
    priority = 40

    def detect(self, head: bytes) -> bool:
        return b'"paragraphs"' in head

    def read(self, path: Path, source: str, options=None) -> Iterator[Record | Rejection]:
        from annotator.io.spacy_readers import read_spacy_v2

        return read_spacy_v2(path, source, options)


class ConllReader(_Base):
    name = "conll"
    description = "CoNLL-2003 / IOB: token ... tag a line; IOB1, IOB2 or BILUO; -DOCSTART- documents"
    suffixes = (".conll", ".conllu", ".iob", ".bio", ".tsv")

    def read(self, path: Path, source: str, options=None) -> Iterator[Record | Rejection]:
        from annotator.io.conll import read_conll

        return read_conll(path, source, options)


class DocBinReader(_Base):
    name = "spacy"
    description = "spaCy DocBin (.spacy): doc.ents (missing respected), stance spans and cats"
    suffixes = (".spacy",)
    empty_ok = True  # a DocBin of no documents (an export's empty dev set) is valid; a file that is no DocBin is rejected

    def read(self, path: Path, source: str, options=None) -> Iterator[Record | Rejection]:
        from annotator.io.spacy_readers import read_docbin

        return read_docbin(path, source, options)


for _reader in (TextReader, JsonlReader, ProdigyReader, DoccanoReader, LabelStudioReader, SpacyV2Reader, ConllReader, DocBinReader):
    READERS.register(_reader.name, _reader())


class _LazyWriter:
    """A writer class named by module and attribute, imported when an export is made."""

    def __init__(self, name: str, target: str, description: str, needs_tokens: bool, marks_missing: bool):
        self.name, self.target, self.description = name, target, description
        self.needs_tokens, self.marks_missing = needs_tokens, marks_missing

    def __call__(self, folder: Path, options, **extra):
        import importlib

        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)(folder, options, **extra)


for _writer in (
    _LazyWriter("spacy", "annotator.io.export_spacy:DocBinExport", "spaCy DocBin + config.cfg (train with spacy train)", True, True),
    _LazyWriter("jsonl", "annotator.io.export_formats:ProdigyExport", "Prodigy JSONL (tokens, spans, answer, relations)", False, True),
    _LazyWriter("doccano", "annotator.io.export_formats:DoccanoExport", "doccano JSONL", False, True),
    _LazyWriter("labelstudio", "annotator.io.export_formats:LabelStudioExport", "Label Studio JSON (import it into a project)", False, True),
    _LazyWriter("conll", "annotator.io.export_formats:ConllExport", "CoNLL-2003 IOB2", True, False),
):
    WRITERS.register(_writer.name, _writer)
