"""The `propscope` command: parses options, calls the library, turns domain errors into one clear line.

One module per command group (ingest, collect, search, saved, article, analyze, leadership, export, serve,
train); options shared by several commands are in options.py, printing in output.py, and the one error handler
in errors.py.
Settings are read from the environment once, in the root callback, and passed down through the context.

Exit codes: 0 done; 1 error (one line on stderr, no traceback); 2 bad usage; 3 done, but some input items
were quarantined (`propscope quarantine` lists them).
"""

from __future__ import annotations

from typing import Annotated

import typer

from propscope import __version__
from propscope.cli import analyze, article, collect, export, ingest, leadership, saved, search, serve, train
from propscope.cli.errors import PropscopeGroup
from propscope.cli.output import out
from propscope.errors import EXIT_QUARANTINED
from propscope.settings import Settings

__all__ = ["EXIT_QUARANTINED", "app", "main"]

app = typer.Typer(
    cls=PropscopeGroup,
    help="Parse, store and search state-media dispatches (KCNA, Rodong Sinmun, ...).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        out.print(f"propscope {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """propscope: read state media like an analyst."""
    if not isinstance(ctx.obj, Settings):  # a caller (a test) may hand its own settings in as obj
        ctx.obj = Settings.from_env()


for group in (ingest, collect, search, saved, article, analyze, leadership, export, serve, train):
    group.register(app)


def main() -> None:
    app()
