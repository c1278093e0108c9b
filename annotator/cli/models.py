"""`annotator models`: the models trained on this corpus, their scores beside the base model's."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from annotator.cli.app import ExistingDbOption, app, fail


@app.command("models")
def models_command(
    db: Path = ExistingDbOption,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    use: str | None = typer.Option(None, "--use", help="Make this model the corpus's current one (new imports pre-annotate with it)."),
    report: str | None = typer.Option(None, "--report", help="Print this model's side-by-side report against its base."),
) -> None:
    """List the registered models: id, base, created, documents trained on, dev P/R/F and the base's, folder present."""
    from annotator.core.errors import AnnotatorError
    from annotator.session.corpus import Corpus
    from annotator.session.models import get_model, list_models, preannotation_model, set_current
    from annotator.session.training import side_by_side
    from annotator.storage import DatabaseError

    if not db.is_file():
        fail(f"no corpus database at {db}")
    try:
        with Corpus(db, read_only=use is None) as corpus:
            if use:
                set_current(corpus, use)
                typer.echo(f"model {use} is now the corpus's current model: new imports pre-annotate with it")
                return
            if report:
                typer.echo(side_by_side(get_model(corpus, report)))
                return
            models = list_models(corpus)
            _path, warning = preannotation_model(corpus)
    except (DatabaseError, AnnotatorError) as exc:
        fail(str(exc), getattr(exc, "exit_code", 2))
    if as_json:
        typer.echo(json.dumps({"models": [m.to_json() for m in models], "warning": warning}, indent=2, ensure_ascii=False))
        return
    if not models:
        typer.echo("no models yet: train one with `annotator train`")
        return
    typer.echo(f"{'id':<5} {'':1} {'created':<20} {'docs':>5} {'hash':<16} {'dev F':>6} {'base F':>6} {'ΔF':>6}  base / folder")
    for m in models:
        f = (m.scores.get("overall") or {}).get("f")
        bf = (m.base_scores.get("overall") or {}).get("f")
        diff = f"{(f - bf) * 100:+6.1f}" if f is not None and bf is not None else f"{'-':>6}"
        where = str(m.path) if m.present else f"MISSING {m.path} (deleted or moved)"
        typer.echo(f"{m.id:<5} {'*' if m.current else '':1} {m.created:<20} {m.documents:>5} {m.documents_hash:<16} "
                   f"{_pct(f):>6} {_pct(bf):>6} {diff}  {m.base or '(scratch)'} / {where}"
                   + ("  [cancelled]" if m.cancelled else ""))
    if warning:
        typer.echo(f"warning: {warning}", err=True)


def _pct(value) -> str:
    return "-" if value is None else f"{value * 100:.1f}"
