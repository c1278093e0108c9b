"""The `annotator` command: thin typer wrappers over the session layer.

One module per command keeps each small; the window is imported only by `run`.
"""

from __future__ import annotations

from annotator.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
