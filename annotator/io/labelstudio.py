"""Label Studio tasks (its JSON export, an array, or JSONL), in and out.

A task is {"data": {"text": ...}, "annotations": [{"result": [...], "completed_by", "was_cancelled",
"created_at", "updated_at"}], "predictions": [{"result": [...], "model_version"}], "meta"}.
A result of type "labels" is {"value": {"start", "end", "text", "labels": [LABEL]}, "id"};
"relation" links two of them by id; "choices" classifies the whole text.

Which annotation becomes the document's entities (`--ls-annotation`): the latest (by its
updated/created time), the first, or all of them, each span recorded with its annotator's name
(a span that overlaps another annotator's is reported and left out). Without an annotation the
last prediction's spans are kept as model spans, and the document is new.
"""

from __future__ import annotations

from annotator.core.model import ACCEPTED, NEW, SKIPPED, STATUSES
from annotator.core.records import Record, Relation
from annotator.io.decoding import Invalid, check_encodable
from annotator.io.input_spans import json_type, shorten
from annotator.io.record_build import OURS, check_meta, finish

ORIGIN = "labelstudio"


def record_from_task(task: dict, source: str, lineno: int, options=None) -> Record:
    data = task["data"]
    text_key = getattr(options, "text_key", None) or _text_key(data)
    text = data.get(text_key)
    if not isinstance(text, str) or not text.strip():
        raise Invalid(f'the task\'s data has no text in "{text_key}" (got {json_type(text)}); name the field with --text-key')
    check_encodable(text, f'data "{text_key}"')
    notes: list[str] = []
    meta = dict(task["meta"]) if isinstance(task.get("meta"), dict) else {}
    meta.update({k: v for k, v in data.items() if k not in (text_key, OURS, "meta")})
    if isinstance(data.get("meta"), dict):
        meta.update(data["meta"])
    tool = {"id": task["id"]} if task.get("id") is not None else {}
    annotations = [a for a in task.get("annotations") or () if isinstance(a, dict)]
    done = [a for a in annotations if not a.get("was_cancelled")]
    mode = getattr(options, "ls_annotation", "latest") or "latest"
    spans: list | None = None
    origins: list[str] | None = None
    relations: list[Relation] = []
    status = NEW
    if done:
        chosen = done if mode == "all" else [_pick(done, mode)]
        spans, origins = [], []
        for ann in chosen:
            who = f"{ORIGIN}:{annotator_name(ann)}"
            got, rels = _results(ann.get("result"), text, notes, meta)
            for span in got:
                clash = next(((s, e, lb) for s, e, lb in spans if s < span[1] and span[0] < e), None)
                if clash is None:
                    spans.append(span)
                    origins.append(who)
                elif clash != span:
                    notes.append(f"{who[len(ORIGIN) + 1:]}'s {span[2]} [{span[0]}, {span[1]}) overlaps another annotator's "
                                 f"{clash[2]} [{clash[0]}, {clash[1]}): left out")
            relations += rels
        status = ACCEPTED
        if mode != "all" and len(done) > 1:
            notes.append(f"{len(done)} annotations: kept the {mode} one, by {annotator_name(chosen[0])} (--ls-annotation)")
    elif annotations:
        status = SKIPPED
    if spans is None:
        predictions = [p for p in task.get("predictions") or () if isinstance(p, dict)]
        if predictions:
            pred = predictions[-1]
            spans, _rels = _results(pred.get("result"), text, notes, meta)
            origins = [f"{ORIGIN}:prediction:{pred.get('model_version') or 'model'}"] * len(spans)
    ours = data.get(OURS)
    title = ""
    if isinstance(ours, dict):
        if ours.get("status") in STATUSES:
            status = ours["status"]
        title = ours.get("title") if isinstance(ours.get("title"), str) else ""
    check_meta(meta)
    return finish(Record(text=text, title=title, meta=meta, spans=spans, status=status, source=source, line=lineno,
                         notes=notes, relations=relations, tool=tool, span_origins=origins))


def _text_key(data: dict) -> str:
    if "text" in data:
        return "text"
    strings = [k for k, v in data.items() if isinstance(v, str) and k != OURS]
    return strings[0] if len(strings) == 1 else "text"


def annotator_name(ann: dict) -> str:
    who = ann.get("completed_by")
    if isinstance(who, dict):
        return str(who.get("email") or who.get("username") or who.get("id") or "annotator")
    return f"user {who}" if who is not None else "annotator"


