"""The typer app and the options every command shares."""

from __future__ import annotations

from pathlib import Path

import typer

DEFAULT_DB = Path("annotations.db")

app = typer.Typer(
    name="annotator",
    help="Correct spaCy entities, tag stances, export gold spaCy training data. With no command: open the annotation window on --db.",
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = typer.Option(DEFAULT_DB, "--db", help="The corpus database (created if missing).", dir_okay=False)
# commands that only read or repair a corpus must not promise to create one
ExistingDbOption = typer.Option(DEFAULT_DB, "--db", help="The corpus database (must exist).", dir_okay=False)
RestoreDbOption = typer.Option(
    DEFAULT_DB, "--db", help="The corpus database to put a backup back into (it may be damaged or missing).", dir_okay=False
)


def fail(message: str, code: int = 2) -> None:
    """A clear error for the user, no traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
