"""cli/serve.py: `serve` says where it serves, and a port already in use is one line, not uvicorn's Errno 98."""

from __future__ import annotations

import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from propscope.archive import Archive
from tests.cli_runner import run


def _archive(tmp_path: Path) -> str:
    db = str(tmp_path / "a.sqlite")
    with Archive(db):
        pass
    return db


def test_a_port_in_use_is_one_line_that_says_what_to_do(tmp_path: Path) -> None:
    db = _archive(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run("serve", "--db", db, "--port", str(port))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"port {port}" in err and "in use" in err and "--port" in err
    assert "Errno" not in err and "Traceback" not in err


def test_a_host_that_is_no_address_here_is_one_line(tmp_path: Path) -> None:
    code, _, err = run("serve", "--db", _archive(tmp_path), "--host", "no-such-host.invalid", "--port", "0")
    assert code == 2 and err.count("\n") == 1 and "--host" in err and "Traceback" not in err


def test_serve_prints_the_url_it_answers_at(tmp_path: Path) -> None:
    """--port 0: the system's free port, which only the printed URL tells."""
    server = subprocess.Popen(
        [sys.executable, "-m", "propscope.cli", "serve", "--db", _archive(tmp_path), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stderr is not None
        with selectors.DefaultSelector() as waiting:
            waiting.register(server.stderr, selectors.EVENT_READ)
            assert waiting.select(timeout=30), "serve printed nothing in 30 s"
        line = server.stderr.readline()
        assert line.startswith("propscope is serving at http://127.0.0.1:"), line
        url = line.split(" at ", 1)[1].split()[0]
        for _ in range(100):
            try:
                with urllib.request.urlopen(url + "api/saved", timeout=1) as answer:
                    assert answer.status == 200
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError(f"nothing answered at {url}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=10)
