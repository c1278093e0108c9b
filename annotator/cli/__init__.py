"""The `annotator` command: thin typer wrappers over the session layer.

One module per command keeps each small; the window is imported only by `run`. Every module
in this package other than `app` registers its commands on `app` when imported: a new command
is a new module, nothing else to edit.
"""

from __future__ import annotations

import importlib
import pkgutil

from annotator.cli.app import app


def _register() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name != "app" and not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_register()


def main() -> None:
    app()


__all__ = ["app", "main"]
