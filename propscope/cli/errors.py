"""The CLI's one error handler: the root command catches what any command raises and turns it into one line on
standard error and an exit code; a traceback only with PROPSCOPE_DEBUG=1, and only for a bug."""

from __future__ import annotations

from typing import Any

import typer
from rich.markup import escape
from typer.core import TyperGroup

from propscope.cli.options import settings
from propscope.cli.output import err
from propscope.errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, ListingError, MissingStepError, PropscopeError


class PropscopeGroup(TyperGroup):
    """The root group: every subcommand (and every nested group's) runs inside its `invoke`, so errors are
    mapped here once; each PropscopeError carries its own exit code (2 for usage and query errors)."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.exceptions.TyperException):
            raise  # Typer's own: --help, usage errors (exit 2), explicit exits
        except PropscopeError as exc:
            err.print(f"[red]error:[/] {escape(str(exc) + _remedy(exc))}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/]: what was written so far is kept; run the command again to finish")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BrokenPipeError:
            raise typer.Exit(EXIT_OK) from None  # the reader (head, less) has what it wanted
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            err.print(f"[red]error:[/] {escape(where + (exc.strerror or str(exc)))}")
            raise typer.Exit(EXIT_ERROR) from None
        except Exception as exc:  # a bug: still one line for the user, the traceback on request
            if settings(ctx).debug:
                raise
            err.print(
                f"[red]internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))}"
                " (run again with PROPSCOPE_DEBUG=1 for the traceback, and please report it)"
            )
            raise typer.Exit(EXIT_ERROR) from None


def _remedy(exc: PropscopeError) -> str:
    """The command that does what the library's message asks for: the library names no option."""
    if isinstance(exc, ListingError):
        return " (--allow-mass-deletion)"
    if isinstance(exc, MissingStepError):
        return f" (propscope reparse --all --steps +{exc.step}, or ingest with --steps +{exc.step})"
    return ""
