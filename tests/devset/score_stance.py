"""Score support roles, actors and stance against the stance set (docs/labeling.md, "The stance set").

    python -m tests.devset.score_stance              # the train part: what rules and models are tuned on
    python -m tests.devset.score_stance --heldout    # the held-out third: report it, never tune on it
    python -m tests.devset.score_stance --misses     # also list what was missed and what was extra

The texts stay in ../shared/corpora; each label names its file and record id.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from propscope.enrich import Pipeline
from propscope.model import Article
from tests.devset.score import Counts, _name_key, _same_actor, load_records

HERE = Path(__file__).resolve().parent
STANCE = HERE / "stance_labels.jsonl"
AIMS = {
    "foreign_support_f1": 0.90,
    "compatriot_support_f1": 0.85,
    "foreign_actors_f1": 0.80,
    "foreign_actor_country_accuracy": 0.95,
    "hostile_f1": 0.90,
}


def load_stance(split: str, path: Path = STANCE) -> list[dict[str, Any]]:
    labels = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [label for label in labels if split == "all" or label["split"] == split]


@dataclass
class StanceReport:
    n: int = 0
    foreign: Counts = field(default_factory=Counts)
    compatriot: Counts = field(default_factory=Counts)
    actors: Counts = field(default_factory=Counts)
    countries_right: int = 0
    countries_matched: int = 0
    wrong_role: list[str] = field(default_factory=list)  # adversaries or compatriots reported as foreign
    hostile: Counts = field(default_factory=Counts)
    friendly_called_hostile: list[str] = field(default_factory=list)
    stance_right: int = 0
    stance_pairs: int = 0

    def scores(self) -> dict[str, float]:
        return {
            "foreign_support_f1": self.foreign.f1,
            "foreign_support_precision": self.foreign.precision,
            "foreign_support_recall": self.foreign.recall,
            "compatriot_support_f1": self.compatriot.f1,
            "compatriot_support_precision": self.compatriot.precision,
            "compatriot_support_recall": self.compatriot.recall,
            "foreign_actors_f1": self.actors.f1,
            "foreign_actors_precision": self.actors.precision,
            "foreign_actors_recall": self.actors.recall,
            "foreign_actor_country_accuracy": self.countries_right / self.countries_matched
            if self.countries_matched
            else 1.0,
            "wrong_role_as_foreign": float(len(self.wrong_role)),
            "hostile_f1": self.hostile.f1,
            "hostile_precision": self.hostile.precision,
            "hostile_recall": self.hostile.recall,
            "friendly_scored_hostile": float(len(self.friendly_called_hostile)),
            "stance_accuracy": self.stance_right / self.stance_pairs if self.stance_pairs else 1.0,
        }


def score_article(report: StanceReport, label: dict[str, Any], article: Article) -> None:
    rid = label["id"]
    report.n += 1
    report.foreign.add(rid, {rid} if article.foreign_support else set(), {rid} if label["foreign_support"] else set())
    report.compatriot.add(
        rid, {rid} if article.compatriot_support else set(), {rid} if label["compatriot_support"] else set()
    )
    predicted = [e for e in article.support_events if e.role == "foreign"]
    gold = [e for e in label["support_events"] if e["role"] == "foreign"]
    compatriots = [e["actor"] for e in label["support_events"] if e["role"] != "foreign"]
    not_foreign = [*label.get("not_supporters", []), *compatriots]
    unmatched = list(predicted)
    for event in gold:
        match = next((p for p in unmatched if _same_actor(p.actor, event["actor"])), None)
        if match is None:
            report.actors.fn += 1
            report.actors.misses.append(f"{rid}: missed {event['actor']!r} ({event['country']})")
            continue
        unmatched.remove(match)
        report.actors.tp += 1
        report.countries_matched += 1
        report.countries_right += match.country == event["country"]
        if match.country != event["country"]:
            report.actors.misses.append(f"{rid}: {event['actor']!r} country {match.country} want {event['country']}")
    report.actors.fp += len(unmatched)
    for extra in unmatched:
        report.actors.misses.append(f"{rid}: extra {extra.actor!r} ({extra.country})")
        if extra.country == "KR" or any(_same_actor(extra.actor, name) for name in not_foreign):
            report.wrong_role.append(f"{rid}: {extra.actor!r} ({extra.country}) reported as foreign")
    gold_stance: dict[str, str] = label["stance"]
    report.hostile.add(
        rid,
        {(rid, c) for c, s in article.stance.items() if s == "hostile"},
        {(rid, c) for c, s in gold_stance.items() if s == "hostile"},
    )
    for code, want in gold_stance.items():
        got = article.stance.get(code, "neutral")
        report.stance_pairs += 1
        report.stance_right += got == want
        if want == "friendly" and got == "hostile":
            report.friendly_called_hostile.append(f"{rid}: {code} friendly scored hostile")


def score(split: str) -> StanceReport:
    labels = load_stance(split)
    records = load_records(labels)
    pipeline = Pipeline()
    report = StanceReport()
    for label in labels:
        score_article(report, label, pipeline(records[label["id"]]))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="score the held-out third instead of train")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args(argv)
    split = "heldout" if args.heldout else "train"
    report = score(split)
    print(f"stance set, {split}: {report.n} dispatches")
    for key, value in report.scores().items():
        aim = AIMS.get(key)
        print(f"  {key:32} {value:.3f}" + (f"   (aim >= {aim})" if aim else ""))
    if args.misses:
        for title, lines in (
            ("foreign_support", report.foreign.misses),
            ("compatriot_support", report.compatriot.misses),
            ("foreign actors", report.actors.misses),
            ("wrong role", report.wrong_role),
            ("hostile", report.hostile.misses),
            ("friendly scored hostile", report.friendly_called_hostile),
        ):
            print(f"\n{title}:")
            for line in lines:
                print("  " + line)
    return 0


__all__ = ["STANCE", "StanceReport", "load_stance", "score", "score_article", "_name_key"]

if __name__ == "__main__":
    raise SystemExit(main())
