"""The server stops on SIGTERM, promptly, even with a request in flight (the attack: a slow request kept the
old server running after SIGTERM)."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from propscope.archive import Archive


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_stops_on_sigterm_with_a_slow_request_in_flight(tmp_path: Path) -> None:
    db = str(tmp_path / "a.sqlite")
    with Archive(db):
        pass
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "propscope.cli", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    slow = socket.socket()
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/saved", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        # A request that never finishes: its body is promised and trickles in (the server is working on it).
        slow.connect(("127.0.0.1", port))
        slow.sendall(
            f"POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 1000000\r\n\r\n".encode()
            + b'{"id": "a", "body": "'
        )
        time.sleep(0.5)
        assert server.poll() is None
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
        assert time.monotonic() - started < 8
    finally:
        slow.close()
        if server.poll() is None:
            server.kill()
            server.wait()


def test_workers_share_the_socket_and_the_form_secret_and_all_stop(tmp_path: Path) -> None:
    import re

    db = str(tmp_path / "a.sqlite")
    with Archive(db):
        pass
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "propscope.cli", "serve", "--db", db, "--port", str(port), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        tokens: set[str] = set()
        for attempt in range(300):
            try:  # a new query each time, on a new connection: the kernel hands each to either worker
                url = f"http://127.0.0.1:{port}/?q=maize{attempt}"
                page = urllib.request.urlopen(url, timeout=2).read().decode()
            except OSError:
                time.sleep(0.1)
                continue
            tokens.update(re.findall(r'name="csrf" value="([^"]+)"', page))
            if attempt > 40 and _children(server.pid) >= 2:
                break
        assert len(tokens) == 1  # a form one worker made is one every worker accepts
        assert _children(server.pid) >= 2
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
        assert _children(server.pid) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def _children(pid: int) -> int:
    """Live processes whose parent is `pid` (Linux's /proc)."""
    count = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in text and "\nState:\tZ" not in text:
            count += 1
    return count


def test_apps_built_by_one_factory_sign_forms_alike(tmp_path: Path) -> None:
    from functools import partial

    from propscope.settings import Settings
    from propscope.web.app import build_app

    factory = partial(build_app, Settings(), str(tmp_path / "a.sqlite"), secret=b"s" * 32)
    assert factory().state.config.form_token == factory(cache=False).state.config.form_token
    assert build_app(Settings()).state.config.form_token != build_app(Settings()).state.config.form_token
