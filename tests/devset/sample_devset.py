#!/usr/bin/env python3
"""Draw the candidate records for the parser's hand-labelled dev set, print them, and check the labels.

The dev set (``tests/devset/labels.jsonl``, format and label meanings in ``docs/labeling.md``) is
labelled by a person reading each text.  This script only *selects* and *prints* records from
``../shared/corpora``; it holds no label and derives none.  The selection is deterministic: seeded random
draws (one ``random.Random`` per bucket, seeded from ``SEED`` and the bucket name) plus deliberate hard
cases found by simple patterns on titles and the first lines of bodies (odd datelines, relayed outlets,
genre keywords).  A pattern only makes a record a *candidate*; whether it really is, say, a relayed article
or a speech is decided by the labeller from the text.  Every candidate printed here has a label line.

Usage (from the repository root)::

    python tests/devset/sample_devset.py --list            # one line per candidate: bucket, file, id, title
    python tests/devset/sample_devset.py                   # print every candidate in full, for reading
    python tests/devset/sample_devset.py --bucket relay    # only buckets whose name starts with "relay"
    python tests/devset/sample_devset.py --show ID [ID..]  # print given records (any corpus file)
    python tests/devset/sample_devset.py --check           # validate labels.jsonl against the corpora

``--check`` verifies that every line parses, has the documented keys and value shapes, names an existing
record whose ``content_sha1`` matches, and prints counts by genre, corpus, language and decade, plus the
candidates that have no label yet.  The corpora root defaults to ``<repo>/../shared/corpora`` (override with
``--corpora``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

SEED = 20240611
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_CORPORA = REPO.parent / "shared" / "corpora"
LABELS = HERE / "labels.jsonl"

KCNA = "kcna-co-jp-1997-2018/kcna_co_jp_{year}.jsonl.gz"
XM = "kcna-co-jp-2011-2012/kcna_co_jp_{year}.jsonl.gz"
KP = "kcna-kp-2024/kcna_kp_2024.jsonl"
RODONG = "rodong-en-frontpage-2021-2022/rodong_en_frontpage_2021_2022.jsonl"

MAX_CHARS = 5000  # prefer texts short enough to read in full
GENRES = {"relayed_article", "commentary", "statement", "message", "speech", "news_report"}
LABEL_KEYS = [
    "file",
    "id",
    "content_sha1",
    "why",
    "dateline",
    "relayed_from",
    "genre",
    "countries",
    "persons",
]
DATELINE_KEYS = {"place", "month", "day", "year", "agency"}

# Deliberately chosen records.  The seed record is the worked example of docs/labeling.md.  The speech
# candidates are dispatches whose title names a speech and whose body appears to carry it (a "following is
# the speech" lead, a first-person text, or a delegate's address); the labeller decides from the text
# whether it is the speech itself or a report about one.
FIXED: list[tuple[str, str, str]] = [
    ("seed", KCNA.format(year=2006), "kcnajp-20060715-006"),
    ("genre:speech?", KCNA.format(year=1997), "kcnajp-19971007-014"),
    ("genre:speech?", KCNA.format(year=1999), "kcnajp-19990707-003"),
    ("genre:speech?", KCNA.format(year=2000), "kcnajp-20000418-002"),
    ("genre:speech?", KCNA.format(year=2001), "kcnajp-20010904-002"),
    ("genre:speech?", KCNA.format(year=2006), "kcnajp-20060415-002"),
    ("genre:speech?", KCNA.format(year=2010), "kcnajp-20100830-003"),
    ("genre:speech?", KCNA.format(year=2010), "kcnajp-20100830-004"),
    ("genre:speech?", KCNA.format(year=2011), "kcnajp-20110824-005"),
    ("genre:speech?", KCNA.format(year=2011), "kcnajp-20111115-004"),
    ("genre:speech?", KCNA.format(year=2017), "kcnajp-20171006-001"),
    # a dateline that writes the year and uses an em dash (the only one in the corpus)
    ("dateline:em dash with year", KCNA.format(year=2015), "kcnajp-20151115-003"),
    # a second "(KCMA)" dateline (drawn by an earlier, looser "no dateline at all" pattern)
    ("dateline:(KCMA)", KCNA.format(year=2012), "kcnajp-20121209-005"),
    # Rodong Sinmun page naming a foreign country mostly through an abbreviation (CPV)
    ("rodong:wreath", RODONG, "rodong-thogra-0029"),
    # Outlets that are rare in the English corpus: joint editorials (Joson Inmingun and Chongnyon Jonwi are
    # named almost only there), Tongil Sinbo (spelt "Thongil Sinbo"), an "according to Minju Joson" lead.
    ("relay:joint editorial", KCNA.format(year=1999), "kcnajp-19990101-001"),
    ("relay:joint editorial", KCNA.format(year=2012), "kcnajp-20120101-032"),
    ("relay:Tongil Sinbo", KCNA.format(year=2002), "kcnajp-20020812-005"),
    ("relay:according to Minju Joson", KP, "kcnakp-stiles-01876"),
    # Outlets named in other ways than the usual "says Rodong Sinmun" lead (a story about a website, a
    # question put by a paper, a south Korean paper's editorial): the labeller decides what is relayed.
    ("outlet named:Uriminzokkiri website", KCNA.format(year=2003), "kcnajp-20030620-007"),
    ("outlet named:question put by Joson Inmingun", KCNA.format(year=2014), "kcnajp-20140626-002"),
    ("outlet named:south Korean paper editorial", KCNA.format(year=2017), "kcnajp-20170321-017"),
]

# Known scrape faults left out of every bucket: the title belongs to another article than the body.
EXCLUDE = {"kcnajp-20120112-045"}


# ----------------------------------------------------------------------------------------------- reading
def read_jsonl(path: Path) -> Iterator[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


class Corpora:
    """Lazily loaded corpus files, keyed by path relative to the corpora root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._cache: dict[str, list[dict]] = {}

    def records(self, rel: str) -> list[dict]:
        if rel not in self._cache:
            self._cache[rel] = list(read_jsonl(self.root / rel))
        return self._cache[rel]

    def get(self, rel: str, rid: str) -> dict | None:
        for r in self.records(rel):
            if r["id"] == rid:
                return r
        return None

    def kcna_years(self) -> Iterator[tuple[int, str, list[dict]]]:
        for year in range(1997, 2019):
            rel = KCNA.format(year=year)
            yield year, rel, self.records(rel)


