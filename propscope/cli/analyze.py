"""Commands that count over the archive: who supports the DPRK (actors), who is named with whom (cooccur,
network), and series over time (chart, trend)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from propscope.analyze.trends import SPARSE_BELOW
from propscope.choices import Chart, CoarsePeriod, CoPeriod, NetworkFormat, Period, Role, TableFormat, TrendMetric
from propscope.cli.options import (
    DbOption,
    FormatOption,
    SinceOption,
    UntilOption,
    open_archive,
    settings,
    split,
)
from propscope.cli.output import bar, emit, err, out
from propscope.errors import NotFoundError, UsageError
from propscope.model import SearchFilters

RoleOption = Annotated[
    Role,
    typer.Option(
        help="Whose support: foreign (actors abroad), compatriot (south Koreans, Chongryon, Koreans abroad) or"
        " all. Adversaries are never counted."
    ),
]


def actors(
    ctx: typer.Context,
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: Annotated[
        list[str] | None,
        typer.Option(help='The actor\'s country: ISO code or name (US, "United States", USA); repeat or comma.'),
    ] = None,
    type: Annotated[
        list[str] | None,
        typer.Option("--type", help="person, party, organization, government, media, gathering, group."),
    ] = None,
    role: RoleOption = Role.FOREIGN,
    limit: Annotated[int, typer.Option(min=1, help="Actors to show.")] = 50,
    format: FormatOption = TableFormat.TABLE,
) -> None:
    """Actors claimed to support the DPRK, one row per body (an organ counts as its party): counts, first and
    last seen, and the names the texts gave it. Foreign actors unless --role says otherwise."""
    scope = SearchFilters.parse(since=since, until=until)
    with open_archive(ctx, db, readonly=True) as archive:  # the archive resolves the countries, names too
        found = archive.actors(scope.since, scope.until, split(country), split(type), limit, role)
    columns = ["actor", "role", "actor_type", "country", "events", "articles", "first_seen", "last_seen", "actions"]
    rows = [actor.to_json() for actor in found]
    who = {Role.FOREIGN: "foreign actors", Role.COMPATRIOT: "compatriot actors", Role.ALL: "actors"}[role]
    title = f"{who} claimed to support the DPRK"
    if format == TableFormat.JSONL:
        emit(rows, [*columns, "variants"], format, title)
    elif format == TableFormat.CSV:  # a cell holds text: the names, one after another
        emit(({**row, "variants": "; ".join(row["variants"])} for row in rows), [*columns, "variants"], format, title)
    else:  # for a reader: the role only where both are listed, and only the names other than the body's own
        shown = [c for c in columns if c != "role" or role == Role.ALL]
        written = ({**r, "written_as": "; ".join(v for v in r["variants"] if v != r["actor"])} for r in rows)
        emit(written, [*shown, "written_as"], format, title)


def cooccur(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='A person or organisation ("Kim Yong Nam").', show_default=False)],
    db: DbOption = None,
    by: Annotated[CoPeriod, typer.Option(help="Period: year, month or all.")] = CoPeriod.YEAR,
    top: Annotated[int, typer.Option(min=1, help="Names per period.")] = 10,
    format: FormatOption = TableFormat.TABLE,
) -> None:
    """Who and what is mentioned in the same articles as NAME, by period."""
    with open_archive(ctx, db, readonly=True) as archive:
        names = archive.cooccurrences(name, by, top)
    emit(
        (named.to_json() for named in names),
        ["period", "type", "canonical", "articles"],
        format,
        f"mentioned with {name}",
    )


def network(
    ctx: typer.Context,
    db: DbOption = None,
    format: Annotated[NetworkFormat, typer.Option("--format", "-f", help="graphml or csv.")] = NetworkFormat.GRAPHML,
    save: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).")] = None,
    nodes: Annotated[int, typer.Option(min=2, help="Most mentioned people and organisations to keep.")] = 300,
    min_weight: Annotated[int, typer.Option(min=1, help="Least shared articles for an edge.")] = 3,
    types: Annotated[str, typer.Option(help="Entity types, comma-separated.")] = "person,organization",
) -> None:
    """The co-mention graph (for Gephi or networkx): an edge per pair mentioned in the same articles."""
    from propscope.analyze.network import write_csv, write_graphml

    with open_archive(ctx, db, readonly=True) as archive:
        graph = archive.network(split([types]), nodes, min_weight)
    handle = save.open("w", encoding="utf-8", newline="") if save else sys.stdout
    try:
        if format == NetworkFormat.GRAPHML:
            write_graphml(handle, graph.nodes, graph.edges)
        else:
            write_csv(handle, graph.edges)
    finally:
        if save:
            handle.close()
    if save:
        err.print(f"{len(graph.nodes):,} nodes, {len(graph.edges):,} edges written to {escape(str(save))}")


def chart(
    ctx: typer.Context,
    what: Annotated[
        Chart,
        typer.Argument(
            help="support: support events by country; appearances: the leader's appearances by kind;"
            " official-positions: an official's places in lists (--name); companions: who accompanied the"
            " leader with whom.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    by: Annotated[CoarsePeriod, typer.Option(help="year or month.")] = CoarsePeriod.YEAR,
    top: Annotated[
        int, typer.Option(min=1, max=20, help="Countries shown, the rest 'other' (companions: the names shown).")
    ] = 15,
    role: RoleOption = Role.FOREIGN,
    save: Annotated[
        Path | None, typer.Option("--out", "-o", help="A .png or .svg file (default: the chart's name, .png).")
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    leader: Annotated[
        str | None, typer.Option(help='appearances, companions: the leader ("Kim Jong Un"); default every one.')
    ] = None,
    name: Annotated[str | None, typer.Option(help="official-positions: the official.")] = None,
) -> None:
    """Draw a chart of the archive (PNG or SVG): each bar, dot or cell says how many articles lie behind it;
    in the support chart, periods with fewer than 30 are hatched."""
    from propscope.analyze.charts import support_chart
    from propscope.cli.leadership import draw_chart
    from propscope.gazetteer import load_gazetteer

    save = save if save is not None else Path(f"{what.value}.png")
    if what != Chart.SUPPORT:
        draw_chart(ctx, what, db, save, leader=leader, name=name, by=by, top=top, since=since, until=until)
        return
    scope = SearchFilters.parse(since=since, until=until)
    with open_archive(ctx, db, readonly=True) as archive:
        counts = archive.support_counts(by, scope.since, scope.until, role)
    names = load_gazetteer(settings(ctx).gazetteer_file).country_names()
    drawn, sparse = support_chart(counts.rows, counts.periods, save, top, names, counts.roles)
    note = f"; {sparse} with fewer than {SPARSE_BELOW} articles, hatched" if sparse else ""
    whose = "foreign and compatriot" if role == Role.ALL else role.value
    err.print(f"{drawn} {by}s of {whose} support events drawn to {escape(str(save))}{note}")


def trend(
    ctx: typer.Context,
    db: DbOption = None,
    metric: Annotated[
        str, typer.Option(help="hostility, mentions, or technique:NAME (e.g. technique:Name_Calling,Labeling).")
    ] = "hostility",
    country: Annotated[
        str | None, typer.Option(help='Whom the series is about: ISO code or name (US, "United States", JP...).')
    ] = None,
    by: Annotated[Period, typer.Option(help="year, month or day.")] = Period.MONTH,
    since: SinceOption = None,
    until: UntilOption = None,
    save: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write the series: a .png or .svg chart, or .csv.")
    ] = None,
    format: FormatOption = TableFormat.TABLE,
) -> None:
    """A series over the stored corpus: hostility toward a country, its mentions, or a technique's use."""
    from propscope.analyze.trends import parse_metric, trend_chart, write_csv

    chosen = parse_metric(metric)
    if chosen.name in tuple(TrendMetric) and not country:
        raise UsageError(f"--metric {chosen.name} needs --country (an ISO code such as US, JP, KR, or a name)")
    if save is not None and save.suffix.lower() not in (".png", ".svg", ".csv"):
        raise UsageError(f"{save}: --out takes a .png, .svg or .csv file")
    scope = SearchFilters.parse(since=since, until=until)
    with open_archive(ctx, db, readonly=True) as archive:
        series = archive.trend(chosen, by, country, scope.since, scope.until)
    points, code = series.points, series.country
    if not points:
        raise NotFoundError("no dated articles in scope; widen --since/--until or ingest dispatches first")
    about = f" toward {code}" if chosen.name == "hostility" else (f" naming {code}" if code else "")
    if save is not None:
        if save.suffix.lower() == ".csv":
            write_csv(points, save, chosen)
        else:
            trend_chart(points, save, chosen, f"{chosen.label}{about}, by {by}")
        err.print(f"{len(points)} {by}s written to {escape(str(save))}")
    if format != TableFormat.TABLE:
        rows = [
            {
                "period": p.period,
                "articles": p.articles,
                "counted": p.counted,
                chosen.name: round(p.value, 4),
                "sparse": p.sparse,
            }
            for p in points
        ]
        emit(rows, ["period", "articles", "counted", chosen.name, "sparse"], format, "periods")
        return
    top = max((p.value for p in points), default=0.0) or 1.0
    sparse = sum(p.sparse for p in points)
    caption = f"* fewer than {SPARSE_BELOW} articles behind the point: read no change into it" if sparse else None
    table = Table(title=f"{chosen.label}{about}, by {by}", caption=caption, caption_justify="left")
    for column in ("period", "articles", "", "counted", chosen.name, ""):
        table.add_column(column, justify="left" if column in ("period", "") else "right")
    for p in points:
        table.add_row(
            p.period,
            f"{p.articles:,}",
            "*" if p.sparse else "",
            f"{p.counted:,}",
            f"{p.value:.3f}",
            bar(p.value, top, least=0),
            style="dim" if p.sparse else None,
        )
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command()(actors)
    app.command()(cooccur)
    app.command()(network)
    app.command()(chart)
    app.command()(trend)
