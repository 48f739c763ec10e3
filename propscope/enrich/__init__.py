"""Enrich: steps that add annotations to a parsed article, run in order.

A step is a callable taking and returning an Article, with a `name` and what it `assigns`; steps are
registered by name so a pipeline can be named in config, and a step that cannot run (a missing optional
model) is left out with a logged reason instead of failing the run.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from propscope.errors import PropscopeError
from propscope.model import Article, Quarantined, RawRecord
from propscope.parse import parse_record

log = logging.getLogger(__name__)


class Step(Protocol):
    name: str
    assigns: tuple[str, ...]

    def __call__(self, article: Article) -> Article: ...


def _entities() -> Step:
    from propscope.enrich.entities import EntityStep

    return EntityStep()


def _support() -> Step:
    from propscope.enrich.support import SupportStep

    return SupportStep()


def _techniques() -> Step:
    from propscope.enrich.techniques import TechniqueStep

    return TechniqueStep()


def _epithets() -> Step:
    from propscope.enrich.epithets import EpithetStep

    return EpithetStep()


REGISTRY: dict[str, Callable[[], Step]] = {
    "entities": _entities,
    "support": _support,
    "techniques": _techniques,
    "epithets": _epithets,
}
# support and epithets read the entities; epithets' hostility reads the techniques where that step ran.
# Technique spans cost a model run (~150 KCNA dispatches/s on one core, ten times the rest of the pipeline):
# `propscope parse` runs them by default; ingest and reparse do with --steps +techniques.
DEFAULT_STEPS: tuple[str, ...] = ("entities", "support", "epithets")
PARSE_STEPS: tuple[str, ...] = ("entities", "support", "techniques", "epithets")
STEP_ORDER: tuple[str, ...] = ("entities", "support", "techniques", "epithets")


def resolve_steps(value: str | None, default: tuple[str, ...] = DEFAULT_STEPS) -> tuple[str, ...]:
    """Steps from an option: "entities,support", or "+techniques" for the defaults and more; run in
    dependency order, with the entities added where a step reads them."""
    if not value or not value.strip():
        return default
    names = [n.strip() for n in value.split(",") if n.strip()]
    wanted = set(default) if names and names[0].startswith("+") else set()
    for name in names:
        name = name.lstrip("+")
        if name not in REGISTRY:
            raise PropscopeError(f"unknown enrich step {name!r}: use {', '.join(STEP_ORDER)} (or +name to add one)")
        wanted.add(name)
    if wanted & {"support", "epithets"}:
        wanted.add("entities")
    return tuple(name for name in STEP_ORDER if name in wanted)


class Pipeline:
    """parse + the enrich steps: what `propscope parse` prints and `propscope ingest` stores."""

    def __init__(self, steps: Sequence[str] = DEFAULT_STEPS) -> None:
        self.names = tuple(steps)
        self.steps: list[Step] = []
        for name in steps:
            try:
                self.steps.append(REGISTRY[name]())
            except (ImportError, OSError) as exc:
                log.warning("enrich step %s is disabled: %s", name, exc)

    def __call__(self, record: RawRecord) -> Article:
        article = parse_record(record)
        for step in self.steps:
            article = step(article)
        return article

    def safely(self, record: RawRecord) -> Article | Quarantined:
        """A record the parser fails on is quarantined with the reason: a bug costs one record, not a batch."""
        try:
            return self(record)
        except Exception as exc:  # noqa: BLE001
            where = traceback.extract_tb(exc.__traceback__)[-1]
            return Quarantined(
                origin=record.origin,
                record_id=record.record_id,
                raw=record.raw,
                reason=f"parser error {type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno});"
                " please report it",
            )
