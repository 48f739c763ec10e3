"""cli/output.py: what the archive holds reaches a terminal as text to read, never as codes it obeys. A title or
a file name carrying ANSI escapes (ESC [ ... m recolours, ESC ] 0; retitles the window, ESC [ 2 J clears it),
C1 controls (U+009B is a one-character escape) or rich markup is printed as what it is."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli_runner import run

# What no output of the CLI may hold raw: C0 but tab and newline, DEL, C1.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
TITLE = "Evil \x1b[31mred\x1b[0m \x1b]0;pwned\x07 [red]markup[/red] \x9b2J title"
BODY = "Pyongyang, May 1 (KCNA) -- The body \x1b[2J clears the screen."


def hostile_archive(tmp_path: Path) -> tuple[str, str]:
    """An archive of one article with controls in its title and body, and the ingest's standard error."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "evil.txt").write_text(f"{TITLE}\n\n{BODY}\n", encoding="utf-8")
    (tmp_path / "in" / "named \x1b[2J.txt").write_bytes(b"")  # quarantined: its name is printed
    db = str(tmp_path / "a.sqlite")
    code, _, err = run("ingest", str(tmp_path / "in"), "--db", db, "--quiet")
    assert code == 3, err
    return db, err


def test_no_command_prints_a_control_character_raw(tmp_path: Path) -> None:
    db, ingest_err = hostile_archive(tmp_path)
    printed = {"ingest": ingest_err}
    for command in (["show", "1"], ["search"], ["search", "clears"], ["history", "1"], ["quarantine"]):
        code, out, err = run(*command, "--db", db)
        assert code == 0, err
        printed[" ".join(command)] = out + err
    for command, text in printed.items():
        assert not RAW_CONTROL.search(text), f"propscope {command} printed {RAW_CONTROL.findall(text)!r}"
    assert "\u241b[31mred" in printed["show 1"]  # ESC shown as its picture
    assert "[red]markup[/red]" in printed["show 1"]  # markup printed, not obeyed
    assert "\u241b[2J" in printed["quarantine"] and "named" in printed["ingest"]


def test_json_output_escapes_controls_and_keeps_the_stored_text(tmp_path: Path) -> None:
    db, _ = hostile_archive(tmp_path)
    for command in (["show", "1", "--format", "json"], ["search", "--format", "jsonl"]):
        code, out, _ = run(*command, "--db", db)
        assert code == 0 and not RAW_CONTROL.search(out), command
    _, out, _ = run("show", "1", "--db", db, "--format", "json")
    assert json.loads(out)["title"] == TITLE  # the stored text is the text as read
