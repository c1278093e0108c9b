"""`annotator consistency`: names labelled more than one way, or left unlabelled, across the corpus."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from annotator.cli.app import ExistingDbOption, app, fail


@app.command("consistency")
def consistency_command(
    db: Path = ExistingDbOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    min_count: int = typer.Option(1, "--min-count", min=1, help="Only names with at least this many entities."),
    everything: bool = typer.Option(False, "--all", help="Also list names labelled the same way everywhere."),
    scan_docs: int = typer.Option(20, "--scan-docs", min=0,
                                  help="Articles read per name to count its unlabelled occurrences (a count that stopped there is shown as '>=')."),
    fix: str | None = typer.Option(None, "--fix", help="A name (any spelling) whose every occurrence gets --label."),
    label: str | None = typer.Option(None, "--label", help="The label --fix gives."),
    include_accepted: bool = typer.Option(False, "--include-accepted", help="--fix also changes accepted documents (listed otherwise)."),
) -> None:
    """Every entity text grouped with its spellings, its labels and counts, documents, and unlabelled occurrences; most inconsistent first."""
    from annotator.core.errors import AnnotatorError
    from annotator.session.consistency import consistency, find_group, plan_label_all
    from annotator.session.corpus import Corpus

    if not db.is_file():
        fail(f"no corpus database at {db}: give one with --db")
    if fix is not None or label is not None:
        if not (fix and label):
            fail("--fix NAME needs --label LABEL (and the other way round)")
        try:
            with Corpus(db) as corpus:
                plan = plan_label_all(corpus, find_group(corpus, fix, count=False), label, include_accepted=include_accepted)
                if plan.change is not None:
                    corpus.apply(plan.change)
        except AnnotatorError as exc:
            fail(str(exc), exc.exit_code)
        typer.echo(plan.message())
        for occ in plan.overlapping:
            typer.echo(f"  left alone: document {occ.doc_id} [{occ.start}, {occ.end}) {occ.text!r} is inside "
                       f"{occ.overlaps[2]} [{occ.overlaps[0]}, {occ.overlaps[1]})", err=True)
        for occ in plan.misaligned:
            typer.echo(f"  left alone: document {occ.doc_id} [{occ.start}, {occ.end}) {occ.text!r} is not on token boundaries", err=True)
        for doc_id, n in plan.accepted_left.items():
            typer.echo(f"  accepted, not changed: document {doc_id} ({n} occurrence(s))", err=True)
        return
    try:
        with Corpus(db, read_only=True) as corpus:
            groups = consistency(corpus, min_count=min_count, scan_docs=scan_docs, everything=everything)
    except AnnotatorError as exc:
        fail(str(exc), exc.exit_code)
    if as_json:
        typer.echo(json.dumps([g.to_json() for g in groups], indent=2, ensure_ascii=False))
        return
    if not groups:
        typer.echo("every name is labelled the same way everywhere" if not everything else "no entities")
        return
    typer.echo(f"{'off':>5}  {'name':<28} labels (documents); unlabelled")
    for g in groups:
        labels = ", ".join(f"{lb} {n} ({g.label_docs.get(lb, 0)})" for lb, n in g.labels.items())
        more = "" if g.complete else ">="
        unl = f"; unlabelled {more}{g.unlabelled}" if g.unlabelled or not g.complete else ""
        ovl = f"; {g.overlapping} inside other entities" if g.overlapping else ""
        spellings = f"  [{' | '.join(g.forms)}]" if len(g.forms) > 1 else ""
        typer.echo(f"{g.inconsistency:>5}  {g.name:<28} {labels}{unl}{ovl}{spellings}")
