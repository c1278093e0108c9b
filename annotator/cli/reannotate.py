"""`annotator reannotate`: a trained model's entities replace the old model's on untouched documents."""

from __future__ import annotations

from pathlib import Path

import typer

from annotator.cli.app import ExistingDbOption, app, fail


@app.command("reannotate")
def reannotate_command(
    model: str = typer.Option(..., "--model", help="A registered model id (see `annotator models`)."),
    db: Path = ExistingDbOption,
    status: list[str] = typer.Option(["new"], "--status", help="Documents to re-annotate: only 'new' (untouched) ones ever are."),
    batch: int = typer.Option(256, "--batch", min=1, help="Documents per transaction (one undoable history entry each)."),
) -> None:
    """Re-annotate untouched documents (new, never edited, only model entities); score every unfinished one for 'unsure'."""
    from tqdm import tqdm

    from annotator.core.errors import AnnotatorError
    from annotator.session.corpus import Corpus
    from annotator.session.reannotate import reannotate
    from annotator.storage import DatabaseError

    if not db.is_file():
        fail(f"no corpus database at {db}")
    try:
        corpus = Corpus(db)
    except (DatabaseError, AnnotatorError) as exc:
        fail(str(exc), getattr(exc, "exit_code", 2))
    bar = tqdm(unit="doc", desc="reannotate", disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        report = reannotate(corpus, model, statuses=tuple(status), batch=batch, progress=progress)
    except AnnotatorError as exc:
        bar.close()
        corpus.close()
        fail(str(exc), exc.exit_code)
    bar.close()
    corpus.close()
    typer.echo(report.summary())
    if report.overlaps_dropped:
        typer.echo(f"note: {report.overlaps_dropped} overlapping model spans were left out (the corpus keeps entities apart)", err=True)
    if report.interrupted:
        typer.echo("interrupted: the batches written so far are kept (each undoable); run it again for the rest", err=True)
        raise typer.Exit(130)
