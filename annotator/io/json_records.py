"""One JSON object (a JSONL line or an element of a JSON array) to a Record: plain, Prodigy, doccano.

Policy for fields the formats disagree on:
- an optional field (meta, spans, entities, label, answer, id) set to null counts as absent;
- "label" as a string or a list of strings is text classification, not entities: the record
  is imported without entity spans (the model may add some) and the classes are kept in
  meta["categories"];
- a Prodigy "answer" sets the status. An accepted task with no "spans" key is gold with no
  entities (the annotator saw none), unless it is a classification task;
- a Prodigy binary task (`_is_binary`, or the "ner" view of ner.teach) holds one suggestion:
  accept confirms it, reject records that it is NOT that label (never an entity). Its
  document stays in progress, and tasks on one text merge into one document;
- the tool's own keys (ids, hashes, our `_annotator` block) are kept apart from the user's meta;
  our block restores the status and title on re-import, so meta does not grow by round trips.
"""

from __future__ import annotations

from annotator.core.model import ACCEPTED, IN_PROGRESS, NEW, SKIPPED, STATUSES
from annotator.core.records import Record, Relation, title_from_text
from annotator.io.decoding import Invalid, check_encodable
from annotator.io.input_spans import categories_in, json_type, read_spans, shorten, span_key
from annotator.io.record_build import OURS, check_meta, finish

ANSWERS = {"accept": ACCEPTED, "reject": IN_PROGRESS, "ignore": SKIPPED}
TOOL_KEYS = ("_input_hash", "_task_hash", "_view_id", "_session_id", "_annotator_id", "_timestamp", "_is_binary")
LEGACY_OURS = ("doc_id", "title", "status")  # exports before this version mixed these into meta


def record_from_obj(obj: object, source: str, lineno: int, options=None) -> Record:
    if not isinstance(obj, dict):
        raise Invalid(f'not a JSON object (got {json_type(obj)}): each record must be one object with a "text" field')
    if isinstance(obj.get("data"), dict) and ("annotations" in obj or "predictions" in obj):
        from annotator.io.labelstudio import record_from_task  # a Label Studio task inside a JSON file

        return record_from_task(obj, source, lineno, options)
    notes: list[str] = []
    text = text_of(obj, getattr(options, "text_key", None))
    meta = _meta(obj)
    ours = _ours(obj, meta)
    tool = {k: obj[k] for k in TOOL_KEYS if obj.get(k) is not None}
    key = span_key(obj, getattr(options, "label_key", None))
    spans = read_spans(obj, key, text, notes) if key else None
    cats = categories_in(obj)
    binary = obj.get("_is_binary") is True or (obj.get("_view_id") == "ner" and "answer" in obj)
    status = _status(obj, spans is not None, cats is not None)
    if spans is None and status in (ACCEPTED, SKIPPED) and obj.get("answer") is not None:
        spans = []  # gold with no entities: the annotator saw none, so the model must not add any
    rejected: list = []
    if binary and spans is not None:
        if obj.get("answer") == "reject":
            rejected, spans = spans, []
        elif obj.get("answer") == "ignore":
            spans = []
        status = IN_PROGRESS  # one suggestion answered says nothing about the rest of the text
    if cats is not None:
        meta.setdefault("categories", cats)
    if obj.get("id") is not None:
        tool["id"] = obj["id"]
        if key in ("label", "labels", "entities") or cats:
            meta.setdefault("doccano_id", obj["id"])  # kept where earlier versions put it
        else:
            meta.setdefault("id", obj["id"])
    relations = read_relations(obj, text, key) if obj.get("relations") else []
    title = ""
    if ours:
        if ours.get("status") in STATUSES:
            status = ours["status"]
        if isinstance(ours.get("title"), str):
            title = ours["title"]
    check_meta(meta)
    given_title = meta.get("title")
    if not title and isinstance(given_title, str):
        title = title_from_text(given_title)
    return finish(
        Record(text=text, title=title, meta=meta, spans=spans, status=status, source=source, line=lineno,
               notes=notes, rejected_spans=rejected, relations=relations, tool=tool, binary=binary)
    )


