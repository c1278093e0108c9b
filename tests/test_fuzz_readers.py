"""Hostile input for the readers: random bytes, random JSON and mutated valid tasks never crash them,
every non-blank line gives exactly one Record or Rejection, and every Record is safe to store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.model import STATUSES
from annotator.core.records import Record, Rejection
from annotator.core.spans import check_span, find_overlap, normalize_newlines
from annotator.io.decoding import bom_of
from annotator.io.readers import read_paths

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def read_bytes_as(workdir: Path, name: str, data: bytes) -> list[Record | Rejection]:
    path = workdir / name
    path.write_bytes(data)
    return list(read_paths([path]))


def nonblank_lines(data: bytes) -> list[int]:
    return [n for n, raw in enumerate(data.split(b"\n"), 1) if raw.strip(b" \t\r\n\x00")]


def assert_storable(rec: Record) -> None:
    """What the store and the window rely on."""
    assert isinstance(rec.text, str) and rec.text.strip()
    assert "\r" not in rec.text
    rec.text.encode("utf-8")
    json.dumps(rec.meta, ensure_ascii=False).encode("utf-8")
    assert isinstance(rec.title, str) and rec.status in STATUSES
    if rec.spans is not None:
        for start, end, label in rec.spans:
            check_span(rec.text, start, end)
            assert isinstance(label, str) and label.strip() == label and label
            label.encode("utf-8")
        assert find_overlap((s, e) for s, e, _ in rec.spans) is None


def assert_one_item_per_line(data: bytes, items: list) -> None:
    if bom_of(data) not in (None, "UTF-8"):  # a UTF-16/32 file is refused once, as a whole
        assert len(items) == 1 and isinstance(items[0], Rejection) and items[0].line == 0
        return
    assert [i.line for i in items] == nonblank_lines(data)
    for item in items:
        if isinstance(item, Record):
            assert_storable(item)
        else:
            assert item.reason and "unexpected error" not in item.reason


# --- random bytes --------------------------------------------------------------------------------

SNIPPETS = [
    b'{"text": "Kyiv talks", "spans": [{"start": 0, "end": 4, "label": "GPE"}], "answer": "accept"}',
    b'{"text": "Kyiv talks", "label": [[0, 4, "GPE"]]}',
    b'{"text": "\\ud83d\\ude00 Kyiv", "meta": {"title": "t"}}',
    b"\xef\xbb\xbf", b"\xff\xfe", b"\r", b"\r\n", b"\x00", b"\xe9", b"\xf0\x9f\x98", b'"', b"{", b"}", b"[", b"\\u",
]
CHUNKS = st.one_of(st.binary(max_size=40), st.sampled_from(SNIPPETS))
RANDOM_FILE = st.lists(CHUNKS, max_size=30).map(b"".join) | st.binary(max_size=400)


@FUZZ
@given(data=RANDOM_FILE)
def test_random_bytes_as_txt(workdir, data):
    (item,) = read_bytes_as(workdir, "random.txt", data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    # NUL is refused (SQLite and the search index would cut the text there)
    readable = text is not None and bom_of(data) is None and bool(text.strip()) and "\x00" not in text
    assert isinstance(item, Record) == readable, item
    if readable:
        assert item.text == text.replace("\r\n", "\n").replace("\r", "\n") and item.spans is None
        assert_storable(item)
    else:
        assert "unexpected error" not in item.reason


@FUZZ
@given(data=RANDOM_FILE)
def test_random_bytes_as_jsonl(workdir, data):
    assert_one_item_per_line(data, read_bytes_as(workdir, "random.jsonl", data))


# --- random JSON values, one per line ------------------------------------------------------------

KEYS = st.sampled_from(
    ["text", "meta", "spans", "label", "entities", "answer", "id", "start", "end", "start_offset", "end_offset", "title"]
)
SCALARS = (
    st.none() | st.booleans() | st.integers(-5, 40) | st.integers() | st.floats()
    | st.text(max_size=12) | st.sampled_from(["accept", "reject", "ignore", "GPE", " ", "Kyiv talks", "\r\n"])
)
JSON_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS | st.text(max_size=5), inner, max_size=5),
    max_leaves=15,
)

OFFSET = st.integers(-2, 14) | SCALARS
SPAN_LIKE = st.fixed_dictionaries(
    {}, optional={"start": OFFSET, "end": OFFSET, "start_offset": OFFSET, "end_offset": OFFSET, "label": SCALARS, "text": SCALARS}
) | st.lists(OFFSET | SCALARS, max_size=4)
RECORD_LIKE = st.fixed_dictionaries(
    {"text": st.sampled_from(["Kyiv talks", " Kyiv\r\ntalks ", "\U0001f600 e\u0301 \u05e9"]) | st.text(max_size=14)},
    optional={key: st.lists(SPAN_LIKE, max_size=4) | JSON_VALUES for key in ("spans", "label", "entities")}
    | {"meta": JSON_VALUES, "answer": SCALARS, "id": SCALARS},
)


@FUZZ
@given(values=st.lists(st.tuples(JSON_VALUES | RECORD_LIKE, st.booleans(), st.sampled_from(["\n", "\r\n", "\n\n"])), max_size=8))
def test_random_json_values_per_line(workdir, values):
    data = "".join(json.dumps(v, ensure_ascii=ascii) + end for v, ascii, end in values).encode("utf-8", "surrogatepass")
    assert_one_item_per_line(data, read_bytes_as(workdir, "values.jsonl", data))


# --- mutated valid Prodigy and doccano lines -------------------------------------------------------

# (no NUL: a text holding one is refused, see test_readers)
ODD = ["\U0001f600", "e\u0301", "\u05e9\u05dc\u05d5\u05dd", "\u0639\u0631\u0628\u064a", "\u202e", "\u200f",
       "\x1b", "\x7f", "<b>", "&amp;", "\ufeff", "\U0001f1fa\U0001f1e6"]
WORD = st.lists(
    # no separators (Z*) or controls (Cc) at random, so no whitespace; ODD adds a few controls back
    st.characters(codec="utf-8", exclude_categories=("Cs", "Zs", "Zl", "Zp", "Cc")) | st.sampled_from(ODD),
    min_size=1, max_size=6,
).map("".join)
SEP = st.sampled_from([" ", "  ", "\n", "\r\n", "\r", "\t", "\u00a0", "\u2028", " \r\n ", "\n\n"])
LABEL = st.sampled_from(["PERSON", "GPE", "ORG", "X-1", "\u00c9TAT", "\U0001f600"])


@st.composite
def valid_task(draw):
    """A valid line in one of the three span formats, and the Record it must give."""
    text, spans = "", []
    for word, sep, is_entity, label in draw(st.lists(st.tuples(WORD, SEP, st.booleans(), LABEL), min_size=1, max_size=10)):
        if is_entity:
            spans.append((len(text), len(text) + len(word), label))
        text += word + sep
    fmt = draw(st.sampled_from(["prodigy", "doccano", "entities"]))
    answer = draw(st.sampled_from([None, "accept", "reject", "ignore"])) if fmt == "prodigy" else None
    if fmt == "prodigy":
        obj = {"text": text, "spans": [{"start": s, "end": e, "label": lb, "text": text[s:e]} for s, e, lb in spans],
               "meta": {"title": draw(WORD)}, "_input_hash": 1}
        if answer:
            obj["answer"] = answer
    elif fmt == "doccano":
        obj = {"id": 1, "text": text, "label": [[s, e, lb] for s, e, lb in spans]}
    else:
        obj = {"id": 1, "text": text,
               "entities": [{"id": i, "label": lb, "start_offset": s, "end_offset": e} for i, (s, e, lb) in enumerate(spans)]}
    norm, offsets = normalize_newlines(text, [(s, e) for s, e, _ in spans])
    expected = (norm, sorted((s, e, lb) for (s, e), (_, _, lb) in zip(offsets, spans, strict=True)),
                {"accept": "accepted", "reject": "in_progress", "ignore": "skipped"}.get(answer, "new"))
    return obj, expected


def span_list(obj: dict) -> list:
    return next(obj[k] for k in ("spans", "label", "entities") if k in obj)


def mutate(draw, obj: dict) -> str:
    """Break one thing the way real files break; the result may still happen to be valid."""
    kind = draw(st.sampled_from(["flip", "shift", "drop", "cr", "insert", "junk", "dup", "truncate", "key"]))
    spans = span_list(obj)
    if kind in ("flip", "shift", "dup") and spans:
        i = draw(st.integers(0, len(spans) - 1))
        item = spans[i]
        keys = [0, 1] if isinstance(item, list) else [k for k in item if k in ("start", "end", "start_offset", "end_offset")]
        if kind == "flip":
            item[keys[0]], item[keys[1]] = item[keys[1]], item[keys[0]]
        elif kind == "shift":
            item[draw(st.sampled_from(keys))] += draw(st.sampled_from([-1, 1, -100, 100]))
        else:
            spans.append(json.loads(json.dumps(item)))
    elif kind == "drop":
        target = draw(st.sampled_from([obj] + [s for s in spans if isinstance(s, dict)]))
        target.pop(draw(st.sampled_from(sorted(target))), None)
    elif kind in ("cr", "insert"):
        pos = draw(st.integers(0, len(obj["text"])))
        piece = "\r" if kind == "cr" else draw(st.sampled_from(ODD + [" ", "\r\n"]))
        obj["text"] = obj["text"][:pos] + piece + obj["text"][pos:]
    elif kind == "junk":
        obj[draw(KEYS)] = draw(JSON_VALUES)
    elif kind == "key" and spans and isinstance(spans[0], (dict, list)):
        spans[0] = draw(JSON_VALUES)
    line = json.dumps(obj, ensure_ascii=draw(st.booleans()))
    if kind == "truncate":
        line = line[: draw(st.integers(0, len(line)))]
    return line


@FUZZ
@given(st.data())
def test_mutated_valid_lines(workdir, data):
    lines, expected = [], {}
    for n in range(1, data.draw(st.integers(1, 4)) + 1):
        obj, want = data.draw(valid_task())
        if data.draw(st.booleans()):
            lines.append(mutate(data.draw, obj))
        else:
            lines.append(json.dumps(obj, ensure_ascii=data.draw(st.booleans())))
            expected[n] = want
    raw = ("\r\n" if data.draw(st.booleans()) else "\n").join(lines).encode("utf-8")
    items = read_bytes_as(workdir, "tasks.jsonl", raw)
    assert_one_item_per_line(raw, items)
    by_line = {i.line: i for i in items}
    for n, (text, spans, status) in expected.items():  # every valid line arrived, exactly as meant
        rec = by_line[n]
        assert isinstance(rec, Record), rec
        assert (rec.text, rec.spans, rec.status) == (text, spans, status)
