"""`annotator train`: fine-tune a pipeline on the accepted documents and register it in the corpus."""

from __future__ import annotations

import shlex
from pathlib import Path

import typer

from annotator.cli.app import ExistingDbOption, app, fail


@app.command("train")
def train_command(
    db: Path = ExistingDbOption,
    base: str = typer.Option(
        "default", "--base", help="Pipeline to fine-tune (name or path); 'default': the corpus's pre-annotation model; 'none': from scratch."
    ),
    max_steps: int = typer.Option(1000, "--max-steps", min=1, help="Training steps (updates) per run."),
    out: Path | None = typer.Option(None, "--out", file_okay=False, help="Folder for the model. Default: <db>.models/<id>."),
    seed: int = typer.Option(0, "--seed", help="Seed of the train/dev split and of training."),
    dev: float = typer.Option(0.2, "--dev", min=0.05, max=0.9, help="Fraction of accepted documents for the dev split."),
    curve: bool = typer.Option(False, "--curve", help="Also train on 25/50/75 % of the train split and report dev F for each."),
    eval_frequency: int | None = typer.Option(None, "--eval-frequency", min=1, help="Steps between evaluations (default: max-steps/10)."),
) -> None:
    """Train on the accepted documents (the export's train/dev split) and compare with the base model on dev."""
    from tqdm import tqdm

    from annotator.core.errors import AnnotatorError
    from annotator.session.corpus import Corpus
    from annotator.session.training import TrainOptions, train_model
    from annotator.storage import DatabaseError

    if not db.is_file():
        fail(f"no corpus database at {db}: give one with --db")
    options = TrainOptions(base=base, max_steps=max_steps, seed=seed, dev=dev, out=out, curve=curve,
                           eval_frequency=eval_frequency)
    try:
        corpus = Corpus(db)
    except (DatabaseError, AnnotatorError) as exc:
        fail(str(exc), getattr(exc, "exit_code", 2))
    bar = None

    def progress(event) -> None:
        nonlocal bar
        if event.event == "run":
            if bar:
                bar.close()
            bar = tqdm(total=event.steps, unit="step", desc=f"train {event.run} ({event.train_documents} docs)", disable=None)
        elif event.event == "step" and bar is not None:
            bar.update(event.step - bar.n)
        elif event.event == "eval" and bar is not None:
            bar.set_postfix(loss=f"{event.loss:.2f}", P=_pct(event.p), R=_pct(event.r), F=_pct(event.f))
            bar.update(event.step - bar.n)
        elif event.event == "model" and bar is not None:
            bar.close()
            bar = None
            typer.echo(f"{event.run}: dev F {event.scores['overall']['f'] * 100:.1f} in {event.seconds:.0f} s", err=True)

    try:
        # Ctrl+C while the trainer runs stops it at the next step; the best model so far is kept
        result = train_model(corpus, options, progress=progress)
    except AnnotatorError as exc:
        fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:  # before the trainer started (during the export): nothing was written
        fail("interrupted before training started: nothing was registered", 130)
    finally:
        if bar:
            bar.close()
        corpus.close()
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(result.report())
    typer.echo(f"registered model {result.model.id} at {result.model.path}; "
               f"use it on the untouched documents with: annotator reannotate --model {result.model.id} --db {shlex.quote(str(db))}")
    if result.model.cancelled:
        typer.echo("interrupted: the best model saved before the stop is registered", err=True)
        raise typer.Exit(130)


def _pct(value) -> str:
    return "-" if value is None else f"{value * 100:.1f}"
