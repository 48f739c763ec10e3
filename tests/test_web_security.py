"""Attacks on the server from other sites and from careless starts: cross-site writes, DNS rebinding, empty
tokens, framing, sniffing and assets from a CDN."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from propscope.archive import Archive
from propscope.cli import app as cli
from propscope.web.app import create_app, is_loopback

LOCAL = "http://127.0.0.1"
RECORD = b'{"id": "z1", "title": "Talks", "body": "Pyongyang, March 1 (KCNA) -- The talks."}\n'
EVIL = "https://evil.example"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    db = str(tmp_path / "a.sqlite")
    with Archive(db):
        pass
    return TestClient(create_app(db), base_url=LOCAL)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found is not None, "the save form carries no CSRF token"
    return found.group(1)


def test_a_cross_site_text_plain_post_to_ingest_is_refused(client: TestClient) -> None:
    # what <form enctype="text/plain" method="post" action="http://127.0.0.1:8000/api/ingest"> sends
    for headers in (
        {"Origin": EVIL, "Sec-Fetch-Site": "cross-site"},
        {"Origin": EVIL},
        {"Referer": EVIL + "/page"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://other.localhost"},
    ):
        refused = client.post("/api/ingest", content=RECORD, headers={"Content-Type": "text/plain", **headers})
        assert refused.status_code == 403, headers
        assert "another site" in refused.json()["error"]
    assert client.get("/api/saved").json() == [] and client.get("/api/search").json()["total"] == 0


def test_a_cross_site_form_post_to_saved_and_a_delete_are_refused(client: TestClient) -> None:
    form = {"name": "x", "query_string": "q=talks", "webhook": "", "csrf": csrf_of(client.get("/?q=talks").text)}
    headers = {"Origin": EVIL, "Sec-Fetch-Site": "cross-site"}
    assert client.post("/saved", data=form, headers=headers, follow_redirects=False).status_code == 403
    assert client.delete("/api/saved/1", headers=headers).status_code == 403
    assert client.get("/api/saved").json() == []


def test_curl_and_the_same_origin_page_still_write(client: TestClient) -> None:
    added = client.post("/api/ingest", content=RECORD)  # no Origin, no Sec-Fetch-Site, no Referer: curl
    assert added.status_code == 200 and added.json()["added"] == 1
    page = client.get("/?q=talks").text
    form = {"query_string": "q=talks", "webhook": "", "csrf": csrf_of(page)}
    for n, headers in enumerate(
        ({"Origin": LOCAL, "Sec-Fetch-Site": "same-origin"}, {"Origin": LOCAL}, {"Referer": LOCAL + "/?q=talks"})
    ):
        saved = client.post("/saved", data={**form, "name": f"t{n}"}, headers=headers, follow_redirects=False)
        assert saved.status_code == 303, headers
    assert sorted(s["name"] for s in client.get("/api/saved").json()) == ["t0", "t1", "t2"]


def test_a_form_post_needs_the_pages_csrf_token(client: TestClient) -> None:
    form = {"name": "x", "query_string": "q=talks", "webhook": ""}
    for token in ("", "0" * 64):
        refused = client.post("/saved", data={**form, "csrf": token}, follow_redirects=False)
        assert refused.status_code == 403 and "CSRF" in refused.json()["error"]
    other = TestClient(create_app(str(Path(client.app.state.config.db))), base_url=LOCAL)
    stolen = csrf_of(other.get("/?q=talks").text)  # another server's token is no good here
    assert client.post("/saved", data={**form, "csrf": stolen}, follow_redirects=False).status_code == 403
    assert client.get("/api/saved").json() == []


def test_only_allowed_host_names_are_served(tmp_path: Path) -> None:
    db = str(tmp_path / "a.sqlite")
    with Archive(db):
        pass
    plain = TestClient(create_app(db), base_url=LOCAL)
    for host in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"):
        assert plain.get("/api/saved", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "evil.example:8000", "testserver", "127.0.0.1.evil.example", ""):
        refused = plain.get("/api/saved", headers={"Host": host})
        assert refused.status_code == 400 and "--allow-host" in refused.json()["error"], host
    assert plain.post("/api/ingest", content=RECORD, headers={"Host": "rebound.example"}).status_code == 400
    named = TestClient(create_app(db, allowed_hosts=["archive.lan", "10.0.0.5"]), base_url=LOCAL)
    for host in ("archive.lan", "archive.lan:8000", "10.0.0.5:8000", "localhost"):
        assert named.get("/api/saved", headers={"Host": host}).status_code == 200, host
    assert named.get("/api/saved", headers={"Host": "other.lan"}).status_code == 400


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for path in ("/", "/saved", "/dashboard", "/digest", "/api/saved", "/static/app.js", "/openapi.json", "/nope"):
        response = client.get(path)
        assert response.headers["x-content-type-options"] == "nosniff", path
        assert response.headers["x-frame-options"] == "DENY", path
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "cdn" not in policy, path
    refused = client.get("/", headers={"Host": "evil.example"})
    assert refused.headers["x-frame-options"] == "DENY"


def test_no_page_loads_anything_from_another_site_nor_runs_inline_script(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"] == "propscope"
    templates = Path(__file__).resolve().parents[1] / "propscope" / "web" / "templates"
    for template in templates.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", text), template.name
        assert not re.search(r"\son[a-z]+=|\sstyle=|https?://", text), template.name
    for path in ("/", "/saved", "/dashboard"):
        assert "http" not in re.sub(r'xmlns="http://www.w3.org/2000/svg"', "", client.get(path).text), path


def test_an_empty_token_is_an_error_at_start_never_no_authentication(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    started: list[object] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, *_, **__: started.append(server.config.app))
    runner = CliRunner()
    db = str(tmp_path / "a.sqlite")
    for args, env in (
        (["--token", ""], {}),
        (["--token", "  "], {}),
        ([], {"PROPSCOPE_TOKEN": ""}),  # README's --token "$PROPSCOPE_TOKEN" with the variable unset
        (["--host", "0.0.0.0", "--token", ""], {}),
    ):
        result = runner.invoke(cli, ["serve", "--db", db, *args], env=env)
        assert result.exit_code == 2 and not started, (args, env, result.output)
        assert "token is empty" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(Exception, match="token is empty"):
        create_app(db, token="")


def test_an_empty_host_is_beyond_loopback() -> None:
    assert not is_loopback("") and not is_loopback("0.0.0.0") and not is_loopback("::")
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")


def test_serve_with_an_empty_host_and_no_token_is_read_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    with Archive(str(tmp_path / "a.sqlite")):
        pass
    started: list[object] = []
    # the server is given a factory (each worker builds its own app): build it as a worker would
    monkeypatch.setattr(uvicorn.Server, "run", lambda server, *_, **__: started.append(server.config.app()))
    runner = CliRunner()
    for host, writable in (("", False), ("0.0.0.0", False), ("127.0.0.1", True)):
        result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "a.sqlite"), "--host", host], env={})
        assert result.exit_code == 0, result.output
        assert started.pop().state.config.writable is writable, host  # type: ignore[attr-defined]
    result = runner.invoke(cli, ["serve", "--db", str(tmp_path / "a.sqlite"), "--allow-host", "archive.lan"], env={})
    served = TestClient(started.pop(), base_url="http://archive.lan:8000")  # type: ignore[arg-type]
    assert result.exit_code == 0 and served.get("/api/saved").status_code == 200


def test_the_digest_pages_inline_style_is_allowed_by_its_hash(client: TestClient) -> None:
    import base64
    import hashlib

    page = client.get("/digest")
    css = re.search(r"<style>(.*?)</style>", page.text, flags=re.DOTALL)
    assert css is not None
    digest = base64.b64encode(hashlib.sha256(css.group(1).encode()).digest()).decode()
    assert f"'sha256-{digest}'" in page.headers["content-security-policy"]
