"""Score technique steps against the technique set (docs/labeling.md, "The technique set").

    python -m tests.devset.score_techniques --step techniques
    python -m tests.devset.score_techniques --step techniques --step techniques-fast   # two models, side by side

Each step runs through propscope's own pipeline (parse, then the step and whatever it requires), on the text
the labels index. Scores use propscope.evaluate.ptc, our implementation of the official SemEval-2020 Task 11
measures: span P/R/F1 is SI's partial-overlap credit (overlapping spans merged on each side, pooled over the
50 dispatches); span+technique is the same formula counted within each technique (the full-pipeline score);
per technique, that formula over the one technique's spans. The set is for evaluation only: tune nothing on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from propscope.enrich import REGISTRY, Pipeline, resolve_steps
from propscope.evaluate.ptc import Prf, score_si, score_spans_with_techniques
from propscope.model import TECHNIQUES
from tests.devset.score import CORPORA, load_records

HERE = Path(__file__).resolve().parent
LABELS = HERE / "technique_labels.jsonl"
COMMON = (
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Flag-Waving",
    "Slogans",
    "Repetition",
    "Appeal_to_fear-prejudice",
)
OTHER_SHOWN = 10  # other techniques are listed where the gold has at least this many spans

Labelled = dict[str, list[tuple[str, int, int]]]


@dataclass(frozen=True)
class StepScore:
    step: str
    predicted: int
    span: Prf
    span_technique: Prf
    per_technique: dict[str, tuple[int, int, Prf]]  # technique: (gold spans, predicted spans, score)


def load_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_spans(labels: list[dict[str, Any]]) -> Labelled:
    return {label["id"]: [(s["technique"], s["start"], s["end"]) for s in label["spans"]] for label in labels}


def check_step(name: str) -> str | None:
    """Why the step cannot be scored (one line), or None."""
    if name not in REGISTRY:
        return f"unknown enrich step {name!r}: the registry has {', '.join(REGISTRY)}"
    if "techniques" not in REGISTRY[name].assigns:
        return f"enrich step {name!r} assigns {', '.join(REGISTRY[name].assigns)}, not techniques"
    return None


def predict(step: str, labels: list[dict[str, Any]], corpora: Path = CORPORA) -> Labelled:
    """The step's technique spans on each labelled dispatch, run as `propscope parse --steps STEP` would."""
    pipeline = Pipeline(resolve_steps(step))
    if step not in pipeline.names or len(pipeline.steps) != len(pipeline.names):
        raise RuntimeError(f"enrich step {step!r} could not be built (see the log above)")
    records = load_records(labels, corpora)
    missing = [label["id"] for label in labels if label["id"] not in records]
    if missing:
        raise RuntimeError(f"{len(missing)} labelled dispatches are missing from {corpora}: {missing[:3]}")
    out: Labelled = {}
    for label in labels:
        article = pipeline(records[label["id"]])
        out[label["id"]] = [(t.technique, t.start, t.end) for t in article.techniques or ()]
    return out


def only(spans: Labelled, technique: str) -> Labelled:
    return {rid: [s for s in items if s[0] == technique] for rid, items in spans.items()}


def score(step: str, gold: Labelled, predicted: Labelled) -> StepScore:
    intervals = {rid: [(start, end) for _, start, end in items] for rid, items in predicted.items()}
    gold_intervals = {rid: [(start, end) for _, start, end in items] for rid, items in gold.items()}
    per: dict[str, tuple[int, int, Prf]] = {}
    gold_counts = Counter(t for items in gold.values() for t, _, _ in items)
    pred_counts = Counter(t for items in predicted.values() for t, _, _ in items)
    for technique in TECHNIQUES:
        prf = score_spans_with_techniques(only(predicted, technique), only(gold, technique))
        per[technique] = (gold_counts[technique], pred_counts[technique], prf)
    return StepScore(
        step=step,
        predicted=sum(len(items) for items in predicted.values()),
        span=score_si(intervals, gold_intervals),
        span_technique=score_spans_with_techniques(predicted, gold),
        per_technique=per,
    )


def report(result: StepScore) -> list[str]:
    def row(name: str, prf: Prf, extra: str = "") -> str:
        return f"  {name:36} P {prf.precision:.3f}  R {prf.recall:.3f}  F1 {prf.f1:.3f}{extra}"

    lines = [
        f"step {result.step}: {result.predicted} predicted spans",
        row("span (SI, partial overlap)", result.span),
        row("span+technique", result.span_technique),
        "  per technique (span+technique within it):",
    ]
    shown = [t for t in TECHNIQUES if t in COMMON or result.per_technique[t][0] >= OTHER_SHOWN]
    for technique in sorted(shown, key=lambda t: (t not in COMMON, COMMON.index(t) if t in COMMON else 0, t)):
        n_gold, n_pred, prf = result.per_technique[technique]
        lines.append(row("  " + technique, prf, f"   (gold {n_gold}, predicted {n_pred})"))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", action="append", required=True, help="an enrich step assigning techniques")
    parser.add_argument("--labels", type=Path, default=LABELS)
    args = parser.parse_args(argv)
    for name in args.step:
        problem = check_step(name)
        if problem:
            print(f"score_techniques: {problem}", file=sys.stderr)
            return 2
    if not CORPORA.exists():
        print(f"score_techniques: {CORPORA} is absent (the technique set's texts are there)", file=sys.stderr)
        return 2
    labels = load_labels(args.labels)
    gold = gold_spans(labels)
    counts = Counter(t for items in gold.values() for t, _, _ in items)
    print(f"technique set: {len(labels)} dispatches, {sum(counts.values())} labelled spans")
    print("  " + ", ".join(f"{t} {n}" for t, n in counts.most_common()))
    for name in args.step:
        try:
            predicted = predict(name, labels)
        except RuntimeError as exc:
            print(f"score_techniques: {exc}", file=sys.stderr)
            return 1
        print("\n".join(report(score(name, gold, predicted))))
    return 0


__all__ = ["COMMON", "LABELS", "StepScore", "check_step", "gold_spans", "load_labels", "predict", "score"]

if __name__ == "__main__":
    raise SystemExit(main())