def text_of(obj: dict, text_key: str | None = None) -> str:
    key = text_key or "text"
    if key not in obj and text_key is None and isinstance(obj.get("data"), str):
        key = "data"  # doccano 1.x kept the text in "data"
    if key not in obj:
        keys = ", ".join(shorten(k, 20) for k in list(obj)[:8]) or "none"
        raise Invalid(f'no "{key}" field (keys found: {keys}); name the text field with --text-key')
    text = obj[key]
    if not isinstance(text, str):
        raise Invalid(f'"{key}" must be a string, got {json_type(text)}')
    if not text.strip():
        raise Invalid(f'empty text: "{key}" is empty or only whitespace')
    check_encodable(text, f'"{key}"')
    if "\x00" in text:
        raise Invalid(f'"{key}" contains a NUL character (\\u0000) at character {text.index(chr(0)) + 1}: remove it '
                      "(a NUL would cut the text short in the database and search)")
    return text


def _meta(obj: dict) -> dict:
    meta = obj.get("meta")
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise Invalid(f'"meta" must be an object, got {json_type(meta)}')
    return dict(meta)


def _ours(obj: dict, meta: dict) -> dict | None:
    ours = obj.get(OURS)
    if isinstance(ours, dict):
        return ours
    if all(k in meta for k in LEGACY_OURS) and meta.get("status") in STATUSES:
        # an export of an earlier version: take our keys back out of the user's meta
        return {k: meta.pop(k) for k in (*LEGACY_OURS, "source") if k in meta}
    return None


def _status(obj: dict, has_spans: bool, classification: bool) -> str:
    answer = obj.get("answer")
    if answer is None:
        return NEW
    if not isinstance(answer, str) or answer not in ANSWERS:
        raise Invalid(f'unknown "answer" {shorten(answer)}: expected "accept", "reject" or "ignore"')
    if has_spans or answer == "ignore":
        return ANSWERS[answer]
    # no spans key: accepting a classification task says nothing about entities; otherwise it is
    # gold with no entities (Prodigy leaves "spans" out when the annotator marked none)
    if classification or "accept" in obj or "options" in obj:
        return NEW
    return ANSWERS[answer]


def read_relations(obj: dict, text: str, key: str | None) -> list[Relation]:
    items = obj["relations"]
    if not isinstance(items, list):
        raise Invalid(f'"relations" must be a list, got {json_type(items)}')
    by_id = {}
    if key == "entities":  # doccano 1.x: relations point at entity ids
        for ent in obj.get("entities") or ():
            if isinstance(ent, dict) and "id" in ent:
                by_id[ent["id"]] = (ent.get("start_offset"), ent.get("end_offset"), ent.get("label"))
    out = []
    for i, rel in enumerate(items, 1):
        if not isinstance(rel, dict):
            raise Invalid(f"relation {i} is not an object (got {json_type(rel)})")
        if "head_span" in rel and "child_span" in rel:
            head, child = _rel_span(rel["head_span"], i, text), _rel_span(rel["child_span"], i, text)
            label = rel.get("label")
        elif "from_id" in rel and "to_id" in rel:
            if rel["from_id"] not in by_id or rel["to_id"] not in by_id:
                raise Invalid(f"relation {i} points at an entity id that is not in \"entities\"")
            head, child = by_id[rel["from_id"]], by_id[rel["to_id"]]
            label = rel.get("type", rel.get("label"))
        else:
            raise Invalid(f'relation {i} has neither "head_span"/"child_span" (Prodigy) nor "from_id"/"to_id" (doccano)')
        if not isinstance(label, str) or not label.strip():
            raise Invalid(f"relation {i} has no label")
        out.append(Relation(head, child, label))
    return out


def _rel_span(span: object, i: int, text: str) -> tuple[int, int, str]:
    if not isinstance(span, dict) or not isinstance(span.get("start"), int) or not isinstance(span.get("end"), int):
        raise Invalid(f"relation {i}: a span without integer start and end")
    start, end = span["start"], span["end"]
    if not 0 <= start < end <= len(text):
        raise Invalid(f"relation {i}: span [{start}, {end}) is outside the text")
    return start, end, str(span.get("label", ""))
