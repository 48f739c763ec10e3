"""ingest/budget.py: work past its time budget is interrupted, in the main thread (SIGALRM) and in any other
(a timer thread), even inside code that catches every Exception; work within it is left alone."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from propscope.ingest.budget import OverBudget, time_budget


def swallowing_loop(seconds: float) -> int:
    """Busy Python code that catches every Exception, as trafilatura's steps do."""
    end = time.monotonic() + seconds
    steps = 0
    while time.monotonic() < end:
        try:
            steps += 1
        except Exception:  # noqa: BLE001, S112 - the point: it must not swallow the interruption
            continue
    return steps


def test_main_thread_work_past_its_budget_is_interrupted() -> None:
    started = time.monotonic()
    with pytest.raises(OverBudget), time_budget(0.05):
        swallowing_loop(10)
    assert time.monotonic() - started < 2


def test_work_within_its_budget_runs_and_nothing_fires_later() -> None:
    with time_budget(0.2):
        swallowing_loop(0.01)
    swallowing_loop(0.4)  # an interruption left armed would raise here
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.default_int_handler, None)


def test_an_alarm_set_before_goes_on() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with time_budget(5):
            pass
        assert signal.getsignal(signal.SIGALRM) is not None and 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.3
        time.sleep(0.5)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_work_in_another_thread_is_interrupted_too() -> None:
    outcome: list[str] = []

    def work() -> None:
        try:
            with time_budget(0.05):
                swallowing_loop(10)
            outcome.append("finished")
        except OverBudget:
            outcome.append("interrupted")
        swallowing_loop(0.4)  # nothing pending after the budget's end
        outcome.append("went on")

    thread = threading.Thread(target=work)
    started = time.monotonic()
    thread.start()
    thread.join(5)
    assert outcome == ["interrupted", "went on"]
    assert time.monotonic() - started < 3
