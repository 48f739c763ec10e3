"""collect/schedule.py and cli/collect.py: repeated runs, the command's options and output."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propscope.cli import app
from propscope.collect import collect_forever
from propscope.collect.profiles import KCNA
from propscope.collect.run import CollectResult
from propscope.collect.state import state_path_for
from propscope.errors import CollectError, PropscopeError
from tests.collect_fixtures import DISPATCHES, FAST, Site, kcna_site, plain_page, rss, serve


def test_collect_forever_runs_rounds_and_survives_a_failing_source(db: str) -> None:
    results: list[CollectResult] = []
    errors: list[str] = []
    with serve(kcna_site()) as site:
        broken = KCNA.rebased("http://127.0.0.1:1")  # nothing listens there
        rounds = collect_forever(
            db,
            [KCNA.rebased(site.base), broken],
            0.01,
            settings=FAST,
            rounds=2,
            on_result=results.append,
            on_error=lambda profile, exc: errors.append(str(exc)),
        )
    assert rounds == 2 and [r.added for r in results] == [4, 0] and len(errors) == 2
    stop = threading.Event()
    stop.set()
    assert collect_forever(db, [KCNA], 3600, stop=stop) == 0
    with pytest.raises(PropscopeError, match="interval must be positive"):
        collect_forever(db, [KCNA], 0)


def test_the_command_collects_and_reports_one_line(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROPSCOPE_ALLOW_PRIVATE", "1")
    with serve(kcna_site()) as site:
        site.put("/feed.xml", "<rss version='2.0'><channel><title>t</title></channel></rss>", "application/rss+xml")
        empty = CliRunner().invoke(app, ["collect", f"feed:{site.base}/feed.xml", "--db", db, "-q", "--delay", "0.1"])
        unknown = CliRunner().invoke(app, ["collect", "kcna", "--db", db])
    assert empty.exit_code == 1 and "not an RSS or Atom feed" in empty.stderr
    assert unknown.exit_code == 2 and "unknown source 'kcna'" in unknown.stderr
    assert Path(db + ".collect.sqlite").exists()
    help_text = CliRunner().invoke(app, ["collect", "--help"]).stdout
    assert "--every" in help_text and "--allow-private" in help_text and "--max-pages" in help_text


def test_state_lives_beside_the_archive(tmp_path: Path) -> None:
    assert state_path_for(str(tmp_path / "k.sqlite")) == tmp_path / "k.sqlite.collect.sqlite"
    server = state_path_for("postgresql://me:secret@db.example/kcna", tmp_path)
    assert server == tmp_path / "me@db.example_kcna.collect.sqlite"  # in the state folder, no password
    with pytest.raises(CollectError, match="name a file for it") as refused:
        state_path_for("mysql://me@db.example/kcna")
    assert "--" not in str(refused.value) and "PROPSCOPE" not in str(refused.value)  # the library's own words


def test_the_command_takes_the_state_file_and_private_addresses_from_the_environment(
    db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PROPSCOPE_COLLECT_STATE", str(tmp_path / "elsewhere.sqlite"))
    monkeypatch.setenv("PROPSCOPE_ALLOW_PRIVATE", "yes")
    site = Site()
    site.put("/news/0.html", plain_page(*DISPATCHES[0]))
    with serve(site):
        site.put("/feed.xml", rss(site.base, [0]), "application/rss+xml")
        done = CliRunner().invoke(app, ["collect", f"{site.base}/feed.xml", "--db", db, "-q", "--delay", "0.1"])
    assert done.exit_code == 0, done.stderr
    assert (tmp_path / "elsewhere.sqlite").exists() and not Path(db + ".collect.sqlite").exists()


def test_the_command_collects_a_feed(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROPSCOPE_ALLOW_PRIVATE", raising=False)
    site = Site()
    site.put("/news/0.html", plain_page(*DISPATCHES[0]))
    with serve(site):
        site.put("/feed.xml", rss(site.base, [0]), "application/rss+xml")
        args = ["collect", f"{site.base}/feed.xml", "--db", db, "-q", "--delay", "0.1", "--allow-private"]
        first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.stderr
    assert f"feed:{site.base}/feed.xml: listed 1, fetched 1" in first.stderr and "added 1" in first.stderr
