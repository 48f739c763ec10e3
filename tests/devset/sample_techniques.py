"""Draw the technique set (docs/labeling.md, "The technique set"): 50 English dispatches, by period and genre.

    python -m tests.devset.sample_techniques            # writes tests/devset/technique_sample.jsonl (ids only)
    python -m tests.devset.sample_techniques --dump DIR  # also writes each text the techniques step reads

Ten dispatches of each genre (as propscope's parser classifies it; speeches are too long to read in full), two
or three per period. The genre only chooses what to read; the labels come from reading each text in full. The
whole set is for evaluation: there is no train part, so no split. Only ids, checksums and strata are kept in
the repository; `--dump` writes `article.text` (title, blank line, body, as parsed), the very string the
labels' offsets index, one file per dispatch.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from propscope.ingest.jsonl import record_from_object
from propscope.model import Article
from propscope.parse import parse_record
from tests.devset.sample_leader import PERIODS
from tests.devset.sample_stance import CORPORA, pools, stratified
from tests.devset.score import load_records

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "technique_sample.jsonl"
SEED = 1805
MIN_CHARS, MAX_CHARS = 250, 3500  # every text is read in full and every phrase in it weighed
GENRES = ("commentary", "statement", "relayed_article", "news_report", "message")
STRATA = dict.fromkeys(GENRES, 10)
PERIOD_SHARE = {"1997-2003": 0.24, "2004-2011": 0.26, "2012-2018": 0.26, "2024": 0.24}  # 2, 3, 3, 2 a genre

_genres: dict[str, str] = {}


def genre(r: dict) -> str:
    """The parser's genre of a corpus record (parsed once per text)."""
    key = r["content_sha1"]
    if key not in _genres:
        record = record_from_object(r, "", b"", "")
        _genres[key] = parse_record(record).genre if not hasattr(record, "reason") else ""
    return _genres[key]


def readable(r: dict) -> bool:
    return r.get("lang") == "en" and MIN_CHARS <= len(r.get("body") or "") <= MAX_CHARS


CUES = {name: (lambda r, name=name: genre(r) == name) for name in GENRES}


def draw(corpora: Path = CORPORA) -> list[dict]:
    """The strata, drawn through the stance set's stratified draw; the split it assigns is dropped."""
    sample = stratified(pools(corpora, PERIODS, readable), STRATA, PERIOD_SHARE, CUES, str(SEED))
    return [{k: v for k, v in s.items() if k != "split"} for s in sample]


def articles(sample: list[dict], corpora: Path = CORPORA) -> dict[str, Article]:
    """The sampled dispatches as propscope parses them: `text` is what the labels index."""
    return {rid: parse_record(record) for rid, record in load_records(sample, corpora).items()}


def dump(sample: list[dict], out: Path, corpora: Path = CORPORA) -> None:
    """One file per dispatch holding exactly article.text (no header: offsets into the file are the labels')."""
    out.mkdir(parents=True, exist_ok=True)
    parsed = articles(sample, corpora)
    with (out / "index.tsv").open("w", encoding="utf-8") as index:
        for n, s in enumerate(sample):
            name = f"{n:02d}_{s['id']}.txt"
            (out / name).write_text(parsed[s["id"]].text, encoding="utf-8", newline="")
            index.write(f"{name}\t{s['stratum']}\t{s['period']}\t{parsed[s['id']].genre}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="also write the texts for labelling under this folder")
    args = parser.parse_args(argv)
    sample = draw()
    SAMPLE.write_text("".join(json.dumps(s) + "\n" for s in sample), encoding="utf-8")
    print(f"{len(sample)} dispatches -> {SAMPLE}")
    print(Counter(s["stratum"] for s in sample))
    print(Counter(s["period"] for s in sample))
    if args.dump:
        dump(sample, args.dump)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
