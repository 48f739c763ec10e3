"""The server stops on SIGTERM, promptly, even with a request in flight."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from propscope.archive import Archive


def test_serve_stops_on_sigterm(tmp_path: Path) -> None:
    db = str(tmp_path / "a.sqlite")
    with Archive(db):
        pass
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "propscope.cli", "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/saved", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=8) is not None
    finally:
        if server.poll() is None:
            server.kill()
