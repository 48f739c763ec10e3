"""A server that accepts connections and then answers one byte at a time, never finishing: the slow peer that
an outbound deadline (webhooks, mail) must cut off."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def trickling_server(prefix: bytes, every_s: float) -> Iterator[int]:
    """Accepts, then sends `prefix` and an endless run of "a" one byte every `every_s` seconds; yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip(conn: socket.socket) -> None:
        with conn:
            for byte in prefix + b"a" * 10_000:
                if stop.wait(every_s):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=drip, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()
