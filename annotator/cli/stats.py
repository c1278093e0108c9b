"""`annotator stats`: what the corpus holds."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from annotator.cli.app import ExistingDbOption, app, fail


@app.command("stats")
def stats_command(db: Path = ExistingDbOption, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Documents by status, entities by label and origin, stances by target and value and by holder."""
    from annotator.session.corpus import Corpus
    from annotator.session.stats import corpus_stats

    if not db.exists():
        fail(f"no database at {db}")
    with Corpus(db, read_only=True) as corpus:  # errors: annotator.cli.main says them, with their exit code
        stats = corpus_stats(corpus)
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
    typer.echo(f"stances: {st['total']} in {st['documents']} documents ({st['document_level']} document-level)")
    if st["total"]:
        _grid("target", st["by_target"], st["values"])
        _grid("holder", st["by_holder"], st["values"])


def _grid(title: str, rows: dict[str, dict[str, int]], values: list[str]) -> None:
    """A row per target (or holder), a column per stance value."""
    columns = values + sorted({v for counts in rows.values() for v in counts} - set(values))
    width = max([len(title)] + [len(k) for k in rows])
    typer.echo(f"  {title:<{width}} " + " ".join(f"{v:>8}" for v in columns))
    for key, counts in rows.items():
        typer.echo(f"  {key:<{width}} " + " ".join(f"{counts.get(v, 0):>8}" for v in columns))


def _table(title: str, counts: dict[str, int]) -> None:
    if not counts:
        return
    typer.echo(f"  {title}:")
    width = max(len(k) for k in counts)
    for key, n in counts.items():
        typer.echo(f"    {key:<{width}} {n:>7}")
