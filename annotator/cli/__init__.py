"""The `annotator` command: thin typer wrappers over the session layer.

One module per command keeps each small; the window is imported only by `run`. Every module
in this package other than `app` registers its commands on `app` when imported: a new command
is a new module, nothing else to edit.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from annotator.cli.app import app
from annotator.core.errors import AnnotatorError


def _register() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name != "app" and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_register()


def main() -> None:
    """The one place the CLI turns errors into messages: a known failure (AnnotatorError) prints its
    message and exits with its kind's code; anything else is a bug, written with its traceback to the
    log file and shown as one line naming that file. No traceback reaches the terminal."""
    try:
        app()
    except AnnotatorError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: the details go to the log, the user gets one line
        from annotator.storage.logs import log_exception

        path = log_exception(exc, f"unexpected error in: annotator {' '.join(sys.argv[1:])}")
        where = f"; the details are in {path}" if path else ""
        typer.echo(f"error: unexpected {type(exc).__name__}: {exc}{where}", err=True)
        sys.exit(70)


__all__ = ["app", "main"]
