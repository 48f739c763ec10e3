"""`propscope collect`: options in, one line per run out. The edge of collection: it takes the settings the
CLI read at its start, passes them down, and names the options that allow what the library refuses."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from propscope.cli.options import QuietOption
from propscope.cli.options import settings as settings_of
from propscope.cli.output import err
from propscope.collect.fetch import FetchSettings
from propscope.collect.profiles import PROFILES, resolve_profile
from propscope.collect.run import CollectProgress, CollectResult
from propscope.collect.run import collect as collect_profile
from propscope.collect.schedule import collect_forever
from propscope.collect.state import state_path_for
from propscope.errors import AddressRefused, CollectError, PropscopeError

FAILURES_SHOWN = 10


def collect(
    ctx: typer.Context,
    profiles: Annotated[
        list[str],
        typer.Argument(
            help=f"Sources: {', '.join(PROFILES)}, feed:URL, sitemap:URL, or a feed's URL.",
            show_default=False,
            metavar="SOURCE...",
        ),
    ],
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Archive: a SQLite file (default ./propscope.sqlite, or $PROPSCOPE_DB).", show_default=False
        ),
    ] = None,
    every: Annotated[
        float | None,
        typer.Option(
            "--every", min=60, help="Keep running: collect again every SECONDS (at least 60).", show_default=False
        ),
    ] = None,
    max_pages: Annotated[
        int | None,
        typer.Option(
            "--max-pages", min=1, help="Fetch at most this many article pages per source and run.", show_default=False
        ),
    ] = None,
    delay: Annotated[float, typer.Option(min=0.1, help="Seconds between two requests to one site.")] = 2.0,
    allow_private: Annotated[
        bool,
        typer.Option("--allow-private", help="Allow private and loopback addresses (also PROPSCOPE_ALLOW_PRIVATE=1)."),
    ] = False,
    allow_mass_deletion: Annotated[
        bool, typer.Option(help="Mark deletions even when over half of a listing's earlier articles are gone.")
    ] = False,
    quiet: QuietOption = False,
) -> None:
    """Fetch sources' listings and new or changed articles, politely (robots.txt, a delay per site, conditional
    GET), and ingest them: an edited article becomes a version, one the source removed is marked deleted."""
    chosen = [resolve_profile(p) for p in profiles]
    env = settings_of(ctx)
    db = db or env.db
    settings = FetchSettings(delay_s=delay, allow_private=allow_private or env.allow_private)
    try:
        state_path = env.collect_state or state_path_for(db, env.state_dir())
    except CollectError as exc:
        raise CollectError(f"{exc} (PROPSCOPE_COLLECT_STATE)") from None
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.fields[profile]}"),
        TextColumn("{task.fields[stage]}"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=quiet,
        transient=True,
    )
    with progress:
        task = progress.add_task("collect", total=None, profile="", stage="")

        def on_progress(p: CollectProgress) -> None:
            progress.update(task, completed=p.done, total=p.total, profile=escape(p.profile), stage=p.stage)

        def on_result(result: CollectResult) -> None:
            progress.console.print(escape(result.summary()))
            for url, reason in result.failures[:FAILURES_SHOWN]:
                progress.console.print(f"[yellow]failed[/] {escape(url)}: {escape(reason)}")
            if len(result.failures) > FAILURES_SHOWN:
                progress.console.print(f"[yellow]... {len(result.failures) - FAILURES_SHOWN} more failures[/]")

        def on_error(profile: object, exc: PropscopeError) -> None:
            progress.console.print(f"[red]error:[/] {escape(str(_naming_options(exc)))} (trying again next round)")

        try:
            if every is None:
                for profile in chosen:
                    on_result(
                        collect_profile(
                            db,
                            profile,
                            max_pages=max_pages,
                            progress=on_progress,
                            settings=settings,
                            state_path=state_path,
                            allow_mass_deletion=allow_mass_deletion,
                            limits=env.limits,
                        )
                    )
                return
            collect_forever(
                db,
                chosen,
                every,
                max_pages=max_pages,
                allow_mass_deletion=allow_mass_deletion,
                settings=settings,
                state_path=state_path,
                progress=on_progress,
                on_result=on_result,
                on_error=on_error,
                limits=env.limits,
            )
        except PropscopeError as exc:
            raise _naming_options(exc) from None


def _naming_options(exc: PropscopeError) -> PropscopeError:
    """The error with the option that allows what it refused: the library says what to allow, not how."""
    if isinstance(exc, AddressRefused):
        return AddressRefused(exc.url, f"{exc.reason} (--allow-private, or PROPSCOPE_ALLOW_PRIVATE=1)")
    return exc


def register(app: typer.Typer) -> None:
    app.command("collect")(collect)
