"""Report (not a test): hostility and mentions series for US and KR on the real KCNA corpus (issue 13, point 5).

Ingests the English kcna.co.jp records into an archive through `Archive.ingest` (what `propscope ingest`
runs), then asks `propscope.analyze.trends.series` (what `propscope trend` prints) for US and KR: monthly
over 2016-2018, yearly over every ingested year; writes docs/stance-series.md with every number from the run.
The corpus ends on 2018-04-26, so the months after the April 2018 summit are absent from it.

    .venv/bin/python bench/stance_series.py [--years 2016-2018] [--sample 0] [--db /tmp/series.sqlite]

--sample N adds N records from the start of every other year file (the whole corpus sampled); --reuse skips
the ingest where the archive already exists. Exits 0 where ../shared is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

from propscope.analyze.trends import SPARSE_BELOW, TrendPoint, parse_metric, series
from propscope.archive import Archive
from propscope.choices import Period
from propscope.model import SearchFilters

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "kcna-co-jp-1997-2018"
COUNTRIES = ("US", "KR")
READING = "## Reading (written from the tables above)"


def english(path: Path, out: Path, limit: int | None) -> int:
    """The English records of one year file, as their original lines."""
    taken = 0
    with gzip.open(path, "rt", encoding="utf-8") as lines, out.open("w", encoding="utf-8") as handle:
        for line in lines:
            if limit is not None and taken >= limit:
                break
            if json.loads(line).get("lang") == "en":
                handle.write(line)
                taken += 1
    return taken


def table(hostility: list[TrendPoint], mentions: list[TrendPoint]) -> list[str]:
    by_period = {p.period: p for p in mentions}
    rows = [
        "| period | articles (all) | naming it | mentions share | articles in scope | hostile | hostile share "
        "| mean hostility | sparse |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for h in hostility:
        m = by_period.get(h.period)
        share = h.counted / h.articles if h.articles else 0.0
        rows.append(
            f"| {h.period} | {m.articles if m else ''} | {m.counted if m else ''} | "
            f"{m.value:.3f} | {h.articles} | {h.counted} | {share:.3f} | {h.value:.3f} | "
            f"{'sparse' if h.sparse else ''} |"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--years", default="2016-2018", help="years ingested in full")
    parser.add_argument("--monthly", default="2016-2018", help="years shown month by month")
    parser.add_argument("--sample", type=int, default=0, help="records per other year (0: none)")
    parser.add_argument("--db", default="/tmp/series.sqlite")
    parser.add_argument("--reuse", action="store_true", help="use the archive as it is")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(ROOT / "docs" / "stance-series.md"))
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    first, _, last = args.years.partition("-")
    full = set(range(int(first), int(last or first) + 1))
    db = Path(args.db)
    notes: list[str] = []
    if not (args.reuse and db.exists()):
        work = db.parent / (db.stem + "-input")
        work.mkdir(exist_ok=True)
        files, records = [], 0
        for path in sorted(CORPUS.glob("*.jsonl.gz")):
            year = int(path.name[-13:-9])
            if year not in full and not args.sample:
                continue
            out = work / f"en_{year}.jsonl"
            records += english(path, out, None if year in full else args.sample)
            files.append(out)
        started = time.perf_counter()
        with Archive(str(db)) as archive:
            archive.ingest(files, workers=args.workers)
        seconds = time.perf_counter() - started
        notes.append(f"Ingested {records:,} English records in {seconds:.0f} s ({records / seconds:,.0f}/s).")
    else:
        with Archive(str(db), readonly=True) as archive:
            notes.append(f"Archive reused as it was: {archive.store.count(None, collapse=False):,} articles.")
    month_first, _, month_last = args.monthly.partition("-")
    hostility, mentions = parse_metric("hostility"), parse_metric("mentions")
    lines = [
        "# Hostility and mentions of US and KR in KCNA (issue 13, point 5)",
        "",
        f"Written by `bench/stance_series.py --years {args.years} --monthly {args.monthly} --sample {args.sample}`"
        f" from archive "
        f"`{db}`; every number below is the run's. {' '.join(notes)}",
        f"Years in full: {args.years}; other years: "
        + (f"the first {args.sample} English records of each year file." if args.sample else "not ingested."),
        "",
        "Columns: *articles (all)* and *naming it* are `propscope trend --metric mentions` (articles of the",
        "period, those naming the country, their share); *articles in scope* (naming the country or hostile",
        "toward it), *hostile* (articles whose stance toward it is hostile: those with a hostility score) and",
        "*mean hostility* are `propscope trend --metric hostility`. *sparse*: fewer than "
        f"{SPARSE_BELOW} articles in scope.",
        "",
    ]
    with Archive(str(db), readonly=True) as archive:
        store = archive.store
        for country in COUNTRIES:
            for title, by, since, until in (
                (f"{country}, monthly, {args.monthly}", Period.MONTH, month_first, month_last or month_first),
                (f"{country}, yearly, all ingested years", Period.YEAR, None, None),
            ):
                h = series(store, hostility, by, country, since, until)
                m = series(store, mentions, by, country, since, until)
                lines += [f"## {title}", "", *table(h, m), ""]
        # The record: KCNA stopped attacking the sitting U.S. President by name after the summit was agreed
        # (March 2018), while pieces on "the U.S." (human rights, history, sanctions) went on.
        lines += [
            "## Articles naming the sitting U.S. President (Trump), monthly",
            "",
            "| month | naming Trump | of them hostile toward US | hostile toward US, all |",
            "|---|---|---|---|",
        ]
        for year, month in [(2017, m) for m in range(6, 13)] + [(2018, m) for m in range(1, 5)]:
            since, until = f"{year}-{month:02d}-01", f"{year}-{month:02d}-31"
            named = store.count("Trump", SearchFilters.parse(since=since, until=until), collapse=False)
            hostile = SearchFilters.parse(since=since, until=until, stance="hostile", toward=["US"])
            attacked = store.count("Trump", hostile, collapse=False)
            every = store.count(None, hostile, collapse=False)
            lines.append(f"| {year}-{month:02d} | {named} | {attacked} | {every} |")
        lines.append("")
    out = Path(args.out)
    # The reading below the tables is written by a person from them; a rerun keeps it, to be checked anew.
    kept = out.read_text(encoding="utf-8").partition(READING)[2] if out.exists() else ""
    lines += [READING + kept.rstrip("\n")] if kept.strip() else []
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
