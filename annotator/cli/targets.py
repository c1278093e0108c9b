"""`annotator targets`: list the stance targets, or take them from a file or another corpus."""

from __future__ import annotations

from pathlib import Path

import typer

from annotator.cli.app import DbOption, ExistingDbOption, app, fail

targets_app = typer.Typer(help="Stance targets: list them, or take them from a file or another corpus.", no_args_is_help=True)
app.add_typer(targets_app, name="targets")


@targets_app.command("list")
def list_command(db: Path = ExistingDbOption) -> None:
    """Print the corpus's stance targets, one per line (hidden ones marked)."""
    from annotator.core.errors import AnnotatorError
    from annotator.session.corpus import Corpus

    if not db.exists():
        fail(f"no database at {db}")
    try:
        with Corpus(db, read_only=True) as corpus:
            shown = set(corpus.stance_targets(include_hidden=False))
            for name in corpus.stance_targets(include_hidden=True):
                typer.echo(name if name in shown else f"{name}  (hidden)")
    except AnnotatorError as exc:
        fail(str(exc))


@targets_app.command("import")
def import_command(
    file: Path = typer.Argument(None, help="One target per line, or JSON: a list, or {\"targets\": [...], \"values\": [...]}.",
                                dir_okay=False),
    from_db: Path = typer.Option(None, "--from-db", help="Take the targets and values of another corpus instead.", dir_okay=False),
    db: Path = DbOption,
) -> None:
    """Add stance targets (and values) the corpus does not have yet; one undoable edit."""
    from annotator.core.errors import AnnotatorError
    from annotator.session.corpus import Corpus
    from annotator.session.targets import take_targets

    if (file is None) == (from_db is None):
        fail("give a FILE or --from-db DB (one of them)")
    source = from_db or file
    if from_db is not None and from_db.resolve() == db.resolve():
        fail("--from-db names the corpus itself")
    try:
        with Corpus(db) as corpus:
            report = take_targets(corpus, source, from_db=from_db is not None)
    except AnnotatorError as exc:
        fail(str(exc))
    typer.echo(report.describe())
