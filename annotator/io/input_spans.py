"""Entity spans as Prodigy and doccano write them, checked against the text they belong to."""

from __future__ import annotations

from annotator.core.spans import SpanError, check_span, find_overlap, trim
from annotator.io.decoding import Invalid, check_encodable

# key holding the span list -> (start key, end key) inside each span object
SPAN_KEYS = {"spans": ("start", "end"), "entities": ("start_offset", "end_offset")}


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def shorten(value: object, limit: int = 40) -> str:
    text = repr(value)  # repr escapes control characters and broken surrogates
    return text if len(text) <= limit else text[: limit - 3] + "..."


def categories_in(obj: dict) -> list[str] | None:
    """A "label" that names classes of the whole text (doccano or Prodigy text classification)."""
    label = obj.get("label")
    if isinstance(label, str):
        return [label]
    if isinstance(label, list) and label and all(isinstance(x, str) for x in label):
        return list(label)
    return None


def span_key(obj: dict, custom: str | None = None) -> str | None:
    """Which key holds entity spans: "spans" (Prodigy), "entities" (doccano 1.x), "label" or the older
    "labels" (classic doccano), or a custom column (--label-key, [start, end, label] lists)."""
    if custom:
        if obj.get(custom) is None:
            return None
        return custom
    label = obj.get("label")
    if label is not None and not isinstance(label, (str, list)):
        raise Invalid(f'"label" must be a list of [start, end, label] spans or a class name, got {json_type(label)}')
    keys = [k for k in ("spans", "entities", "labels") if obj.get(k) is not None]
    if isinstance(label, list) and categories_in(obj) is None:
        keys.append("label")
    if len(keys) > 1:
        raise Invalid("entity spans are given twice, in " + " and ".join(f'"{k}"' for k in keys) + ": keep one")
    return keys[0] if keys else None


def read_spans(obj: dict, key: str, text: str, notes: list[str] | None = None) -> list[tuple[int, int, str]]:
    """The spans under `key`, checked against the text. A span with whitespace at an edge is trimmed
    and an exact duplicate dropped, each said in `notes`; anything else wrong rejects the record."""
    items = obj[key]
    notes = notes if notes is not None else []
    seen: set[tuple[int, int, str]] = set()
    if not isinstance(items, list):
        raise Invalid(f'"{key}" must be a list of spans, got {json_type(items)}')
    spans = []
    good_labels: set[str] = set()  # a file repeats a handful of labels: check each once
    n = len(text)
    for i, item in enumerate(items, 1):
        start, end, label = _fields(key, item, i)
        if not (label.__class__ is str and label in good_labels):
            _check_label(label, i)
            good_labels.add(label)
        if start.__class__ is int and end.__class__ is int and 0 <= start < end <= n:
            piece = text[start:end]
            if piece[0].isspace() or piece[-1].isspace():  # the slow path: trim, and say so
                new_start, new_end = trim(text, start, end)
                if new_start >= new_end:
                    notes.append(f"span {i} [{start}, {end}) {label} is only whitespace: left out")
                    continue
                notes.append(f"span {i} [{start}, {end}) {shorten(piece)} had whitespace at an edge: "
                             f"trimmed to [{new_start}, {new_end}) {shorten(text[new_start:new_end])}")
                start, end, item = new_start, new_end, None
                piece = text[start:end]
        else:
            try:
                check_span(text, start, end)  # says what is wrong with the offsets
            except SpanError as err:
                msg = str(err)
                raise Invalid(f"span {i} {msg[5:]}" if msg.startswith("span ") else f"span {i}: {msg}") from None
            piece = text[start:end]
        said = item.get("text") if isinstance(item, dict) else None
        if said is not None and said != piece and isinstance(said, str):
            raise Invalid(
                f"span {i} [{start}, {end}) covers {shorten(piece)} but its \"text\" says {shorten(said)}"
                " (offsets must count characters, not bytes or UTF-16 units)"
            )
        triple = (start, end, label)
        if triple in seen:
            notes.append(f"span {i} [{start}, {end}) {label} is given twice: kept one")
            continue
        seen.add(triple)
        spans.append(triple)
    pair = find_overlap((s, e) for s, e, _ in spans)
    if pair:
        labels = {(s, e): lb for s, e, lb in spans}
        a, b = pair
        raise Invalid(
            f"overlapping entities: [{a[0]}, {a[1]}) {shorten(text[a[0]:a[1]])} {labels[a]} "
            f"and [{b[0]}, {b[1]}) {shorten(text[b[0]:b[1]])} {labels[b]}"
        )
    return spans


def _ints(*values: object) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _fields(key: str, item: object, i: int) -> tuple[object, object, object]:
    if key not in SPAN_KEYS:  # "label", "labels" or a custom column: [start, end, label] lists
        if not isinstance(item, list) or len(item) != 3:
            raise Invalid(f'span {i} in "{key}" must be [start, end, label], got {shorten(item)}')
        return item[0], item[1], item[2]
    if not isinstance(item, dict):
        raise Invalid(f'span {i} in "{key}" is not an object (got {json_type(item)})')
    start_key, end_key = SPAN_KEYS[key]
    for k in (start_key, end_key, "label"):
        if k not in item:
            raise Invalid(f'span {i} in "{key}" has no "{k}"')
    return item[start_key], item[end_key], item["label"]


def _check_label(label: object, i: int) -> None:
    if not isinstance(label, str):
        raise Invalid(f"span {i} label must be a string, got {json_type(label)}")
    if not label.strip():
        raise Invalid(f"span {i} has an empty label")
    if label != label.strip():
        raise Invalid(f"span {i} label {shorten(label)} has whitespace at an edge")
    check_encodable(label, f"span {i} label")
