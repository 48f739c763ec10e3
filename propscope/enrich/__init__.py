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


REGISTRY: dict[str, Callable[[], Step]] = {"entities": _entities, "support": _support}
DEFAULT_STEPS: tuple[str, ...] = ("entities", "support")  # support reads the entities


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
