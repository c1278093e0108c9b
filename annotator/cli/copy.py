"""`annotator copy`: a corpus for each analyst, made from a source corpus (hand out work)."""

from __future__ import annotations

from pathlib import Path

import typer

from annotator.cli.app import ExistingDbOption, app, fail


@app.command("copy")
def copy_command(
    db: Path = ExistingDbOption,
    out: Path = typer.Option(..., "--out", help="One analyst: the new corpus file (NAME.db inside it if it is a folder). "
                             "Several: a folder that gets one NAME.db per analyst."),
    annotators: list[str] = typer.Option(..., "--annotator", help="The analyst the copy is for; repeat it for several analysts."),
    documents: str | None = typer.Option(None, "--documents", help="Only the documents this search matches (as in the window's search box)."),
    sample: int | None = typer.Option(None, "--sample", min=1, help="A random sample of this many of the chosen documents."),
    seed: int = typer.Option(0, "--seed", help="Seed of the sample and of the hand-out: the same seed gives the same copies."),
    overlap: int = typer.Option(0, "--overlap", min=0, help="Documents that go to every analyst (for agreement); the rest are split among them."),
    no_preannotations: bool = typer.Option(False, "--no-preannotations", help="Plain text: leave out the model's entities."),
) -> None:
    """Copy documents, label scheme and stance targets for analysts: model entities or none, nothing done by hand."""
    from tqdm import tqdm

    from annotator.core.errors import AnnotatorError
    from annotator.session.handout import copy_for_annotators

    bar = tqdm(unit="doc", desc="copy", disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        report = copy_for_annotators(db, out, annotators, query=documents, sample=sample, seed=seed, overlap=overlap,
                                     preannotations=not no_preannotations, progress=progress)
    except AnnotatorError as exc:
        bar.close()
        fail(str(exc), exc.exit_code)
    bar.close()
    for line in report.lines():
        typer.echo(line)
