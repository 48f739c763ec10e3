"""alerts.py and the outbound guard, as the attacks: a webhook pointed at the analyst's own machine in every
spelling, a webhook that trickles its answer, a stored saved search whose query cannot be read."""

from __future__ import annotations

import datetime as dt
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from propscope.alerts import deliver_alerts, digest, filters_from_dict, filters_to_dict, post_json
from propscope.archive import Archive
from propscope.errors import QueryError, UsageError
from propscope.ingest.hooks import alerts_hook
from propscope.ingest.jsonl import parse_record_line
from propscope.model import SearchFilters
from propscope.settings import Settings
from tests.trickle import trickling_server

LINES = [
    json.dumps({"id": f"r{i}", "source": "kcna", "date": "2011-05-0{i}", "title": f"T{i}", "body": body})
    for i, body in enumerate(
        ["Pyongyang (KCNA) -- A Cuban delegation arrived.", "Pyongyang (KCNA) -- The harvest is good."], 1
    )
]

# Every spelling of "this machine" a resolver or an IPv6 stack accepts, with the port of the recording server.
REFUSED = [
    "http://127.0.0.1:{port}/",
    "http://localhost:{port}/",
    "http://2130706433:{port}/",
    "http://0x7f000001:{port}/",
    "http://0177.0.0.1:{port}/",
    "http://127.1:{port}/",
    "http://0.0.0.0:{port}/",
    "http://0:{port}/",
    "http://[::]:{port}/",
    "http://[::1]:{port}/",
    "http://[::ffff:127.0.0.1]:{port}/",
    "http://[::127.0.0.1]:{port}/",
    "http://[64:ff9b::7f00:1]:{port}/",
    "http://[2002:7f00:1::]:{port}/",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:{port}/",  # Teredo, client 127.0.0.1
    "http://10.0.0.1:{port}/",
    "http://169.254.169.254:{port}/latest",
    "http://loopback.evil.example:{port}/",  # a name that resolves to loopback
]


