"""A real browser on the real server: Debian's chromium driven by Playwright, headless.

Skips where chromium or the playwright package is absent (.ci/run installs both). A failing test leaves a
screenshot in test-artifacts/.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from propscope.archive import Archive

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if CHROMIUM is None:
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

HOSTILE = (
    'Body with <script>window.pwned = 1; alert("x")</script>, <img src=x onerror="window.pwned = 2">'
    ' and <a href="javascript:window.pwned = 3">a link</a>.'
)


def _records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = [
        {
            "id": f"b{i}",
            "source": "test",
            "date": f"201{5 + i % 3}-03-0{i + 1}",
            "title": f"Report {i} on the Talks",
            "body": f"Pyongyang, March {i + 1} (KCNA) -- The Japanese reactionaries and the U.S. imperialists were "
            f"denounced at the talks number {i}. The Socialist Party of Benin supported the DPRK.",
        }
        for i in range(6)
    ]
    records.append(
        {"id": "x", "source": "test", "date": "2016-05-05", "title": "<b>Hostile</b> markup", "body": HOSTILE}
    )
    return records


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    db = str(folder / "archive.sqlite")
    source = folder / "records.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    with Archive(db) as archive:
        archive.ingest([source], workers=1)
    edited = dict(_records()[0], body=_records()[0]["body"].replace("number 0", "number zero"))
    source.write_text(json.dumps(edited) + "\n", encoding="utf-8")
    with Archive(db) as archive:
        archive.ingest([source], workers=1)
    with serving(db) as url:
        yield url


@contextmanager
def serving(db: str) -> Iterator[str]:
    """The real server over `db` on a free loopback port, in a thread, for as long as the block runs."""
    import uvicorn

    from propscope.web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not running.started and time.time() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = browser.new_context()
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
