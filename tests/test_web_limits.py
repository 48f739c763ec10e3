"""Attacks on the server's work per request: a query of hundreds of ORed terms, a slow query, a client that
leaves, huge numbers and unknown choices in parameters, oversized and chunked bodies."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from propscope import budget as budgets
from propscope.archive import Archive
from propscope.settings import Settings
from propscope.web.app import build_app

LOCAL = "http://127.0.0.1"
RECORD = b'{"id": "z1", "title": "Talks", "body": "Pyongyang, March 1 (KCNA) -- The talks went on."}\n'


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "a.sqlite")
    with Archive(path) as archive:
        archive.ingest_records  # noqa: B018
    client = TestClient(build_app(Settings(), path), base_url=LOCAL)
    assert client.post("/api/ingest", content=RECORD).status_code == 200
    return path


def client_of(db: str, **settings: float) -> TestClient:
    return TestClient(build_app(Settings(**settings), db), base_url=LOCAL, raise_server_exceptions=False)  # type: ignore[arg-type]


def test_four_hundred_ored_terms_are_refused_with_one_line(db: str) -> None:
    answer = client_of(db).get("/api/search", params={"q": " OR ".join(["talks"] * 400)})
    assert answer.status_code == 400
    assert "limit" in answer.json()["error"]


def test_a_query_past_its_budget_answers_503(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("propscope.store.sqlite.PROGRESS_STEPS", 1)  # a one-article archive is quick
    answer = client_of(db, query_seconds=1e-9).get("/api/search", params={"q": "talks"})
    assert answer.status_code == 503
    assert "narrow" in answer.json()["error"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?offset=999999999999999999999999",
        "/?page=99999999999999999999",
        "/api/articles/99999999999999999999999",
        "/api/trends?by=decade",
        "/digest?day=9999-12-31",
        "/api/search?limit=99999999",
    ],
)
def test_out_of_range_or_unknown_parameters_are_one_line_4xx(db: str, url: str) -> None:
    answer = client_of(db).get(url, headers={"Accept": "application/json"})
    assert answer.status_code in (400, 422), url
    assert set(answer.json()) == {"error"} and "\n" not in answer.json()["error"]


def test_an_oversized_body_is_413_by_length_and_by_chunked_stream(db: str) -> None:
    client = client_of(db, max_body_mb=0.001)
    assert client.post("/api/ingest", content=RECORD * 100).status_code == 413
    assert client.post("/api/ingest", content=iter([RECORD] * 100)).status_code == 413  # no Content-Length
    assert client.post("/api/saved", content=b"x" * (2 * 1024 * 1024)).status_code == 413
    assert client.post("/api/ingest", content=RECORD).status_code == 200


def test_a_client_that_leaves_cancels_its_query(db: str) -> None:
    app = build_app(Settings(), db)
    seen: list[budgets.Budget] = []

    async def slow_app(scope: object, receive: object, send: object) -> None:
        found = budgets.current()
        assert found is not None
        seen.append(found)
        for _ in range(200):
            if found.exceeded():
                return
            await asyncio.sleep(0.01)

    limits = app.user_middleware  # the real middleware class, around a slow app
    from propscope.web.limits import LimitsMiddleware

    assert any(m.cls is LimitsMiddleware for m in limits)
    middleware = LimitsMiddleware(slow_app, max_ingest_bytes=1024, query_seconds=60)
    messages = iter([{"type": "http.request", "body": b"", "more_body": False}])

    async def receive() -> dict[str, object]:
        message = next(messages, None)
        if message is None:
            await asyncio.sleep(0.05)
            return {"type": "http.disconnect"}
        return message

    async def send(message: object) -> None:
        pass

    scope = {"type": "http", "path": "/api/search", "headers": [], "method": "GET"}
    # A loop of its own in a thread: the browser tests' Playwright keeps a loop running in this one.
    worker = threading.Thread(
        target=asyncio.run,
        args=(asyncio.wait_for(middleware(scope, receive, send), 1.5),),  # type: ignore[arg-type]
    )
    worker.start()
    worker.join(5)
    assert seen and seen[0].cancelled.is_set()


def test_the_sqlite_progress_handler_stops_a_running_statement(db: str) -> None:
    budget = budgets.Budget(60)
    with budgets.running(budget), Archive(db, readonly=True) as archive:
        engine = archive.store.db  # type: ignore[attr-defined]
        budget.cancel()
        with pytest.raises(Exception, match="cancelled"):
            engine.rows("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")


@pytest.mark.engines
def test_a_statement_stops_at_its_budgets_deadline(db: str) -> None:
    """The deadline is enforced inside the database: SQLite's progress handler, PostgreSQL's statement_timeout."""
    import time

    with budgets.running(budgets.Budget(0.5)), Archive(db, readonly=True) as archive:
        started = time.monotonic()
        with pytest.raises(Exception) as raised:
            archive.store.db.rows(  # type: ignore[attr-defined]
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
            )
        assert type(raised.value).__name__ == "QueryTimeout" and "budget" in str(raised.value)
        assert time.monotonic() - started < 5


@pytest.mark.engines
def test_stopping_the_server_stops_a_query_running_in_another_thread(db: str) -> None:
    """What serve's SIGTERM does (budget.cancel_all): an endless statement in a worker thread ends at once."""

    outcome: list[BaseException] = []

    def work() -> None:
        with budgets.running(budgets.Budget(60)), Archive(db, readonly=True) as archive:
            try:
                archive.store.db.rows(  # type: ignore[attr-defined]
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
                )
            except BaseException as exc:  # noqa: BLE001
                outcome.append(exc)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while not budgets.cancel_all():
        worker.join(0.01)
    worker.join(5)
    assert not worker.is_alive()
    assert outcome and type(outcome[0]).__name__ == "QueryTimeout" and "cancelled" in str(outcome[0])


def test_the_search_page_says_why_a_huge_query_is_refused(db: str) -> None:
    client = client_of(db)
    page = client.get("/", params={"q": " OR ".join(["talks"] * 400)})
    assert "over the limit of 1,000" in page.text
    answer = client.get("/api/search", params={"q": " OR ".join(f"t{i}" for i in range(100))})  # < 1,000 chars
    assert answer.status_code == 400 and "over the limit of 64" in answer.json()["error"]


@pytest.mark.postgres
def test_postgresql_stops_a_statement_at_the_deadline_and_on_cancel(pg_url: str) -> None:
    """On PostgreSQL the budget is statement_timeout, and cancelling it cancels the running statement."""
    import time

    from propscope.errors import QueryTimeout

    with Archive(pg_url):
        pass  # the schema
    started = time.monotonic()
    with (
        budgets.running(budgets.Budget(0.3)),
        Archive(pg_url, readonly=True) as archive,
        pytest.raises(QueryTimeout, match="narrow"),
    ):
        archive.store.db.rows("SELECT pg_sleep(20)")  # type: ignore[attr-defined]
    budget = budgets.Budget(60)
    with budgets.running(budget), Archive(pg_url, readonly=True) as archive:
        threading.Timer(0.3, budget.cancel).start()
        with pytest.raises(QueryTimeout, match="cancelled"):
            archive.store.db.rows("SELECT pg_sleep(20)")  # type: ignore[attr-defined]
    assert time.monotonic() - started < 10
