"""`propscope` with a SIGKILL at one chosen point of an ingest, for the crash trials:

    python -m tests.crash_driver POINT COUNT -- ingest ... (the propscope command line)

POINT names where the process kills itself, at the COUNTth time it gets there:
  write         after a batch's transaction committed (articles stored, hooks not run)
  before-bands  before the run writes the band rows it kept in memory
  before-hooks  after every article and band row is written, before the first after-ingest hook
  link          after a span's translation links committed, before the next span's
  before-alerts after the translation links, before any webhook is sent
The kill is the process's own SIGKILL: no finally block, no atexit, exactly as the kernel's OOM killer or
`kill -9` would end it.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

POINTS = ("write", "before-bands", "before-hooks", "link", "before-alerts")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _after(count: int, method: Callable[..., Any]) -> Callable[..., Any]:
    """`method`, killing the process once its COUNTth call has returned."""
    calls = 0

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        result = method(*args, **kwargs)
        calls += 1
        if calls >= count:
            _die()
        return result

    return wrapped


def _before(count: int, method: Callable[..., Any]) -> Callable[..., Any]:
    """`method`, killing the process as its COUNTth call starts."""
    calls = 0

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls >= count:
            _die()
        return method(*args, **kwargs)

    return wrapped


def arm(point: str, count: int) -> None:
    from propscope.archive import Archive
    from propscope.ingest import hooks
    from propscope.store.sql import SQLStore

    if point == "write":
        SQLStore.write_batch = _after(count, SQLStore.write_batch)  # type: ignore[method-assign]
    elif point == "before-bands":
        SQLStore.flush_bands = _before(count, SQLStore.flush_bands)  # type: ignore[method-assign]
    elif point == "before-hooks":
        original = Archive.after_ingest
        Archive.after_ingest = lambda self: (lambda _: _die(), *original(self))  # type: ignore[method-assign]
    elif point == "link":
        SQLStore.replace_language_links = _after(count, SQLStore.replace_language_links)  # type: ignore[method-assign]
    elif point == "before-alerts":
        hooks.deliver_alerts = _before(count, hooks.deliver_alerts)  # type: ignore[assignment]
    else:
        raise SystemExit(f"unknown kill point {point!r}; one of {', '.join(POINTS)}")


def main() -> None:
    point, count, separator, *command = sys.argv[1:]
    assert separator == "--", __doc__
    arm(point, int(count))
    from propscope.cli import main as propscope

    sys.argv = ["propscope", *command]
    propscope()


if __name__ == "__main__":
    main()
