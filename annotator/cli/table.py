"""`annotator table`: flat tables of documents, entities or stances for pandas, R or a spreadsheet."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from annotator.cli.app import ExistingDbOption, app, fail


class Kind(StrEnum):
    documents = "documents"
    entities = "entities"
    stances = "stances"


class TableFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command("table")
def table_command(
    kind: Kind = typer.Argument(..., help="documents, entities or stances: one row per record, the document's metadata on each."),
    db: Path = ExistingDbOption,
    fmt: TableFormat = typer.Option(TableFormat.csv, "--format", help="csv, jsonl, or parquet (needs pyarrow)."),
    out: Path | None = typer.Option(
        None, "--out", dir_okay=False, help="The file to write (replaced whole at the end). Default: <table>.<format> here; - for standard output."
    ),
    status: list[str] = typer.Option([], "--status", help="Only documents with this status (repeat for several)."),
    outlet: list[str] = typer.Option([], "--outlet", help="Only documents from this outlet (repeat for several; '' for unknown)."),
    date_from: str | None = typer.Option(None, "--from", help="Only documents published on or after this day (YYYY-MM-DD)."),
    date_to: str | None = typer.Option(None, "--to", help="Only documents published on or before this day (YYYY-MM-DD)."),
    undated: str = typer.Option("include", "--undated", help="With --from/--to: include (default), exclude or only the documents without a date."),
) -> None:
    """Write a flat table (one row per document, entity or stance) with the documents' metadata joined."""
    from tqdm import tqdm

    from annotator.core.errors import AnnotatorError
    from annotator.session import tables
    from annotator.session.corpus import Corpus
    from annotator.session.doc_filter import DocFilter

    if not db.is_file():
        fail(f"no corpus database at {db}: give one with --db")
    target = None if out == Path("-") else (out or Path(f"{kind.value}.{fmt.value}"))
    try:
        where = DocFilter(tuple(status), tuple(outlet), date_from, date_to, undated)
        with Corpus(db, read_only=True) as corpus:
            total = tables.count_rows(corpus, kind.value, where)
            with tqdm(total=total, unit="row", desc=kind.value, disable=None) as bar:
                result = tables.write(corpus, kind.value, fmt.value, target, where, on_rows=bar.update)
    except AnnotatorError as exc:
        fail(str(exc), code=exc.exit_code)
    if target is not None:
        typer.echo(f"wrote {result.rows:,} {kind.value} to {target}", err=True)
