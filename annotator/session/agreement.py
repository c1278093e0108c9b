"""Inter-annotator agreement over several analysts' corpora (`annotator agreement`, the window's dialog).

Compared are the documents present in every corpus with the chosen status in every one of
them (accepted, by default); the others are counted and listed. Entities are compared as
spans (F1, exact and overlapping with the same label, A's spans as reference; F1 is
symmetric) and as tokens (each token's label, "O" for no entity: Cohen's kappa for each pair,
Krippendorff's alpha, nominal, over all analysts). Stances are compared as values per
(document, target) and per (document, target, holder), "(none)" being a value when an analyst
gave none, with the evidence ranges' overlap beside.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from annotator.core.agreement import (
    NO_ENTITY,
    SpanCounts,
    alpha_from_codes,
    cohen_kappa_codes,
    jaccard,
    krippendorff_alpha,
    span_counts,
    token_labels,
)
from annotator.core.errors import BadInput
from annotator.nlp.tokens import tokenizer
from annotator.session.analysts import (
    ACCEPTED,
    MatchedDoc,
    Matching,
    check_statuses,
    describe_differs,
    eligible,
    open_analysts,
)

NO_STANCE = "(none)"
ARTICLE = "the article"
ProgressFn = Callable[[int, int], None]


def agreement(
    paths: Sequence[str | Path],
    *,
    status: str = ACCEPTED,
    names: Sequence[str] = (),
    mapping: dict[str, str] | None = None,
    allow_open: bool = False,
    progress: ProgressFn | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict:
    """Open the corpora read-only, compare them, close them; the report as a JSON-ready dict."""
    check_statuses(status)
    with open_analysts(paths, names, mapping, allow_open=allow_open) as matching:
        return compare(matching, status=status, progress=progress, should_stop=should_stop)


def compare(matching: Matching, *, status: str = ACCEPTED, progress: ProgressFn | None = None,
            should_stop: Callable[[], bool] | None = None) -> dict:
    names = matching.names
    n = len(names)
    compared, left_out = [], []
    for doc in matching.docs:
        if len(doc.versions) == n and eligible(doc, status):
            compared.append(doc)
        else:
            left_out.append(doc)
    pairs = list(itertools.combinations(range(n), 2))
    pair_counts = {p: SpanCounts() for p in pairs}
    pair_label_counts: dict[tuple, dict[str, SpanCounts]] = {p: defaultdict(SpanCounts) for p in pairs}
    token_rows: list[list[str]] = [[] for _ in names]
    ranked = []
    tok = tokenizer(matching.lang).tokenizer
    for k, doc in enumerate(compared):
        if should_stop and should_stop():
            from annotator.core.errors import Cancelled

            raise Cancelled("agreement stopped: nothing was computed")
        versions = [doc.versions[name] for name in names]
        bounds = [(t.idx, t.idx + len(t.text)) for t in tok(doc.text)]
        for i, v in enumerate(versions):
            token_rows[i].extend(token_labels(bounds, v.spans))
        doc_f1 = []
        for p in pairs:
            a, b = versions[p[0]].spans, versions[p[1]].spans
            c = span_counts(a, b)
            pair_counts[p].add(c)
            if c.f1_exact is not None:
                doc_f1.append(c.f1_exact)
            for lb in {s[2] for s in a} | {s[2] for s in b}:
                pair_label_counts[p][lb].add(span_counts([s for s in a if s[2] == lb], [s for s in b if s[2] == lb]))
        ranked.append(_doc_disagreement(doc, names, versions, doc_f1))
        if progress and (k % 50 == 0 or k == len(compared) - 1):
            progress(k + 1, len(compared))
    entities = _entities(names, pairs, pair_counts, pair_label_counts, token_rows)
    ranked.sort(key=lambda d: (-d["differences"], d["span_f1_exact"] if d["span_f1_exact"] is not None else 1.0, d["title"]))
    return {
        "annotators": names,
        "corpora": [str(a.path) for a in matching.analysts],
        "status": status,
        "label_mapping": matching.mapping,
        "warnings": list(matching.unused_mapping),
        "documents": {
            "compared": len(compared),
            "left_out": len(left_out),
            "left_out_list": [_left_out(doc, names, status) for doc in left_out],
            "text_differs": [describe_differs(d) for d in matching.text_differs],
        },
        "entities": entities,
        # the top level repeats the entity figures under the names a reader looks for first
        "span_f1": entities["span_f1"],
        "cohen_kappa": entities["cohen_kappa"],
        "krippendorff_alpha": entities["krippendorff_alpha"],
        "by_label": entities["by_label"],
        "stances": _stances(compared, names, pairs),
        "ranked": ranked,
    }


def _entities(names, pairs, pair_counts, pair_label_counts, token_rows) -> dict:
    n = len(names)
    values = sorted({v for row in token_rows for v in set(row)} - {NO_ENTITY})
    codes = {v: i for i, v in enumerate([NO_ENTITY, *values])}
    matrix = np.array([[codes[v] for v in row] for row in token_rows], dtype=np.int64) if token_rows[0] else np.zeros((n, 0), np.int64)
    pair_out = []
    for p in pairs:
        c = pair_counts[p]
        kappa = cohen_kappa_codes(matrix[p[0]], matrix[p[1]], len(codes))
        pair_out.append({"a": names[p[0]], "b": names[p[1]], "span_f1": {"exact": _r(c.f1_exact), "overlap": _r(c.f1_overlap)},
                         "cohen_kappa": _r(kappa), "entities": {"a": c.n_a, "b": c.n_b, "exact": c.exact}})
    alpha = alpha_from_codes(matrix, len(codes))
    by_label = {}
    for lb in values:
        binary = (matrix == codes[lb]).astype(np.int64)
        counts = [pair_label_counts[p].get(lb, SpanCounts()) for p in pairs]
        by_label[lb] = {
            "span_f1": {"exact": _r(_mean(c.f1_exact for c in counts)), "overlap": _r(_mean(c.f1_overlap for c in counts))},
            "cohen_kappa": _r(_mean(cohen_kappa_codes(binary[a], binary[b], 2) for a, b in pairs)),
            "krippendorff_alpha": _r(alpha_from_codes(binary, 2)),
            "entities": _entity_totals(pair_label_counts, pairs, names, lb),
        }
    labels = [NO_ENTITY, *values]
    conf = Counter()
    k = len(labels)
    for a, b in pairs:  # one bincount over pair codes instead of counting tuples in Python
        flat = np.bincount(matrix[a] * k + matrix[b], minlength=k * k)
        conf.update({(labels[i // k], labels[i % k]): int(v) for i, v in enumerate(flat) if v})
    swaps = Counter()
    for (x, y), k in conf.items():
        if x != y:
            swaps[tuple(sorted((x, y)))] += k
    return {
        "span_f1": {"exact": _r(_mean(d["span_f1"]["exact"] for d in pair_out)),
                    "overlap": _r(_mean(d["span_f1"]["overlap"] for d in pair_out))},
        "cohen_kappa": _r(_mean(d["cohen_kappa"] for d in pair_out)),
        "cohen_kappa_note": "two annotators: Cohen's kappa; more: the mean of the pairs' kappas (Light's kappa)" if n > 2 else "",
        "krippendorff_alpha": _r(alpha),
        "tokens": int(matrix.shape[1]),
        "pairs": pair_out,
        "by_label": by_label,
        "confusion": {"labels": labels, "matrix": [[conf.get((x, y), 0) for y in labels] for x in labels],
                      "note": "tokens, rows: the first annotator of each pair, columns: the second, summed over pairs"},
        "swaps": [{"labels": list(k), "tokens": v} for k, v in swaps.most_common(20)],
    }


def _entity_totals(pair_label_counts, pairs, names, lb) -> dict[str, int]:
    out = {}
    for a, b in pairs:
        c = pair_label_counts[(a, b)].get(lb, SpanCounts())
        out.setdefault(names[a], c.n_a)
        out.setdefault(names[b], c.n_b)
    return out


def _doc_disagreement(doc: MatchedDoc, names, versions, doc_f1) -> dict:
    """Places where the versions differ, counted as the review view shows them (see session.review)."""
    from annotator.session.review import VersionRow, entity_items, stance_items

    rows = [VersionRow(nm, v.status, v.ts, tuple(v.spans), tuple(v.stances)) for nm, v in zip(names, versions)]
    ents = sum(1 for it in entity_items(rows) if not it.agreed)
    sts = sum(1 for it in stance_items(rows) if not it.agreed)
    return {
        "sha256": doc.sha256,
        "title": doc.title,
        "doc_ids": {name: v.doc_id for name, v in zip(names, versions)},
        "differences": ents + sts,
        "entity_differences": ents,
        "stance_differences": sts,
        "span_f1_exact": _r(_mean(doc_f1)),
    }


def _left_out(doc: MatchedDoc, names, status) -> dict:
    missing = [nm for nm in names if nm not in doc.versions]
    reason = (f"not in {', '.join(missing)}" if missing else
              "status " + ", ".join(f"{nm}: {v.status}" for nm, v in doc.versions.items() if status != "any" and v.status != status))
    return {"sha256": doc.sha256, "title": doc.title, "reason": reason}


# ---- stances ---------------------------------------------------------------
def _target_key(st: dict) -> str:
    return st["target"]


def _holder_key(st: dict) -> tuple[str, str]:
    holder = (st.get("holder_text") or "").strip().casefold() or ARTICLE
    return st["target"], holder


def _value_for(stances: list[dict], target: str) -> str:
    """An analyst's value for a target in a document: the article-level record if there is one,
    else the most frequent value among their records on it, else (none)."""
    on = [s for s in stances if s["target"] == target]
    doc_level = [s for s in on if s.get("ev_start") is None and not (s.get("holder_text") or "").strip()]
    if doc_level:
        return doc_level[0]["value"]
    if not on:
        return NO_STANCE
    counts = Counter(s["value"] for s in on)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _value_for_holder(stances: list[dict], key: tuple[str, str]) -> str:
    on = [s for s in stances if _holder_key(s) == key]
    if not on:
        return NO_STANCE
    counts = Counter(s["value"] for s in on)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _stances(compared: list[MatchedDoc], names, pairs) -> dict:
    by_target: list[list[str]] = [[] for _ in names]
    by_holder: list[list[str]] = [[] for _ in names]
    ev_scores: list[float] = []
    for doc in compared:
        versions = [doc.versions[nm] for nm in names]
        for target in sorted({s["target"] for v in versions for s in v.stances}):
            for i, v in enumerate(versions):
                by_target[i].append(_value_for(v.stances, target))
        for key in sorted({_holder_key(s) for v in versions for s in v.stances}):
            for i, v in enumerate(versions):
                by_holder[i].append(_value_for_holder(v.stances, key))
            for a, b in pairs:
                ev_a = [(s["ev_start"], s["ev_end"]) for s in versions[a].stances if _holder_key(s) == key and s["ev_start"] is not None]
                ev_b = [(s["ev_start"], s["ev_end"]) for s in versions[b].stances if _holder_key(s) == key and s["ev_start"] is not None]
                if ev_a and ev_b:
                    ev_scores.append(max(jaccard(x, y) or 0.0 for x in ev_a for y in ev_b))
    return {
        "by_target": _value_agreement(by_target),
        "by_holder": _value_agreement(by_holder),
        "evidence": {
            "compared": len(ev_scores),
            "mean_jaccard": _r(_mean(ev_scores)),
            "overlapping": _r(sum(1 for s in ev_scores if s > 0) / len(ev_scores)) if ev_scores else None,
            "note": "stances of one target and holder with evidence in both analysts' versions: overlap of the best-matching evidence ranges",
        },
    }


def _value_agreement(rows: list[list[str]]) -> dict:
    units = len(rows[0]) if rows else 0
    agreed = sum(1 for j in range(units) if len({row[j] for row in rows}) == 1)
    return {
        "units": units,
        "agreement": _r(agreed / units) if units else None,
        "krippendorff_alpha": _r(krippendorff_alpha(rows)) if units else None,
    }


def _mean(values) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


def summary_lines(report: dict, top: int = 10) -> list[str]:
    """The report as text, for the terminal and the dialog."""
    docs = report["documents"]
    ent = report["entities"]
    names = report["annotators"]
    out = [f"annotators: {', '.join(names)}",
           f"documents compared: {docs['compared']} ({report['status']} in every corpus); left out: {docs['left_out']}"]
    for line in docs["text_differs"]:
        out.append(f"  warning: {line}")
    out += [f"  warning: {w}" for w in report.get("warnings", [])]
    if report["label_mapping"]:
        out.append("labels mapped: " + ", ".join(f"{a} → {b}" for a, b in report["label_mapping"].items()))
    if not docs["compared"]:
        return out
    f = report["span_f1"]
    out.append(f"entities: span F1 exact {_fmt(f['exact'])}, overlap {_fmt(f['overlap'])}; "
               f"Cohen's κ {_fmt(report['cohen_kappa'])}; Krippendorff's α {_fmt(report['krippendorff_alpha'])} "
               f"over {ent['tokens']} tokens")
    if len(names) > 2:
        for p in ent["pairs"]:
            out.append(f"  {p['a']} – {p['b']}: F1 exact {_fmt(p['span_f1']['exact'])}, overlap {_fmt(p['span_f1']['overlap'])}, "
                       f"κ {_fmt(p['cohen_kappa'])}")
    if ent["by_label"]:
        width = max(len(lb) for lb in ent["by_label"])
        out.append(f"  {'label':<{width}}  F1 exact  overlap      κ      α")
        for lb, d in ent["by_label"].items():
            out.append(f"  {lb:<{width}}  {_fmt(d['span_f1']['exact']):>8}  {_fmt(d['span_f1']['overlap']):>7}  "
                       f"{_fmt(d['cohen_kappa']):>5}  {_fmt(d['krippendorff_alpha']):>5}")
    if ent["swaps"]:
        out.append("  most swapped: " + ", ".join(f"{a}/{b} {s['tokens']} tokens" for s in ent["swaps"][:5] for a, b in [s["labels"]]))
    st = report["stances"]
    out.append(f"stances: per document and target {st['by_target']['units']} units, agreement {_fmt(st['by_target']['agreement'])}, "
               f"α {_fmt(st['by_target']['krippendorff_alpha'])}; per holder {st['by_holder']['units']} units, "
               f"agreement {_fmt(st['by_holder']['agreement'])}, α {_fmt(st['by_holder']['krippendorff_alpha'])}; "
               f"evidence overlap {_fmt(st['evidence']['mean_jaccard'])} (Jaccard, {st['evidence']['compared']} pairs)")
    worst = [d for d in report["ranked"] if d["differences"]][:top]
    if worst:
        out.append("most disagreement:")
        for d in worst:
            out.append(f"  {d['differences']:>4}  {d['title'][:70]}")
    return out


def _fmt(x) -> str:
    return "—" if x is None else f"{x:.3f}"


def require_compared(report: dict) -> None:
    if not report["documents"]["compared"]:
        raise BadInput(
            f"no document is {report['status'].replace('_', ' ')} in every corpus: nothing to compare "
            f"({report['documents']['left_out']} documents left out; try --status any)"
        )
