"""spaCy's own training data in: DocBin (.spacy) and spaCy v2 JSON (through spaCy's converter).

doc.ents become entities, with "missing" respected: a document whose every token is B, I or O
is complete (accepted); one with missing tokens is in progress. doc.spans["stance"] holds
stance evidence labelled TARGET=VALUE and doc.cats article-level stances (TARGET=VALUE: 1.0),
as our export writes them; doc.spans["incorrect_spans"] rejected suggestions; other cats above 0.5 are kept in meta["categories"]. The tokens
are kept, so the export writes the same tokenization back. Each document is reported as
"file:N", N counting documents from 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from annotator.core.model import ACCEPTED, IN_PROGRESS
from annotator.core.records import Record, Rejection
from annotator.io.record_build import finish

STANCE_KEY = "stance"
INCORRECT_KEY = "incorrect_spans"  # as annotator.io.export_spacy writes it


def read_docbin(path: Path, source: str, options=None) -> Iterator[Record | Rejection]:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    try:
        docbin = DocBin().from_disk(path)
        docs = list(docbin.get_docs(Vocab()))  # the DocBin carries its strings
    except Exception as err:  # spaCy raises ValueError/KeyError/msgpack errors for a file that is not a DocBin
        yield Rejection(source, 0, f"not a spaCy DocBin ({type(err).__name__}: {err})")
        return
    yield from records_from_docs(docs, source, "DocBin")


def read_spacy_v2(path: Path, source: str, options=None) -> Iterator[Record | Rejection]:
    import srsly
    from spacy.training.converters import json_to_docs

    try:
        data = srsly.read_json(path)
        docs = list(json_to_docs(data))
    except Exception as err:  # the converter's errors name what is wrong with the structure
        yield Rejection(source, 0, f"not spaCy v2 training JSON ({type(err).__name__}: {err})")
        return
    yield from records_from_docs(docs, source, "spaCy v2 JSON")


def records_from_docs(docs: Iterable, source: str, what: str) -> Iterator[Record | Rejection]:
    for n, doc in enumerate(docs, 1):
        if not doc.text.strip():
            yield Rejection(source, n, f"document {n} of the {what} has no text")
            continue
        missing = any(t.ent_iob == 0 for t in doc)
        spans = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        notes = []
        stances = []
        for span in doc.spans.get(STANCE_KEY, []):
            target, sep, value = span.label_.partition("=")
            if sep:
                stances.append((target, value, span.start_char, span.end_char))
            else:
                notes.append(f'doc.spans["{STANCE_KEY}"] label {span.label_!r} is not TARGET=VALUE: not imported')
        meta: dict = {}
        categories = []
        for label, score in doc.cats.items():
            target, sep, value = label.partition("=")
            if score >= 0.5:
                if sep:
                    stances.append((target, value, None, None))
                else:
                    categories.append(label)
        if categories:
            meta["categories"] = categories
        # rejected suggestions (spaCy's ner reads them from its incorrect_spans_key; our export writes them there)
        rejected = sorted({(s.start_char, s.end_char, s.label_) for s in doc.spans.get(INCORRECT_KEY, [])})
        rec = Record(text=doc.text, meta=meta, spans=spans, status=IN_PROGRESS if missing else ACCEPTED, source=source,
                     line=n, notes=notes, tokens=[(t.idx, t.idx + len(t.text)) for t in doc], stances=stances,
                     tool={"format": what}, rejected_spans=rejected)
        yield finish(rec)
