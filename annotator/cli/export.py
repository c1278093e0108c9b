"""`annotator export`: gold annotations as spaCy training data or another registered format."""

from __future__ import annotations

import shlex
from enum import StrEnum
from pathlib import Path

import typer

from annotator.cli.app import ExistingDbOption, app, fail
from annotator.cli.choices import choices
from annotator.io.formats import WRITERS

Format = choices("Format", WRITERS)


class Include(StrEnum):
    in_progress = "in_progress"


class Optimize(StrEnum):
    efficiency = "efficiency"
    accuracy = "accuracy"


@app.command("export")
def export_command(
    db: Path = ExistingDbOption,
    out: Path | None = typer.Option(
        None, "--out", file_okay=False, help="Output folder (must not exist or be empty). Default: a new timestamped folder under exports/."
    ),
    dev: float = typer.Option(0.2, "--dev", min=0.0, max=0.99, help="Fraction of documents for the dev set (split by document)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the train/dev split: the same seed gives the same split."),
    include: list[Include] = typer.Option(
        [], "--include", help="Also export documents in progress, their unannotated tokens marked missing (not O)."
    ),
    fmt: Format = typer.Option("spacy", "--format", help="Export format: spacy is DocBin + config.cfg; `annotator formats` describes each."),
    shard_size: int = typer.Option(10_000, "--shard-size", min=1, help="Documents per .spacy shard at most (shards also close at 500k tokens, to bound memory)."),
    skip_misaligned: bool = typer.Option(
        False, "--skip-misaligned", help="Leave out spans that do not align with tokens (listed, their tokens marked missing) instead of failing."
    ),
    optimize: Optimize = typer.Option(Optimize.efficiency, "--optimize", help="config.cfg preset (spacy format)."),
) -> None:
    """Export accepted documents: train/dev DocBins, config.cfg for `spacy train`, manifest.json, README.txt."""
    from tqdm import tqdm

    from annotator.session.corpus import Corpus
    from annotator.session.export import ExportOptions, export_corpus

    if not db.is_file():
        fail(f"no corpus database at {db}: give one with --db")
    options = ExportOptions(
        out=out, fmt=fmt.value, dev=dev, seed=seed, include=tuple(i.value for i in include),
        shard_size=shard_size, skip_misaligned=skip_misaligned, optimize=optimize.value,
    )
    corpus = Corpus(db, read_only=True)  # errors: annotator.cli.main says them, with their exit code
    bar = tqdm(unit="doc", desc="export", disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        result = export_corpus(corpus, options, progress=progress)
    finally:
        bar.close()
        corpus.close()
    for problem in result.problems:
        typer.echo(f"skipped {problem}", err=True)
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)
    typer.echo(result.summary())
    if fmt.value == "spacy":
        typer.echo(f"train: cd {shlex.quote(str(result.folder))} && python -m spacy train config.cfg --output model")
