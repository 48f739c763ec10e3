"""Options several commands share, declared once (sqlite-utils' habit), and the settings a run started with.

The root callback reads `Settings.from_env()` once and keeps it as the context's object; commands reach it
through `settings(ctx)` and open the archive through `open_archive`, which applies `$PROPSCOPE_DB` where
`--db` is not given."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from propscope.choices import Genre, TableFormat
from propscope.settings import Settings

if TYPE_CHECKING:
    from propscope.archive import Archive

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Archive: a SQLite file (default ./propscope.sqlite, or $PROPSCOPE_DB), or postgresql://user@host/db.",
        show_default=False,
    ),
]
SinceOption = Annotated[str | None, typer.Option(help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option(help="Up to this date, inclusive.")]
FormatOption = Annotated[TableFormat, typer.Option("--format", "-f", help="table, jsonl or csv.")]
StepsOption = Annotated[
    str | None,
    typer.Option(
        "--steps",
        help="Enrich steps, comma-separated: entities, support, techniques (or techniques-fast), epithets, stance,"
        " appearances. Default for ingest and reparse: all but techniques ('+techniques' adds the encoder's"
        " propaganda-technique spans, '+techniques-fast' the linear model's, ten times faster and less"
        " accurate); parse runs techniques too.",
        show_default=False,
    ),
]
MinScoreOption = Annotated[
    float | None,
    typer.Option(
        "--min-score",
        min=0.0,
        max=1.0,
        help="Drop technique spans scoring below this (0-1, calibrated: on PTC, 0.5 keeps spans that are mostly"
        " right). Default: $PROPSCOPE_TECHNIQUE_MIN_SCORE, else 0 (every span).",
        show_default=False,
    ),
]
LeaderAppearanceOption = Annotated[
    str | None,
    typer.Option(help='Articles reporting an appearance of this leader ("Kim Jong Un"), or of any: "any".'),
]
AccompaniedByOption = Annotated[
    list[str] | None,
    typer.Option(help='Who accompanied the leader ("Choe Ryong Hae"); repeat or comma: all must hold.'),
]
CountryOption = Annotated[
    list[str] | None,
    typer.Option(help='Country the article refers to: ISO code or name (US, "United States", USA); repeat or comma.'),
]
LangOption = Annotated[list[str] | None, typer.Option(help="Language code of the article (en, es); repeat or comma.")]
SourceOption = Annotated[
    list[str] | None, typer.Option(help="Source the article was read from (kcna, rodong...); repeat or comma.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


def genres(value: str) -> str:
    """--genre takes known genres only, comma-separated or repeated: a usage error (exit 2) otherwise."""
    for name in split([value]):
        if name not in Genre.__members__.values():
            raise typer.BadParameter(f"{name!r} is not one of {', '.join(Genre)}")
    return value


GenreOption = Annotated[
    list[str] | None,
    typer.Option(parser=genres, metavar="GENRE", help=f"One of {', '.join(Genre)}; repeat or comma-separate."),
]


def split(values: list[str] | None) -> tuple[str, ...]:
    """--country US,JP and --country US --country JP mean the same."""
    return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())


def use_min_score(ctx: typer.Context, value: float | None) -> None:
    """--min-score given: this run's settings carry it, so every step built from them (workers too) sees it."""
    if value is not None:
        ctx.obj = replace(settings(ctx), technique_min_score=value)


def settings(ctx: typer.Context) -> Settings:
    """The settings the root callback read when this run started."""
    found = ctx.find_object(Settings)
    return found if found is not None else Settings.from_env()


def open_archive(ctx: typer.Context, db: str | None, *, readonly: bool = False) -> Archive:
    """The archive `--db` names, else the one the settings name ($PROPSCOPE_DB, else ./propscope.sqlite)."""
    from propscope.archive import Archive  # here, not above: `propscope --help` need not load the library

    return Archive(db, readonly=readonly, settings=settings(ctx))
