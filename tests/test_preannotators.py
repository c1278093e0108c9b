"""Any pipeline that sets entities or spans can pre-annotate: NER, an EntityRuler, a SpanRuler/spancat key."""

import pytest
import spacy

from annotator.core.errors import Kind
from annotator.nlp.models import ModelError
from annotator.nlp.preannotators import PREANNOTATORS, Preannotator, get_preannotator
from annotator.session.corpus import Corpus
from annotator.session.imports import import_paths

TEXT = "Witkoff met Zelensky in Kyiv.\n\nThe Kremlin said nothing."


def saved(nlp, path):
    nlp.meta["name"] = path.name
    nlp.meta["version"] = "1.2.3"
    nlp.to_disk(path)
    return path


@pytest.fixture
def ruler_model(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Zelensky"}, {"label": "GPE", "pattern": "Kyiv"}])
    return saved(nlp, tmp_path / "ruler")


def test_an_entity_ruler_pipeline_pre_annotates_through_the_registry(ruler_model, tmp_path):
    pre = get_preannotator(str(ruler_model))
    assert isinstance(pre, Preannotator) and pre.origin == "en_ruler-1.2.3"
    [(ctx, spans)] = list(pre.annotate([(TEXT, "a")]))
    assert ctx == "a" and spans == [(12, 20, "PERSON"), (24, 28, "GPE")]
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    with Corpus(tmp_path / "c.db") as corpus:
        report = import_paths(corpus, [article], model=str(ruler_model))
        assert report.model == "en_ruler-1.2.3"
        assert [(s.start, s.end, s.label, s.origin) for s in corpus.spans(report.added[0])] == [
            (12, 20, "PERSON", "en_ruler-1.2.3"), (24, 28, "GPE", "en_ruler-1.2.3")]


def test_a_span_setting_pipeline_is_read_from_its_spans_key(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("span_ruler", config={"spans_key": "sc"}).add_patterns([{"label": "ORG", "pattern": "The Kremlin"}])
    pre = get_preannotator(str(saved(nlp, tmp_path / "spans")))
    assert pre.spans_key == "sc"
    [(_, spans)] = list(pre.annotate([(TEXT, 0)]))
    assert spans == [(31, 42, "ORG")]


def test_a_pipeline_that_sets_no_entities_is_refused_with_a_message(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    with pytest.raises(ModelError, match="sets no entities or spans .*sentencizer") as err:
        get_preannotator(str(saved(nlp, tmp_path / "plain")))
    assert err.value.kind is Kind.MODEL


def test_the_default_model_runs_as_the_spacy_preannotator(nlp, model_id):
    pre = get_preannotator(None, nlp=nlp)
    assert pre.origin == model_id
    [(_, spans)] = list(pre.annotate([(TEXT, 0)]))
    assert (12, 20, "PERSON") in spans
    assert "spacy" in PREANNOTATORS.names()
