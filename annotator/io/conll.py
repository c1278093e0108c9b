"""CoNLL / IOB files in: CoNLL-2003 (-DOCSTART- documents, blank-line sentences), doccano's CoNLL,
and the IOB1, IOB2 and BILUO (BIOES) tag schemes.

One token a line, the token first and its tag last ("EU NNP B-NP B-ORG", "EU\\tB-ORG"). The
text is rebuilt with one space between tokens and a line break between sentences, and the
token offsets are kept with the record, so an export writes the very same tokens back.
With -DOCSTART- lines a document runs from one to the next; without, each sentence is a
document (as spaCy's own converter reads such files). A tag "-" is spaCy's "missing": a
document with any is imported in progress; a fully tagged one is accepted (gold).

Decoding accepts both IOB1 and IOB2: I-X after a token of type X continues it, otherwise it
starts an entity (under --tag-scheme iob2 that is reported by line); B-X always starts one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.core.model import ACCEPTED, IN_PROGRESS
from annotator.core.records import Record, Rejection
from annotator.io.decoding import bom_of, bom_reason
from annotator.io.record_build import finish

SCHEMES = ("auto", "iob1", "iob2", "biluo")
DOCSTART = "-DOCSTART-"


def read_conll(path: Path, source: str, options=None) -> Iterator[Record | Rejection]:
    scheme = getattr(options, "tag_scheme", "auto") or "auto"
    try:
        f = open(path, "rb")
    except OSError as err:
        yield Rejection(source, 0, f"cannot read the file: {err.strerror or err}")
        return
    with f:
        docstarts = _has_docstart(path)
        doc: list[list[tuple[str, str, int]]] = []  # sentences of (token, tag, line)
        sentence: list[tuple[str, str, int]] = []
        lineno = 0
        for raw in f:
            lineno += 1
            if lineno == 1 and bom_of(raw) not in (None, "UTF-8"):
                yield Rejection(source, 0, bom_reason(bom_of(raw)))
                return
            try:
                line = raw.decode("utf-8").removeprefix("\ufeff").strip()
            except UnicodeDecodeError:
                yield Rejection(source, lineno, "not UTF-8: save the file as UTF-8")
                continue
            if line.startswith(DOCSTART):
                if sentence:
                    doc.append(sentence)
                    sentence = []
                if doc:
                    yield _document(doc, source, scheme)
                doc = []
                continue
            if not line:
                if sentence:
                    doc.append(sentence)
                    sentence = []
                    if not docstarts:
                        yield _document(doc, source, scheme)
                        doc = []
                continue
            cols = line.split()
            if len(cols) < 2:
                yield Rejection(source, lineno, f"expected a token and its tag, got {line[:40]!r}")
                continue
            sentence.append((cols[0], cols[-1], lineno))
        if sentence:
            doc.append(sentence)
        if doc:
            yield _document(doc, source, scheme)


def _has_docstart(path: Path) -> bool:
    with open(path, "rb") as f:
        for raw in f:
            if raw.strip():
                return raw.lstrip(b"\xef\xbb\xbf").startswith(DOCSTART.encode())
    return False


def _document(sentences: list[list[tuple[str, str, int]]], source: str, scheme: str) -> Record | Rejection:
    first_line = sentences[0][0][2]
    parts, tokens, tags, lines = [], [], [], []
    pos = 0
    for s_i, sentence in enumerate(sentences):
        for t_i, (tok, tag, line) in enumerate(sentence):
            if t_i:
                parts.append(" ")
                pos += 1
            elif s_i:
                parts.append("\n")
                pos += 1
            parts.append(tok)
            tokens.append((pos, pos + len(tok)))
            tags.append(tag)
            lines.append(line)
            pos += len(tok)
    text = "".join(parts)
    notes: list[str] = []
    try:
        spans, missing = decode(tags, tokens, scheme, lines, notes)
    except ValueError as err:
        return Rejection(source, int(err.args[1]) if len(err.args) > 1 else first_line, str(err.args[0]))
    status = IN_PROGRESS if missing else ACCEPTED
    rec = Record(text=text, spans=spans, status=status, source=source, line=first_line, notes=notes, tokens=tokens,
                 tool={"format": "conll"})
    return finish(rec)


def decode(tags: list[str], tokens: list[tuple[int, int]], scheme: str, lines: list[int], notes: list[str]):
    """Tags to (start, end, label) spans over the token offsets; also whether any tag was missing ("-")."""
    spans: list[tuple[int, int, str]] = []
    missing = False
    open_start: int | None = None
    open_label = ""

    def close(i: int) -> None:
        nonlocal open_start
        if open_start is not None:
            spans.append((tokens[open_start][0], tokens[i - 1][1], open_label))
            open_start = None

    for i, tag in enumerate(tags):
        if tag == "-":
            close(i)
            missing = True
            continue
        if tag == "O":
            close(i)
            continue
        prefix, sep, label = tag.partition("-")
        if not sep or not label or prefix not in ("B", "I", "L", "U", "E", "S"):
            raise ValueError(f"unknown tag {tag!r}: expected O, -, or B-, I-, L-, U-, E-, S- and a label", lines[i])
        if prefix in ("L", "U", "E", "S") and scheme in ("iob1", "iob2"):
            raise ValueError(f"tag {tag!r} is not {scheme.upper()} (it is BILUO)", lines[i])
        if prefix in ("U", "S"):
            close(i)
            spans.append((tokens[i][0], tokens[i][1], label))
        elif prefix == "B":
            close(i)
            open_start, open_label = i, label
        elif open_start is not None and open_label == label:  # I, L, E continue
            if prefix in ("L", "E"):
                close(i + 1)
        else:
            close(i)
            if scheme in ("iob2", "biluo"):
                notes.append(f"line {lines[i]}: {tag} does not follow B-{label}: read as the start of an entity")
            open_start, open_label = i, label
            if prefix in ("L", "E"):
                close(i + 1)
    close(len(tags))
    return spans, missing
