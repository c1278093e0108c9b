"""The import readers on real files: every format read right, every bad record rejected with a reason."""

from __future__ import annotations

import json
import os
import tracemalloc
from pathlib import Path

import pytest

from annotator.core.records import Record, Rejection
from annotator.io.formats import supported
from annotator.io.readers import read_paths

SUPPORTED = supported()

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def jsonl(*objs: object) -> str:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objs)


def read(*paths) -> list[Record | Rejection]:
    return list(read_paths(paths))


def only(items: list) -> Record | Rejection:
    assert len(items) == 1, items
    return items[0]


# --- .txt ---------------------------------------------------------------------------------------


def test_seed_txt_is_one_record_with_its_first_line_as_title():
    path = sorted(SEEDS.glob("*.txt"))[0]
    rec = only(read(path))
    raw = path.read_text(encoding="utf-8")
    assert isinstance(rec, Record)
    assert rec.text == raw.replace("\r\n", "\n")
    assert rec.title == next(line.strip() for line in raw.splitlines() if line.strip())
    assert rec.meta == {"file": path.name}
    assert rec.spans is None and rec.status == "new"
    assert rec.source == str(path) and rec.line == 0


def test_txt_keeps_text_exactly_but_normalises_newlines(tmp_path):
    path = write(tmp_path / "a.txt", "\n  \r\n  Peace talks in Davos \r\nKyiv\u2019s envoy\rsaid.  \r\n")
    rec = only(read(str(path)))
    assert rec.text == "\n  \n  Peace talks in Davos \nKyiv\u2019s envoy\nsaid.  \n"
    assert rec.title == "Peace talks in Davos"
    assert rec.source == str(path)


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", ["empty text"]),
        (b" \r\n\t\n", ["empty text"]),
        (b"Kyiv\nCaf\xe9 talks", ["not UTF-8", "0xe9", "line 2, byte 4", "save the file as UTF-8"]),
        (b"\xef\xbb\xbfKyiv talks", ["UTF-8 byte-order mark (BOM)", "without BOM"]),
        ("Kyiv talks".encode("utf-16"), ["UTF-16 LE byte-order mark (BOM)", "not UTF-8", "without BOM"]),
        ("Kyiv talks".encode("utf-16-be").join([b"\xfe\xff", b""]), ["UTF-16 BE", "BOM"]),
        ("Kyiv talks".encode("utf-32"), ["UTF-32 LE", "BOM"]),
    ],
    ids=["empty", "whitespace", "latin1", "utf8-bom", "utf16-le", "utf16-be", "utf32"],
)
def test_bad_txt_is_rejected_with_reason(tmp_path, content, words):
    path = write(tmp_path / "bad.txt", content)
    rej = only(read(path))
    assert isinstance(rej, Rejection)
    assert (rej.source, rej.line) == (str(path), 0)
    for word in words:
        assert word in rej.reason


# --- JSONL --------------------------------------------------------------------------------------


def test_plain_jsonl_title_from_meta_or_first_line(tmp_path):
    path = write(
        tmp_path / "plain.jsonl",
        jsonl(
            {"text": "Talks resume\nin Geneva.", "meta": {"title": "  Geneva round  ", "url": "https://example.org/1"}},
            {"text": "\n\n  First line here  \nrest"},
            {"text": "No meta title", "meta": {"title": "   ", "outlet": "BBC"}},
            {"text": "meta null", "meta": None, "id": 7},
        ),
    )
    a, b, c, d = read(path)
    assert (a.text, a.title, a.meta, a.spans, a.status, a.line) == (
        "Talks resume\nin Geneva.", "Geneva round", {"title": "  Geneva round  ", "url": "https://example.org/1"}, None, "new", 1
    )
    assert (b.text, b.title, b.meta, b.line) == ("\n\n  First line here  \nrest", "First line here", {}, 2)
    assert (c.title, c.meta) == ("No meta title", {"title": "   ", "outlet": "BBC"})
    assert (d.meta, d.spans) == ({"id": 7}, None)


