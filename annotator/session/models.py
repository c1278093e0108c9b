"""The corpus's model registry: trained pipelines stored next to the database and listed in it.

A model's folder is <db>.models/<id> (or the --out folder it was trained into); the row says
where, what it was trained on and how it scored. The current model (meta "current_model") is
the one new imports pre-annotate with; a current model whose folder has gone (deleted, moved)
is reported and the default pipeline is used instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import NotFound
from annotator.session.corpus import Corpus

COLUMNS = (
    "id", "origin", "base", "created", "path", "documents", "documents_hash", "dev_documents", "steps", "seed",
    "seconds", "cancelled", "scores", "base_scores", "other_scores", "curve",
)
JSON_COLUMNS = ("scores", "base_scores", "other_scores", "curve")


@dataclass
class ModelInfo:
    id: str
    origin: str
    base: str
    created: str
    path: Path
    documents: int
    documents_hash: str
    dev_documents: int = 0
    steps: int = 0
    seed: int = 0
    seconds: float = 0.0
    cancelled: bool = False
    scores: dict = field(default_factory=dict)
    base_scores: dict = field(default_factory=dict)
    other_scores: dict = field(default_factory=dict)
    curve: list = field(default_factory=list)
    current: bool = False

    @property
    def present(self) -> bool:
        return (self.path / "meta.json").is_file()

    @property
    def f(self) -> float | None:
        return (self.scores.get("overall") or {}).get("f")

    def to_json(self) -> dict:
        out = {c: getattr(self, c) for c in COLUMNS}
        out.update(path=str(self.path), cancelled=bool(self.cancelled), present=self.present, current=self.current)
        return out


def models_dir(corpus: Corpus) -> Path:
    return corpus.path.with_name(corpus.path.name + ".models")


def next_id(corpus: Corpus) -> str:
    numbers = [int(r[0][1:]) for r in corpus.db.execute("SELECT id FROM models") if r[0][1:].isdigit()]
    return f"m{max(numbers, default=0) + 1}"


def register(corpus: Corpus, info: ModelInfo) -> None:
    row = {c: getattr(info, c) for c in COLUMNS}
    row["path"] = _stored_path(corpus, info.path)
    row["cancelled"] = int(info.cancelled)
    for c in JSON_COLUMNS:
        row[c] = json.dumps(row[c])
    with corpus.db.atomic():
        corpus.db.execute(
            f"INSERT INTO models ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})", [row[c] for c in COLUMNS]
        )


def list_models(corpus: Corpus) -> list[ModelInfo]:
    current = corpus.meta("current_model")
    rows = corpus.db.execute(f"SELECT {', '.join(COLUMNS)} FROM models ORDER BY created, id")
    return [_info(corpus, r, current) for r in rows]


def get_model(corpus: Corpus, model_id: str) -> ModelInfo:
    row = corpus.db.execute(f"SELECT {', '.join(COLUMNS)} FROM models WHERE id = ?", [model_id]).fetchone()
    if row is None:
        known = ", ".join(m.id for m in list_models(corpus)) or "none yet: run `annotator train`"
        raise NotFound(f"no model {model_id!r} in this corpus (models: {known})")
    return _info(corpus, row, corpus.meta("current_model"))


def usable_model(corpus: Corpus, model_id: str) -> ModelInfo:
    """The model, if its folder is still there; otherwise NotFound saying where it was."""
    info = get_model(corpus, model_id)
    if not info.present:
        raise NotFound(f"model {model_id}'s folder {info.path} is missing (deleted or moved): move it back, or train again")
    return info


def set_current(corpus: Corpus, model_id: str | None) -> None:
    if model_id is not None:
        usable_model(corpus, model_id)
    with corpus.db.atomic():
        if model_id is None:
            corpus.db.execute("DELETE FROM meta WHERE key = 'current_model'")
        else:
            corpus.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('current_model', ?)", [model_id])


def preannotation_model(corpus: Corpus) -> tuple[str | None, str | None]:
    """(the pipeline new documents are pre-annotated with, a warning). None: the default pipeline.

    The current model when its folder is there; otherwise None with a warning naming what is missing.
    """
    current = corpus.meta("current_model")
    if not current:
        return None, None
    row = corpus.db.execute("SELECT path FROM models WHERE id = ?", [current]).fetchone()
    if row is None:
        return None, f"the current model {current} is not in the registry: pre-annotating with the default model"
    path = _resolve(corpus, row[0])
    if not (path / "meta.json").is_file():
        return None, f"the current model {current}'s folder {path} is missing (deleted or moved): pre-annotating with the default model"
    return str(path), None


def base_model(corpus: Corpus) -> tuple[str, str]:
    """What a fine-tune starts from by default, the corpus's pre-annotation model: (name or path, how to call it)."""
    from annotator.nlp.models import default_model

    path, _warning = preannotation_model(corpus)
    if path is None:
        return default_model(), default_model()
    return path, corpus.meta("current_model")


def registered_origins(corpus: Corpus) -> dict[str, dict]:
    """origin → a short description of the registered model that writes spans with it (for export manifests)."""
    out = {}
    for m in list_models(corpus):
        out[m.origin] = {"model_id": m.id, "base": m.base, "created": m.created, "documents": m.documents,
                         "documents_hash": m.documents_hash, "dev_f": m.f}
    return out


IN_MODELS = "@models/"  # a stored path inside the corpus's own models folder: it moves (and is renamed) with the database


def _stored_path(corpus: Corpus, path: Path) -> str:
    try:
        return IN_MODELS + Path(path).absolute().relative_to(models_dir(corpus).absolute()).as_posix()
    except ValueError:
        return str(Path(path).absolute())


def _resolve(corpus: Corpus, stored: str) -> Path:
    if stored.startswith(IN_MODELS):
        return models_dir(corpus).absolute() / stored.removeprefix(IN_MODELS)
    return Path(stored)


def _info(corpus: Corpus, row, current: str | None) -> ModelInfo:
    values = dict(zip(COLUMNS, row, strict=True))
    for c in JSON_COLUMNS:
        values[c] = json.loads(values[c] or ("[]" if c == "curve" else "{}"))
    values["path"] = _resolve(corpus, values["path"])
    values["cancelled"] = bool(values["cancelled"])
    return ModelInfo(**values, current=values["id"] == current)


__all__ = [
    "ModelInfo", "base_model", "get_model", "list_models", "models_dir", "next_id", "preannotation_model", "register",
    "registered_origins", "set_current", "usable_model",
]
