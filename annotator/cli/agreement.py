"""`annotator agreement`: how far analysts agree, over the documents they all finished."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from annotator.cli.app import app, fail


@app.command("agreement")
def agreement_command(
    corpora: list[Path] = typer.Argument(..., help="Two or more analysts' corpora (read only: nothing is written to them).", dir_okay=False),
    as_json: bool = typer.Option(False, "--json", help="Print the whole report as JSON."),
    status: str = typer.Option("accepted", "--status", help="Compare documents with this status in every corpus (new, in_progress, accepted, skipped, any)."),
    names: list[str] = typer.Option([], "--name", help="The analysts' names, one per corpus in order (default: the name the copy was made for, or the file name)."),
    maps: list[str] = typer.Option([], "--map", help="Count label A as label B: --map A=B (repeatable), for corpora whose schemes differ."),
    allow_open: bool = typer.Option(False, "--allow-open", help="Read a corpus even while a window has it open for editing."),
    top: int = typer.Option(10, "--top", min=0, help="How many documents with the most disagreement to list."),
) -> None:
    """Span F1 (exact, overlap), Cohen's κ and Krippendorff's α per label, label swaps, stance agreement, documents ranked by disagreement."""
    from annotator.core.errors import AnnotatorError
    from annotator.session.agreement import agreement, require_compared, summary_lines
    from annotator.session.analysts import parse_mapping

    try:
        report = agreement(corpora, status=status, names=names, mapping=parse_mapping(maps), allow_open=allow_open)
        if not as_json:
            require_compared(report)
    except AnnotatorError as exc:
        fail(str(exc), exc.exit_code)
    if as_json:
        for warning in report["warnings"]:  # stdout stays JSON; the report carries them too
            typer.echo(f"warning: {warning}", err=True)
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    for line in summary_lines(report, top=top):
        typer.echo(line)
