"""A time budget for work that may take far longer on hostile input than on any real one (extracting a web
page's text): past the budget the work is interrupted, and its input quarantined instead of holding a batch.

In the main thread the interruption is SIGALRM (it interrupts Python code wherever it runs); in any other
thread (the server's) a timer thread raises the same exception in it. Both interrupt Python code between two
steps, not inside one call into C: what a single C call could spend (lxml on a page of 100,000 attributes) is
bounded by the cheap counts taken before it (see propscope.ingest.html).
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

REPEAT_S = 0.25  # once over budget, the interruption is repeated until the work gives up


class OverBudget(BaseException):  # noqa: N818 - not an Exception: the code interrupted must not catch it
    """The work ran past its budget. A BaseException, so that a library's `except Exception` around its own
    steps (trafilatura has many) cannot swallow it."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Run the body within `seconds`, or raise OverBudget out of it."""
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _timer(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise OverBudget

    previous = signal.signal(signal.SIGALRM, interrupt)
    started = time.monotonic()
    earlier_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if earlier_delay:  # an alarm someone else had set goes on, less the time spent here
            signal.setitimer(signal.ITIMER_REAL, max(0.001, earlier_delay - (time.monotonic() - started)))


@contextmanager
def _timer(seconds: float) -> Iterator[None]:
    target = threading.get_ident()
    done = threading.Event()

    def interrupt() -> None:
        while not done.wait(0 if not fired else REPEAT_S):
            with lock:
                if done.is_set():
                    return
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(OverBudget))
            fired.append(True)

    fired: list[bool] = []
    lock = threading.Lock()
    timer = threading.Timer(seconds, interrupt)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            done.set()
            timer.cancel()
            if fired:  # an exception raised as the body finished may still be pending: clear it
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
