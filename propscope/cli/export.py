"""`propscope export`: articles with their parsed fields and raw inputs, to Parquet or JSON Lines (`propscope
import` reads them back; it lives with ingest), or a spreadsheet's CSV: the files /api/export serves."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from propscope.choices import ExportFormat
from propscope.cli.options import (
    CountryOption,
    DbOption,
    LangOption,
    QuietOption,
    SinceOption,
    SourceOption,
    UntilOption,
    open_archive,
    settings,
    split,
)
from propscope.cli.output import err, progress_bar
from propscope.model import SearchFilters

BY_SUFFIX = {".jsonl": ExportFormat.JSONL, ".ndjson": ExportFormat.JSONL, ".csv": ExportFormat.CSV}


def export(
    ctx: typer.Context,
    db: DbOption = None,
    save: Annotated[Path, typer.Option("--out", "-o", help="The file to write (.parquet, .jsonl or .csv).")] = Path(
        "articles.parquet"
    ),
    format: Annotated[
        ExportFormat | None, typer.Option("--format", "-f", help="parquet, jsonl or csv (default: by --out).")
    ] = None,
    query: Annotated[str | None, typer.Option("--query", help="Only articles matching this search.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: CountryOption = None,
    lang: LangOption = None,
    source: SourceOption = None,
    quiet: QuietOption = False,
) -> None:
    """Write articles (with their raw inputs and parsed fields) to Parquet or JSON Lines, or their readable fields
    to CSV."""
    chosen = format or BY_SUFFIX.get(save.suffix.lower(), ExportFormat.PARQUET)
    filters = SearchFilters.parse(
        since=since,
        until=until,
        country=split(country),
        lang=split(lang),
        source=split(source),
        gazetteer_file=settings(ctx).gazetteer_file,
    )
    progress = progress_bar("export", "articles", quiet=quiet)
    with open_archive(ctx, db, readonly=True) as archive, progress:
        # every matching article is written, copies too: the total counts articles, not stories
        task = progress.add_task("export", total=archive.count(query, filters, collapse=False))
        written = archive.export(save, chosen, query, filters, lambda n: progress.update(task, completed=n))
    err.print(f"{written:,} articles written to {escape(str(save))}")


def register(app: typer.Typer) -> None:
    app.command()(export)
