"""Benchmark (not a test): propaganda-technique detection speed on one CPU core, both models, and what the
encoder costs an ingest on two cores.

Issue 18: the encoder (step `techniques`) must reach 10 PTC dev articles/s on ONE core (BLAS and onnxruntime
pinned to one thread), and the ingest rate with `+techniques` on two cores is reported. This prints, for the 75
PTC dev articles (4,647 characters on average):

- each model's load time and size (limit 50 MB), articles/s and characters/s (best of --rounds passes);
- the anchor, measured in the same run on the same texts: a bare regex tokenisation pass (re.findall), so a
  slower or faster machine shows in both numbers;
- with --ingest N: N KCNA dispatches ingested into a fresh SQLite archive with two workers, with the default
  steps (the anchor), then with +techniques-fast and with +techniques, as rates and ratios to the anchor.

The process is pinned to one core and BLAS to one thread before numpy loads (the encoder's session uses one
thread of its own); the ingest part lets its two workers use both cores.
Run from the repository root:  .venv/bin/python bench/techniques.py [--rounds 3] [--ingest 2000] [--out F.json]
It exits 0 with a `skipped:` line where ../shared (the PTC data) is absent.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"
ALL_CORES = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(ALL_CORES)})

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV = SHARED / "datasets" / "ptc-semeval2020" / "dev" / "dev.jsonl"
KCNA = SHARED / "corpora" / "kcna-co-jp-1997-2018" / "kcna_co_jp_2017.jsonl.gz"
TARGET = 10.0  # encoder articles/s on one core
SIZE_LIMIT = 50 * 1024 * 1024

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from propscope.enrich import technique_encoder, techniques  # noqa: E402

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


def model_numbers(name: str, load: Callable[[], object], size: int, texts: list[str], rounds: int) -> dict:
    began = time.perf_counter()
    model = load()
    load_s = time.perf_counter() - began
    detect = model.detect  # type: ignore[attr-defined]
    detect(texts[0])  # warm-up
    rate = best_rate(detect, texts, rounds)
    spans = sum(len(detect(t)) for t in texts)
    return {"step": name, "bytes": size, "load_s": load_s, "articles_per_s": rate, "spans": spans}


def ingest_rates(limit: int) -> dict[str, float]:
    """Articles/s of a two-worker ingest of the same KCNA records, per step list (a fresh archive each)."""
    from propscope.archive import Archive
    from propscope.enrich import resolve_steps

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, ALL_CORES)
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "kcna.jsonl"
        with gzip.open(KCNA, "rt", encoding="utf-8") as src, source.open("w", encoding="utf-8") as dst:
            for n, line in enumerate(src):
                if n >= limit:
                    break
                dst.write(line)
        for label, steps in (("default", None), *((s, s) for s in ("+techniques-fast", "+techniques"))):
            db = Path(tmp) / f"{label.strip('+')}.sqlite"
            with Archive(str(db)) as archive:
                began = time.perf_counter()
                result = archive.ingest([source], workers=2, steps=resolve_steps(steps))
                out[label] = result.added / (time.perf_counter() - began)
            print(f"ingest {label:18} {out[label]:8,.1f} articles/s ({result.added:,} added, 2 workers)", flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ingest", type=int, default=0, metavar="N", help="also time an ingest of N KCNA records")
    parser.add_argument("--out", type=Path, help="also write the numbers as JSON")
    args = parser.parse_args()
    if not DEV.exists():
        print(f"skipped: {DEV} is absent")
        return 0
    texts = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    chars = sum(len(t) for t in texts) / len(texts)
    encoder_bytes = sum(p.stat().st_size for p in technique_encoder.MODEL_DIR.iterdir())
    anchor = best_rate(_ANCHOR.findall, texts, args.rounds)
    rows = [
        model_numbers("techniques", technique_encoder.shipped_encoder, encoder_bytes, texts, args.rounds),
        model_numbers("techniques-fast", techniques.shipped_model, techniques.MODEL_PATH.stat().st_size, texts, 3),
    ]
    print(f"articles            {len(texts)} PTC dev, {chars:,.0f} characters on average; cores used: 1")
    print(f"anchor: re tokens   {anchor:,.1f} articles/s")
    for row in rows:
        rate = row["articles_per_s"]
        verdict = f"; {rate / TARGET:.2f}x the {TARGET:.0f} art/s target: {'PASS' if rate >= TARGET else 'FAIL'}"
        print(
            f"{row['step']:19} {rate:,.1f} articles/s ({rate * chars / 1e3:,.0f} k chars/s, {anchor / rate:,.0f}x the"
            f" anchor's cost), {row['spans'] / len(texts):.1f} spans/article; {row['bytes'] / 1e6:.1f} MB"
            f" ({'PASS' if row['bytes'] < SIZE_LIMIT else 'FAIL'} < 50 MB), loaded in {row['load_s']:.2f} s"
            + (verdict if row["step"] == "techniques" else "")
        )
    numbers: dict = {"articles": len(texts), "mean_chars": chars, "anchor_articles_per_s": anchor, "models": rows}
    if args.ingest:
        if not KCNA.exists():
            print(f"ingest skipped: {KCNA} is absent")
        else:
            rates = ingest_rates(args.ingest)
            for label in ("+techniques-fast", "+techniques"):
                print(f"  {label}: {rates[label] / rates['default']:.2f}x the default steps' ingest rate")
            numbers["ingest"] = rates
    if args.out:
        args.out.write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
