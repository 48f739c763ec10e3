"""Running the app: in this process, or in several worker processes that share the listening socket.

One Python process answers one request at a time on one core (bench/README.md, "Serving"); workers answer
on every core. Each worker builds the app itself from a picklable factory (the settings, the archive, the
token, and the one CSRF secret, so a form made by one worker is accepted by another). SIGTERM or Ctrl-C
stops every worker, each cancelling its queries in flight; a worker that dies is replaced.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn

from propscope import budget
from propscope.errors import UsageError

GRACE_S = 3  # a request in flight gets this long to finish when the server stops
EARLY_EXIT_S = 10  # a worker gone this soon after its start failed to start: replacing it would fail again


class StoppingServer(uvicorn.Server):
    """SIGTERM or Ctrl-C cancels the queries in flight, so a slow one never holds the server up."""

    def handle_exit(self, sig: int, frame: Any) -> None:
        budget.cancel_all()
        super().handle_exit(sig, frame)


def config(factory: Callable[[], Any]) -> uvicorn.Config:
    return uvicorn.Config(factory, factory=True, log_level="warning", timeout_graceful_shutdown=GRACE_S)


def serve_here(factory: Callable[[], Any], listening: socket.socket) -> None:
    StoppingServer(config(factory)).run(sockets=[listening])


def serve_workers(factory: Callable[[], Any], listening: socket.socket, workers: int) -> None:
    """`workers` processes on one socket until SIGTERM or SIGINT; the kernel spreads connections over them."""
    if workers <= 1:
        serve_here(factory, listening)
        return
    spawn = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads or connections
    stopping = threading.Event()

    started: dict[int, float] = {}

    def start() -> multiprocessing.process.BaseProcess:
        process = spawn.Process(target=serve_here, args=(factory, listening), daemon=False)
        process.start()
        started[id(process)] = time.monotonic()
        return process

    previous = {sig: signal.signal(sig, lambda *_: stopping.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start() for _ in range(workers)]
    try:
        while not stopping.wait(0.5):
            for index, process in enumerate(processes):
                if process.is_alive() or stopping.is_set():
                    continue
                if time.monotonic() - started[id(process)] < EARLY_EXIT_S:
                    raise UsageError(
                        f"a server worker stopped as it started (exit code {process.exitcode}); run with"
                        " --workers 1 to see why"
                    )
                processes[index] = start()  # a worker that died (out of memory, a crash) is replaced
    finally:
        for process in processes:
            if process.is_alive() and process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGTERM)
        for process in processes:
            process.join(timeout=GRACE_S + 5)
            if process.is_alive():
                process.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


__all__ = ["StoppingServer", "serve_here", "serve_workers"]
