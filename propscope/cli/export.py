"""`propscope export`: articles with their parsed fields and raw inputs, to Parquet or JSON Lines (`propscope
import` reads them back; it lives with ingest)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from propscope.choices import ExportFormat
from propscope.cli.options import CountryOption, DbOption, SinceOption, UntilOption, open_archive, split
from propscope.cli.output import err
from propscope.errors import UsageError
from propscope.model import SearchFilters

WRITTEN = (ExportFormat.PARQUET, ExportFormat.JSONL)


def export(
    ctx: typer.Context,
    db: DbOption = None,
    save: Annotated[Path, typer.Option("--out", "-o", help="The file to write (.parquet or .jsonl).")] = Path(
        "articles.parquet"
    ),
    format: Annotated[
        ExportFormat | None, typer.Option("--format", "-f", help="parquet or jsonl (default: by --out).")
    ] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Only articles matching this search.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
) -> None:
    """Write articles (with their raw inputs and parsed fields) to Parquet or JSON Lines."""
    chosen = format or (ExportFormat.JSONL if save.suffix.lower() in (".jsonl", ".ndjson") else ExportFormat.PARQUET)
    if chosen not in WRITTEN:
        raise UsageError(f"--format {chosen} is not written by export: use parquet or jsonl")
    filters = SearchFilters.parse(since=since, until=until, country=split(country))
    progress = Progress(
        SpinnerColumn(), TextColumn("[bold]export"), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    )
    with open_archive(ctx, db, readonly=True) as archive, progress:
        task = progress.add_task("export", total=archive.count(query, filters))
        written = archive.export(save, chosen, query, filters, lambda n: progress.update(task, completed=n))
    err.print(f"{written:,} articles written to {escape(str(save))}")


def register(app: typer.Typer) -> None:
    app.command()(export)