# ----------------------------------------------------------------------------------------------- selection
def body(r: dict) -> str:
    return r.get("body") or ""


def readable(r: dict, lang: str = "en", max_chars: int = MAX_CHARS) -> bool:
    return r.get("lang") == lang and 300 <= len(body(r)) <= max_chars


def body_head_matches(pattern: str, head: int) -> Callable[[dict], bool]:
    rx = re.compile(pattern, re.I)
    return lambda r: readable(r) and bool(rx.search(body(r)[:head]))


def title_matches(pattern: str) -> Callable[[dict], bool]:
    rx = re.compile(pattern, re.I)
    return lambda r: readable(r) and bool(rx.search(r.get("title") or ""))


def english_short_and(pred: Callable[[dict], bool]) -> Callable[[dict], bool]:
    return lambda r: r.get("lang") == "en" and 200 <= len(body(r)) <= MAX_CHARS and pred(r)


def is_all_caps(r: dict) -> bool:
    letters = [c for c in body(r) if c.isalpha()]
    return len(letters) > 200 and sum(c.isupper() for c in letters) / len(letters) > 0.8


# Patterns on the head of a body (first ~100 chars) for irregular datelines.  Most apply where the corpus'
# own `dateline` field is null (its converter did not recognise the dateline).
HEAD = 100
ODD_DATELINES: list[tuple[str, Callable[[dict], bool]]] = [
    (
        "(KCNA) ? broken dash",
        lambda r: r["dateline"] is None and bool(re.search(r"\(KCNA\) \?", body(r)[:HEAD])),
    ),
    ("truncated place yongyang", lambda r: body(r).startswith("yongyang,")),
    (
        "(KCNA Correspondent)",
        lambda r: r["dateline"] is None and bool(re.search(r"\(KCNA[ -][Cc]orrespondent\)", body(r)[:HEAD])),
    ),
    ("(KCMA)", lambda r: "(KCMA)" in body(r)[:HEAD]),
    ("agency typo KNCA/LCNA", lambda r: bool(re.search(r"\((KNCA|LCNA)\)", body(r)[:HEAD]))),
    ("en dash", lambda r: r["dateline"] is None and "\u2013" in body(r)[:HEAD]),
    (
        "no agency in dateline",
        lambda r: r["dateline"] is None and bool(re.match(r"Pyongyang, [A-Z][a-z]+ \d+ --", body(r))),
    ),
    (
        "no comma after place",
        lambda r: r["dateline"] is None and bool(re.match(r"Pyongyang [A-Z][a-z]+ \d+ \(KCNA\)", body(r))),
    ),
    (
        "title line before dateline",
        lambda r: (
            r["dateline"] is None and bool(re.match(r"[^\n]{3,90}?\s+Pyongyang, [A-Z][a-z]+ \d+ \(KCNA\) --", body(r)))
        ),
    ),
    (
        "no dateline at all",
        lambda r: r["dateline"] is None and not re.search(r"\((KCNA|KCMA|KNCA|LCNA|KNS|ATCC|ACNC)", body(r)[:300]),
    ),
    ("KNS-KCNA Tokyo", lambda r: bool(r["dateline"]) and "KNS-KCNA" in r["dateline"]),
    ("foreign place Beijing", lambda r: r.get("dateline_place") == "Beijing"),
    ("foreign place Moscow", lambda r: r.get("dateline_place") == "Moscow"),
    (
        "foreign place Havana/Tehran/Cairo/New Delhi",
        lambda r: (
            r.get("dateline_place") in {"Havana", "Tehran", "Teheran", "Cairo", "New Delhi", "Bangkok", "Kuala Lumpur"}
        ),
    ),
    (
        "place other than Pyongyang in DPRK",
        lambda r: (
            r.get("dateline_place") in {"Kaesong", "Panmunjom", "Samjiyon", "Wonsan", "Hamhung", "Mt. Kumgang Resort"}
        ),
    ),
    ("dateline dash '-' only", lambda r: bool(r["dateline"]) and r["dateline"].endswith(") -")),
]

