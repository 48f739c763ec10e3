"""Keep collecting: run every profile, sleep out the interval, again. For cron or a systemd timer, run
`propscope collect PROFILE` once instead; both keep their state beside the archive."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from propscope.collect.fetch import FetchSettings
from propscope.collect.profiles import Profile
from propscope.collect.run import CollectProgress, CollectResult, collect
from propscope.errors import PropscopeError
from propscope.settings import DEFAULT_LIMITS, Limits


def collect_forever(
    db: str | None,
    profiles: Sequence[Profile],
    interval_s: float,
    *,
    allow_private: bool = False,
    max_pages: int | None = None,
    allow_mass_deletion: bool = False,
    settings: FetchSettings | None = None,
    state_path: str | Path | None = None,
    on_result: Callable[[CollectResult], None] | None = None,
    on_error: Callable[[Profile, PropscopeError], None] | None = None,
    progress: Callable[[CollectProgress], None] | None = None,
    stop: threading.Event | None = None,
    rounds: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> int:
    """Collect each profile in turn, every `interval_s` seconds from the start of one round to the next,
    until `stop` is set or `rounds` rounds are done; returns the rounds run. One profile's failure (the site
    down, a partial listing) is reported and the others go on: the next round tries it again."""
    if interval_s <= 0:
        raise PropscopeError(f"the interval must be positive, not {interval_s}")
    stop = stop or threading.Event()
    done = 0
    while not stop.is_set() and (rounds is None or done < rounds):
        started = time.monotonic()
        for profile in profiles:
            if stop.is_set():
                break
            try:
                result = collect(
                    db,
                    profile,
                    allow_private=allow_private,
                    max_pages=max_pages,
                    allow_mass_deletion=allow_mass_deletion,
                    settings=settings,
                    state_path=state_path,
                    progress=progress,
                    limits=limits,
                )
            except PropscopeError as exc:
                if on_error is None:
                    raise
                on_error(profile, exc)
            else:
                if on_result is not None:
                    on_result(result)
        done += 1
        if rounds is not None and done >= rounds:
            break
        stop.wait(max(0.0, interval_s - (time.monotonic() - started)))
    return done
