"""Benchmark (not a test): what the stance steps (support roles, epithets, stance with its model) add to ingest.

Issue 13, point 7: at most +25% over the core ingest. Three runs ingest the same English KCNA records, one
after another, each into a fresh archive: the core pipeline ("entities"), the default pipeline with the
stance model's verdicts, and the same with the rules alone (no stance model), so the model's own share shows.
Exits 0 where ../shared is absent.

    .venv/bin/python bench/stance_overhead.py [--limit 5000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from enrich_overhead import CORPUS, sample, timed_ingest  # the sibling benchmark's sampler and timer

import propscope.enrich.stance_model as stance_model
from propscope.enrich import DEFAULT_STEPS


def timed_without_model(source: Path, folder: Path, tag: str) -> float:
    """The default steps with no stance model shipped: the rules decide (workers fork from here)."""
    loader = stance_model.load_stance_model
    stance_model.load_stance_model = lambda path=stance_model.MODEL_PATH: None  # type: ignore[assignment]
    try:
        return timed_ingest(source, folder, DEFAULT_STEPS, tag, organizations=True)
    finally:
        stance_model.load_stance_model = loader  # type: ignore[assignment]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=2, help="alternate runs of each, best of each kept")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    with tempfile.TemporaryDirectory(prefix="propscope-stance-") as work:
        folder = Path(work)
        source = folder / "sample.jsonl"
        records = sample(args.limit, source)
        core: list[float] = []
        full: list[float] = []
        rules: list[float] = []
        for round_number in range(args.rounds):
            core.append(timed_ingest(source, folder, ("entities",), f"core{round_number}", organizations=False))
            full.append(timed_ingest(source, folder, DEFAULT_STEPS, f"full{round_number}", organizations=True))
            rules.append(timed_without_model(source, folder, f"rules{round_number}"))
        best_core, best_full, best_rules = min(core), min(full), min(rules)
        print(f"records              {records:,}")
        print(f"core ingest          {records / best_core:,.0f} articles/s ({best_core:.1f} s, steps: entities)")
        steps = ", ".join(DEFAULT_STEPS)
        print(f"default steps        {records / best_full:,.0f} articles/s ({best_full:.1f} s, {steps})")
        print(f"  stance rules alone {records / best_rules:,.0f} articles/s ({best_rules:.1f} s)")
        added = best_full / best_core - 1
        print(f"added time           {added:+.1%}  (target <= +25%: {'PASS' if added <= 0.25 else 'FAIL'})")
        print(f"  of which the model {best_full / best_rules - 1:+.1%} over the rules alone")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