def test_prodigy_answers_set_status_and_spans_are_kept(tmp_path):
    text = "Witkoff met Umerov in Florida."
    spans = [
        {"start": 22, "end": 29, "label": "GPE", "token_start": 4, "token_end": 4},
        {"start": 0, "end": 7, "label": "PERSON", "text": "Witkoff"},
        {"start": 12, "end": 18, "label": "PERSON"},
    ]
    extra = {"_input_hash": 1, "_task_hash": 2, "_view_id": "ner_manual", "tokens": [{"text": "Witkoff"}]}
    path = write(
        tmp_path / "prodigy.jsonl",
        jsonl(
            {"text": text, "spans": spans, "answer": "accept", "meta": {"source": "wire"}, **extra},
            {"text": text + " 1", "spans": spans, "answer": "reject"},
            {"text": text + " 2", "spans": spans, "answer": "ignore"},
            {"text": text + " 3", "spans": spans},
            {"text": text + " 4", "spans": [], "answer": "accept"},
            {"text": "A classification task.", "label": "POLITICS", "answer": "accept"},
        ),
    )
    recs = read(path)
    assert all(isinstance(r, Record) for r in recs)
    expected = [(0, 7, "PERSON"), (12, 18, "PERSON"), (22, 29, "GPE")]
    assert [(r.status, r.spans) for r in recs] == [
        ("accepted", expected),
        ("in_progress", expected),
        ("skipped", expected),
        ("new", expected),
        ("accepted", []),
        ("new", None),  # an accepted classification says nothing about entities
    ]
    assert recs[0].meta == {"source": "wire"} and recs[0].title == text
    assert recs[5].meta == {"categories": ["POLITICS"]}
    assert [r.line for r in recs] == [1, 2, 3, 4, 5, 6]


def test_doccano_classic_and_entities_formats(tmp_path):
    text = "Zelensky spoke in Davos."
    path = write(
        tmp_path / "doccano.jsonl",
        jsonl(
            {"id": 11, "text": text, "label": [[18, 23, "GPE"], [0, 8, "PERSON"]], "Comments": []},
            {"id": 12, "text": text + " ", "entities": [{"id": 1, "label": "PERSON", "start_offset": 0, "end_offset": 8}],
             "relations": []},
            {"id": 13, "text": text + "  ", "label": []},
            {"id": 14, "text": text + "   ", "label": ["positive", "politics"]},
        ),
    )
    a, b, c, d = read(path)
    assert (a.spans, a.meta, a.status) == ([(0, 8, "PERSON"), (18, 23, "GPE")], {"doccano_id": 11}, "new")
    assert (b.spans, b.meta) == ([(0, 8, "PERSON")], {"doccano_id": 12})
    assert (c.spans, c.meta) == ([], {"doccano_id": 13})  # an empty list: annotated, no entities
    assert (d.spans, d.meta) == (None, {"doccano_id": 14, "categories": ["positive", "politics"]})


def test_crlf_inside_json_text_shifts_spans(tmp_path):
    text = "Talks\r\n\r\nUmerov met\rWitkoff \U0001f600 in Miami\r\n"
    spans = [[9, 15, "PERSON"], [20, 27, "PERSON"], [33, 38, "GPE"]]
    assert [text[s:e] for s, e, _ in spans] == ["Umerov", "Witkoff", "Miami"]
    rec = only(read(write(tmp_path / "crlf.jsonl", jsonl({"text": text, "label": spans}))))
    assert rec.text == "Talks\n\nUmerov met\nWitkoff \U0001f600 in Miami\n"
    assert [rec.text[s:e] for s, e, _ in rec.spans] == ["Umerov", "Witkoff", "Miami"]
    assert rec.spans == [(7, 13, "PERSON"), (18, 25, "PERSON"), (31, 36, "GPE")]


def test_crlf_line_endings_and_blank_lines_in_the_file(tmp_path):
    content = '\r\n{"text": "one"}\r\n   \r\n{"text": "two"}'  # no final newline
    recs = read(write(tmp_path / "win.ndjson", content))
    assert [(r.text, r.line) for r in recs] == [("one", 2), ("two", 4)]


def test_utf16_jsonl_is_rejected_once_for_the_whole_file(tmp_path):
    path = write(tmp_path / "u16.jsonl", jsonl({"text": "a"}, {"text": "b"}).encode("utf-16"))
    rej = only(read(path))
    assert isinstance(rej, Rejection) and rej.line == 0 and "UTF-16 LE" in rej.reason


def test_utf8_bom_costs_only_the_first_line(tmp_path):
    path = write(tmp_path / "bom.jsonl", b"\xef\xbb\xbf" + jsonl({"text": "a"}, {"text": "b"}).encode())
    first, second = read(path)
    assert isinstance(first, Rejection) and first.line == 1 and "BOM" in first.reason
    assert isinstance(second, Record) and second.text == "b"


