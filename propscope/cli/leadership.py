"""The leadership tracker's commands: the leaders' reported appearances (appearances), one official's record
(official), the officials ranked with their rises and falls (officials), and the gaps and disappearances
(absences); plus the three charts `propscope chart` draws for them (draw_chart)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from propscope.choices import AppearanceKind, Chart, CoarsePeriod, DetailFormat, Period, TableFormat
from propscope.cli.options import DbOption, FormatOption, SinceOption, UntilOption, open_archive
from propscope.cli.output import bar, emit, err, out, write_json, write_jsonl
from propscope.errors import UsageError
from propscope.model import SearchFilters

if TYPE_CHECKING:  # the library loads when a command runs, not for --help
    from propscope.results import Absences, OfficialProfile, OfficialsRanking

LeaderOption = Annotated[
    str | None,
    typer.Option(help='The leader, by canonical name ("Kim Jong Un", "Kim Jong Il"); default: every leader.'),
]
DetailFormatOption = Annotated[DetailFormat, typer.Option("--format", "-f", help="text or json.")]


def checked_dates(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """--since and --until checked before the archive is opened: a bad date is a usage error (exit 2)."""
    scope = SearchFilters.parse(since=since, until=until)
    return scope.since, scope.until


def _joined(names: tuple[str, ...] | list[str]) -> str:
    return "; ".join(names)


def appearances(
    ctx: typer.Context,
    db: DbOption = None,
    leader: LeaderOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    kind: Annotated[
        AppearanceKind | None, typer.Option(help="economy, military, politics, culture, diplomacy.")
    ] = None,
    with_: Annotated[
        str | None, typer.Option("--with", help="Only those at which this official accompanied or greeted him.")
    ] = None,
    by: Annotated[
        Period | None, typer.Option(help="Count per year, month or day (stacked by kind) instead of listing.")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Appearances to list (the oldest first).")] = None,
    format: FormatOption = TableFormat.TABLE,
) -> None:
    """The leaders' reported public appearances: date, kind, place, who accompanied and greeted him, and the
    article; with --by, their number per period and kind, with the articles behind each period."""
    if by is not None:
        if kind is not None or with_ is not None:
            raise UsageError("--by counts every kind and companion: drop --kind and --with, or drop --by")
        _counts(ctx, db, leader, since, until, by, format)
        return
    since, until = checked_dates(since, until)
    with open_archive(ctx, db, readonly=True) as archive:
        rows = archive.appearances(leader, since, until, kind.value if kind else None, with_, limit)
    if format == TableFormat.JSONL:
        write_jsonl(r.to_json() for r in rows)
        return
    columns = ["date", "leader", "kind", "place", "accompanied_by", "greeted_by", "article_id", "title"]
    if format == TableFormat.TABLE:
        columns.remove("title")  # the article's id finds it (propscope show); a terminal has no room for both
    flat = [
        {**r.to_json(), "accompanied_by": _joined(r.accompanied_by), "greeted_by": _joined(r.greeted_by)} for r in rows
    ]
    emit(flat, columns, format, "appearances")


def _counts(
    ctx: typer.Context,
    db: str | None,
    leader: str | None,
    since: str | None,
    until: str | None,
    by: Period,
    format: TableFormat,
) -> None:
    since, until = checked_dates(since, until)
    with open_archive(ctx, db, readonly=True) as archive:
        counts = archive.appearance_counts(leader, by, since, until)
    kinds = list(counts.kinds)
    rows = [
        {"period": p.period, "appearances": p.appearances, "articles": p.articles, **{k: p.count(k) for k in kinds}}
        for p in counts.periods
    ]
    if format != TableFormat.TABLE:
        emit(rows, ["period", "appearances", "articles", *kinds], format, "periods")
        return
    who = counts.leader or "every leader"
    caption = f"{counts.undated:,} appearances with no date are not counted" if counts.undated else None
    table = Table(title=f"Appearances of {who}, by {counts.by}", caption=caption, caption_justify="left")
    table.add_column("period", min_width=max((len(p.period) for p in counts.periods), default=4))
    for column in ("appearances", "articles", *kinds):
        table.add_column(column, justify="right")
    table.add_column("", ratio=1)  # the bar takes the room left
    peak = max((p.appearances for p in counts.periods), default=0)
    for p in counts.periods:
        cells = [f"{n:,}" for n in (p.appearances, p.articles, *(p.count(k) for k in kinds))]
        table.add_row(p.period, *cells, bar(p.appearances, peak))
    out.print(table)


def official(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help='The official, as the archive writes the name ("Choe Ryong Hae").')],
    db: DbOption = None,
    format: DetailFormatOption = DetailFormat.TEXT,
) -> None:
    """One official's record: the spellings written, titles over time, appearances with the leader by month,
    the most frequent co-companions and places in lists."""
    with open_archive(ctx, db, readonly=True) as archive:
        profile = archive.official(name)
    if format == DetailFormat.JSON:
        write_json(profile.to_json())
        return
    _print_profile(profile)


def _print_profile(profile: OfficialProfile) -> None:
    out.print(Text(profile.name, style="bold"))
    fields = [
        ("spellings", ", ".join(profile.variants) or "-"),
        ("seen", f"{profile.first_seen or '?'} to {profile.last_seen or '?'}"),
        ("named in lists", f"{profile.mentions:,}"),
        ("appearances with the leader", f"{profile.appearances:,}"),
    ]
    for label, value in fields:
        out.print(Text.assemble((f"{label}: ", "dim"), value))
    titles = Table(title="Titles, as written beside the name")
    for column in ("title", "first seen", "last seen", "mentions"):
        titles.add_column(column, justify="right" if column == "mentions" else "left")
    for t in profile.titles:
        titles.add_row(Text(t.title), t.first_seen or "?", t.last_seen or "?", f"{t.mentions:,}")
    out.print(titles)
    months = Table(title="Appearances with the leader, by month")
    for column in ("month", "appearances", ""):
        months.add_column(column, justify="right" if column == "appearances" else "left")
    peak = max((n for _, n in profile.appearances_by_month), default=0)
    for month, n in profile.appearances_by_month:
        months.add_row(month, f"{n:,}", bar(n, peak))
    out.print(months)
    companions = Table(title="Most frequent co-companions")
    companions.add_column("name")
    companions.add_column("appearances together", justify="right")
    for other, n in profile.companions:
        companions.add_row(Text(other), f"{n:,}")
    out.print(companions)
    positions = Table(title="Places in lists")
    for column in ("date", "list", "place", "of", "article"):
        positions.add_column(column, justify="right" if column in ("place", "of", "article") else "left")
    for p in profile.positions:
        positions.add_row(p.date or "?", p.list, str(p.position), str(p.size), f"#{p.article_id}")
    out.print(positions)


def officials(
    ctx: typer.Context,
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    compare_with: Annotated[
        str | None,
        typer.Option(help="Another period, SINCE:UNTIL or a year (2013): the rises and falls since then."),
    ] = None,
    leader: LeaderOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Officials to rank.")] = 50,
    format: FormatOption = TableFormat.TABLE,
) -> None:
    """The officials ranked by appearances with the leader and by mean place in accompaniment and protocol
    lists; with --compare-with, the same for another period and who rose and fell."""
    from propscope.analyze.leadership_series import compare_period

    since, until = checked_dates(since, until)
    other = compare_period(compare_with) if compare_with is not None else None
    with open_archive(ctx, db, readonly=True) as archive:
        ranking = archive.officials(since, until, other, leader, limit)
    if format == TableFormat.JSONL:
        write_jsonl(o.to_json() for o in ranking.officials)
        return
    columns = [
        "name",
        "appearances",
        "accompanied_position",
        "accompanied_lists",
        "protocol_position",
        "protocol_lists",
    ]
    if other is not None:
        columns += ["appearances_then", "appearances_change", "accompanied_rise", "protocol_rise"]
    rows: list[dict[str, Any]] = [
        {
            **o.to_json(),
            "appearances_then": o.compared.appearances if o.compared else None,
        }
        for o in ranking.officials
    ]
    emit(rows, columns, format, "officials")
    if format == TableFormat.TABLE and other is not None:
        _print_moves(ranking)


def _print_moves(ranking: OfficialsRanking) -> None:
    then = f"{ranking.compare_with[0] or '…'} to {ranking.compare_with[1] or '…'}" if ranking.compare_with else ""
    for label, moved in (("rose", ranking.rises), ("fell", ranking.falls)):
        names = ", ".join(f"{o.name} ({o.appearances_change:+d})" for o in moved) or "nobody"
        out.print(Text.assemble((f"{label} since {then}: ", "dim"), names))


def absences(
    ctx: typer.Context,
    db: DbOption = None,
    leader: LeaderOption = None,
    min_days: Annotated[int, typer.Option(min=1, help="The shortest gap between appearances reported.")] = 30,
    vanished_months: Annotated[
        int, typer.Option(min=1, help="Officials unseen this many months before the archive's latest date.")
    ] = 6,
    format: FormatOption = TableFormat.TABLE,
) -> None:
    """The leader's gaps between reported appearances, officials who vanished, and names dropped from later
    versions of articles. jsonl and csv give one row per finding, its kind in `finding`."""
    with open_archive(ctx, db, readonly=True) as archive:
        found = archive.absences(leader, min_days, vanished_months)
    if format != TableFormat.TABLE:
        rows = [
            *({"finding": "gap", **g.to_json()} for g in found.gaps),
            *({"finding": "vanished", **v.to_json()} for v in found.vanished),
            *({"finding": "dropped", **d.to_json()} for d in found.dropped),
        ]
        columns = list(dict.fromkeys(key for row in rows for key in row)) or ["finding"]
        if format == TableFormat.JSONL:
            write_jsonl(rows)
        else:
            emit(rows, columns, format, "findings")
        return
    _print_absences(found)


def _print_absences(found: Absences) -> None:
    who = found.leader or "the leaders"
    gaps = Table(title=f"Gaps of {found.min_days}+ days between reported appearances of {who}")
    for column in ("leader", "last before", "first after", "days", "archived between", "articles"):
        gaps.add_column(column, justify="right" if column in ("days", "archived between") else "left")
    for g in found.gaps:
        gaps.add_row(
            g.leader,
            g.last_before,
            f"{g.first_after} (latest dispatch; ongoing)" if g.ongoing else g.first_after,
            f"{g.days:,}",
            f"{g.articles_between:,}" + ("" if g.articles_between else " (a hole in the archive)"),
            f"#{g.last_article_id}" if g.first_article_id is None else f"#{g.last_article_id} #{g.first_article_id}",
        )
    out.print(gaps)
    vanished = Table(
        title=f"Officials unseen for {found.vanished_months}+ months before {found.latest or 'the latest date'}"
    )
    for column in ("name", "first seen", "last seen", "seen", "days since", "last article"):
        vanished.add_column(column, justify="right" if column in ("seen", "days since") else "left")
    for v in found.vanished:
        vanished.add_row(
            Text(v.name), v.first_seen, v.last_seen, f"{v.seen:,}", f"{v.days_since:,}", f"#{v.last_article_id}"
        )
    out.print(vanished)
    dropped = Table(title="Names dropped from later versions of articles")
    for column in ("article", "title", "name", "last held in", "latest", "seen at"):
        dropped.add_column(column)
    for d in found.dropped:
        dropped.add_row(
            f"#{d.article_id}",
            Text(d.title),
            Text(d.name),
            f"v{d.last_version}",
            f"v{d.latest_version}",
            d.seen_at or "?",
        )
    out.print(dropped)


def draw_chart(
    ctx: typer.Context,
    what: Chart,
    db: str | None,
    save: Path,
    *,
    leader: str | None,
    name: str | None,
    by: CoarsePeriod,
    top: int,
    since: str | None,
    until: str | None,
) -> None:
    """The leadership charts of `propscope chart`: appearances (per period, by kind), official-positions
    (--name's places in lists) and companions (who accompanied the leader with whom)."""
    from propscope.analyze.leadership_charts import appearances_chart, check_out, companions_chart, positions_chart

    check_out(save)
    since, until = checked_dates(since, until)
    if what == Chart.OFFICIAL_POSITIONS and not name:
        raise UsageError('chart official-positions needs --name (the official, e.g. --name "Choe Ryong Hae")')
    with open_archive(ctx, db, readonly=True) as archive:
        if what == Chart.APPEARANCES:
            drawn = appearances_chart(archive.appearance_counts(leader, Period(by.value), since, until), save)
            said = f"{drawn} {by}s of appearances"
        elif what == Chart.OFFICIAL_POSITIONS:
            drawn = positions_chart(archive.official(name or ""), save)
            said = f"{drawn} monthly places in lists"
        else:
            matrix = archive.companions(leader, since, until, top)
            drawn = companions_chart(matrix, save, leader)
            said = f"{drawn} companions"
    err.print(f"{said} drawn to {escape(str(save))}")


def register(app: typer.Typer) -> None:
    app.command()(appearances)
    app.command()(official)
    app.command()(officials)
    app.command()(absences)
