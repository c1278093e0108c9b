"""Text formats beside the DocBin: Prodigy JSONL, doccano JSONL and CoNLL-2003 IOB2.

Each writer gets the tokenized Doc (entities already set and checked) and the ExportDoc,
and streams one train and one dev file, so memory does not grow with the corpus.
"""

from __future__ import annotations

import os
from pathlib import Path

import srsly
from spacy.tokens import Doc

from annotator.io.export_spacy import ExportDoc

CONLL_DOCSTART = "-DOCSTART- -X- O O"  # the CoNLL-2003 document line spaCy's converter recognises


class _TextExport:
    suffix = ".jsonl"

    def __init__(self, folder: Path):
        self.folder = folder
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


def _meta(item: ExportDoc) -> dict:
    # the document's own meta, plus what links a task back to the corpus
    meta = dict(item.meta)
    meta.update(doc_id=item.id, title=item.title, status=item.status)
    if item.source:
        meta["source"] = item.source
    if item.links:  # which actor each linked entity is (Label Studio, doccano and Prodigy keep meta)
        meta["actors"] = [{"start": s, "end": e, **link} for (s, e), link in sorted(item.links.items())]
    return meta


class ProdigyExport(_TextExport):
    """Prodigy tasks, as `prodigy db-in` and ner.manual read them; token_end is inclusive."""

    name = "jsonl"

    def render(self, doc: Doc, item: ExportDoc) -> str:
        task = {
            "text": item.text,
            "meta": _meta(item),
            "tokens": [
                {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
                for t in doc
            ],
            "spans": [
                {"start": e.start_char, "end": e.end_char, "token_start": e.start, "token_end": e.end - 1, "label": e.label_}
                | ({"kb_id": e.kb_id_} if e.kb_id else {})  # Prodigy's entity-linking tasks read kb_id on a span
                for e in doc.ents
            ],
            "answer": "accept",
        }
        return srsly.json_dumps(task) + "\n"


class DoccanoExport(_TextExport):
    """doccano's sequence-labelling JSONL: {"text", "label": [[start, end, label], ...], "meta"}."""

    name = "doccano"

    def render(self, doc: Doc, item: ExportDoc) -> str:
        record = {"text": item.text, "label": [[e.start_char, e.end_char, e.label_] for e in doc.ents], "meta": _meta(item)}
        return srsly.json_dumps(record) + "\n"


class ConllExport(_TextExport):
    """CoNLL-2003-style IOB2: "token TAG" per line, a blank line at each line break of the
    text (outside entities), documents separated by -DOCSTART-. Whitespace tokens are left out."""

    name = "conll"
    suffix = ".conll"

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
                tag = f"{t.ent_iob_}-{t.ent_type_}"
            elif t.ent_iob_ == "O":
                tag = "O"
            else:  # the use case refuses documents with missing tokens for this format
                raise ValueError(f"document {item.id}: token {t.i} {t.text!r} has no annotation; CoNLL cannot say 'missing'")
            lines.append(f"{t.text} {tag}")
            in_sentence = True
        if in_sentence:
            lines.append("")
        return "\n".join(lines) + "\n"


TEXT_FORMATS = {cls.name: cls for cls in (ProdigyExport, DoccanoExport, ConllExport)}