# --- paths and folders --------------------------------------------------------------------------


def test_folder_mixing_formats_is_read_recursively_sorted_and_skips_hidden(tmp_path):
    root = tmp_path / "corpus"
    write(root / "b.txt", "Second article\nbody")
    write(root / "a.jsonl", jsonl({"text": "From JSONL"}))
    write(root / "sub" / "c.ndjson", jsonl({"text": "Nested", "label": [[0, 6, "ORG"]]}))
    write(root / "sub" / "d.json-lines", jsonl({"text": "Prodigy", "spans": [], "answer": "ignore"}))
    write(root / "sub" / "E.TXT", "Upper-case suffix")
    write(root / "notes.md", "not an article")
    write(root / "data.csv", "a,b")
    write(root / ".hidden.txt", "hidden file")
    write(root / ".git" / "x.txt", "hidden folder")
    recs = read(root)
    assert all(isinstance(r, Record) for r in recs)
    assert [(Path(r.source).relative_to(root).as_posix(), r.text) for r in recs] == [
        ("a.jsonl", "From JSONL"),
        ("b.txt", "Second article\nbody"),
        ("sub/E.TXT", "Upper-case suffix"),
        ("sub/c.ndjson", "Nested"),
        ("sub/d.json-lines", "Prodigy"),
    ]
    assert recs[3].spans == [(0, 6, "ORG")] and recs[4].status == "skipped"
    assert recs[1].source == str(root / "b.txt")


def test_the_seed_folder_gives_five_records():
    recs = read(SEEDS)
    assert len(recs) == 5 and all(isinstance(r, Record) and r.title for r in recs)


def test_paths_that_cannot_be_read_are_rejected_and_the_rest_still_read(tmp_path):
    good = write(tmp_path / "good.txt", "Good article")
    csv = write(tmp_path / "table.csv", "a,b")
    js = write(tmp_path / "export.json", "[]")
    empty = tmp_path / "empty"
    empty.mkdir()
    (tmp_path / "docs").mkdir()
    os.symlink(tmp_path / "gone.txt", tmp_path / "docs" / "dangling.txt")  # listed, but cannot be opened
    items = read(tmp_path / "missing.txt", csv, js, empty, tmp_path / "docs", good, good)
    reasons = [(Path(i.source).name, i.line, i.reason) for i in items if isinstance(i, Rejection)]
    assert reasons == [
        ("missing.txt", 0, "no such file or folder"),
        ("table.csv", 0, f"unsupported file type .csv: supported are {SUPPORTED}"),
        ("empty", 0, f"no {SUPPORTED} files in this folder"),
        ("dangling.txt", 0, "cannot read the file: No such file or directory"),
    ]
    records = [i for i in items if isinstance(i, Record)]
    assert [r.text for r in records] == ["Good article"]  # named twice, read once; an empty JSON array holds nothing to lose


def test_a_pipe_in_a_folder_is_refused_not_waited_on(tmp_path):
    write(tmp_path / "a.txt", "Real article")
    os.mkfifo(tmp_path / "b.txt")
    first, second = read(tmp_path)
    assert isinstance(first, Record) and first.text == "Real article"
    assert isinstance(second, Rejection) and (Path(second.source).name, second.reason) == ("b.txt", "not a regular file")


