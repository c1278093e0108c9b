"""`annotator actors`: the actors of a corpus with their mentions and stances, or the ones proposed."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from annotator.cli.app import ExistingDbOption, app, fail


@app.command("actors")
def actors_command(
    db: Path = ExistingDbOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    proposed: bool = typer.Option(False, "--proposals", help="List the actors the unlinked mentions suggest instead."),
) -> None:
    """Actors with their mentions, documents and stances held; --proposals: actors suggested by the entities."""
    from annotator.core.errors import AnnotatorError
    from annotator.session.actors import actors, proposals
    from annotator.session.corpus import Corpus

    if not db.is_file():
        fail(f"no corpus database at {db}: give one with --db")
    try:
        with Corpus(db, read_only=True) as corpus:
            rows = proposals(corpus) if proposed else actors(corpus)
    except AnnotatorError as exc:
        fail(str(exc), exc.exit_code)
    if as_json:
        typer.echo(json.dumps([r.to_json() for r in rows], indent=2, ensure_ascii=False))
        return
    if not rows:
        typer.echo("no actors proposed: every mention is linked" if proposed else "no actors yet (see --proposals)")
        return
    if proposed:
        typer.echo(f"{'mentions':>8}  {'kind':<12} name  [spellings]")
        for p in rows:
            existing = f"  (links to actor {p.actor_id})" if p.actor_id else ""
            typer.echo(f"{p.mentions:>8}  {p.kind:<12} {p.name}  [{' | '.join(p.forms)}]{existing}")
        return
    typer.echo(f"{'id':>5} {'mentions':>8} {'docs':>6} {'stances':>7}  {'kind':<12} name")
    for r in rows:
        a = r.actor
        extra = (f"  ({a.external_id})" if a.external_id else "") + (f"  aka {', '.join(a.aliases)}" if a.aliases else "")
        typer.echo(f"{a.id:>5} {r.mentions:>8} {r.documents:>6} {r.stances:>7}  {a.kind:<12} {a.name}{extra}")
