"""A time budget per query: the server gives each request one (web/limits.py), the stores enforce it inside
the database (SQLite's progress handler, PostgreSQL's statement_timeout and a cancel), and a client that
leaves or a server told to stop cancels it. The CLI sets none: a user's own command runs to its end.

The budget travels in a context variable, so the request's worker thread (which copies the context) finds
it when it opens the archive, and nothing between the front end and the store passes it along."""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from collections.abc import Callable, Iterator

from propscope.errors import QueryTimeout

_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("propscope_budget", default=None)
_running: set[Budget] = set()
_lock = threading.Lock()


class Budget:
    """`seconds` of database work from now (inf: no deadline), or less if `cancel()` is called (client gone,
    server stopping)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.cancelled = threading.Event()
        self._on_cancel: list[Callable[[], None]] = []

    def exceeded(self) -> bool:
        return self.cancelled.is_set() or time.monotonic() > self.deadline

    def remaining_ms(self) -> int:
        """What is left, for PostgreSQL's statement_timeout (0 there means none: a budget without a deadline)."""
        if self.deadline == float("inf"):
            return 0
        return max(1, int((self.deadline - time.monotonic()) * 1000))

    def on_cancel(self, hook: Callable[[], None]) -> None:
        """Called when the budget is cancelled (a PostgreSQL connection's cancel); at once if it already is."""
        with _lock:
            self._on_cancel.append(hook)
            now = self.cancelled.is_set()
        if now:
            hook()

    def forget(self, hook: Callable[[], None]) -> None:
        with _lock:
            if hook in self._on_cancel:
                self._on_cancel.remove(hook)

    def cancel(self) -> None:
        with _lock:
            self.cancelled.set()
            hooks = list(self._on_cancel)
        for hook in hooks:
            with contextlib.suppress(Exception):  # a connection already closed has nothing to cancel
                hook()

    def error(self) -> QueryTimeout:
        if self.cancelled.is_set():
            return QueryTimeout("the query was cancelled (the client left or the server is stopping)")
        return QueryTimeout(
            f"the query ran past its {self.seconds:g} s budget: narrow it (fewer terms, a date range, filters)"
        )


def current() -> Budget | None:
    """The budget of the request being served here, or None (the CLI, a library caller)."""
    return _current.get()


@contextlib.contextmanager
def running(budget: Budget) -> Iterator[Budget]:
    """`budget` is the current one inside the block, and cancel_all() reaches it."""
    token = _current.set(budget)
    with _lock:
        _running.add(budget)
    try:
        yield budget
    finally:
        with _lock:
            _running.discard(budget)
        _current.reset(token)


def cancel_all() -> int:
    """Cancel every query in flight (the server was told to stop); how many there were."""
    with _lock:
        budgets = list(_running)
    for budget in budgets:
        budget.cancel()
    return len(budgets)


__all__ = ["Budget", "cancel_all", "current", "running"]
