"""The actors sidecar: actors.jsonl, one line per actor the export mentions, for an entity linker's KB.

Runs as an ExportExtension beside the stances. The entities themselves carry the link in the
data (kb_id_ in the DocBin, "kb_id" on Prodigy spans, "actors" in every format's meta); this
file says who each kb_id is: name, kind, aliases, external id, and its mentions in the export.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import srsly

from annotator.core.model import Actor
from annotator.io.export_spacy import ExportDoc
from annotator.session.export_extension import EXPORT_EXTENSIONS, ExportExtension

FILENAME = "actors.jsonl"


class ActorExport(ExportExtension):
    name = "actors"
    description = "actors.jsonl: the actors the exported entities are linked to (kb_id, name, kind, aliases), for an entity linker"

    def __init__(self) -> None:
        self.mentions: Counter = Counter()  # actor id -> linked entities exported
        self.holders: Counter = Counter()  # actor id -> stances held, exported
        self.corpus = None

    def load(self, corpus, doc_ids: list[int]) -> dict[int, object]:
        self.corpus = corpus
        return {}

    def on_item(self, item: ExportDoc, split: str) -> None:
        self.mentions.update(link["actor_id"] for link in item.links.values())
        self.holders.update(r["holder_actor_id"] for r in item.extras.get("stances") or [] if r.get("holder_actor_id"))

    def finish(self, folder: Path, manifest: dict) -> None:
        ids = sorted(set(self.mentions) | set(self.holders))
        if not ids or self.corpus is None:
            manifest["actors"] = {"actors": 0}
            return
        marks = ",".join("?" for _ in ids)
        lines = []
        for actor_id, name, kind, aliases, external_id in self.corpus.db.execute(
            f"SELECT id, name, kind, aliases, external_id FROM actors WHERE id IN ({marks}) ORDER BY id", ids
        ):
            lines.append(srsly.json_dumps({
                "id": actor_id, "kb_id": Actor(actor_id, name, kind, external_id=external_id).kb_id, "name": name, "kind": kind,
                "aliases": json.loads(aliases), "external_id": external_id or None,
                "mentions": self.mentions[actor_id], "stances_held": self.holders[actor_id],
            }))
        from annotator.io.export_spacy import write_bytes

        write_bytes(folder / FILENAME, ("\n".join(lines) + "\n").encode("utf-8"))
        manifest.setdefault("files", {})["actors"] = [FILENAME]
        manifest["actors"] = {"actors": len(lines), "file": FILENAME, "linked_entities": sum(self.mentions.values())}
        manifest.setdefault("notes", []).append(
            f"{FILENAME}: the {len(lines)} actors the exported entities are linked to (kb_id, name, kind, aliases, external id); "
            "a linked entity carries its actor's kb_id (Span.kb_id_ in the DocBin, kb_id on Prodigy spans, meta.actors in every format)."
        )


EXPORT_EXTENSIONS.register("actors", ActorExport)
