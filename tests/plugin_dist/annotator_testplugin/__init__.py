"""A tiny plugin: the "pipes" format (one record a line: text|||start:end:LABEL,...) and a pre-annotator
that marks capitalised words. It uses only annotator's public classes."""

from __future__ import annotations

import re
from pathlib import Path

from annotator.core.model import ACCEPTED
from annotator.core.records import Record, Rejection


class PipesReader:
    name = "pipes"
    description = "one record a line: text|||start:end:LABEL,..."
    suffixes = (".pipes",)
    priority = 0

    def detect(self, head: bytes) -> bool:
        return b"|||" in head

    def read(self, path: Path, source: str, options=None):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            text, sep, spans = line.partition("|||")
            if not sep:
                yield Rejection(source, n, "no ||| between the text and its spans")
                continue
            found = []
            for item in filter(None, spans.split(",")):
                start, end, label = item.split(":")
                found.append((int(start), int(end), label))
            yield Record(text=text, title=text[:40], spans=found, status=ACCEPTED, source=source, line=n)


class PipesWriter:
    name = "pipes"
    description = "one record a line: text|||start:end:LABEL,..."
    needs_tokens = False
    marks_missing = False

    def __init__(self, folder: Path, options=None):
        self.folder = folder
        self.files = {s: open(folder / f"{s}.pipes", "w", encoding="utf-8") for s in ("train", "dev")}

    def add(self, doc, item, split: str) -> None:
        spans = ",".join(f"{s}:{e}:{label}" for s, e, label in item.spans)
        self.files[split].write(f"{item.text}|||{spans}\n")

    def close(self):
        for f in self.files.values():
            f.close()
        return {s: [f"{s}.pipes"] for s in self.files}

    def abort(self) -> None:
        for f in self.files.values():
            f.close()


class Capitals:
    """Every capitalised word is a span of the label given as --model."""

    def __init__(self, label: str):
        self.label = label
        self.origin = f"capitals-{label}-0.1"

    def annotate(self, items, batch_size: int = 64, n_process: int = 1):
        for text, ctx in items:
            yield ctx, [(m.start(), m.end(), self.label) for m in re.finditer(r"\b[A-Z][a-z]+\b", text)]


def capitals(model: str | None = None, **options) -> Capitals:
    """Capitalised words, labelled with --model (default CAP)."""
    return Capitals(model or "CAP")
