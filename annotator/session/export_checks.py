"""The checks of `spacy debug data` that apply to an exported NER corpus, computed from the export's counts.

Running spaCy's command needs the config's whole pipeline initialised (seconds, and a model's
vectors for the accuracy preset), so the export checks what it can decide from what it wrote,
with spaCy's own thresholds (spacy.cli.debug_data) and wording. The result is in the export
summary and in manifest.json; `python -m spacy debug data config.cfg` gives the full report.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    level: str  # "fail", "warn" or "good"
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.message}"

    def to_json(self) -> dict:
        return {"level": self.level, "message": self.message}


def _thresholds() -> tuple[int, int, int]:
    try:
        import importlib

        debug_data = importlib.import_module("spacy.cli.debug_data")  # spacy.cli.debug_data is also a function's name
        return debug_data.NEW_LABEL_THRESHOLD, debug_data.BLANK_MODEL_MIN_THRESHOLD, debug_data.BLANK_MODEL_THRESHOLD
    except ImportError:  # the thresholds of spaCy 3.8
        return 50, 100, 2000


def debug_checks(splits: dict, manifest: dict, fmt: str) -> list[Check]:
    new_label, blank_min, blank = _thresholds()
    train, dev = splits["train"], splits["dev"]
    out: list[Check] = []
    if train.documents == 0:
        out.append(Check("fail", "No training docs"))
    if dev.documents == 0:
        out.append(Check("fail" if fmt == "spacy" else "warn", "No evaluation docs (config.cfg evaluates on train)"))
    if 0 < train.documents < blank:
        # spaCy's levels: under the minimum a failure (✘ in `spacy debug data`), under the recommended count a warning
        out.append(Check("fail" if train.documents < blank_min else "warn",
                         f"Low number of examples to train a new pipeline ({train.documents}): at least {blank} are recommended "
                         f"(minimum {blank_min})"))
    for label in sorted(set(dev.entities) - set(train.entities)):
        out.append(Check("warn", f"Label '{label}' occurs only in dev ({dev.entities[label]}): it is not present in train data"))
    for label, n in sorted(train.entities.items()):
        if n <= new_label:
            out.append(Check("warn", f"Low number of examples for label '{label}' ({n})"))
    stances = (manifest.get("stances") or {}).get("splits") or {}
    if stances:
        tr, dv = stances.get("train", {}), stances.get("dev", {})
        for kind in ("evidence_labels", "document_labels"):
            only_train = set(tr.get(kind, {})) - set(dv.get(kind, {}))
            for label in sorted(only_train):
                if dev.documents:
                    out.append(Check("warn", f"Stance label '{label}' occurs only in train: the dev set cannot score it"))
            for label in sorted(set(dv.get(kind, {})) - set(tr.get(kind, {}))):
                out.append(Check("warn", f"Stance label '{label}' occurs only in dev: it is not present in train data"))
    # true of every export (split by text; whitespace at entity edges is refused when it is stored)
    out.append(Check("good", "0 training docs also in evaluation data (split by text); no invalid whitespace entity spans"))
    return out
