"""The command as a whole (propscope/cli/__init__.py): every command has help, README's documented commands
exist and every command is documented, the version."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from propscope.cli import app

from .cli_runner import run
from .conftest import ROOT

ROOT_COMMAND = typer.main.get_command(app)
assert isinstance(ROOT_COMMAND, typer.core.TyperGroup)
COMMANDS = sorted(ROOT_COMMAND.commands)
SUBCOMMANDS = sorted(
    (name, sub)
    for name, command in ROOT_COMMAND.commands.items()
    if isinstance(command, typer.core.TyperGroup)
    for sub in command.commands
)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "Usage" in out
    assert len(out.strip().splitlines()) > 3
    assert ROOT_COMMAND.commands[command].help, f"'propscope {command}' has no help text"


@pytest.mark.parametrize(("group", "command"), SUBCOMMANDS)
def test_every_subcommand_has_help(group: str, command: str) -> None:
    code, out, _ = run(group, command, "--help")
    assert code == 0 and "Usage" in out
    group_command = ROOT_COMMAND.commands[group]
    assert isinstance(group_command, typer.core.TyperGroup) and group_command.commands[command].help


def test_readme_documents_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for command in COMMANDS:
        assert f"propscope {command}" in readme, f"README does not show 'propscope {command}'"


def test_every_command_readme_uses_exists() -> None:
    """The "## Use" block is what a newcomer copies: each line must name a command (and subcommand) we have."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Use", 1)[1].split("\n- ", 1)[0]
    used = [line.split()[1:3] for line in block.splitlines() if line.strip().startswith("propscope ")]
    assert len(used) > 20
    for words in used:
        command = ROOT_COMMAND.commands.get(words[0])
        assert command is not None, f"README's Use block runs 'propscope {words[0]}', which does not exist"
        if isinstance(command, typer.core.TyperGroup):
            assert words[1] in command.commands, f"README runs 'propscope {' '.join(words)}', which does not exist"


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and re.match(r"propscope \d+\.\d+", out)


def test_the_cli_reads_through_the_archive_and_the_settings_only() -> None:
    """No command reaches into the store or the environment: the Archive and the root callback's Settings."""
    for path in (ROOT / "propscope" / "cli").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert ".store" not in source and "os.environ" not in source, f"{path.name} goes around the facade"


def test_python_dash_m_propscope_is_the_command(tmp_path: Path) -> None:
    import subprocess
    import sys

    ran = subprocess.run(
        [sys.executable, "-m", "propscope", "search", "x", "--since", "2017-13", "--db", str(tmp_path / "a.sqlite")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert ran.returncode == 2 and "since '2017-13' is not a date in the calendar" in ran.stderr
