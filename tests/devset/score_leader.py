"""Score the appearances step against the leadership set (docs/labeling.md, "The leadership set").

    python -m tests.devset.score_leader                  # the train part: what the rules are tuned on
    python -m tests.devset.score_leader --misses         # also list what was missed or extra (train only)
    python -m tests.devset.score_leader --heldout        # the held-out third: report it, never tune on it
    python -m tests.devset.score_leader --labels A.jsonl B.jsonl   # other label files (the labellers' batches)

Matching: within one dispatch, a predicted appearance matches a labelled one of the same leader whose place
is similar (content words shared over the shorter name's >= 0.5, articles and prepositions left out; both
null counts as similar), each used once, best pairs first; then the leftover of the same leader are paired in
text order (a place read differently is a place error, not a missed appearance). Kind accuracy is over the
matched pairs; companions F1 over the (appearance, name) pairs of `accompanied_by` across matched and
unmatched appearances; "order exact" over the matched pairs whose labelled list is not empty; event_date
over the labelled appearances with date_given (a missed appearance counts as a wrong date).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from propscope.enrich import Pipeline
from propscope.enrich.appearances import place_similarity
from propscope.model import Appearance, Article
from tests.devset.score import Counts, load_records

HERE = Path(__file__).resolve().parent
LABELS = HERE / "leader_labels.jsonl"
SAMPLE = HERE / "leader_sample.jsonl"
AIMS = {
    "appearance_f1": 0.97,
    "kind_accuracy": 0.90,
    "companions_f1": 0.97,
    "order_exact": 0.95,
    "event_date_right": 0.95,
}
STEPS = ("appearances",)


def load_labels(split: str, paths: list[Path]) -> list[dict[str, Any]]:
    """The labelled lines of this split (by the sampler's split, which a label file cannot change), once each
    (the last label of an id wins: labellers append corrections)."""
    splits = {
        s["id"]: s["split"]
        for sample in sorted(HERE.glob("leader_sample*.jsonl"))  # every wave's draw
        for s in map(json.loads, sample.read_text(encoding="utf-8").splitlines())
        if s
    }
    by_id: dict[str, dict[str, Any]] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                label = json.loads(line)
                by_id[label["id"]] = label
    return [label for rid, label in by_id.items() if split == "all" or splits.get(rid, label["split"]) == split]


@dataclass
class LeaderReport:
    n: int = 0
    appearances: Counts = field(default_factory=Counts)
    kind_right: int = 0
    kind_matched: int = 0
    companions: Counts = field(default_factory=Counts)
    lists: int = 0
    lists_exact: int = 0
    dated: int = 0
    dated_right: int = 0
    misses: list[str] = field(default_factory=list)

    def scores(self) -> dict[str, float]:
        return {
            "appearance_f1": self.appearances.f1,
            "appearance_precision": self.appearances.precision,
            "appearance_recall": self.appearances.recall,
            "kind_accuracy": self.kind_right / self.kind_matched if self.kind_matched else 1.0,
            "companions_f1": self.companions.f1,
            "companions_precision": self.companions.precision,
            "companions_recall": self.companions.recall,
            "order_exact": self.lists_exact / self.lists if self.lists else 1.0,
            "event_date_right": self.dated_right / self.dated if self.dated else 1.0,
        }


def match(predicted: list[Appearance], gold: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """(predicted index, gold index) pairs: similar places first, then the rest of each leader in order."""
    candidates = sorted(
        (
            (-place_similarity(p.place, g["place"]), i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
            if p.leader == g["leader"]
        ),
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for negative, i, j in candidates:
        if -negative >= 0.5 and i not in used_p and j not in used_g:
            pairs.append((i, j))
            used_p.add(i)
            used_g.add(j)
    for j, g in enumerate(gold):
        if j in used_g:
            continue
        i = next((i for i, p in enumerate(predicted) if i not in used_p and p.leader == g["leader"]), None)
        if i is not None:
            pairs.append((i, j))
            used_p.add(i)
            used_g.add(j)
    return sorted(pairs, key=lambda pair: pair[1])


def score_article(report: LeaderReport, label: dict[str, Any], article: Article) -> None:
    rid = label["id"]
    report.n += 1
    predicted, gold = article.appearances, label["appearances"]
    pairs = match(predicted, gold)
    report.appearances.tp += len(pairs)
    report.appearances.fp += len(predicted) - len(pairs)
    report.appearances.fn += len(gold) - len(pairs)
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    for i, p in enumerate(predicted):
        if i not in matched_p:
            report.misses.append(
                f"{rid}: extra {p.leader} {p.kind} {p.place!r} ({article.text[p.start : p.end][:90]!r})"
            )
    for j, g in enumerate(gold):
        if j not in matched_g:
            report.misses.append(f"{rid}: missed {g['leader']} {g['kind']} {g['place']!r} ({g['evidence'][:90]!r})")
    for i, j in pairs:
        p, g = predicted[i], gold[j]
        report.kind_matched += 1
        report.kind_right += p.kind == g["kind"]
        if p.kind != g["kind"]:
            report.misses.append(f"{rid}: kind {p.kind} want {g['kind']} ({g['place']!r})")
        if g["accompanied_by"]:
            report.lists += 1
            report.lists_exact += list(p.accompanied_by) == list(g["accompanied_by"])
    for index, g in enumerate(gold):
        want = set(g["accompanied_by"])
        got = next((set(predicted[i].accompanied_by) for i, j in pairs if j == index), set())
        report.companions.add(f"{rid}#{index}", got, want)
    for i, p in enumerate(predicted):
        if i not in matched_p and p.accompanied_by:
            report.companions.add(f"{rid}+{i}", set(p.accompanied_by), set())
    for j, g in enumerate(gold):
        if not g.get("date_given"):
            continue
        report.dated += 1
        got = next((predicted[i].event_date for i, jj in pairs if jj == j), None)
        report.dated_right += got == g["event_date"]
        if got != g["event_date"]:
            report.misses.append(f"{rid}: event_date {got} want {g['event_date']}")


def score(split: str, paths: list[Path]) -> LeaderReport:
    labels = load_labels(split, paths)
    records = load_records(labels)
    pipeline = Pipeline(STEPS)
    report = LeaderReport()
    for label in labels:
        if label["id"] in records:
            score_article(report, label, pipeline(records[label["id"]]))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="score the held-out third instead of train")
    parser.add_argument("--misses", action="store_true", help="list the misses (train only)")
    parser.add_argument("--labels", nargs="+", type=Path, default=[LABELS], help="label files (JSON Lines)")
    args = parser.parse_args(argv)
    if args.heldout and args.misses:
        parser.error("--misses is for the train part only: no rule may be tuned on the held-out third")
    split = "heldout" if args.heldout else "train"
    report = score(split, args.labels)
    print(
        f"leadership set, {split}: {report.n} dispatches, {report.appearances.tp + report.appearances.fn} appearances"
    )
    for key, value in report.scores().items():
        aim = AIMS.get(key)
        print(f"  {key:24} {value:.3f}" + (f"   (aim >= {aim})" if aim else ""))
    print(f"  ({report.lists} accompaniment lists, {report.dated} dated appearances)")
    if args.misses:
        print("\nmisses:")
        for line in report.misses:
            print("  " + line)
        print("\ncompanions:")
        for line in report.companions.misses:
            print("  " + line)
    return 0


__all__ = ["LABELS", "LeaderReport", "load_labels", "match", "score", "score_article"]

if __name__ == "__main__":
    raise SystemExit(main())
