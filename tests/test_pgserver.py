"""The throwaway PostgreSQL fixtures: a working server, and a database per test that no other test sees."""

from __future__ import annotations

import psycopg
import pytest

pytestmark = pytest.mark.postgres


def test_pg_url_is_a_working_empty_database(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT version()").fetchone()[0].startswith("PostgreSQL")
        tables = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").fetchone()
        assert tables[0] == 0


@pytest.mark.parametrize("step", ["create", "check"])
def test_each_test_gets_a_fresh_database(pg_url: str, step: str) -> None:
    """Run twice: the table the first run creates must be absent from the second run's database."""
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT to_regclass('public.leftover')").fetchone()[0] is None
        if step == "create":
            conn.execute("CREATE TABLE leftover (x int)")