# Outlets searched in the first 600 chars of English bodies: candidates for relayed articles.
RELAYS: list[tuple[str, str, int]] = [
    ("Minju Joson", r"Minju Joson", 3),
    ("Choson Sinbo", r"Choson Sinbo", 2),
    ("Rodong Sinmun editorial", r"Rodong Sinmun[^.]{0,40}editorial", 2),
    ("Rodong Sinmun signed article", r"Rodong Sinmun[^.]{0,60}(signed|by-?lined) (article|commentary)", 2),
]

# Title keywords: candidates for the other genres (the labeller decides).
GENRE_TITLES: list[tuple[str, str, int]] = [
    ("commentary", r"KCNA Commentary|commentary", 11),
    (
        "statement",
        r"statement|spokes(man|person)|memorandum|answers question|press release|white paper"
        r"|indictment|notice|communique|open letter|report of",
        12,
    ),
    (
        "message",
        r"message|greetings|congratulat|condolence|wreath|floral basket|letter|reply|birthday greet",
        12,
    ),
]


class Selector:
    def __init__(self, corpora: Corpora) -> None:
        self.c = corpora
        self.out: list[tuple[str, str, dict]] = []  # (bucket, file, record)
        self.ids: set[str] = set()
        self.sha: set[str] = set()

    def rng(self, bucket: str) -> random.Random:
        return random.Random(f"{SEED}:{bucket}")

    def take(self, bucket: str, rel: str, pool: list[dict], k: int) -> None:
        self.take_pairs(bucket, [(rel, r) for r in pool], k)

    def take_pairs(self, bucket: str, pool: list[tuple[str, dict]], k: int) -> None:
        """Shuffle the whole pool with the bucket's RNG and keep the first k not yet chosen: a draw does not
        depend on what other buckets took, so adding a bucket does not reshuffle the others."""
        order = list(pool)
        self.rng(bucket).shuffle(order)
        n = 0
        for rel, r in order:
            if n == k:
                break
            if self.add(bucket, rel, r):
                n += 1

    def add(self, bucket: str, rel: str, r: dict) -> bool:
        sha = str(r.get("content_sha1"))
        if r["id"] in EXCLUDE or r["id"] in self.ids or sha in self.sha:
            return False
        self.ids.add(r["id"])
        self.sha.add(sha)
        self.out.append((bucket, rel, r))
        return True

    def take_kcna(self, bucket: str, pred: Callable[[dict], bool], k: int) -> None:
        """k records over all kcna-co-jp years matching pred, drawn with one seeded RNG."""
        self.take_pairs(bucket, [(rel, r) for _, rel, rs in self.c.kcna_years() for r in rs if pred(r)], k)

    def run(self) -> list[tuple[str, str, dict]]:
        c = self.c
        for bucket, rel, rid in FIXED:
            r = c.get(rel, rid)
            if r is None:
                sys.exit(f"fixed record {rid} not found in {rel}")
            self.add(bucket, rel, r)

        # 1. Seeded random spread over the years of kcna-co-jp (English, dateline recognised).
        for year, rel, rs in c.kcna_years():
            k = 2 if year <= 2000 else 1
            self.take(f"random {year}", rel, [r for r in rs if readable(r) and r["dateline"]], k)
        # 1997's all-capitals run (only early March 1997 in this scrape).
        rel97 = KCNA.format(year=1997)
        self.take("all-caps 1997", rel97, [r for r in c.records(rel97) if readable(r) and is_all_caps(r)], 8)

        # 2. Irregular datelines.
        for name, pred in ODD_DATELINES:
            self.take_kcna(f"dateline:{name}", english_short_and(pred), 1)

        # 3. Relayed outlets.
        for name, pat, k in RELAYS:
            self.take_kcna(f"relay:{name}", body_head_matches(pat, 600), k)

        # 4. Genre candidates by title keyword.
        for name, pat, k in GENRE_TITLES:
            self.take_kcna(f"genre:{name}?", title_matches(pat), k)

        # 5. Persons inside organisation names; texts with many foreign countries / persons.
        self.take_kcna(
            "persons:Kim Il Sung University", lambda r: readable(r) and "Kim Il Sung University" in body(r), 2
        )
        self.take_kcna("countries:many", title_matches(r"different countries|various countries|abroad|foreign"), 3)

        # 6. Spanish (ATCC until ~2010, ACNC after), including a broken one.
        self.take_kcna("spanish ATCC", lambda r: readable(r, "es") and "(ATCC)" in (r["dateline"] or ""), 4)
        self.take_kcna("spanish ACNC", lambda r: readable(r, "es") and "(ACNC)" in (r["dateline"] or ""), 4)
        self.take_kcna("spanish broken dateline", lambda r: readable(r, "es") and r["dateline"] is None, 2)

        # 7. kcna.kp 2024: distinct texts only; a few without dateline (anecdotes).
        kp = [r for r in c.records(KP) if body(r)]
        seen: set[str] = set()
        kp_distinct = []
        for r in kp:
            if r["content_sha1"] not in seen:
                seen.add(r["content_sha1"])
                kp_distinct.append(r)
        self.take(
            "kcna-kp-2024 random",
            KP,
            [r for r in kp_distinct if 300 <= len(body(r)) <= MAX_CHARS and "(KCNA)" in body(r)[:60]],
            11,
        )
        self.take(
            "kcna-kp-2024 no dateline",
            KP,
            [r for r in kp_distinct if 300 <= len(body(r)) <= MAX_CHARS and "(KCNA)" not in body(r)[:80]],
            2,
        )
        self.take(
            "kcna-kp-2024 commentary/statement",
            KP,
            [
                r
                for r in kp_distinct
                if 300 <= len(body(r)) <= MAX_CHARS and re.search(r"commentary|statement", r["title"], re.I)
            ],
            2,
        )

        # 8. Rodong Sinmun front pages (no dateline), under ~6,000 chars.
        self.take("rodong random", RODONG, [r for r in c.records(RODONG) if 300 <= len(body(r)) <= 6000], 8)

        # 9. kcna-co-jp-2011-2012 stories (datelines stripped by that scrape).
        for year in (2011, 2012):
            rel = XM.format(year=year)
            self.take(f"kcna-2011-2012 {year}", rel, [r for r in c.records(rel) if readable(r)], 3)
        rel = XM.format(year=2012)
        self.take("kcna-2011-2012 spanish", rel, [r for r in c.records(rel) if readable(r, "es")], 1)
        return self.out


