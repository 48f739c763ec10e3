"""Benchmark (not a test): what the who-and-where steps (foreign-support events, relative dates) add to ingest.

Issue "who and where", point 6: at most 30% over the core ingest. Both runs ingest the same English KCNA
records in this one process tree, one after the other: the core pipeline (the "entities" step as the core
issue built it: gazetteer names and people, without the organisations found by name shape) against the
who-and-where pipeline ("entities" with organisations, "support"), each into a fresh archive; the ratio is
printed.
Three more runs measure issue 13's stance steps (point 7: at most +25% over the core ingest): the default
steps (support with its support and actor models, epithets, stance with its model, appearances) against the
same steps without issue 13's parts (support by the cue rules alone, no stance step), their difference charged
against the core ingest's time; and the default steps with no stance model, so the model's own share shows.
Issue 16's appearances step (at most +10% of the core ingest) is measured twice: an ingest of the core step
with it, against the core ingest; and in this process, the step alone over the parsed records against parse +
the core step over the same records (the ingest runs' difference is within their noise).
Exits 0 where ../shared is absent.

    .venv/bin/python bench/enrich_overhead.py [--limit 20000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import gzip
import json
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import propscope.enrich.entities as entity_step
import propscope.enrich.stance_model as stance_model
import propscope.enrich.support_actors as support_actors
import propscope.enrich.support_model as support_model
from propscope.archive import Archive
from propscope.enrich import DEFAULT_STEPS, Pipeline
from propscope.ingest.jsonl import record_from_object
from propscope.model import RawRecord
from propscope.parse import parse_record

WHO_AND_WHERE = ("entities", "support")  # the steps of issue "who and where"; epithets belong to another issue
# The default steps without issue 13's: support by the cue rules alone (its models unshipped), no stance step.
# Issue 16's appearances step is in both runs, so that its cost (measured below) is not charged to stance.
BEFORE_STANCE = tuple(step for step in DEFAULT_STEPS if step != "stance")
WITH_APPEARANCES = ("entities", "appearances")  # issue 16's step beside the core one

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "kcna-co-jp-1997-2018"


def sample(limit: int, out: Path) -> int:
    """English records spread over the years (every file in turn), written once for both runs."""
    written = 0
    with out.open("w", encoding="utf-8") as handle:
        files = sorted(CORPUS.glob("*.jsonl.gz"))
        per_file = max(1, limit // len(files))
        for path in files:
            taken = 0
            with gzip.open(path, "rt", encoding="utf-8") as lines:
                for line in lines:
                    if taken >= per_file:
                        break
                    if json.loads(line).get("lang") == "en":
                        handle.write(line)
                        taken += 1
            written += taken
    return written


def timed_ingest(source: Path, folder: Path, steps: tuple[str, ...], tag: str, organizations: bool) -> float:
    db = folder / f"{tag}.sqlite"
    finder = entity_step._pattern_organizations
    if not organizations:  # the workers fork from here, so they inherit the core issue's entity step
        entity_step._pattern_organizations = lambda *args: []
    try:
        started = time.perf_counter()
        with Archive(str(db)) as archive:
            archive.ingest([source], steps=steps)
        return time.perf_counter() - started
    finally:
        entity_step._pattern_organizations = finder


@contextlib.contextmanager
def unshipped(*loaders: tuple[ModuleType, str]) -> Iterator[None]:
    """As if these models were not shipped: their loaders answer None (the workers fork from here)."""
    saved = [(module, name, getattr(module, name)) for module, name in loaders]
    for module, name, _ in saved:
        setattr(module, name, lambda *args, **kwargs: None)
    try:
        yield
    finally:
        for module, name, loader in saved:
            setattr(module, name, loader)


def _records(source: Path) -> list[RawRecord]:
    records = []
    with source.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            record = record_from_object(json.loads(line), str(source), line, f"line {number}")
            if isinstance(record, RawRecord):
                records.append(record)
    return records


def step_share(source: Path, rounds: int) -> tuple[float, float]:
    """(seconds of parse + the core step, seconds of the appearances step) over the same records, in this
    process, best of `rounds`: the step's cost without the ingest's noise around it."""
    records = _records(source)
    core = Pipeline(("entities",))
    step = Pipeline(("appearances",)).steps[0]
    core_times, step_times = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        articles = [core(record) for record in records]
        core_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for article in articles:
            step(article)
        step_times.append(time.perf_counter() - started)
    return min(core_times), min(step_times)


SUPPORT_MODELS = ((support_model, "load_support_model"), (support_actors, "load_actor_model"))


def stance_cpu(source: Path, rounds: int) -> tuple[float, float]:
    """(core, stance): process CPU seconds, best of `rounds`, in this process over the same records, of parse +
    the core step (as the core ingest runs it), and of the stance steps alone inside the default pipeline: the
    support step with its models less the same step by the cue rules alone (run on a copy of the same
    article), plus the stance step. CPU time of the steps themselves, not a difference of two whole runs: on a
    shared machine those swing with the load by more than the steps cost. No archive is written, so this core
    is smaller than the core ingest."""
    records = _records(source)
    pipeline = Pipeline(DEFAULT_STEPS)
    with unshipped(*SUPPORT_MODELS):
        rules = Pipeline(("entities", "support")).steps[-1]
    core_times, stance_times = [], []
    for _ in range(rounds):
        finder = entity_step._pattern_organizations
        entity_step._pattern_organizations = lambda *args: []
        try:
            core = Pipeline(("entities",))
            started = time.process_time()
            for record in records:
                core(record)
            core_times.append(time.process_time() - started)
        finally:
            entity_step._pattern_organizations = finder
        spent = 0.0
        for record in records:
            article = parse_record(record, pipeline.settings.gazetteer_file)
            for step in pipeline.steps:
                if step.name == "support":
                    shadow = copy.copy(article)
                    started = time.process_time()
                    rules(shadow)
                    spent -= time.process_time() - started
                started = time.process_time()
                article = step(article)
                if step.name in ("support", "stance"):
                    spent += time.process_time() - started
        stance_times.append(spent)
    return min(core_times), min(stance_times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=2, help="alternate runs of each, best of each kept")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    with tempfile.TemporaryDirectory(prefix="propscope-overhead-") as work:
        folder = Path(work)
        source = folder / "sample.jsonl"
        records = sample(args.limit, source)
        core: list[float] = []
        full: list[float] = []
        before: list[float] = []
        default: list[float] = []
        stance_rules: list[float] = []
        appearances: list[float] = []
        for round_number in range(args.rounds):
            appearances.append(
                timed_ingest(source, folder, WITH_APPEARANCES, f"appearances{round_number}", organizations=False)
            )
            core.append(timed_ingest(source, folder, ("entities",), f"core{round_number}", organizations=False))
            full.append(timed_ingest(source, folder, WHO_AND_WHERE, f"full{round_number}", organizations=True))
            with unshipped(*SUPPORT_MODELS):
                before.append(timed_ingest(source, folder, BEFORE_STANCE, f"before{round_number}", organizations=True))
            default.append(timed_ingest(source, folder, DEFAULT_STEPS, f"default{round_number}", organizations=True))
            with unshipped((stance_model, "load_stance_model")):
                stance_rules.append(
                    timed_ingest(source, folder, DEFAULT_STEPS, f"rules{round_number}", organizations=True)
                )
        best_core, best_full = min(core), min(full)
        best_before, best_default, best_rules = min(before), min(default), min(stance_rules)
        print(f"records            {records:,}")
        print(f"core ingest        {records / best_core:,.0f} articles/s ({best_core:.1f} s, steps: entities)")
        print(
            f"with who-and-where {records / best_full:,.0f} articles/s ({best_full:.1f} s, steps: "
            f"{', '.join(WHO_AND_WHERE)}, organisations by name shape)"
        )
        added = best_full / best_core - 1
        print(f"added time         {added:+.1%}  (target <= +30%: {'PASS' if added <= 0.30 else 'FAIL'})")
        print(
            f"before issue 13    {records / best_before:,.0f} articles/s ({best_before:.1f} s, steps: "
            f"{', '.join(BEFORE_STANCE)}, support by the cue rules alone)"
        )
        print(
            f"default steps      {records / best_default:,.0f} articles/s ({best_default:.1f} s, steps: "
            f"{', '.join(DEFAULT_STEPS)}, every model)"
        )
        stance = (best_default - best_before) / best_core
        print(
            f"stance steps       {stance:+.1%} of the core ingest "
            f"(target <= +25%: {'PASS' if stance <= 0.25 else 'FAIL'})"
        )
        print(f"default vs core    {best_default / best_core - 1:+.1%}")
        print(f"  stance model     {best_default / best_rules - 1:+.1%} over the stance rules alone")
        cpu_core, cpu_stance = stance_cpu(source, args.rounds)
        print(
            f"  on CPU time      {cpu_stance / cpu_core:+.1%} of parse + the core step, in one process (the stance "
            f"steps' own {cpu_stance:.2f} s against {cpu_core:.2f} s)"
        )
        best_appearances = min(appearances)
        print(
            f"core + appearances {records / best_appearances:,.0f} articles/s ({best_appearances:.1f} s, steps: "
            f"{', '.join(WITH_APPEARANCES)})"
        )
        print(f"  ingest vs core   {best_appearances / best_core - 1:+.1%}  (within the runs' noise)")
        core_s, step_s = step_share(source, args.rounds)
        share = step_s / core_s
        print(
            f"appearances step   {share:+.1%} of parse + the core step in one process ({step_s:.2f} s against "
            f"{core_s:.2f} s; target <= +10%: {'PASS' if share <= 0.10 else 'FAIL'})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
