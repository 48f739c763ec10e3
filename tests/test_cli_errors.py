"""The CLI's one error handler (propscope/cli/errors.py): a domain error is one line and its class's exit code,
a bad value for a choice is a usage error (exit 2), a bug is one line unless PROPSCOPE_DEBUG asks for more."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import pytest

from propscope.cli import app
from propscope.errors import EXIT_INTERRUPTED, EXIT_USAGE, QueryError
from propscope.settings import Settings

from .cli_runner import run, runner
from .conftest import SEED


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["search", '"unclosed'], EXIT_USAGE, "unclosed quote"),
        (["search", "x", "--since", "last year"], EXIT_USAGE, "is not a date"),
        (["show", "999"], 1, "no article with id 999"),
    ],
)
def test_errors_are_one_line(db: str, args: list[str], code: int, message: str) -> None:
    run("ingest", str(SEED), "--db", db, "--quiet")
    exit_code, _, err = run(*args, "--db", db)
    assert exit_code == code
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", "x", "--format", "bogus"], "'bogus' is not one of"),
        (["search", "x", "--genre", "commentary,poem"], "'poem' is not one of"),
        (["search", "x", "--sort", "newest"], "'newest' is not one of"),
        (["trend", "--by", "week"], "'week' is not one of"),
        (["cooccur", "Kim Yong Nam", "--by", "decade"], "'decade' is not one of"),
        (["chart", "pie"], "'pie' is not one of"),
        (["show", "1", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_a_value_not_among_the_choices_is_a_usage_error(db: str, args: list[str], message: str) -> None:
    code, _, err = run(*args, "--db", db)
    assert code == EXIT_USAGE and message in err and "Traceback" not in err


def test_missing_archive_is_one_line(tmp_path: Path) -> None:
    code, _, err = run("search", "x", "--db", str(tmp_path / "none.sqlite"))
    assert code == 1 and "no such archive" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("raised", "code", "message"),
    [
        (QueryError("a query error"), EXIT_USAGE, "error: a query error"),
        (FileNotFoundError(2, "No such file or directory", "gone.jsonl"), 1, "error: gone.jsonl: No such file"),
        (KeyboardInterrupt(), EXIT_INTERRUPTED, "interrupted"),
        (BrokenPipeError(), 0, ""),
        (RuntimeError("boom"), 1, "internal error: RuntimeError: boom (run again with PROPSCOPE_DEBUG=1"),
    ],
)
def test_the_handler_maps_each_exception(
    monkeypatch: pytest.MonkeyPatch, raised: BaseException, code: int, message: str
) -> None:
    def fail(*args: object, **kwargs: object) -> NoReturn:
        raise raised

    monkeypatch.setattr("propscope.cli.search.open_archive", fail)
    exit_code, _, err = run("stats")
    assert exit_code == code and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == (1 if message else 0)


def test_debug_shows_the_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> NoReturn:
        raise RuntimeError("boom")

    monkeypatch.setattr("propscope.cli.search.open_archive", fail)
    result = runner.invoke(app, ["stats"], obj=Settings(debug=True))
    assert isinstance(result.exception, RuntimeError)


def test_the_archive_defaults_to_the_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """--db absent: $PROPSCOPE_DB, read once when the command starts."""
    archive = tmp_path / "from-env.sqlite"
    monkeypatch.setenv("PROPSCOPE_DB", str(archive))
    code, _, err = run("ingest", str(SEED), "--quiet")
    assert code == 0 and "added 1" in err and archive.exists()
    code, out, _ = run("stats")
    assert code == 0 and "1 articles" in out.replace("[bold]", "")
