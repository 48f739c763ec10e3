"""Commands that read inputs: ingest and import store them, reparse parses stored ones again, parse and batch
print or write what the parser makes of them without an archive."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from propscope.characters import visible
from propscope.choices import BatchEngine, ParseFormat
from propscope.cli.options import DbOption, StepsOption, open_archive, settings
from propscope.cli.output import err, json_text
from propscope.errors import EXIT_QUARANTINED
from propscope.model import IngestResult, Quarantined

QUARANTINE_LINES_SHOWN = 50
WorkersOption = Annotated[int | None, typer.Option(help="Parser processes (default: one per core).")]


def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: .txt, .html, .jsonl, .jsonl.gz.", show_default=False)
    ],
    db: DbOption = None,
    workers: WorkersOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    steps: StepsOption = None,
    listing: Annotated[
        str | None,
        typer.Option(
            help="The inputs are this listing's whole current contents (a feed, an index, a dump): articles it"
            " held before and lacks now are marked deleted.",
            show_default=False,
        ),
    ] = None,
    allow_mass_deletion: Annotated[
        bool, typer.Option(help="Mark deletions even when over half of the listing's earlier articles are gone.")
    ] = False,
) -> None:
    """Read dispatches, parse them and store them. Running it twice on the same input stores nothing new."""
    from propscope.enrich import resolve_steps

    wanted = resolve_steps(steps)
    shown = 0

    def report(item: Quarantined) -> None:
        nonlocal shown
        shown += 1
        if shown <= QUARANTINE_LINES_SHOWN:
            where = item.origin + (f" [{item.record_id}]" if item.record_id else "")
            err.print(f"[yellow]quarantined[/] {escape(where)}: {escape(item.reason)}")
        elif shown == QUARANTINE_LINES_SHOWN + 1:
            err.print("[yellow]... more quarantined items: 'propscope quarantine' lists them all[/]")

    started = time.perf_counter()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>8} articles/s"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[origin]}"),
        console=err,
        disable=quiet,
        transient=False,
    )
    with open_archive(ctx, db) as archive, progress:
        task = progress.add_task("ingest", total=None, rate="", origin="")

        def on_progress(p: Any) -> None:
            elapsed = max(time.perf_counter() - started, 1e-6)
            origin = Path(p.origin).name if p.origin else ""
            shown = escape(visible(origin[-40:]))  # the live bar is drawn past the console's render hook
            progress.update(task, completed=p.read, rate=f"{p.read / elapsed:,.0f}", origin=shown)

        result = archive.ingest(
            paths,
            workers=workers,
            on_progress=on_progress,
            on_quarantine=report,
            steps=wanted,
            listing=listing,
            allow_mass_deletion=allow_mass_deletion,
        )
    report_ingest(result, time.perf_counter() - started, listing)


def report_ingest(result: IngestResult, elapsed: float | None = None, listing: str | None = None) -> None:
    """The one-line summary of an ingest or import; exit code 3 when something was quarantined."""
    err.print(
        f"added {result.added:,}, unchanged {result.unchanged:,}, new versions {result.new_versions:,}, "
        f"quarantined {result.quarantined:,}"
        + (f" in {elapsed:.1f} s" if elapsed is not None else "")
        + (f"; listing {listing}: deleted {result.deleted:,}, restored {result.restored:,}" if listing else "")
    )
    if result.quarantined:
        raise typer.Exit(EXIT_QUARANTINED)


def import_(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Parquet or JSON Lines files (an export).", show_default=False)],
    db: DbOption = None,
    workers: WorkersOption = None,
) -> None:
    """Read an export (or any Parquet or JSON Lines of dispatches) into the archive; raw inputs are parsed again."""
    with open_archive(ctx, db) as archive:
        result = archive.ingest(paths, workers=workers)
    report_ingest(result)


def reparse(
    ctx: typer.Context,
    db: DbOption = None,
    all_articles: Annotated[
        bool, typer.Option("--all", help="Every article, not only those of older parsers.")
    ] = False,
    steps: StepsOption = None,
) -> None:
    """Parse stored articles again from their raw inputs (after an upgrade, or to add a step such as
    techniques), in place: no new versions."""
    from propscope.enrich import resolve_steps

    wanted = resolve_steps(steps)
    progress = Progress(
        SpinnerColumn(), TextColumn("[bold]reparse"), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    )
    with open_archive(ctx, db) as archive, progress:
        task = progress.add_task("reparse", total=None)
        done = archive.reparse(lambda n: progress.update(task, completed=n), everything=all_articles, steps=wanted)
    err.print(f"reparsed {done:,} articles")


def parse(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to parse.", show_default=False)],
    format: Annotated[ParseFormat, typer.Option("--format", "-f", help="jsonl, or pretty (indented JSON).")] = (
        ParseFormat.JSONL
    ),
    text: Annotated[bool, typer.Option("--text", help="Include the input text the offsets refer to.")] = False,
    steps: StepsOption = None,
) -> None:
    """Parse and print one JSON object per article; stores nothing."""
    from propscope.enrich import PARSE_STEPS, Pipeline, resolve_steps
    from propscope.ingest import read_inputs

    quarantined = 0
    pipeline = Pipeline(resolve_steps(steps, PARSE_STEPS), settings(ctx))
    indent = 2 if format == ParseFormat.PRETTY else None
    for item in read_inputs(paths, settings(ctx).limits):
        result = item if isinstance(item, Quarantined) else pipeline.safely(item)
        if isinstance(result, Quarantined):
            quarantined += 1
            where = result.origin + (f" [{result.record_id}]" if result.record_id else "")
            err.print(f"[yellow]skipped[/] {escape(where)}: {escape(result.reason)}")
            continue
        sys.stdout.write(json_text(result.to_dict(include_text=text), indent=indent) + "\n")
    if quarantined:
        raise typer.Exit(EXIT_QUARANTINED)


def batch(
    ctx: typer.Context,
    source: Annotated[Path, typer.Option("--input", "-i", help="Parquet records (an export, or id/title/body/...).")],
    target: Annotated[Path, typer.Option("--output", "-o", help="Parquet to write the parsed articles to.")],
    engine: Annotated[BatchEngine, typer.Option(help="local (one process) or spark.")] = BatchEngine.LOCAL,
    master: Annotated[str, typer.Option(help="Spark master: local[N], spark://HOST:7077, yarn, ...")] = "local[2]",
    partitions: Annotated[int | None, typer.Option(help="Repartition the input into this many parts.")] = None,
    steps: StepsOption = None,
) -> None:
    """Parse and enrich a Parquet table of records in bulk, in one process or on Apache Spark."""
    from propscope.batch import run_local, run_spark
    from propscope.enrich import resolve_steps

    wanted = resolve_steps(steps)
    started = time.perf_counter()
    if engine == BatchEngine.SPARK:
        done = run_spark(source, target, master=master, partitions=partitions, steps=wanted, settings=settings(ctx))
    else:
        done = run_local(source, target, steps=wanted, settings=settings(ctx))
    elapsed = time.perf_counter() - started
    err.print(f"{done:,} articles parsed to {escape(str(target))} in {elapsed:.1f} s ({done / elapsed:,.0f}/s)")


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(reparse)
    app.command()(parse)
    app.command(name="import")(import_)
    app.command()(batch)
