"""Commands that find articles: search, phrase, deleted; and what the archive holds: stats, quarantine."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from propscope.choices import CoarsePeriod, Sort, Stance, TableFormat
from propscope.cli.options import (
    AccompaniedByOption,
    CountryOption,
    DbOption,
    FormatOption,
    GenreOption,
    LangOption,
    LeaderAppearanceOption,
    SinceOption,
    SourceOption,
    UntilOption,
    open_archive,
    settings,
    split,
)
from propscope.cli.output import bar, emit, out, rich_snippet, write_csv, write_jsonl
from propscope.model import SearchFilters

HIT_COLUMNS = ["id", "date", "title", "genre", "source", "snippet", "score", "copies", "deleted_at"]


def search(
    ctx: typer.Context,
    query: Annotated[
        str | None, typer.Argument(help='Words, "a phrase", AND/OR/NOT, prefix*.', show_default=False)
    ] = None,
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    genre: GenreOption = None,
    country: CountryOption = None,
    lang: LangOption = None,
    source: SourceOption = None,
    outlet: Annotated[list[str] | None, typer.Option(help='Relayed outlet ("Rodong Sinmun").')] = None,
    person: Annotated[list[str] | None, typer.Option(help='Person mentioned ("Kim Jong Un").')] = None,
    technique: Annotated[
        list[str] | None,
        typer.Option(help="Propaganda technique used (Name_Calling,Labeling; Loaded_Language; ...); all must occur."),
    ] = None,
    target: Annotated[
        list[str] | None, typer.Option(help="Country (ISO code or name) the article is hostile toward.")
    ] = None,
    stance: Annotated[
        Stance | None,
        typer.Option(help="hostile, friendly or neutral: the article's stance toward the --toward countries."),
    ] = None,
    toward: Annotated[
        list[str] | None,
        typer.Option(help="Country (ISO code or name) the --stance is taken toward; repeat or comma: all must hold."),
    ] = None,
    leader_appearance: LeaderAppearanceOption = None,
    accompanied_by: AccompaniedByOption = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="Hits to show.")] = 20,
    sort: Annotated[Sort, typer.Option(help="relevance or date (without a query: date).")] = Sort.RELEVANCE,
    all_copies: Annotated[
        bool, typer.Option("--all-copies", help="Every copy of a story as its own hit (default: one per story).")
    ] = False,
    format: FormatOption = TableFormat.TABLE,
) -> None:
    """Search the archive; each hit shows date, title and the match in context (copies of a story folded)."""
    if query is None and sort == Sort.RELEVANCE:
        sort = Sort.DATE
    filters = SearchFilters.parse(
        since=since,
        until=until,
        genre=split(genre),
        country=split(country),
        outlet=split(outlet),
        person=split(person),
        technique=technique,
        target=split(target),
        stance=stance,
        toward=split(toward),
        leader_appearance=leader_appearance,
        accompanied_by=split(accompanied_by),
        lang=split(lang),
        source=split(source),
        gazetteer_file=settings(ctx).gazetteer_file,
    )
    with open_archive(ctx, db, readonly=True) as archive:
        hits = archive.search(query, filters, limit=limit, sort=sort, collapse=not all_copies)
        total = archive.count(query, filters, collapse=not all_copies) if format == TableFormat.TABLE else len(hits)
    if format == TableFormat.JSONL:
        write_jsonl(hit.to_json(marked=False) for hit in hits)
        return
    if format == TableFormat.CSV:
        write_csv(({**hit.to_json(marked=False), "score": f"{hit.score:.4f}"} for hit in hits), HIT_COLUMNS)
        return
    what = "articles" if all_copies else "stories"
    table = Table(title=f"{total:,} {what} match; showing {len(hits):,}", show_lines=True, expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("in context", ratio=2)
    for hit in hits:
        title = Text(hit.title)
        if hit.copies:
            title.append(f"\n+{hit.copies} cop{'y' if hit.copies == 1 else 'ies'}", style="dim")
        if hit.deleted_at:
            title.append(f"\ndeleted {hit.deleted_at[:10]}", style="red")  # gone from its listing
        table.add_row(str(hit.id), hit.date or "?", title, rich_snippet(hit.snippet))
    out.print(table)


def phrase(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The phrase, as words in a row.", show_default=False)],
    db: DbOption = None,
    by: Annotated[CoarsePeriod, typer.Option(help="year or month.")] = CoarsePeriod.YEAR,
    limit: Annotated[int, typer.Option(min=0, max=100_000, help="Articles listed, most recent first.")] = 20,
    format: FormatOption = TableFormat.TABLE,
) -> None:
    """When a phrase was first and last used, how often by period, and the articles using it."""
    with open_archive(ctx, db, readonly=True) as archive:
        usage = archive.phrase(text, by, limit)
    if format != TableFormat.TABLE:
        emit(usage.to_json()["periods"], ["period", "articles"], format, "periods")
        return
    if not usage.total:
        out.print(f"no article uses {escape(usage.query)}")
        return
    out.print(
        f"[bold]{escape(usage.query)}[/]: {usage.total:,} articles"
        + (f" ({usage.undated:,} undated)" if usage.undated else "")
    )
    if usage.first and usage.last:
        out.print(f"  first used {usage.first.date}  #{usage.first.id}  {escape(usage.first.title)}")
        out.print(f"  last used  {usage.last.date}  #{usage.last.id}  {escape(usage.last.title)}")
    top = max(n for _, n in usage.periods) if usage.periods else 1
    table = Table(title=f"articles using it, by {by}")
    for column in ("period", "articles", ""):
        table.add_column(column, justify="right" if column == "articles" else "left")
    for period, n in usage.periods:
        table.add_row(period, f"{n:,}", bar(n, top))
    out.print(table)
    if usage.hits:
        listing = Table(title=f"the {len(usage.hits)} most recent" if len(usage.hits) < usage.total else "all of them")
        for column in ("id", "date", "title", "in context"):
            listing.add_column(column, justify="right" if column == "id" else "left")
        for hit in usage.hits:
            listing.add_row(str(hit.id), hit.date or "", escape(hit.title), rich_snippet(hit.snippet))
        out.print(listing)


def deleted(
    ctx: typer.Context,
    db: DbOption = None,
    since: SinceOption = None,
    listing: Annotated[str | None, typer.Option(help="Only this listing.", show_default=False)] = None,
    format: FormatOption = TableFormat.TABLE,
) -> None:
    """Articles that disappeared from a listing (feed, index, dump) they were collected from, and when."""
    with open_archive(ctx, db, readonly=True) as archive:
        deletions = archive.deleted(SearchFilters.parse(since=since).since, listing)
    columns = ["id", "date", "title", "listing", "last_seen", "deleted_at", "restored_at"]
    emit((d.to_json() for d in deletions), columns, format, "deletions")


def stats(ctx: typer.Context, db: DbOption = None) -> None:
    """Counts by year, genre, outlet, source and language."""
    with open_archive(ctx, db, readonly=True) as archive:
        totals = archive.totals()
        stats = archive.stats()
    out.print(
        f"[bold]{totals.articles:,}[/] articles, {totals.versions:,} earlier versions, "
        f"{totals.quarantined:,} quarantined items"
    )
    for name, rows in stats.groups.items():
        table = Table(title=f"by {name}", title_justify="left")
        table.add_column(name)
        table.add_column("articles", justify="right")
        peak = max((n for _, n in rows), default=1)
        table.add_column("")
        for key, count in rows:
            table.add_row(escape(str(key)), f"{count:,}", bar(count, peak))
        out.print(table)


def quarantine(
    ctx: typer.Context,
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Items to list, newest first.")] = 1000,
) -> None:
    """List input items that could not be ingested, with the reason."""
    with open_archive(ctx, db, readonly=True) as archive:
        items = archive.quarantine(limit)
    if not items:
        out.print("nothing quarantined")
        return
    table = Table(title=f"{len(items):,} quarantined items")
    for column in ("when", "input", "record", "reason"):
        table.add_column(column)
    for item in items:
        table.add_row(item.created_at, escape(item.origin), escape(item.record_id or ""), escape(item.reason))
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command()(search)
    app.command()(phrase)
    app.command()(deleted)
    app.command()(stats)
    app.command()(quarantine)
