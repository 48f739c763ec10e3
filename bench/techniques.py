"""Benchmark (not a test): propaganda-technique detection speed on one CPU core, and the model's size.

Issue "propaganda techniques": inference must reach 20 articles/s on ONE core on PTC-length articles (about
5,600 characters). This prints, for the 75 PTC dev articles:

- model load time and file size (target < 50 MB);
- `detect_techniques` articles/s and characters/s, best of --rounds passes, and its ratio to the 20 art/s target;
- anchor, measured in the same run on the same texts: a bare regex tokenisation pass (re.findall), so a slower or
  faster machine shows up in both numbers and the ratio model/anchor can be compared across machines.

BLAS threads are set to 1 and the process is pinned to one core before numpy loads.
Run from the repository root:  .venv/bin/python bench/techniques.py [--rounds 3] [--out FILE.json]
It exits 0 with a `skipped:` line where ../shared (the PTC data) is absent.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "datasets" / "ptc-semeval2020" / "dev" / "dev.jsonl"
TARGET = 20.0  # articles/s on one core
SIZE_LIMIT = 50 * 1024 * 1024

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from propscope.enrich import techniques  # noqa: E402

_ANCHOR = re.compile(r"\w+|[^\w\s]")


def best_rate(run: Callable[[str], object], texts: list[str], rounds: int) -> float:
    """Best articles/s over `rounds` passes of `run` over all texts (the best pass is the least disturbed)."""
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        for text in texts:
            run(text)
        best = min(best, time.perf_counter() - began)
    return len(texts) / best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, help="also write the numbers as JSON")
    args = parser.parse_args()
    if not DEV.exists():
        print(f"skipped: {DEV} is absent")
        return 0
    texts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    chars = sum(len(t) for t in texts) / len(texts)
    began = time.perf_counter()
    techniques.shipped_model()
    load_s = time.perf_counter() - began
    size = techniques.MODEL_PATH.stat().st_size
    techniques.detect_techniques(texts[0])  # warm-up
    rate = best_rate(techniques.detect_techniques, texts, args.rounds)
    anchor = best_rate(_ANCHOR.findall, texts, args.rounds)
    spans = sum(len(techniques.detect_techniques(t)) for t in texts)
    print(f"articles           {len(texts)} PTC dev, {chars:,.0f} characters on average; cores used: 1")
    print(
        f"model              {techniques.MODEL_PATH.name}: {size / 1e6:.1f} MB (limit 50 MB: "
        f"{'PASS' if size < SIZE_LIMIT else 'FAIL'}); loaded in {load_s:.2f} s"
    )
    print(
        f"detect_techniques  {rate:,.1f} articles/s, {rate * chars / 1e3:,.0f} k chars/s, {spans / len(texts):.1f} "
        f"spans/article; {rate / TARGET:.2f}x the {TARGET:.0f} art/s target: {'PASS' if rate >= TARGET else 'FAIL'}"
    )
    print(
        f"anchor: re tokens  {anchor:,.1f} articles/s; detect_techniques costs {anchor / rate:,.0f}x a bare "
        "tokenisation pass"
    )
    if args.out:
        numbers = {
            "articles": len(texts),
            "mean_chars": chars,
            "model_bytes": size,
            "load_s": load_s,
            "articles_per_s": rate,
            "anchor_articles_per_s": anchor,
            "target": TARGET,
        }
        args.out.write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
