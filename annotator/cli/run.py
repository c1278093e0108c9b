"""`annotator run`: the window."""

from __future__ import annotations

from pathlib import Path

import typer

from annotator.cli.app import DbOption, app, fail


def run_window(db: Path) -> int:
    from annotator.ui import platform_check  # imports no Qt

    if platform_check.uses_xcb():
        missing = platform_check.missing_xcb_libraries()
        if missing:  # Qt would abort with a core dump; say what to install instead
            fail(platform_check.message(missing))
    from annotator.ui.app import main as ui_main  # Qt is loaded only here

    return ui_main(db)


@app.callback()
def root(ctx: typer.Context, db: Path = DbOption) -> None:
    """With no command: open the annotation window."""
    if ctx.invoked_subcommand is None:
        raise typer.Exit(run_window(db))


@app.command("run")
def run(db: Path = DbOption) -> None:
    """Open the annotation window (the first run imports the seed articles)."""
    raise typer.Exit(run_window(db))
