"""`annotator restore`: list the rolling backups of a database, or put one back."""

from __future__ import annotations

from pathlib import Path

import typer

from annotator.cli.app import RestoreDbOption, app, fail


@app.command("restore")
def restore_command(
    db: Path = RestoreDbOption,
    backup: Path = typer.Option(None, "--backup", help="The backup file to restore (default: the latest good one).",
                                exists=True, dir_okay=False),
    list_only: bool = typer.Option(False, "--list", help="List the backups, newest first, and change nothing."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Replace the database by one of its backups; the replaced file is kept in the backups folder."""
    from annotator.storage.backup import backup_dir, latest_good, list_backups, restore

    backups = list_backups(db)
    if list_only:
        if not backups:
            typer.echo(f"no backups in {backup_dir(db)}")
        for info in backups:
            typer.echo(info.describe())
        return
    if backup is None:
        info = latest_good(db)
        if info is None:
            fail(f"no good backup of {db} in {backup_dir(db)}")
        backup, what = info.path, info.describe()
    else:
        what = str(backup)
    if not yes and not typer.confirm(f"Replace {db} by the backup {what}?"):
        fail("nothing was changed", code=1)
    restored, kept = restore(db, backup)  # errors: annotator.cli.main says them, with their exit code
    typer.echo(f"restored {db} from {restored.name}")
    if kept:
        typer.echo(f"the replaced file is kept as {kept}")
