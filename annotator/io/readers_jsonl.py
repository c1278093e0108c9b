"""JSON Lines: plain ({"text", "meta"}), Prodigy tasks and doccano exports, one record per line.

The file is read as bytes, one line at a time, and each line is decoded on its own, so a huge
file is never held in memory and one broken line costs only itself.

Policy for fields the formats disagree on:
- an optional field (meta, spans, entities, label, answer, id) set to null counts as absent;
- "label" as a string or a list of strings is text classification, not entities: the record
  is imported without entity spans (the model may add some) and the classes are kept in
  meta["categories"];
- "answer" (Prodigy) sets the status only when the record carries entity spans: accepting a
  classification task says nothing about its entities.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from annotator.core.model import ACCEPTED, IN_PROGRESS, NEW, SKIPPED
from annotator.core.records import Record, Rejection, title_from_text
from annotator.core.spans import normalize_newlines
from annotator.io.decoding import Invalid, bom_of, bom_reason, check_encodable, nul_reason, utf8_reason
from annotator.io.input_spans import categories_in, json_type, read_spans, shorten, span_key

ANSWERS = {"accept": ACCEPTED, "reject": IN_PROGRESS, "ignore": SKIPPED}
JSON_SPACE = b" \t\r\n"


def read_jsonl(path: Path, source: str) -> Iterator[Record | Rejection]:
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
                    yield parse_line(raw, source, lineno)
    except OSError as err:
        # lines already yielded stand; the rest of the file is reported from the line that failed
        where = " from this line on" if lineno else ""
        yield Rejection(source, lineno + 1 if lineno else 0, f"cannot read the file{where}: {err.strerror or err}")


def parse_line(raw: bytes, source: str, lineno: int) -> Record | Rejection:
    try:
        return _record(raw, source, lineno)
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


def _record(raw: bytes, source: str, lineno: int) -> Record:
    obj = load_json(raw)
    if not isinstance(obj, dict):
        raise Invalid(f'not a JSON object (got {json_type(obj)}): each line must be one object with a "text" field')
    text = _text(obj)
    meta = _meta(obj)
    key = span_key(obj)
    spans = read_spans(obj, key, text) if key else None
    status = _status(obj, has_spans=key is not None)
    cats = categories_in(obj)
    if cats is not None:
        meta.setdefault("categories", cats)
    if obj.get("id") is not None:
        meta.setdefault("doccano_id" if key in ("label", "entities") or cats else "id", obj["id"])
    _check_meta(meta)

    text, offsets = normalize_newlines(text, [(s, e) for s, e, _ in spans or ()])
    if spans is not None:
        spans = sorted((s, e, label) for (s, e), (_, _, label) in zip(offsets, spans, strict=True))
    given_title = meta.get("title")
    title = title_from_text(given_title) if isinstance(given_title, str) else ""
    return Record(
        text=text, title=title or title_from_text(text), meta=meta, spans=spans, status=status, source=source, line=lineno
    )


def _text(obj: dict) -> str:
    if "text" not in obj:
        keys = ", ".join(shorten(k, 20) for k in list(obj)[:8]) or "none"
        hint = ""
        if isinstance(obj.get("data"), dict) and ("annotations" in obj or "predictions" in obj):
            hint = '; this looks like a Label Studio task, which is not supported: export JSONL with "text" and "spans"'
        raise Invalid(f'no "text" field (keys found: {keys}){hint}')
    text = obj["text"]
    if not isinstance(text, str):
        raise Invalid(f'"text" must be a string, got {json_type(text)}')
    if not text.strip():
        raise Invalid('empty text: "text" is empty or only whitespace')
    check_encodable(text, '"text"')
    if "\x00" in text:
        raise Invalid(f'"text" contains a NUL character (\\u0000) at character {text.index(chr(0)) + 1}: remove it '
                      "(a NUL would cut the text short in the database and search)")
    return text


def _meta(obj: dict) -> dict:
    meta = obj.get("meta")
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise Invalid(f'"meta" must be an object, got {json_type(meta)}')
    return dict(meta)


def _check_meta(meta: dict) -> None:
    # the store writes meta as JSON; make sure it can, so the failure is this line's, not the batch's
    try:
        dumped = json.dumps(meta, ensure_ascii=False)
    except RecursionError:
        raise Invalid('"meta" is nested too deeply') from None
    check_encodable(dumped, '"meta"', say_where=False)


def _status(obj: dict, has_spans: bool) -> str:
    answer = obj.get("answer")
    if answer is None:
        return NEW
    if not isinstance(answer, str) or answer not in ANSWERS:
        raise Invalid(f'unknown "answer" {shorten(answer)}: expected "accept", "reject" or "ignore"')
    return ANSWERS[answer] if has_spans else NEW
