"""Enrich: steps that add annotations to a parsed article, run in an order derived from what each reads.

A step is a callable taking and returning an Article. It is registered by name (so a pipeline can be named
in config) with the Article fields it `requires` (an earlier step must assign them), `uses` (read where an
earlier step assigned them) and `assigns`; the pipeline orders the steps it is given by those and refuses a
step whose requirement none of them assigns. A step that cannot be built (a missing optional model) is left
out with a logged reason, and so are the steps that require what it assigns, instead of failing the run.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Protocol

from propscope.errors import UsageError
from propscope.model import Article, Quarantined, RawRecord
from propscope.parse import parse_record
from propscope.settings import Settings

log = logging.getLogger(__name__)


class Step(Protocol):
    name: str

    def __call__(self, article: Article) -> Article: ...


@dataclass(frozen=True, slots=True)
class StepSpec:
    """A registered step: what it reads and fills, known before it is built (building may load a model)."""

    name: str
    build: Callable[[Settings], Step]  # the settings carry the user's files (gazetteer, epithets)
    assigns: tuple[str, ...]
    requires: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()


def _entities(settings: Settings) -> Step:
    from propscope.enrich.entities import EntityStep
    from propscope.gazetteer import load_gazetteer

    return EntityStep(load_gazetteer(settings.gazetteer_file))


def _support(settings: Settings) -> Step:
    from propscope.enrich.actors import Actors
    from propscope.enrich.support import SupportStep
    from propscope.enrich.support_actors import load_actor_model
    from propscope.enrich.support_model import load_support_model
    from propscope.gazetteer import load_gazetteer

    return SupportStep(Actors(load_gazetteer(settings.gazetteer_file)), load_support_model(), load_actor_model())


def _techniques(settings: Settings) -> Step:
    from propscope.enrich.technique_encoder import EncoderTechniqueStep

    return EncoderTechniqueStep(min_score=settings.technique_min_score)


def _techniques_fast(settings: Settings) -> Step:
    from propscope.enrich.techniques import TechniqueStep

    return TechniqueStep(min_score=settings.technique_min_score)


def _epithets(settings: Settings) -> Step:
    from propscope.enrich.epithets import EpithetStep, load_lexicon

    return EpithetStep(load_lexicon(settings.epithets_file))


def _stance(settings: Settings) -> Step:
    from propscope.enrich.epithets import load_lexicon
    from propscope.enrich.stance import StanceStep
    from propscope.enrich.stance_model import load_stance_model
    from propscope.gazetteer import load_gazetteer

    lexicon, gazetteer = load_lexicon(settings.epithets_file), load_gazetteer(settings.gazetteer_file)
    return StanceStep(lexicon, gazetteer, load_stance_model())


def _appearances(settings: Settings) -> Step:
    from propscope.enrich.appearances import AppearanceStep
    from propscope.gazetteer import load_gazetteer

    return AppearanceStep(load_gazetteer(settings.gazetteer_file))


_SPECS = (
    StepSpec("entities", _entities, assigns=("entities", "countries", "persons")),
    StepSpec(
        "support",
        _support,
        assigns=("support_events", "foreign_support", "compatriot_support"),
        requires=("entities",),
    ),
    # the fine-tuned encoder (issue 18); `techniques-fast`, the linear model, fills the same field ten times faster
    StepSpec("techniques", _techniques, assigns=("techniques",)),
    StepSpec("techniques-fast", _techniques_fast, assigns=("techniques",)),
    StepSpec("epithets", _epithets, assigns=("epithets",), requires=("entities",)),
    # hostility weighs technique spans too, where that step ran first; support claims make a country friendly
    StepSpec(
        "stance",
        _stance,
        assigns=("stance", "stance_evidence", "hostility"),
        requires=("entities", "epithets"),
        uses=("techniques", "support_events"),
    ),
    # the leader's appearances and the lists of officials (issue 16): rules, gated on a leader's name
    StepSpec("appearances", _appearances, assigns=("appearances", "officials")),
)
REGISTRY: dict[str, StepSpec] = {spec.name: spec for spec in _SPECS}
# Technique spans cost a model run (the encoder: about 15 KCNA dispatches/s on one core; techniques-fast, the
# linear model, about 150): `propscope parse` runs them by default; ingest and reparse do with --steps
# +techniques (or +techniques-fast).
DEFAULT_STEPS: tuple[str, ...] = ("entities", "support", "epithets", "stance", "appearances")
PARSE_STEPS: tuple[str, ...] = ("entities", "support", "techniques", "epithets", "stance", "appearances")


def _parsed_fields() -> frozenset[str]:
    """What parse fills: every Article field no registered step assigns."""
    assigned = {name for spec in REGISTRY.values() for name in spec.assigns}
    return frozenset(f.name for f in fields(Article)) - assigned


def step_order(names: Iterable[str]) -> tuple[str, ...]:
    """The steps in the order they must run: each after the steps assigning what it requires or uses (ties
    keep the registry's order). An unknown step, or one whose requirement neither parse nor another of the
    steps assigns, is a UsageError."""
    chosen = set(names)
    unknown = sorted(chosen - set(REGISTRY))
    if unknown:
        raise UsageError(f"unknown enrich step {unknown[0]!r}: use {', '.join(REGISTRY)} (or +name to add one)")
    pending = [spec for spec in REGISTRY.values() if spec.name in chosen]
    filled: dict[str, str] = {}
    for spec in pending:
        for name in spec.assigns:
            if name in filled:
                raise UsageError(f"enrich steps {filled[name]} and {spec.name} both fill {name}: choose one")
            filled[name] = spec.name
    available = _parsed_fields().union(*(spec.assigns for spec in pending))
    for spec in pending:
        missing = [name for name in spec.requires if name not in available]
        if missing:
            raise UsageError(f"enrich step {spec.name} requires {', '.join(missing)}, which no step before it assigns")
    ordered: list[str] = []
    while pending:
        for spec in pending:
            later = {name for other in pending if other is not spec for name in other.assigns}
            if later.isdisjoint((*spec.requires, *spec.uses)):
                break
        else:
            raise UsageError(f"enrich steps {', '.join(s.name for s in pending)} each wait for another")
        pending.remove(spec)
        ordered.append(spec.name)
    return tuple(ordered)


def resolve_steps(value: str | None, default: tuple[str, ...] = DEFAULT_STEPS) -> tuple[str, ...]:
    """Steps from an option: "entities,support", or "+techniques" for the defaults and more; in the order
    they must run, with the steps added that assign what a named step requires (entities, for support)."""
    if not value or not value.strip():
        return default
    names = [n.strip() for n in value.split(",") if n.strip()]
    wanted = set(default) if names and names[0].startswith("+") else set()
    for name in names:
        name = name.lstrip("+")
        if name not in REGISTRY:
            raise UsageError(f"unknown enrich step {name!r}: use {', '.join(REGISTRY)} (or +name to add one)")
        wanted.add(name)
    added = True
    while added:  # the steps assigning what the wanted ones require, and what those require
        needed = {field for name in wanted for field in REGISTRY[name].requires}
        providers = {spec.name for spec in REGISTRY.values() if needed & set(spec.assigns)}
        added = not providers <= wanted
        wanted |= providers
    return step_order(wanted)


class Pipeline:
    """parse + the enrich steps: what `propscope parse` prints and `propscope ingest` stores. The steps are
    ordered and checked here (see step_order); `settings` carries the user's gazetteer and epithet files."""

    def __init__(self, steps: Sequence[str] = DEFAULT_STEPS, settings: Settings | None = None) -> None:
        self.settings = settings if settings is not None else Settings()
        self.names = step_order(steps)
        self.steps: list[Step] = []
        lost: set[str] = set()  # fields a disabled step would have assigned
        for name in self.names:
            spec = REGISTRY[name]
            blocked = [field for field in spec.requires if field in lost]
            if blocked:
                log.warning("enrich step %s is disabled: it requires %s", name, ", ".join(blocked))
                lost.update(spec.assigns)
                continue
            try:
                self.steps.append(spec.build(self.settings))
            except (ImportError, OSError) as exc:
                log.warning("enrich step %s is disabled: %s", name, exc)
                lost.update(spec.assigns)

    def __call__(self, record: RawRecord) -> Article:
        article = parse_record(record, self.settings.gazetteer_file)
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
