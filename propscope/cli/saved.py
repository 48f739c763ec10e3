"""`propscope saved add|list|rm`: saved searches from the command line, with the search command's filters and
their alerts (a webhook, an e-mail address), so that alerts and `propscope digest` need no web page."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from propscope.choices import Stance, TableFormat
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
from propscope.cli.output import emit, err, out
from propscope.model import SearchFilters

saved_app = typer.Typer(help="Saved searches: add, list, rm (each has an Atom feed; alerts by webhook or mail).")
COLUMNS = ["id", "name", "query", "filters", "webhook", "email"]


@saved_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A name, unique among saved searches.", show_default=False)],
    query: Annotated[
        str | None, typer.Argument(help='Words, "a phrase", AND/OR/NOT, prefix* (none: filters only).')
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
    technique: Annotated[list[str] | None, typer.Option(help="Propaganda technique used; all must occur.")] = None,
    target: Annotated[
        list[str] | None, typer.Option(help="ISO code of a country the article is hostile toward.")
    ] = None,
    stance: Annotated[
        Stance | None, typer.Option(help="hostile, friendly or neutral toward the --toward countries.")
    ] = None,
    toward: Annotated[list[str] | None, typer.Option(help="ISO code the --stance is taken toward.")] = None,
    leader_appearance: LeaderAppearanceOption = None,
    accompanied_by: AccompaniedByOption = None,
    webhook: Annotated[
        str | None, typer.Option(help="POST new matches (JSON) to this http(s) URL after each ingest.")
    ] = None,
    email: Annotated[
        str | None, typer.Option(help="Mail new matches to this address after each ingest (needs PROPSCOPE_SMTP_*).")
    ] = None,
) -> None:
    """Save a search by name; its alerts cover the articles ingested from now on."""
    filters = SearchFilters.parse(
        since=since,
        until=until,
        genre=split(genre),
        country=split(country),
        lang=split(lang),
        source=split(source),
        gazetteer_file=settings(ctx).gazetteer_file,
        outlet=split(outlet),
        person=split(person),
        technique=technique,
        target=split(target),
        stance=stance,
        toward=split(toward),
        leader_appearance=leader_appearance,
        accompanied_by=split(accompanied_by),
    )
    with open_archive(ctx, db) as archive:
        saved = archive.save_search(name, query, filters, webhook, email)
        mail_ready = archive.settings.mail is not None
    about = " · ".join(part for part in (saved.query or "", saved.filters_text()) if part) or "everything"
    out.print(f"saved search {saved.id} [bold]{escape(saved.name)}[/]: {escape(about)}")
    if saved.email and not mail_ready:
        err.print("[yellow]no SMTP server is set: set PROPSCOPE_SMTP_HOST and PROPSCOPE_SMTP_FROM to mail alerts[/]")


@saved_app.command("list")
def list_saved(ctx: typer.Context, db: DbOption = None, format: FormatOption = TableFormat.TABLE) -> None:
    """Every saved search, its filters as you would type them, and where its alerts go."""
    with open_archive(ctx, db, readonly=True) as archive:
        saved = archive.saved_searches()
    if format == TableFormat.JSONL:
        emit((s.to_json() for s in saved), [*COLUMNS, "search_url", "seen_up_to", "mailed_up_to"], format, "")
        return
    rows = [{**s.to_json(), "filters": s.filters_text()} for s in saved]
    emit(rows, COLUMNS, format, "saved searches")


@saved_app.command("rm")
def remove(
    ctx: typer.Context,
    saved_id: Annotated[int, typer.Argument(metavar="ID", min=1, help="The id `propscope saved list` shows.")],
    db: DbOption = None,
) -> None:
    """Delete a saved search (its feed and alerts stop)."""
    with open_archive(ctx, db) as archive:
        name = archive.saved_search(saved_id).name
        archive.delete_saved_search(saved_id)
    out.print(f"removed saved search {saved_id} [bold]{escape(name)}[/]")


def register(app: typer.Typer) -> None:
    app.add_typer(saved_app, name="saved")
