"""Running the `propscope` command in-process, as the CLI tests do: exit code, standard output, standard error."""

from __future__ import annotations

from typer.testing import CliRunner

from propscope.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr
