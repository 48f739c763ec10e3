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
