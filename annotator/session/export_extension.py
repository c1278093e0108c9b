"""The base of export extensions: more data on every exported document (the stance export is one)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.registry import Registry
from annotator.io.export_spacy import ExportDoc, Problem
from annotator.session.corpus import Corpus

# name -> a factory (usually the class) making a new ExportExtension for each export. The built-in
# "stances" registers when annotator.session.export_stances is imported (export.default_extensions
# does); a plugin adds one through the annotator.export_extensions entry point group.
EXPORT_EXTENSIONS: Registry = Registry("annotator.export_extensions", "export extension")


class ExportExtension:
    """More data on every exported document; the stance export is one. Override what you need.

    `load` runs once per page of documents and its result lands in item.extras[name];
    `on_doc` may add doc.spans / doc.cats to the spaCy Doc (spacy format only) and return the
    Problems of spans it could not align (they fail the export unless --skip-misaligned);
    `on_item` sees every exported document with its split (for sidecar files);
    `pipeline` names extra components for config.cfg and their config overrides, given what it saw;
    `finish` writes sidecar files into the (temporary) export folder and adds to the manifest.
    """

    name = "extension"

    def load(self, corpus: Corpus, doc_ids: list[int]) -> dict[int, object]:
        return {}

    def on_doc(self, doc, item: ExportDoc) -> list[Problem] | None:
        return None

    def on_item(self, item: ExportDoc, split: str) -> None:
        pass

    def pipeline(self) -> tuple[tuple[str, ...], dict[str, object]]:
        return (), {}

    def finish(self, folder: Path, manifest: dict) -> None:
        pass


__all__ = ["ExportExtension"]
