"""Text formats beside the DocBin: Prodigy JSONL, doccano JSONL, Label Studio JSON and CoNLL-2003 IOB2.

Each writer gets the tokenized Doc (entities already set; tokens split at entity edges where an
entity lies inside a token) and the ExportDoc, and streams one train and one dev file, so memory
does not grow with the corpus. Character-offset formats write every span as stored. The user's
meta is written as "meta"; our own keys (status, title, document id, source) go apart, in
"_annotator", so a re-import restores the status and meta does not grow.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import srsly
from spacy.tokens import Doc

from annotator.io.export_spacy import ExportDoc

CONLL_DOCSTART = "-DOCSTART- -X- O O"  # the CoNLL-2003 document line spaCy's converter recognises
OURS = "_annotator"


def ours(item: ExportDoc) -> dict:
    block = {"doc_id": item.id, "status": item.status, "title": item.title}
    if item.source:
        block["source"] = item.source
    return block


class _TextExport:
    suffix = ".jsonl"
    needs_tokens = False
    marks_missing = True
    keeps_rejected = False  # rejected suggestions (binary rejects): the export says how many it could not write
    keeps_relations = False
    description = ""

    def __init__(self, folder: Path, options=None):
        self.folder = folder
        self.notes: list[str] = []
        self.files = {s: open(folder / f"{s}{self.suffix}", "w", encoding="utf-8", newline="\n") for s in ("train", "dev")}

    def add(self, doc: Doc, item: ExportDoc, split: str) -> None:
        self.files[split].write(self.render(doc, item))

    def render(self, doc: Doc, item: ExportDoc) -> str:
        raise NotImplementedError

    def close(self) -> dict[str, list[str]]:
        for f in self.files.values():
            f.flush()
            os.fsync(f.fileno())
            f.close()
        return {s: [f"{s}{self.suffix}"] for s in self.files}

    def abort(self) -> None:
        for f in self.files.values():
            f.close()


ANSWER = {"accepted": "accept", "skipped": "ignore"}


def _meta(item: ExportDoc) -> dict:
    """The document's meta, plus which actor each linked entity is (Label Studio, doccano and Prodigy keep meta)."""
    if not getattr(item, "links", None):
        return item.meta
    return {**item.meta, "actors": [{"start": s, "end": e, **link} for (s, e), link in sorted(item.links.items())]}


def _kb(item: ExportDoc, start: int, end: int) -> dict:
    link = (getattr(item, "links", None) or {}).get((start, end))
    return {"kb_id": link["kb_id"]} if link else {}  # Prodigy's entity-linking tasks read kb_id on a span


