"""`annotator formats`: the input and export formats, export extensions and pre-annotators known, plugins included."""

from __future__ import annotations

import typer

from annotator.cli.app import app


@app.command("formats")
def formats_command() -> None:
    """List the input formats (import --format), export formats (export --format), export extensions and pre-annotators."""
    from annotator.io.formats import READERS, WRITERS, describe, reader
    from annotator.nlp.preannotators import PREANNOTATORS
    from annotator.session.export import extension_registry

    EXPORT_EXTENSIONS = extension_registry()

    typer.echo("Input formats (import --format; by default chosen by suffix and content):")
    for name, text in describe(READERS):
        typer.echo(f"  {name:<12} {' '.join(reader(name).suffixes):<32} {text}")
    for title, registry in (("Export formats (export --format)", WRITERS), ("Export extensions (run on every export)", EXPORT_EXTENSIONS),
                            ("Pre-annotators (import --preannotator)", PREANNOTATORS)):
        typer.echo(f"{title}:")
        for name, text in describe(registry):
            typer.echo(f"  {name:<12} {text}")
    for registry in (READERS, WRITERS, EXPORT_EXTENSIONS, PREANNOTATORS):
        for name, problem in registry.problems.items():
            typer.echo(f"could not load the {registry.what} {name!r}: {problem}", err=True)
