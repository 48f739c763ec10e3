"""Shared fixtures. Tests that read ../shared skip cleanly where it is absent."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import pgserver

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "seed_000_eef75d260c16730a.txt"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared corpora are not here)")
    return path


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The archive a test runs on: a SQLite file; under @pytest.mark.engines, also a fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return str(tmp_path / "archive.sqlite")
    return str(request.getfixturevalue("pg_url"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `engines` run once per store engine: what holds on SQLite must hold on PostgreSQL."""
    if "db" in metafunc.fixturenames and metafunc.definition.get_closest_marker("engines"):
        engines = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
        metafunc.parametrize("db", engines, indirect=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pgserver.PgServer]:
    """One cluster for the whole session. Skips where none can be had, unless CI demands it (PROPSCOPE_REQUIRE_PG=1)."""
    try:
        import psycopg  # noqa: F401

        server = pgserver.start()
    except (ImportError, pgserver.PgUnavailable) as exc:
        reason = f"PostgreSQL unavailable: {exc}"
        if os.environ.get("PROPSCOPE_REQUIRE_PG") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    yield server
    server.stop()


_pg_databases = itertools.count()


@pytest.fixture
def pg_url(pg_server: pgserver.PgServer) -> Iterator[str]:
    """A fresh, empty database per test, dropped after it: tests never see each other's tables."""
    name = f"propscope_t_{next(_pg_databases)}_{os.getpid()}"
    yield pgserver.new_database(pg_server.url, name)
    pgserver.drop_database(pg_server.url, name)