def test_a_big_jsonl_is_streamed_not_loaded(tmp_path):
    line = json.dumps({"text": "Kyiv talks resumed on Sunday. " * 8, "meta": {"n": 0}}) + "\n"
    path = write(tmp_path / "big.jsonl", line * 10_000)  # ~2.6 MB
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_paths([path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 10_000
    assert peak < size / 5, f"peak {peak} bytes for a {size}-byte file"


# --- malformed JSONL records: each between good lines ---------------------------------------------

GOOD_FIRST = {"text": "Rubio met Lavrov.", "spans": [{"start": 0, "end": 5, "label": "PERSON"}], "answer": "accept"}
GOOD_LAST = {"text": "Talks in Geneva.", "meta": {"title": "Geneva"}}
T = "Kyiv and Moscow talk."  # Kyiv [0, 4), Moscow [9, 15)


def bad(**fields) -> str:
    return json.dumps({"text": T, **fields})


def span(s, e, label="GPE", **extra) -> dict:
    return {"start": s, "end": e, "label": label, **extra}


MALFORMED = [
    ("truncated-json", '{"text": "Kyiv",', ["invalid JSON", "column 17"]),
    ("trailing-data", '{"text": "Kyiv"} extra', ["invalid JSON", "Extra data"]),
    ("single-quotes", "{'text': 'Kyiv'}", ["invalid JSON", "double quotes"]),
    ("nan", '{"text": "Kyiv", "meta": {"score": NaN}}', ["invalid JSON", "NaN is not allowed"]),
    ("raw-control-char", '{"text": "Kyiv\tMoscow"}', ["invalid JSON", "control character"]),
    ("too-deep", '{"text": "Kyiv", "meta": {"x": ' + "[" * 5000 + "]" * 5000 + "}}", ["nested too deeply"]),
    ("array-line", '["text", "Kyiv"]', ["not a JSON object", "an array"]),
    ("string-line", '"Kyiv"', ["not a JSON object", "a string"]),
    ("no-text", '{"body": "Kyiv", "label": []}', ['no "text" field', "'body'", "--text-key"]),
    ("text-null", '{"text": null}', ['"text" must be a string', "null"]),
    ("text-number", '{"text": 42}', ['"text" must be a string', "a number"]),
    ("text-empty", '{"text": ""}', ["empty text"]),
    ("text-whitespace", '{"text": " \\n\\t\\r\\n "}', ["empty text"]),
    ("not-utf8", b'{"text": "Caf\xe9 talks"}', ["not UTF-8", "0xe9", "byte 14 of the line"]),
    ("bom-line", b'\xef\xbb\xbf{"text": "Kyiv"}', ["byte-order mark (BOM)", "without BOM"]),
    ("lone-surrogate", '{"text": "Kyiv \\ud800 talks"}', ["unpaired surrogate", "\\ud800", "character 5"]),
    ("surrogate-in-meta", '{"text": "Kyiv", "meta": {"t": "\\udfff"}}', ['"meta"', "unpaired surrogate"]),
    ("meta-string", bad(meta="BBC"), ['"meta" must be an object', "a string"]),
    ("meta-array", bad(meta=["BBC"]), ['"meta" must be an object', "an array"]),
    ("spans-object", bad(spans={"start": 0, "end": 4, "label": "GPE"}), ['"spans" must be a list', "an object"]),
    ("span-not-object", bad(spans=[span(9, 15), [0, 4, "GPE"]]), ["span 2", "not an object", "an array"]),
    ("span-no-end", bad(spans=[{"start": 0, "label": "GPE"}]), ["span 1", 'no "end"']),
    ("span-no-label", bad(spans=[{"start": 0, "end": 4}]), ["span 1", 'no "label"']),
    ("offset-float", bad(spans=[span(0, 4.0)]), ["span 1", "offsets must be integers", "end=4.0"]),
    ("offset-bool", bad(spans=[span(True, 4)]), ["span 1", "offsets must be integers", "start=True"]),
    ("offset-string", bad(spans=[span("0", 4)]), ["span 1", "offsets must be integers", "start='0'"]),
    ("offset-past-end", bad(spans=[span(0, 4), span(16, 99)]), ["span 2 [16, 99)", "outside the text", "length 21"]),
    ("offset-negative", bad(spans=[span(-1, 4)]), ["span 1 [-1, 4)", "outside the text"]),
    ("start-after-end", bad(spans=[span(0, 4), span(9, 15), span(12, 9)]), ["span 3 [12, 9)", "start >= end"]),
    ("empty-span", bad(spans=[span(4, 4)]), ["span 1 [4, 4)", "start >= end"]),
    ("overlap", bad(spans=[span(0, 4), span(2, 11, "ORG")]),
     ["overlapping entities", "[0, 4) 'Kyiv' GPE", "[2, 11) 'iv and Mo' ORG"]),
    ("label-empty", bad(spans=[span(0, 4, "")]), ["span 1", "empty label"]),
    ("label-blank", bad(spans=[span(0, 4, "  ")]), ["span 1", "empty label"]),
    ("label-number", bad(spans=[span(0, 4, 3)]), ["span 1 label must be a string", "a number"]),
    ("label-padded", bad(spans=[span(0, 4, "GPE ")]), ["span 1 label 'GPE '", "whitespace at an edge"]),
    ("span-text-mismatch", json.dumps({"text": "\U0001f600 Kyiv's talks", "spans": [span(3, 7, text="Kyiv")]}),
     ["span 1 [3, 7)", "covers \"yiv'\"", "'Kyiv'", "not bytes or UTF-16 units"]),
    ("answer-unknown", bad(spans=[span(0, 4)], answer="maybe"), ['unknown "answer"', "'maybe'", '"accept", "reject" or "ignore"']),
    ("answer-number", bad(spans=[], answer=1), ['unknown "answer" 1']),
    ("doccano-short-item", bad(label=[[0, 4, "GPE"], [9, 15]]), ["span 2", '"label" must be [start, end, label]', "[9, 15]"]),
    ("doccano-mixed", bad(label=["GPE", [0, 4, "GPE"]]), ["span 1", '"label" must be [start, end, label]', "'GPE'"]),
    ("doccano-reversed", bad(label=[[15, 9, "GPE"]]), ["span 1 [15, 9)", "start >= end"]),
    ("doccano-overlap", bad(label=[[0, 15, "ORG"], [9, 15, "GPE"]]), ["overlapping entities", "ORG", "GPE"]),
    ("doccano-label-number", bad(label=5), ['"label" must be a list', "a number"]),
    ("entities-no-offset", bad(entities=[{"label": "GPE", "end_offset": 4}]), ["span 1", '"entities"', 'no "start_offset"']),
    ("entities-outside", bad(entities=[{"label": "GPE", "start_offset": 0, "end_offset": 40}]), ["span 1 [0, 40)", "outside"]),
    ("spans-twice", bad(spans=[span(0, 4)], entities=[]), ["given twice", '"spans" and "entities"']),
]


@pytest.mark.parametrize("line, words", [c[1:] for c in MALFORMED], ids=[c[0] for c in MALFORMED])
def test_malformed_record_is_rejected_and_good_ones_still_read(tmp_path, line, words):
    body = line if isinstance(line, bytes) else line.encode("utf-8")
    content = json.dumps(GOOD_FIRST).encode() + b"\n" + body + b"\n\n" + json.dumps(GOOD_LAST).encode() + b"\n"
    path = write(tmp_path / "mixed.jsonl", content)
    first, rejected, last = read(path)
    assert isinstance(rejected, Rejection), rejected
    assert (rejected.source, rejected.line) == (str(path), 2)
    for word in words:
        assert word in rejected.reason, (word, rejected.reason)
    assert "unexpected error" not in rejected.reason
    assert isinstance(first, Record) and (first.line, first.spans, first.status) == (1, [(0, 5, "PERSON")], "accepted")
    assert isinstance(last, Record) and (last.line, last.text, last.title) == (4, "Talks in Geneva.", "Geneva")


CHANGED = [  # imported, with the change said by line (issue 10, point 5)
    ("same-span-twice", bad(spans=[span(9, 15), span(9, 15)]), [(9, 15, "GPE")], ["span 2 [9, 15) GPE is given twice: kept one"]),
    ("space-at-start", bad(spans=[span(8, 15)]), [(9, 15, "GPE")], ["span 1 [8, 15) ' Moscow' had whitespace at an edge: trimmed to [9, 15)"]),
    ("space-at-end", bad(spans=[span(0, 5)]), [(0, 4, "GPE")], ["span 1 [0, 5) 'Kyiv ' had whitespace at an edge: trimmed to [0, 4)"]),
    ("newline-at-end", json.dumps({"text": "Kyiv\r\ntalks", "spans": [span(0, 5)]}), [(0, 4, "GPE")],
     ["trimmed to [0, 4) 'Kyiv'", "changed to \\n"]),
    ("doccano-1x-data", '{"data": "Kyiv and Moscow talk.", "label": [[0, 4, "GPE"]]}', [(0, 4, "GPE")], []),
    ("doccano-labels", '{"text": "Kyiv and Moscow talk.", "labels": [[0, 4, "GPE"]]}', [(0, 4, "GPE")], []),
]


@pytest.mark.parametrize("line, spans, notes", [c[1:] for c in CHANGED], ids=[c[0] for c in CHANGED])
def test_fixable_record_is_imported_with_the_change_said(tmp_path, line, spans, notes):
    path = write(tmp_path / "mixed.jsonl", json.dumps(GOOD_FIRST) + "\n" + line + "\n")
    _first, rec = read(path)
    assert isinstance(rec, Record), rec
    assert rec.spans == spans
    said = " | ".join(rec.notes)
    assert all(n in said for n in notes), said
    assert bool(rec.notes) == bool(notes)
