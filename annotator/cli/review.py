"""`annotator review`: one review corpus from several analysts' corpora, to settle their differences."""

from __future__ import annotations

import shlex
from pathlib import Path

import typer

from annotator.cli.app import app, fail


@app.command("review")
def review_command(
    corpora: list[Path] = typer.Argument(..., help="Two or more analysts' corpora (read only: nothing is written to them).", dir_okay=False),
    out: Path = typer.Option(..., "--out", help="The review corpus to create (must not exist).", dir_okay=False),
    status: str = typer.Option("accepted", "--status", help="Versions with this status take part (new, in_progress, accepted, skipped, any)."),
    names: list[str] = typer.Option([], "--name", help="The analysts' names, one per corpus in order."),
    maps: list[str] = typer.Option([], "--map", help="Count label A as label B: --map A=B (repeatable)."),
    allow_open: bool = typer.Option(False, "--allow-open", help="Read a corpus even while a window has it open for editing."),
) -> None:
    """Every analyst's version kept per document; what they agree on is the starting gold. Open it with `annotator --db OUT`."""
    from tqdm import tqdm

    from annotator.core.errors import AnnotatorError
    from annotator.session.analysts import parse_mapping
    from annotator.session.review import build_review

    bar = tqdm(unit="doc", desc="review", disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        report = build_review(corpora, out, names=names, mapping=parse_mapping(maps), status=status, allow_open=allow_open,
                              progress=progress)
    except AnnotatorError as exc:
        bar.close()
        fail(str(exc), exc.exit_code)
    bar.close()
    for line in report.lines():
        typer.echo(line)
    typer.echo(f"open it: annotator --db {shlex.quote(str(out))}")
