"""Commands that read inputs: ingest and import store them, reparse parses stored ones again, parse and batch
print or write what the parser makes of them without an archive."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import Progress, TaskID

from propscope.characters import visible
from propscope.choices import BatchEngine, ParseFormat
from propscope.cli.options import (
    DbOption,
    MinScoreOption,
    QuietOption,
    StepsOption,
    open_archive,
    settings,
    use_min_score,
)
from propscope.cli.output import err, json_text, progress_bar
from propscope.errors import EXIT_QUARANTINED
from propscope.model import IngestResult, Quarantined

if TYPE_CHECKING:
    from propscope.archive import Archive

QUARANTINE_LINES_SHOWN = 50
WorkersOption = Annotated[int | None, typer.Option(help="Parser processes (default: one per core).")]


def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: .txt, .html, .jsonl, .jsonl.gz.", show_default=False)
    ],
    db: DbOption = None,
    workers: WorkersOption = None,
    quiet: QuietOption = False,
    steps: StepsOption = None,
    min_score: MinScoreOption = None,
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
    use_min_score(ctx, min_score)
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
    progress = progress_bar("ingest", "records", quiet=quiet, detail=True)
    with open_archive(ctx, db) as archive, progress:
        task = counted_task(progress, archive, paths, quiet)
        result = archive.ingest(
            paths,
            workers=workers,
            on_progress=lambda p: show_read(progress, task, p),
            on_quarantine=report,
            steps=wanted,
            listing=listing,
            allow_mass_deletion=allow_mass_deletion,
        )
        finish(progress, task)
    report_ingest(result, time.perf_counter() - started, listing)


def counted_task(progress: Progress, archive: Archive, paths: list[Path], quiet: bool) -> TaskID:
    """The bar's task, its total the records the inputs hold (counted first: a pass over the bytes)."""
    task = progress.add_task("ingest", total=None, detail="counting the records")
    progress.update(task, total=None if quiet else archive.count_inputs(paths), detail="")
    return task


def show_read(progress: Progress, task: TaskID, p: Any) -> None:
    """An ingest's progress after a batch: records read, and the file being read."""
    origin = Path(p.origin).name if p.origin else ""
    shown = escape(visible(origin[-40:]))  # the live bar is drawn past the console's render hook
    progress.update(task, completed=p.read, detail=shown)


def finish(progress: Progress, task: TaskID) -> None:
    """The bar closed at what was done (a count can be an estimate: a quarantined file, blank lines)."""
    done = next(t.completed for t in progress.tasks if t.id == task)
    progress.update(task, total=done, completed=done, detail="")


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
    quiet: QuietOption = False,
) -> None:
    """Read an export (or any Parquet or JSON Lines of dispatches) into the archive; raw inputs are parsed again."""
    started = time.perf_counter()
    progress = progress_bar("import", "records", quiet=quiet, detail=True)
    with open_archive(ctx, db) as archive, progress:
        task = counted_task(progress, archive, paths, quiet)
        result = archive.ingest(paths, workers=workers, on_progress=lambda p: show_read(progress, task, p))
        finish(progress, task)
    report_ingest(result, time.perf_counter() - started)


def reparse(
    ctx: typer.Context,
    db: DbOption = None,
    all_articles: Annotated[
        bool, typer.Option("--all", help="Every article, not only those of older parsers.")
    ] = False,
    steps: StepsOption = None,
    min_score: MinScoreOption = None,
    quiet: QuietOption = False,
) -> None:
    """Parse stored articles again from their raw inputs (after an upgrade, or to add a step such as
    techniques), in place: no new versions."""
    use_min_score(ctx, min_score)
    from propscope.enrich import resolve_steps

    wanted = resolve_steps(steps)
    started = time.perf_counter()
    progress = progress_bar("reparse", "articles", quiet=quiet)
    with open_archive(ctx, db) as archive, progress:
        task = progress.add_task("reparse", total=archive.reparse_count(everything=all_articles))
        done = archive.reparse(lambda n: progress.update(task, completed=n), everything=all_articles, steps=wanted)
        finish(progress, task)
    err.print(f"reparsed {done:,} articles in {time.perf_counter() - started:.1f} s")


def parse(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to parse.", show_default=False)],
    format: Annotated[ParseFormat, typer.Option("--format", "-f", help="jsonl, or pretty (indented JSON).")] = (
        ParseFormat.JSONL
    ),
    text: Annotated[bool, typer.Option("--text", help="Include the input text the offsets refer to.")] = False,
    steps: StepsOption = None,
    min_score: MinScoreOption = None,
) -> None:
    """Parse and print one JSON object per article; stores nothing."""
    use_min_score(ctx, min_score)
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
    quiet: QuietOption = False,
    min_score: MinScoreOption = None,
) -> None:
    """Parse and enrich a Parquet table of records in bulk, in one process or on Apache Spark."""
    use_min_score(ctx, min_score)
    from propscope.batch import run_local, run_spark
    from propscope.enrich import resolve_steps

    wanted = resolve_steps(steps)
    started = time.perf_counter()
    if engine == BatchEngine.SPARK:  # Spark's own progress stays off: its stages are no total of records
        if not quiet:
            err.print(f"parsing {escape(str(source))} on Spark ({escape(master)})...")
        done = run_spark(source, target, master=master, partitions=partitions, steps=wanted, settings=settings(ctx))
    else:
        progress = progress_bar("batch", "records", quiet=quiet)
        with progress:
            task = progress.add_task("batch", total=None)
            done = run_local(
                source,
                target,
                steps=wanted,
                settings=settings(ctx),
                progress=lambda written, total: progress.update(task, completed=written, total=total),
            )
            progress.update(task, completed=done, total=done)
    elapsed = time.perf_counter() - started
    err.print(f"{done:,} articles parsed to {escape(str(target))} in {elapsed:.1f} s ({done / elapsed:,.0f}/s)")


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(reparse)
    app.command()(parse)
    app.command(name="import")(import_)
    app.command()(batch)