class ProdigyExport(_TextExport):
    """Prodigy tasks, as `prodigy db-in` and ner.manual read them; token_end is inclusive. Rejected
    suggestions follow their document as binary tasks with "answer": "reject"."""

    name = "jsonl"
    keeps_rejected = keeps_relations = True
    description = "Prodigy tasks (text, tokens, spans with token_start/token_end, relations, answer); load with `prodigy db-in`"

    def render(self, doc: Doc, item: ExportDoc) -> str:
        starts = {t.idx: t.i for t in doc}
        ends = {t.idx + len(t.text): t.i for t in doc}
        task = {
            "text": item.text,
            "meta": _meta(item),
            "tokens": [
                {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
                for t in doc
            ],
            "spans": [_span(s, e, lb, starts, ends) | _kb(item, s, e) for s, e, lb in item.spans],
        }
        if item.relations:
            task["relations"] = [
                {"head": ends.get(r["head"][1], -1), "child": ends.get(r["child"][1], -1), "label": r["label"],
                 "head_span": _span(*r["head"], starts, ends), "child_span": _span(*r["child"], starts, ends)}
                for r in item.relations
            ]
        for key in ("_input_hash", "_task_hash"):  # Prodigy's own keys come back as they were
            if key in item.tool:
                task[key] = item.tool[key]
        if item.status in ANSWER:
            task["answer"] = ANSWER[item.status]
        task[OURS] = ours(item)
        lines = [srsly.json_dumps(task)]
        for s, e, lb in item.rejected:
            lines.append(srsly.json_dumps({"text": item.text, "spans": [_span(s, e, lb, starts, ends)], "answer": "reject",
                                           "_is_binary": True, "_view_id": "ner", "meta": item.meta}))
        return "\n".join(lines) + "\n"


def _span(start: int, end: int, label: str, starts: dict, ends: dict) -> dict:
    span = {"start": start, "end": end, "label": label}
    if start in starts and end in ends:
        span.update(token_start=starts[start], token_end=ends[end])
    return span


class DoccanoExport(_TextExport):
    """doccano's sequence-labelling JSONL: {"text", "label": [[start, end, label], ...], "meta"}; a document
    with relations in doccano's relation-extraction shape: {"text", "entities": [{"id", "label",
    "start_offset", "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}]}."""

    name = "doccano"
    keeps_relations = True
    description = ('doccano sequence-labelling JSONL ({"text", "label": [[start, end, label]], "meta"}; '
                   'documents with relations as "entities" + "relations")')

    def render(self, doc: Doc, item: ExportDoc) -> str:
        record = {"text": item.text, "label": [[s, e, lb] for s, e, lb in item.spans], "meta": _meta(item), OURS: ours(item)}
        if item.relations:
            del record["label"]
            ids = {tuple(span): n for n, span in enumerate(item.spans, 1)}
            record["entities"] = [{"id": n, "label": lb, "start_offset": s, "end_offset": e} for (s, e, lb), n in ids.items()]
            record["relations"] = [{"id": n, "from_id": ids[tuple(r["head"])], "to_id": ids[tuple(r["child"])], "type": r["label"]}
                                   for n, r in enumerate(item.relations, 1)
                                   if tuple(r["head"]) in ids and tuple(r["child"]) in ids]
        if "id" in item.tool:
            record["id"] = item.tool["id"]
        return srsly.json_dumps(record) + "\n"


class LabelStudioExport(_TextExport):
    """Label Studio's JSON export shape: one array of tasks per file, importable into a project."""

    name = "labelstudio"
    keeps_relations = True
    suffix = ".json"
    description = ('Label Studio tasks (a JSON array: data.text, annotations[].result[] of type "labels"; '
                   "documents not accepted as predictions); import into a project with a Labels tag named label on text")

    def __init__(self, folder: Path, options=None):
        super().__init__(folder, options)
        self.count = dict.fromkeys(self.files, 0)
        for f in self.files.values():
            f.write("[")

    def add(self, doc: Doc, item: ExportDoc, split: str) -> None:
        from annotator.io.labelstudio import task_for

        f = self.files[split]
        f.write(",\n" if self.count[split] else "\n")
        f.write(srsly.json_dumps(task_for(item, doc, item.relations)))
        self.count[split] += 1

    def close(self) -> dict[str, list[str]]:
        for f in self.files.values():
            f.write("\n]\n")
        return super().close()


class ConllExport(_TextExport):
    """CoNLL-2003-style IOB2: "token TAG" per line, a blank line at each line break of the
    text (outside entities), documents separated by -DOCSTART-. Whitespace tokens are left out.
    A label with whitespace is written with underscores (said in the notes)."""

    name = "conll"
    suffix = ".conll"
    needs_tokens = True
    marks_missing = False
    description = ("CoNLL-2003-style IOB2, 'token TAG' per line, -DOCSTART- between documents; "
                   "`python -m spacy convert train.conll . --converter ner` reads it")

    def __init__(self, folder: Path, options=None):
        super().__init__(folder, options)
        self._renamed: dict[str, str] = {}

    def _tag_label(self, label: str) -> str:
        if label not in self._renamed:
            safe = re.sub(r"\s+", "_", label)
            self._renamed[label] = safe
            if safe != label:
                self.notes.append(f"label {label!r} has whitespace, which CoNLL cannot hold: written as {safe!r}")
        return self._renamed[label]

    def render(self, doc: Doc, item: ExportDoc) -> str:
        lines = [CONLL_DOCSTART, ""]
        in_sentence = False
        for t in doc:
            if t.is_space:
                if "\n" in t.text and in_sentence and t.ent_iob_ != "I":
                    lines.append("")
                    in_sentence = False
                continue
            if t.ent_iob_ in ("B", "I"):
                tag = f"{t.ent_iob_}-{self._tag_label(t.ent_type_)}"
            elif t.ent_iob_ == "O":
                tag = "O"
            else:  # the use case refuses documents with missing tokens for this format
                raise ValueError(f"document {item.id}: token {t.i} {t.text!r} has no annotation; CoNLL cannot say 'missing'")
            lines.append(f"{t.text} {tag}")
            in_sentence = True
        if in_sentence:
            lines.append("")
        return "\n".join(lines) + "\n"
