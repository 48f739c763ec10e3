"""Score the English-Spanish linking against the hand-labelled sample (tests/devset/language_links.jsonl).

    python -m tests.devset.score_languages [--misses]

For each labelled Spanish dispatch, the dispatches of its date and two days either side are read from
../shared/corpora, parsed, and linked exactly as ingest links them; the link found for the labelled one is
compared with the label. Precision: right links among links made; recall: right links among labelled pairs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

from propscope.analyze.languages import LinkDoc, features_of, link_by_windows
from propscope.enrich import Pipeline
from propscope.ingest.jsonl import record_from_object
from propscope.model import RawRecord

HERE = Path(__file__).resolve().parent
LINKS = HERE / "language_links.jsonl"
CORPUS = HERE.parents[1].parent / "shared" / "corpora" / "kcna-co-jp-1997-2018"


@cache
def year_records(year: int) -> dict[str, list[RawRecord]]:
    """The records of one year's file by date."""
    by_date: dict[str, list[RawRecord]] = {}
    path = CORPUS / f"kcna_co_jp_{year}.jsonl.gz"
    if not path.exists():
        return by_date
    with gzip.open(path, "rb") as handle:
        for number, line in enumerate(handle, 1):
            record = record_from_object(json.loads(line), str(path), line, f"line {number}")
            if isinstance(record, RawRecord) and record.date:
                by_date.setdefault(record.date, []).append(record)
    return by_date


def window(date: str, days: int = 2) -> list[RawRecord]:
    day = dt.date.fromisoformat(date)
    out: list[RawRecord] = []
    for offset in range(-days, days + 1):
        other = day + dt.timedelta(days=offset)
        out.extend(year_records(other.year).get(other.isoformat(), []))
    return out


def score(labels: list[dict[str, Any]]) -> tuple[dict[str, float], list[str]]:
    pipeline = Pipeline(("entities",))
    made = right = labelled = 0
    misses: list[str] = []
    for label in labels:
        records = window(label["date"])
        ids = {record.record_id: number for number, record in enumerate(records)}
        docs = [
            LinkDoc(number, record.date or label["date"], record.lang or "", features_of(pipeline(record)))
            for number, record in enumerate(records)
        ]
        found = {x.es_id: x.en_id for x in link_by_windows(docs)}
        es = ids.get(label["es_id"])
        if es is None:
            misses.append(f"{label['es_id']}: not found in the corpus")
            continue
        predicted = records[found[es]].record_id if es in found else None
        labelled += label["en_id"] is not None
        made += predicted is not None
        right += predicted is not None and predicted == label["en_id"]
        if predicted != label["en_id"]:
            misses.append(f"{label['es_id']} ({label['date']}): linked {predicted}, labelled {label['en_id']}")
    precision = right / made if made else 0.0
    recall = right / labelled if labelled else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores = {
        "labelled": float(len(labels)),
        "labelled_pairs": float(labelled),
        "links_made": float(made),
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }
    return scores, misses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="list every wrong or missing link")
    args = parser.parse_args(argv)
    if not CORPUS.exists() or not LINKS.exists():
        print(f"{CORPUS} or {LINKS} is absent: nothing to score")
        return 0
    labels = [json.loads(line) for line in LINKS.read_text(encoding="utf-8").splitlines() if line.strip()]
    scores, misses = score(labels)
    print("English-Spanish links on the labelled sample")
    for key, value in scores.items():
        print(f"  {key:16} {value:.3f}" if value < 1.5 else f"  {key:16} {int(value)}")
    if args.misses:
        for miss in misses:
            print("  " + miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
