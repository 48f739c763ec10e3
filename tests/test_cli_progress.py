"""Long commands tell how far they are: ingest, import, reparse and export draw a bar with a total, the rate
and the time left; -q/--quiet draws none; export's total counts what it writes (articles, copies too)."""

from __future__ import annotations

import gzip
import re
import time
from pathlib import Path

import pytest
from rich.progress import MofNCompleteColumn, TimeRemainingColumn

from .cli_runner import run
from .filter_fixtures import COPIES, ENGLISH, SPANISH, write

RECORDS = ENGLISH + SPANISH + COPIES  # 7 articles, 6 stories (the two copies are one)


def bar(stderr: str, what: str) -> str:
    """The bar's last line as drawn on standard error (rich draws it once, at the end, off a terminal)."""
    lines = [line for line in stderr.splitlines() if line.strip().startswith(what + " ")]
    assert lines, stderr
    return lines[-1]


def assert_tells(line: str, done: int, unit: str) -> None:
    assert f"{done}/{done}" in line and "100%" in line, line  # a total, not "7/?"
    assert re.search(rf"\d[\d,]* {unit}/s", line), line  # the rate
    assert re.search(r"eta \d+:\d\d:\d\d", line), line  # the time left


@pytest.fixture
def archive(tmp_path: Path) -> str:
    db = str(tmp_path / "a.sqlite")
    code, _, err = run("ingest", str(write(tmp_path / "a.jsonl", RECORDS)), "--db", db, "--workers", "1", "-q")
    assert code == 0, err
    return db


def test_ingest_counts_the_records_of_every_input_first(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "plain.jsonl", ENGLISH)
    (folder / "packed.jsonl.gz").write_bytes(gzip.compress((folder / "plain.jsonl").read_bytes().replace(b"en", b"gz")))
    (folder / "one.txt").write_text("A Title\n\nPyongyang, May 1 (KCNA) -- A dispatch as a file of its own.\n")
    code, _, err = run("ingest", str(folder), "--db", str(tmp_path / "a.sqlite"), "--workers", "1")
    assert code == 0, err
    assert_tells(bar(err, "ingest"), 7, "records")


def test_reparse_has_a_total(archive: str) -> None:
    code, _, err = run("reparse", "--all", "--db", archive)
    assert code == 0, err
    assert_tells(bar(err, "reparse"), 7, "articles")
    assert "reparsed 7 articles" in err


def test_import_is_not_silent(archive: str, tmp_path: Path) -> None:
    exported = tmp_path / "out.jsonl"
    assert run("export", "--db", archive, "--out", str(exported), "--quiet")[0] == 0
    code, _, err = run("import", str(exported), "--db", str(tmp_path / "b.sqlite"), "--workers", "1")
    assert code == 0, err
    assert_tells(bar(err, "import"), 7, "records")


def test_export_counts_the_articles_it_writes_not_the_stories(archive: str, tmp_path: Path) -> None:
    code, _, err = run("export", "--db", archive, "--out", str(tmp_path / "out.jsonl"))
    assert code == 0, err
    assert_tells(bar(err, "export"), 7, "articles")  # was 7/6: the total counted stories
    assert "7 articles written" in err


@pytest.mark.parametrize("flag", ["-q", "--quiet"])
def test_quiet_silences_every_long_command(archive: str, tmp_path: Path, flag: str) -> None:
    exported = tmp_path / "out.jsonl"
    for args in (
        ("ingest", str(write(tmp_path / "more.jsonl", ENGLISH)), "--workers", "1"),
        ("reparse", "--all"),
        ("export", "--out", str(exported)),
        ("import", str(exported), "--workers", "1"),
    ):
        code, _, err = run(*args, "--db", archive, flag)
        assert code == 0, err
        assert "━" not in err and "/s" not in err and len(err.strip().splitlines()) == 1, (args, err)


def test_the_bar_shows_a_total_a_rate_and_the_time_left_while_it_runs() -> None:
    """Mid-run, on a terminal: rich's estimate of the rate and what is left, from the samples so far."""
    from propscope.cli.output import RateColumn, progress_bar

    progress = progress_bar("ingest", "records")
    kinds = {type(column) for column in progress.columns}
    assert {MofNCompleteColumn, RateColumn, TimeRemainingColumn} <= kinds
    task = progress.add_task("ingest", total=1000)
    progress.update(task, completed=100)
    time.sleep(0.05)
    progress.update(task, completed=200)
    shown = {type(c).__name__: str(c(progress.tasks[task])) for c in progress.columns if not isinstance(c, str)}
    assert re.fullmatch(r"[\d,]+ records/s", shown["RateColumn"].strip())
    assert re.fullmatch(r"\d+:\d\d:\d\d", shown["TimeRemainingColumn"].strip())
    assert shown["MofNCompleteColumn"].strip() == "200/1000"
    assert progress_bar("ingest", "records", quiet=True).disable


def test_on_a_terminal_the_live_bar_tells_the_total_rate_and_eta(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from propscope.cli.output import err

    monkeypatch.setattr(err, "_force_terminal", True)
    code, _, shown = run("ingest", str(write(tmp_path / "a.jsonl", RECORDS)), "--db", str(tmp_path / "a.sqlite"))
    assert code == 0, shown
    assert "\x1b[" in shown  # drawn live, in place
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown)
    assert_tells(bar(plain, "ingest"), 7, "records")


def test_batch_tells_its_progress_and_quiet_silences_it(archive: str, tmp_path: Path) -> None:
    records = tmp_path / "records.parquet"
    assert run("export", "--db", archive, "--out", str(records), "--quiet")[0] == 0
    code, _, err = run("batch", "--input", str(records), "--output", str(tmp_path / "out.parquet"))
    assert code == 0, err
    assert_tells(bar(err, "batch"), 7, "records")
    for flag in ("-q", "--quiet"):
        code, _, err = run("batch", "-i", str(records), "-o", str(tmp_path / "quiet.parquet"), flag)
        assert code == 0, err
        assert "━" not in err and "/s)" in err and len(err.strip().splitlines()) == 1, err  # the summary alone


def test_collect_draws_its_progress_on_a_terminal_and_quiet_silences_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from propscope.cli.output import err

    from .collect_fixtures import DISPATCHES, Site, plain_page, rss, serve

    monkeypatch.setattr(err, "_force_terminal", True)
    monkeypatch.setattr(err, "is_interactive", True)  # what a console made on a terminal decides at its start
    monkeypatch.setenv("PROPSCOPE_ALLOW_PRIVATE", "1")
    shown = {}
    site = Site()
    for n, (title, body) in enumerate(DISPATCHES[:3]):
        site.put(f"/news/{n}.html", plain_page(title, body))
    with serve(site):
        site.put("/feed.xml", rss(site.base, [0, 1, 2]), "application/rss+xml")
        for name, flags in (("drawn", ()), ("quiet", ("-q",)), ("long", ("--quiet",))):
            db = str(tmp_path / f"{name}.sqlite")
            code, _, shown[name] = run("collect", f"feed:{site.base}/feed.xml", "--db", db, "--delay", "0.1", *flags)
            assert code == 0, shown[name]
    assert "━" in shown["drawn"]  # the bar, drawn live
    for name in ("quiet", "long"):
        plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", shown[name])
        assert "━" not in plain and len(plain.strip().splitlines()) == 1, plain  # the run's summary alone