# ----------------------------------------------------------------------------------------------- printing
def print_record(bucket: str, rel: str, r: dict) -> None:
    print("=" * 100)
    print(
        f"[{bucket}] {rel} {r['id']} date={r.get('date')} lang={r.get('lang')} len={len(body(r))}"
        f" sha1={r.get('content_sha1')}"
    )
    print(f"corpus dateline field: {r.get('dateline')!r}")
    print(f"TITLE: {r.get('title')}")
    print("-" * 100)
    print(body(r))


def find_any(corpora: Corpora, rid: str) -> tuple[str, dict] | None:
    for rel in sorted(str(p.relative_to(corpora.root)) for p in corpora.root.glob("*/*.jsonl*")):
        r = corpora.get(rel, rid)
        if r is not None:
            return rel, r
    return None


# ----------------------------------------------------------------------------------------------- checking
def check(corpora: Corpora, candidates: list[tuple[str, str, dict]] | None) -> int:
    errors: list[str] = []
    labels: list[dict] = []
    for n, line in enumerate(LABELS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {n}: not JSON ({exc})")
            continue
        labels.append(obj)
        where = f"line {n} ({obj.get('id')})"
        if list(obj) != LABEL_KEYS:
            errors.append(f"{where}: keys {list(obj)} != {LABEL_KEYS}")
        if not (corpora.root / obj.get("file", "")).is_file():
            errors.append(f"{where}: no file {obj.get('file')}")
            continue
        rec = corpora.get(obj["file"], obj["id"])
        if rec is None:
            errors.append(f"{where}: id not in {obj['file']}")
            continue
        if rec.get("content_sha1") != obj.get("content_sha1"):
            errors.append(f"{where}: content_sha1 mismatch")
        obj["_rec"] = rec
        d = obj.get("dateline")
        if d is not None:
            if not isinstance(d, dict) or set(d) != DATELINE_KEYS:
                errors.append(f"{where}: dateline keys {d}")
            else:
                for key in ("month", "day", "year"):
                    if d[key] is not None and not isinstance(d[key], int):
                        errors.append(f"{where}: dateline.{key} not int/null")
                if d["month"] is not None and not 1 <= d["month"] <= 12:
                    errors.append(f"{where}: month out of range")
                if d["day"] is not None and not 1 <= d["day"] <= 31:
                    errors.append(f"{where}: day out of range")
                if d["agency"] is not None and d["agency"] != d["agency"].upper():
                    errors.append(f"{where}: agency not upper case")
        rel_from = obj.get("relayed_from")
        if not isinstance(rel_from, list) or any(set(x) != {"outlet", "form"} for x in rel_from):
            errors.append(f"{where}: relayed_from shape")
        genre = obj.get("genre")
        if genre not in GENRES:
            errors.append(f"{where}: genre {genre!r}")
        if bool(rel_from) != (genre == "relayed_article"):
            errors.append(f"{where}: relayed_from and genre disagree")
        cs = obj.get("countries")
        if not isinstance(cs, list) or cs != sorted(set(cs)) or any(not re.fullmatch(r"[A-Z]{2}", x) for x in cs):
            errors.append(f"{where}: countries not sorted unique alpha-2")
        ps = obj.get("persons")
        if (
            not isinstance(ps, list)
            or any(not isinstance(p, str) or not p.strip() for p in ps)
            or len(set(ps)) != len(ps)
        ):
            errors.append(f"{where}: persons not a list of distinct names")
        if not obj.get("why"):
            errors.append(f"{where}: empty why")
    dup = [k for k, v in Counter(o["id"] for o in labels).items() if v > 1]
    if dup:
        errors.append(f"duplicate ids: {dup}")

    def corpus(o: dict) -> str:
        return o["file"].split("/")[0]

    def decade(o: dict) -> str:
        y = int(str(o.get("_rec", {}).get("date") or "0")[:4])
        return f"{y // 10 * 10}s"

    def year_kcna(o: dict) -> str | None:
        return str(o.get("_rec", {}).get("date", ""))[:4] if corpus(o) == "kcna-co-jp-1997-2018" else None

    tallies: list[tuple[str, Counter]] = [
        ("genre", Counter(o.get("genre") for o in labels)),
        ("corpus", Counter(corpus(o) for o in labels)),
        ("lang", Counter(o.get("_rec", {}).get("lang") for o in labels)),
        ("decade (record date)", Counter(decade(o) for o in labels)),
        ("year (kcna-co-jp-1997-2018)", Counter(y for o in labels if (y := year_kcna(o)))),
        ("dateline null", Counter(o.get("dateline") is None for o in labels)),
        ("relayed outlet", Counter(x["outlet"] for o in labels for x in o.get("relayed_from") or [])),
    ]
    print(f"labels: {len(labels)}")
    for title, cnt in tallies:
        items = sorted(cnt.items(), key=lambda kv: str(kv[0]))
        print(f"by {title}: " + ", ".join(f"{k}={v}" for k, v in items))
    if candidates is not None:
        labelled = {o["id"] for o in labels}
        missing = [(b, rel, r["id"]) for b, rel, r in candidates if r["id"] not in labelled]
        print(f"candidates without a label: {len(missing)}")
        for b, rel, rid in missing:
            print(f"  [{b}] {rel} {rid}")
    for e in errors:
        print("ERROR", e)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--list", action="store_true", help="one line per candidate")
    ap.add_argument("--bucket", help="only buckets whose name starts with this")
    ap.add_argument("--show", nargs="+", metavar="ID", help="print these records in full")
    ap.add_argument("--check", action="store_true", help="validate labels.jsonl")
    args = ap.parse_args(argv)
    corpora = Corpora(args.corpora)
    if not corpora.root.is_dir():
        print(f"corpora not found at {corpora.root}", file=sys.stderr)
        return 2
    if args.show:
        for rid in args.show:
            hit = find_any(corpora, rid)
            if hit is None:
                print(f"{rid}: not found", file=sys.stderr)
            else:
                print_record("show", *hit)
        return 0
    candidates = Selector(corpora).run()
    if args.check:
        return check(corpora, candidates)
    for bucket, rel, r in candidates:
        if args.bucket and not bucket.startswith(args.bucket):
            continue
        if args.list:
            print(f"{bucket:45} {rel:55} {r['id']:22} {len(body(r)):5} {(r.get('title') or '')[:60]}")
        else:
            print_record(bucket, rel, r)
    if args.list:
        print(f"{len(candidates)} candidates", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
