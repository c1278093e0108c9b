"""JSON Lines and JSON arrays, one record per line or element (see json_records for the fields).

A JSONL file is read as bytes, one line at a time, and each line is decoded on its own, so a
huge file is never held in memory and one broken line costs only itself. A JSON array (doccano
and Label Studio's JSON export) is decoded element by element, each reported by the line it
starts on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from annotator.core.records import Record, Rejection
from annotator.io.decoding import Invalid, bom_of, bom_reason, nul_reason, utf8_reason
from annotator.io.json_records import record_from_obj

JSON_SPACE = b" \t\r\n"
MAX_JSON_BYTES = 1 << 30  # a JSON array is read whole: beyond this, ask for JSONL


def read_jsonl(path: Path, source: str, options=None) -> Iterator[Record | Rejection]:
    lineno = 0
    try:
        with open(path, "rb") as f:
            for raw in f:
                lineno += 1
                if lineno == 1:
                    name = bom_of(raw)
                    if name and name != "UTF-8":  # every line would be garbage: say it once
                        yield Rejection(source, 0, bom_reason(name))
                        return
                if raw.strip(JSON_SPACE + b"\x00"):  # (a UTF-16 newline leaves a lone NUL on the next line)
                    yield parse_line(raw, source, lineno, options)
    except OSError as err:
        # lines already yielded stand; the rest of the file is reported from the line that failed
        where = " from this line on" if lineno else ""
        yield Rejection(source, lineno + 1 if lineno else 0, f"cannot read the file{where}: {err.strerror or err}")


def parse_line(raw: bytes, source: str, lineno: int, options=None) -> Record | Rejection:
    try:
        return record_from_obj(load_json(raw), source, lineno, options)
    except Invalid as err:
        return Rejection(source, lineno, str(err))
    except Exception as err:  # a reader bug must cost one line, not the whole import
        return Rejection(source, lineno, f"unexpected error while reading this line ({type(err).__name__}: {err}); please report it")


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not allowed in JSON")


def load_json(raw: bytes) -> object:
    if bom_of(raw) == "UTF-8":
        raise Invalid(bom_reason("UTF-8", "the line"))
    nul = nul_reason(raw.rstrip(b"\r\n"), whole_file=False)
    if nul:
        raise Invalid(nul)
    try:
        line = raw.rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError as err:
        raise Invalid(utf8_reason(raw, err, whole_file=False)) from None
    try:
        return json.loads(line, parse_constant=_no_constants)
    except json.JSONDecodeError as err:
        hint = " (one JSON object per line)" if err.msg == "Extra data" else ""
        raise Invalid(f"invalid JSON: {err.msg.removesuffix(' at')} at column {err.colno}{hint}") from None
    except ValueError as err:
        raise Invalid(f"invalid JSON: {err}") from None
    except RecursionError:
        raise Invalid("invalid JSON: nested too deeply") from None


def read_json_array(path: Path, source: str, options=None) -> Iterator[Record | Rejection]:
    """A JSON array of records; a .json file holding one object per line is read as JSONL."""
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            yield Rejection(source, 0, f"a JSON file over {MAX_JSON_BYTES >> 20} MB is read whole: export JSONL instead")
            return
        data = path.read_bytes()
    except OSError as err:
        yield Rejection(source, 0, f"cannot read the file: {err.strerror or err}")
        return
    name = bom_of(data)
    if name:
        yield Rejection(source, 0, bom_reason(name))
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        yield Rejection(source, 0, utf8_reason(data, err, whole_file=True))
        return
    body = text.lstrip()
    if not body.startswith("["):
        yield from read_jsonl(path, source, options)  # one object per line, named .json
        return
    yield from _elements(text, text.index("["), source, options)


def _elements(text: str, pos: int, source: str, options) -> Iterator[Record | Rejection]:
    decoder = json.JSONDecoder(parse_constant=_no_constants)
    pos += 1
    line, counted = 1, 0

    def line_at(p: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, p)
        counted = p
        return line

    n = len(text)
    while True:
        while pos < n and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= n:
            yield Rejection(source, line_at(n), "invalid JSON: the array is not closed with ]")
            return
        if text[pos] == "]":
            return
        at = line_at(pos)
        try:
            obj, end = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError, ValueError) as err:
            msg = getattr(err, "msg", str(err))
            yield Rejection(source, at, f"invalid JSON: {msg}; the rest of the array cannot be read")
            return
        try:
            yield record_from_obj(obj, source, at, options)
        except Invalid as err:
            yield Rejection(source, at, str(err))
        except Exception as err:  # a reader bug must cost one record
            yield Rejection(source, at, f"unexpected error while reading this record ({type(err).__name__}: {err}); please report it")
        pos = end