@contextmanager
def recording_server() -> Iterator[tuple[int, list[str]]]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            hits.append(self.path)
            self.rfile.read(int(self.headers.get("content-length", "0")))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def loopback_name(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def resolve(host: str, port: object, *args: object, **kwargs: object) -> list[object]:
        if host == "loopback.evil.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


def ingest(archive: Archive, lines: list[str]) -> None:
    records = (parse_record_line(line.encode(), "memory", n) for n, line in enumerate(lines, 1))
    archive.ingest_records(records, workers=1)


@pytest.mark.usefixtures("loopback_name")
def test_a_webhook_to_this_machine_is_refused_at_save_and_at_delivery_in_every_spelling(tmp_path: Path) -> None:
    with recording_server() as (port, hits), Archive(str(tmp_path / "a.sqlite")) as archive:
        for n, form in enumerate(REFUSED):
            url = form.format(port=port)
            with pytest.raises(UsageError, match="private, loopback or reserved") as refused:
                archive.save_search(f"s{n}", "delegation", webhook=url)
            assert "\n" not in str(refused.value)
            archive.store.save_search(f"s{n}", "delegation", {}, url)  # stored before the guard, or by hand
        ingest(archive, LINES)  # delivers: every one refused again, the ingest fine
        assert hits == []
        assert deliver_alerts(archive.store) == {}  # and retried next time: still refused
        assert archive.saved_searches()[0].seen_up_to == 0
        # The server does record what reaches it: private addresses allowed, the plain loopback one arrives.
        for saved in archive.saved_searches()[1:]:
            archive.delete_saved_search(saved.id)
        assert deliver_alerts(archive.store, allow_private=True) == {"s0": 1}
        assert hits
    with Archive(str(tmp_path / "b.sqlite"), settings=Settings(allow_private=True)) as allowed:
        assert allowed.save_search("mine", None, webhook=REFUSED[0].format(port=1)).webhook
    with Archive(str(tmp_path / "c.sqlite")) as archive, pytest.raises(UsageError, match="http or https"):
        archive.save_search("f", None, webhook="file:///etc/passwd")


def test_a_public_name_that_rebinds_to_loopback_at_delivery_reaches_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    with recording_server() as (port, hits):
        answers = iter(["93.184.216.34"])
        real = socket.getaddrinfo

        def rebinding(host: str, p: object, *args: object, **kwargs: object) -> list[object]:
            if host != "rebind.example":
                return real(host, p, *args, **kwargs)  # type: ignore[arg-type]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers, "127.0.0.1"), p))]

        monkeypatch.setattr(socket, "getaddrinfo", rebinding)
        from propscope.alerts import check_webhook

        check_webhook(f"http://rebind.example:{port}/")  # public when saved
        with pytest.raises(Exception, match="127.0.0.1"):
            post_json(f"http://rebind.example:{port}/", {})
        assert hits == []


def test_a_trickling_webhook_is_cut_at_the_total_deadline_and_never_fails_the_ingest(tmp_path: Path) -> None:
    with trickling_server(b"HTTP/1.1 200 OK\r\nX-Slow: ", every_s=2.0) as port:
        started = time.monotonic()
        with pytest.raises(Exception, match="(?i)timeout|timed out|deadline"):
            post_json(f"http://127.0.0.1:{port}/", {}, allow_private=True, deadline_s=3.0)
        assert 2.5 < time.monotonic() - started < 5.5
        with Archive(str(tmp_path / "a.sqlite")) as archive:
            archive.store.save_search("slow", "delegation", {}, f"http://127.0.0.1:{port}/")
            records = (parse_record_line(line.encode(), "memory", n) for n, line in enumerate(LINES, 1))
            started = time.monotonic()
            result = archive.ingest_records(records, workers=1, after=(alerts_hook(True, deadline_s=3.0),))
            assert result.added == 2 and time.monotonic() - started < 6.5  # held at most the deadline, not failed
            saved = archive.saved_searches()[0]
            assert saved.seen_up_to == 0  # retried next time


def test_a_saved_query_is_checked_when_saved_and_a_bad_stored_one_is_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with Archive(str(tmp_path / "a.sqlite")) as archive:
        for bad in ('"unclosed', "(a OR", "AND"):
            with pytest.raises(QueryError) as refused:
                archive.save_search("bad", bad)
            assert "\n" not in str(refused.value)
        assert archive.saved_searches() == []
        posted: list[str] = []
        archive.store.save_search("broken", '"unclosed', {}, "http://hook.test/broken")  # stored by hand
        archive.store.save_search("good", "delegation", {}, "http://hook.test/good")
        with caplog.at_level(logging.WARNING):
            ingest(archive, LINES)
            delivered = deliver_alerts(archive.store, lambda url, body: posted.append(url) or 204)
            page = digest(archive.store, dt.datetime.now(dt.UTC).date())
        assert delivered == {"good": 1} and posted == ["http://hook.test/good"]
        assert "saved search broken skipped" in caplog.text
        assert "good" in page and "broken" in page


def test_the_api_answers_a_refused_webhook_or_query_with_one_line(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from propscope.web.app import create_app

    db = str(tmp_path / "a.sqlite")
    Archive(db).close()
    with recording_server() as (port, hits):
        client = TestClient(create_app(db), base_url="http://127.0.0.1")
        webhook = {"name": "x", "query": "delegation", "webhook": f"http://[::ffff:127.0.0.1]:{port}/"}
        refused = client.post("/api/saved", json=webhook)
        assert refused.status_code == 422 and "loopback" in json.dumps(refused.json())
        bad = client.post("/api/saved", json={"name": "y", "query": '"unclosed'})
        assert bad.status_code == 400 and "unclosed quote" in json.dumps(bad.json())
        assert client.get("/api/saved").json() == [] and hits == []


def test_an_archive_whose_settings_allow_private_addresses_delivers_to_them_after_its_ingest(tmp_path: Path) -> None:
    """PROPSCOPE_ALLOW_PRIVATE reaches delivery too: the default hooks take the archive's settings."""
    with recording_server() as (port, hits):
        with Archive(str(tmp_path / "a.sqlite"), settings=Settings(allow_private=True)) as archive:
            archive.save_search("mine", "delegation", webhook=f"http://127.0.0.1:{port}/hook")
            ingest(archive, LINES)
        assert hits == ["/hook"]


def test_a_broken_stored_query_fails_neither_an_ingest_nor_the_digest_page(tmp_path: Path) -> None:
    """The same attack through the commands a user types: a row written into saved_searches by hand."""
    from fastapi.testclient import TestClient

    from propscope.web.app import create_app
    from tests.cli_runner import run

    db = str(tmp_path / "a.sqlite")
    with Archive(db) as archive:
        archive.store.db.execute(
            "INSERT INTO saved_searches(name, query, filters, webhook, created_at, seen_up_to)"
            " VALUES ('broken', '(a OR', '{}', 'http://hook.test/', '2024-01-01T00:00:00+00:00', 0)"
        )
        archive.store.db.conn.commit()
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(LINES) + "\n")
    code, _, err = run("ingest", str(source), "--db", db, "--quiet")
    assert code == 0 and "added 2" in err, err
    page = TestClient(create_app(db), base_url="http://127.0.0.1").get("/digest")
    assert page.status_code == 200 and "broken" in page.text


def test_a_saved_stance_filter_reads_back_as_it_was_saved() -> None:
    filters = SearchFilters.parse(stance="hostile", toward=["us", "kr"], country=["JP"])
    stored = filters_to_dict(filters)
    assert stored == {"countries": ["JP"], "stance": "hostile", "toward": ["US", "KR"]}
    assert filters_from_dict(json.loads(json.dumps(stored))) == filters


def test_a_saved_leader_appearance_filter_reads_back_as_it_was_saved() -> None:
    filters = SearchFilters.parse(leader_appearance="Kim Jong Un", accompanied_by=["Choe Ryong Hae", "Kim Yo Jong"])
    stored = filters_to_dict(filters)
    assert stored == {"leader_appearance": "Kim Jong Un", "accompanied_by": ["Choe Ryong Hae", "Kim Yo Jong"]}
    assert filters_from_dict(json.loads(json.dumps(stored))) == filters  # one name, not a tuple of its letters