def _pick(done: list[dict], mode: str) -> dict:
    if mode == "first":
        return done[0]
    if mode != "latest":
        raise Invalid(f"unknown --ls-annotation {mode!r}: choose latest, first or all")
    # ISO timestamps sort as text; without one, the last in the list is the latest
    return max(enumerate(done), key=lambda p: (str(p[1].get("updated_at") or p[1].get("created_at") or ""), p[0]))[1]


def _results(results: object, text: str, notes: list[str], meta: dict):
    if results is None:
        return [], []
    if not isinstance(results, list):
        raise Invalid(f'"result" must be a list, got {json_type(results)}')
    spans, by_id, links, other = [], {}, [], {}
    for i, res in enumerate(results, 1):
        if not isinstance(res, dict):
            raise Invalid(f"result {i} is not an object")
        kind = res.get("type")
        value = res.get("value") if isinstance(res.get("value"), dict) else {}
        if kind == "relation":
            links.append(res)
        elif kind == "choices":
            meta.setdefault("categories", []).extend(c for c in value.get("choices", []) if isinstance(c, str))
        elif kind in ("labels", "hypertextlabels") or "labels" in value:
            span = _span(value, i, text, notes)
            if span is not None:
                if span in spans:
                    notes.append(f"result {i} {span[2]} [{span[0]}, {span[1]}) is given twice: kept one")
                else:
                    spans.append(span)
                if res.get("id") is not None:
                    by_id[res["id"]] = span
        else:
            other[str(kind)] = other.get(str(kind), 0) + 1
    for kind, n in other.items():
        notes.append(f"{n} result(s) of type {kind!r} not imported (only labels, relation and choices are)")
    rels = []
    for res in links:
        head, child = by_id.get(res.get("from_id")), by_id.get(res.get("to_id"))
        labels = res.get("labels") or ["related"]
        if head is None or child is None:
            notes.append("a relation points at a region that is not a labelled span: not imported")
            continue
        rels.append(Relation(head, child, str(labels[0])))
    spans.sort()
    for a, b in zip(spans, spans[1:]):
        if b[0] < a[1]:
            raise Invalid(f"overlapping entities: [{a[0]}, {a[1]}) {a[2]} and [{b[0]}, {b[1]}) {b[2]}")
    return spans, rels


def _span(value: dict, i: int, text: str, notes: list[str]):
    from annotator.core.spans import trim

    start, end, labels = value.get("start"), value.get("end"), value.get("labels")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise Invalid(f"result {i}: start and end must be integers (character offsets), got {shorten(start)}, {shorten(end)}")
    if not 0 <= start < end <= len(text):
        raise Invalid(f"result {i}: span [{start}, {end}) is outside the text (length {len(text)})")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) and x.strip() for x in labels):
        raise Invalid(f"result {i}: \"labels\" must be a non-empty list of label names")
    said = value.get("text")
    if isinstance(said, str) and said != text[start:end]:
        raise Invalid(f"result {i} [{start}, {end}) covers {shorten(text[start:end])} but its \"text\" says {shorten(said)}")
    if len(labels) > 1:
        notes.append(f"result {i} has {len(labels)} labels {labels}: kept the first, {labels[0]}")
    new_start, new_end = trim(text, start, end)
    if new_start >= new_end:
        notes.append(f"result {i} [{start}, {end}) is only whitespace: left out")
        return None
    if (new_start, new_end) != (start, end):
        notes.append(f"result {i} [{start}, {end}) had whitespace at an edge: trimmed to [{new_start}, {new_end})")
    return new_start, new_end, labels[0].strip()


def task_for(item, doc, relations=()) -> dict:
    """An exported document as a Label Studio task: accepted work as an annotation, other work as a prediction."""
    results = []
    ids = {}
    for n, (start, end, label) in enumerate(item.spans):
        rid = f"e{item.id}-{n}"
        ids[(start, end, label)] = rid
        results.append({"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
                        "value": {"start": start, "end": end, "text": item.text[start:end], "labels": [label]}})
    for rel in relations:
        head, child = ids.get(tuple(rel["head"])), ids.get(tuple(rel["child"]))
        if head and child:
            results.append({"from_id": head, "to_id": child, "type": "relation", "direction": "right", "labels": [rel["label"]]})
    data = {"text": item.text, OURS: {"doc_id": item.id, "status": item.status, "title": item.title, "source": item.source}}
    task: dict = {"data": data, "meta": item.meta}
    if item.status == ACCEPTED:
        task["annotations"] = [{"result": results, "was_cancelled": False, "ground_truth": False}]
    else:
        task["annotations"] = []
        task["predictions"] = [{"model_version": f"annotator:{item.status}", "result": results}]
    return task
