"""Consistency view and bulk fix on a 100,000-document corpus (figures only; nothing is asserted).

The corpus: the five seed articles pre-annotated by the default model, copied until there are
100,000 documents (each copy's text gets a line of its own, so every text is unique), their
entities copied with them in bulk SQL; one document in ten accepted. Built once per schema
version in the temp folder.

1. the consistency view (every group, labels, documents, unlabelled occurrences counted in up
   to SCAN_DOCS articles per group), cold and warm
2. "label all as X" over 1,000 occurrences: planning, then the commit (one Change), then its undo

Run: `make bench-consistency` (or .venv/bin/python benchmarks/bench_consistency.py [--docs N]).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.session import Corpus  # noqa: E402
from annotator.session.consistency import consistency, find_group, plan_label_all  # noqa: E402
from annotator.storage.schema import SCHEMA_VERSION  # noqa: E402

TARGETS = {"view": 2.0, "commit": 1.0}


def build(n: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"annotator-bench-consistency-{n}-v{SCHEMA_VERSION}.db"
    if path.exists():
        return path
    from annotator.nlp.preannotators import load_pipeline
    from annotator.session.imports import import_paths, seeds_dir

    tmp = path.with_suffix(".partial")
    for p in tmp.parent.glob(tmp.name + "*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    print(f"building a {n:,}-document corpus (once) at {path} ...", flush=True)
    started = time.perf_counter()
    with Corpus(tmp) as corpus:
        import_paths(corpus, [seeds_dir()], nlp=load_pipeline())
        seeds = corpus.db.execute("SELECT count(*) FROM documents").fetchone()[0]
        db = corpus.db
        with db.atomic():
            # per-entity triggers are skipped for the bulk copy (the copies carry their surface text) and
            # entity_forms is rebuilt by one GROUP BY below; the triggers are put back as they were
            saved = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                               "('spans_surface_insert', 'entity_forms_insert')").fetchall()
            for name, _sql in saved:
                db.execute(f"DROP TRIGGER {name}")
            db.execute(
                f"""WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n // seeds - 1})
                INSERT INTO documents (id, source, title, text, sha256, meta, status)
                SELECT {seeds} * i + d.id, d.source, d.title || ' #' || i, d.text || char(10) || 'Copy ' || i || '.',
                       d.sha256 || '-' || i, d.meta, CASE WHEN i % 10 = 0 THEN 'accepted' ELSE 'in_progress' END
                FROM k, documents d WHERE d.id <= {seeds}"""
            )
            db.execute(
                f"""WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n // seeds - 1})
                INSERT INTO spans (doc_id, start, end, label, origin, surface)
                SELECT {seeds} * i + s.doc_id, s.start, s.end, s.label, s.origin, s.surface
                FROM k, spans s WHERE s.doc_id <= {seeds}"""
            )
            for _name, sql in saved:
                db.execute(sql)
            db.execute("DELETE FROM entity_forms")  # the triggers that keep it did not run for the bulk insert
            db.execute(
                "INSERT INTO entity_forms (surface, label, spans, docs) "
                "SELECT surface, label, count(*), count(DISTINCT doc_id) FROM spans GROUP BY surface, label"
            )
        db.execute("ANALYZE")
        docs, spans = db.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM spans)").fetchone()
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(tmp) + suffix)
        if src.exists():
            src.rename(Path(str(path) + suffix))
    print(f"built: {docs:,} documents, {spans:,} entities in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def line(name: str, seconds: float, target: float | None = None, extra: str = "") -> None:
    verdict = "" if target is None else f" (target <= {target:g} s: {'met' if seconds <= target else 'MISSED'})"
    print(f"{name:<52} {seconds:7.3f} s{verdict}{(' ' + extra) if extra else ''}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--occurrences", type=int, default=1000)
    args = parser.parse_args()
    source = build(args.docs)
    work = Path(tempfile.mkdtemp()) / "bench.db"
    shutil.copyfile(source, work)
    with Corpus(work) as corpus:
        docs, spans = corpus.db.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM spans)").fetchone()
        print(f"corpus: {docs:,} documents, {spans:,} entities")
        for run in ("cold", "warm"):
            t = time.perf_counter()
            groups = consistency(corpus)
            line(f"consistency view ({run}), {len(groups)} inconsistent groups", time.perf_counter() - t, TARGETS["view"])
        top = groups[0]
        print(f"  top: {top.name!r} {top.labels}, unlabelled {'>= ' if not top.complete else ''}{top.unlabelled} "
              f"(in the first {top.scanned_docs} candidate articles{'' if top.complete else '; more exist'})")

        t = time.perf_counter()
        group = find_group(corpus, "Kyiv")
        line(f"one group with every occurrence counted ({group.name})", time.perf_counter() - t,
             extra=f"{group.entities:,} entities, {group.unlabelled:,} unlabelled")
        # documents enough for ~1,000 changes: the first ones holding the name
        ids = [r[0] for r in corpus.db.execute("SELECT id FROM documents WHERE status != 'accepted' ORDER BY id")]
        sample = plan_label_all(corpus, group, "GPE", doc_ids=ids[:100])
        per_doc = (sample.relabelled + sample.added) / 100
        take = ids[: max(1, round(args.occurrences / per_doc))]
        t = time.perf_counter()
        plan = plan_label_all(corpus, group, "GPE", doc_ids=take)
        line(f"plan 'label all as GPE' in {len(take):,} documents", time.perf_counter() - t,
             extra=f"{plan.relabelled + plan.added:,} changes")
        t = time.perf_counter()
        corpus.apply(plan.change)
        line(f"commit {plan.relabelled + plan.added:,} changes (one Change)", time.perf_counter() - t, TARGETS["commit"])
        t = time.perf_counter()
        corpus.apply(plan.change.inverse())
        line("undo it", time.perf_counter() - t, TARGETS["commit"])
    shutil.rmtree(work.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
