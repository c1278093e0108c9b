"""`annotator stats`: what the corpus holds."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from annotator.cli.app import DbOption, app, fail


@app.command("stats")
def stats_command(db: Path = DbOption, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Documents by status, entities by label and origin, stances by target, value and holder."""
    from annotator.session.corpus import Corpus
    from annotator.session.stats import corpus_stats
    from annotator.storage import DatabaseError

    if not db.exists():
        fail(f"no database at {db}")
    try:
        with Corpus(db, read_only=True) as corpus:
            stats = corpus_stats(corpus)
    except DatabaseError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(stats, indent=2, ensure_ascii=False))
        return
    docs = stats["documents"]
    typer.echo(f"{stats['database']}: {docs['total']} documents")
    for status in ("new", "in_progress", "accepted", "skipped"):
        typer.echo(f"  {status.replace('_', ' '):<12} {docs[status]:>7}")
    ents = stats["entities"]
    typer.echo(f"entities: {ents['total']}")
    _table("by label", ents["by_label"])
    _table("by origin", ents["by_origin"])
    st = stats["stances"]
    typer.echo(f"stances: {st['total']} ({st['document_level']} document-level)")
    _table("by target=value", st["by_target_value"])
    _table("by holder", st["by_holder"])


def _table(title: str, counts: dict[str, int]) -> None:
    if not counts:
        return
    typer.echo(f"  {title}:")
    width = max(len(k) for k in counts)
    for key, n in counts.items():
        typer.echo(f"    {key:<{width}} {n:>7}")
