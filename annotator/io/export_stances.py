"""Stances on spaCy Docs, and the training components that learn them.

Evidence spans go to `doc.spans["stance"]`, labelled TARGET=VALUE, built with the same strict
`char_span` as the entities; article-level stances go to `doc.cats`. Both are written only
where the analyst recorded something, so an absent key or label means "unknown":

- cats: a document with an article-level stance on a target gets every value of that target
  (TARGET=VALUE 1.0, the other values 0.0); the labels of other targets are left out, and
  textcat_multilabel masks missing labels in its loss and its scorer, so they teach nothing.
- spans: the "stance" group is set on documents that have evidence; spaCy's scorer skips
  documents without it. (In training, spancat has no "missing" for spans: any candidate that
  is not gold evidence is a negative, whether or not the group is set.)

Candidates: evidence is usually a whole sentence (median 27 tokens, up to ~80 in the seed
articles). spancat's ngram suggester would need every length up to the longest sentence, and
its span tensors grow with tokens x max_length^2 (~0.7 GB for a 1,000-token article at 60).
So config.cfg puts spaCy's `span_finder` before spancat, with spancat's
`spacy.preset_spans_suggester.v1` reading what it finds. span_finder learns start and end
tokens; trained on the evidence alone it would never pass its threshold (only a few sentences
of an article are evidence, so no token is a likely start), so it learns from
`doc.spans["stance_candidates"]`: every sentence, cut as the window's stance key cuts them
(spaCy's rule-based sentencizer, and every line break), plus every evidence span. It then
proposes sentences and runs of sentences up to the longest evidence, and memory grows
linearly with the text.
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from annotator.io.export_spacy import Problem

SPANS_KEY = "stance"
CANDIDATES_KEY = "stance_candidates"
DEFAULT_MAX_LENGTH = 25  # span_finder's own default
MAX_SUGGESTED_LENGTH = 128  # longer evidence stays in the data but is never proposed as a candidate


def stance_label(target: str, value: str) -> str:
    return f"{target}={value}"


def set_stances(doc: Doc, doc_id: int, text: str, records: list[dict], values: list[str]) -> list[Problem]:
    """Put the records' evidence in doc.spans["stance"] and article-level stances in doc.cats.

    `text` is the doc's text (doc.text would rebuild it from the tokens at every call);
    `records` are stance rows (target, value, ev_start, ev_end); `values` the scheme's values.
    Returns the evidence that does not align with the tokens (left out of the spans).
    """
    spans: list[Span] = []
    problems: list[Problem] = []
    cats: dict[str, float] = {}
    for rec in records:
        label = stance_label(rec["target"], rec["value"])
        start, end = rec["ev_start"], rec["ev_end"]
        if start is None:
            for value in values:
                cats.setdefault(stance_label(rec["target"], value), 0.0)
            cats[label] = 1.0
            continue
        inside = 0 <= start < end <= len(text)
        span = doc.char_span(start, end, label=label, alignment_mode="strict") if inside else None
        if span is not None:
            spans.append(span)
            continue
        if not inside:
            reason = f"is outside the text (length {len(text)})"
        else:
            cover = doc.char_span(start, end, alignment_mode="expand")
            reason = f"does not align with token boundaries (tokens: {' '.join(repr(t.text) for t in cover)})"
        problems.append(Problem(doc_id, start, end, label, text[max(start, 0) : max(end, 0)], reason, "stance evidence"))
    if spans:
        doc.spans[SPANS_KEY] = spans
    if cats:
        doc.cats.update(cats)
    return problems


def set_candidates(doc: Doc) -> None:
    """span_finder's training target: every sentence and every evidence span, unlabelled."""
    bounds = dict.fromkeys(sentence_bounds(doc))
    bounds.update(dict.fromkeys((span.start, span.end) for span in doc.spans.get(SPANS_KEY, [])))
    doc.spans[CANDIDATES_KEY] = [doc[s:e] for s, e in sorted(bounds)]


_SENTENCIZER = Sentencizer()


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token bounds of the sentences as the window proposes evidence: the rule-based sentencizer
    within each line, whitespace trimmed. Sets the doc's sentence starts (not kept in the DocBin)."""
    n = len(doc)
    if not n:
        return []
    _SENTENCIZER(doc)
    arr = doc.to_array([SENT_START, IS_SPACE])
    space = arr[:, 1].astype(bool)
    newline = numpy.zeros(n, dtype=bool)
    for i in numpy.flatnonzero(space).tolist():
        newline[i] = "\n" in doc[i].text
    cut = (arr[:, 0] == 1) | newline
    cut[1:] |= newline[:-1]
    cut[0] = True
    edges = numpy.flatnonzero(cut).tolist() + [n]
    out = []
    for start, end in zip(edges, edges[1:]):
        while start < end and space[start]:
            start += 1
        while end > start and space[end - 1]:
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def stance_components(evidence: bool, document_level: bool, max_length: int) -> tuple[tuple[str, ...], dict[str, object]]:
    """Components for config.cfg and their settings, for training_config's `pipeline` and `overrides`.

    `max_length`: the longest evidence span in tokens; span_finder proposes spans up to it
    (at least spaCy's default 25, at most MAX_SUGGESTED_LENGTH).
    """
    names: tuple[str, ...] = ()
    overrides: dict[str, object] = {}
    if evidence:
        names += ("span_finder", "spancat")
        overrides.update({
            "components.span_finder.spans_key": CANDIDATES_KEY,
            "components.span_finder.max_length": suggested_length(max_length),
            "components.spancat.spans_key": SPANS_KEY,
            "components.spancat.suggester": {"@misc": "spacy.preset_spans_suggester.v1", "spans_key": CANDIDATES_KEY},
            # spancat updates on span_finder's candidates, so span_finder annotates during training;
            # predicting, its tok2vec listener reads doc.tensor, so tok2vec must annotate too (else zeros)
            "training.annotating_components": ["tok2vec", "span_finder"],
            "training.score_weights": _score_weights,
        })
    if document_level:
        names += ("textcat_multilabel",)
    return names, overrides


def suggested_length(max_length: int) -> int:
    return min(max(max_length, DEFAULT_MAX_LENGTH), MAX_SUGGESTED_LENGTH)


def _score_weights(weights: dict) -> dict:
    """init_config weighs spancat and span_finder under the default key "sc"; ours are others.

    spancat's labelled F on "stance" takes the weight; span_finder's F on the candidates is shown
    (weight 0). The "sc" names stay, set to null: spaCy fills every component's default weights
    back in when it loads a config, and null keeps them out of the score and the table.
    """
    out: dict = {}
    for key, value in weights.items():
        if key.startswith("spans_sc_"):
            metric = key.removeprefix("spans_sc_")
            out[f"spans_{SPANS_KEY}_{metric}"] = value
            out[f"spans_{CANDIDATES_KEY}_{metric}"] = 0.0
            value = None
        out[key] = value
    return out
