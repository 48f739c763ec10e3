"""Benchmark (not a test): near-duplicate detection over all KCNA dispatches, against datasketch.

Issue "memory": near-duplicate detection over all 137k KCNA articles at >= 2x the rate of datasketch
MinHashLSH (threshold 0.8, 128 permutations, 5-word shingles), with recall >= 0.95 at Jaccard >= 0.8
against exact Jaccard on a sample. Numbers are only meaningful beside the anchor measured in the same run, so
this prints, for the same bodies (kcna-co-jp-1997-2018, English and Spanish, 137,244 stories):

- anchor: datasketch, per text: the same normalisation and 5-word shingles (as strings), MinHash(128)
  sharing one set of permutations, .update_batch, MinHashLSH(threshold=0.8).query, then .insert; docs/s
  with and without its shingling (the target is judged against the faster, without);
- propscope's `cluster` (tests/duplicates_reference.py, over enrich/duplicates.py; text -> cluster per
  article: content keys, signatures, bands, verification, union-find), docs/s, timed before and after the
  anchor; the ratio uses the slower run;
- `DuplicateIndex.add_many` / `.add` rates, and a check that they give the clusters `cluster` gives;
- cluster counts; then `cluster` over both scrapes together (plus kcna-co-jp-2011-2012's 22,337 stories):
  how many stories of each have a near copy in the other, beside SOURCE.md's date + title match;
- recall and precision on both scrapes against exact Jaccard (see `ground_truth`): for a random sample of
  stories, every story of the whole set with exact shingle Jaccard >= 0.8, found with an inverted index and
  the prefix filter (nothing is missed by looking only in a window); then the same for every story, since
  in a sample nearly all true pairs are exact copies and the hard pairs near 0.8 are rare.

Run from the repository root:  .venv/bin/python bench/dedupe.py [--limit 20000] [--sample 2000] [--out F.json]
It exits 0 with a message where ../shared (the corpora) is absent, or where datasketch is not installed
(`.venv/bin/pip install datasketch`). See bench/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpora" / "kcna-co-jp-1997-2018"
SCRAPE = SHARED / "corpora" / "kcna-co-jp-2011-2012"

THRESHOLD = 0.8
NUM_PERM = 128
RATIO_TARGET = 2.0
RECALL_TARGET = 0.95
J_BANDS = ((0.8, 0.85), (0.85, 0.9), (0.9, 0.95), (0.95, 1.0), (1.0, 1.01))

if str(REPO) not in sys.path:  # run as a script from anywhere, without relying on the editable install
    sys.path.insert(0, str(REPO))

from propscope.enrich import duplicates  # noqa: E402
from tests import duplicates_reference as reference  # noqa: E402


def say(message: str) -> None:
    print(message, flush=True)


# -- input --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Story:
    key: str  # the record id
    date: str
    title: str
    body: str
    lang: str


def read_stories(paths: Sequence[Path], limit: int | None) -> list[Story]:
    """Every story with a body; with a limit, an equal share from the start of every file (so a quick run
    still sees the all-capitals 1990s and the Spanish of later years)."""
    share = math.ceil(limit / len(paths)) if limit else None
    stories: list[Story] = []
    for path in paths:
        taken = 0
        with gzip.open(path, "rb") as handle:
            for line in handle:
                if share is not None and taken >= share:
                    break
                obj = json.loads(line)
                if not obj.get("body"):
                    continue
                stories.append(
                    Story(obj["id"], obj.get("date") or "", obj.get("title") or "", obj["body"], obj.get("lang") or "")
                )
                taken += 1
    return stories[:limit] if limit else stories


# -- anchor: datasketch -------------------------------------------------------------------------------------

_WORDS = re.compile(r"[^\W_]+")  # runs of letters and digits: what propscope's tokenizer keeps


def string_shingles(text: str) -> set[str]:
    """The same shingles propscope hashes, as strings: normalised text, 5-word runs, short texts whole."""
    words = _WORDS.findall(duplicates.normalise(text))
    if len(words) < duplicates.SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + 5]) for i in range(len(words) - 4)}


def run_datasketch(texts: Sequence[str], chunk: int = 5_000) -> dict[str, Any]:
    """Shingle, MinHash, query for near copies, insert: what a dedupe pass with datasketch does per text.

    The fastest documented way: the 128 permutations drawn once and shared (as `MinHash.bulk` does), not
    redrawn per MinHash. Shingling and MinHash + LSH are timed apart, chunk by chunk, so the anchor can also
    be read without its shingling (the faster, stricter anchor).
    """
    from datasketch import MinHash, MinHashLSH

    template = MinHash(num_perm=NUM_PERM)
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    matched = 0
    shingle_seconds = minhash_seconds = 0.0
    for first in range(0, len(texts), chunk):
        start = time.perf_counter()
        encoded = [[s.encode("utf-8") for s in string_shingles(t)] for t in texts[first : first + chunk]]
        middle = time.perf_counter()
        for key, shingles in enumerate(encoded, start=first):
            if not shingles:
                continue
            minhash = MinHash(num_perm=NUM_PERM, permutations=template.permutations, scheme=template.scheme)
            minhash.update_batch(shingles)
            if lsh.query(minhash):
                matched += 1
            lsh.insert(key, minhash)
        shingle_seconds += middle - start
        minhash_seconds += time.perf_counter() - middle
    seconds = shingle_seconds + minhash_seconds
    return {
        "docs": len(texts),
        "seconds": seconds,
        "docs_per_s": len(texts) / seconds,
        "shingle_seconds": shingle_seconds,
        "minhash_lsh_seconds": minhash_seconds,
        "minhash_lsh_docs_per_s": len(texts) / minhash_seconds,
        "texts_with_a_candidate": matched,
        "bands_rows": [lsh.b, lsh.r],
    }


# -- propscope ----------------------------------------------------------------------------------------------


def run_propscope(texts: Sequence[str]) -> tuple[reference.NearDuplicates, dict[int, int], float]:
    start = time.perf_counter()
    found = reference.find_near_duplicates(enumerate(texts))
    clusters = reference.clusters_from(found)
    return found, clusters, time.perf_counter() - start


def run_incremental(texts: Sequence[str], one_by_one: int) -> dict[str, Any]:
    """`DuplicateIndex`, as a store would feed it on ingest: `add_many` over all the stories given, `add`
    one at a time over the first `one_by_one`; both must give the clusters of `cluster` on the same stories."""
    index = reference.DuplicateIndex()
    start = time.perf_counter()
    index.add_many(enumerate(texts))
    seconds = time.perf_counter() - start
    single = reference.DuplicateIndex()
    start = time.perf_counter()
    for i, text in enumerate(texts[:one_by_one]):
        single.add(i, text)
    single_seconds = time.perf_counter() - start
    same = index.clusters() == reference.cluster(enumerate(texts))
    same_single = single.clusters() == reference.cluster(enumerate(texts[:one_by_one]))
    return {
        "docs": len(texts),
        "seconds": seconds,
        "docs_per_s": len(texts) / seconds,
        "one_by_one_docs": min(one_by_one, len(texts)),
        "one_by_one_docs_per_s": min(one_by_one, len(texts)) / single_seconds,
        "same_clusters_as_batch": same and same_single,
    }


def linked(found: reference.NearDuplicates) -> dict[int, set[int]]:
    """Representative -> the representatives a verified pair joins it to directly (not via other texts)."""
    links: dict[int, set[int]] = {}
    for a, b in found.pairs.tolist():
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    return links


def cluster_summary(clusters: dict[int, int]) -> dict[str, int]:
    sizes = Counter(clusters.values())
    multi = [s for s in sizes.values() if s > 1]
    return {
        "articles": len(clusters),
        "clusters": len(sizes),
        "clusters_with_copies": len(multi),
        "articles_in_those": sum(multi),
        "largest": max(sizes.values(), default=0),
    }


# -- ground truth -------------------------------------------------------------------------------------------


class ShingleIndex:
    """Exact shingle sets of every text and an inverted index over them (shingle hash -> texts).

    Exact here means over the 64-bit shingle hashes, which equal exact Jaccard over the shingle strings but
    for hash collisions (probability about 2^-64 per pair of distinct shingles).
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.sets: list[np.ndarray] = []
        for start in range(0, len(texts), duplicates.BATCH_DOCS):
            batch = duplicates.hash_texts(texts[start : start + duplicates.BATCH_DOCS])
            owners = np.repeat(np.arange(len(batch)), np.diff(batch.offsets))
            order = np.lexsort((batch.shingles, owners))  # by text, then hash: repeats become neighbours
            hashes, owners = batch.shingles[order], owners[order]
            keep = np.ones(len(hashes), dtype=bool)
            keep[1:] = (hashes[1:] != hashes[:-1]) | (owners[1:] != owners[:-1])
            cuts = np.searchsorted(owners[keep], np.arange(1, len(batch)))
            self.sets.extend(np.split(hashes[keep], cuts))
        self.sizes = np.array([len(s) for s in self.sets], dtype=np.int64)
        hashes = np.concatenate(self.sets)
        owners = np.repeat(np.arange(len(self.sets), dtype=np.int64), self.sizes)
        order = np.argsort(hashes, kind="stable")
        self.hashes, self.owners = hashes[order], owners[order]

    def jaccard(self, a: int, b: int) -> float:
        left, right = self.sets[a], self.sets[b]
        if not len(left) or not len(right):
            return 0.0
        inter = len(np.intersect1d(left, right, assume_unique=True))
        return inter / (len(left) + len(right) - inter)

    def similar(self, a: int, threshold: float) -> dict[int, float]:
        """Every text b != a with exact Jaccard(a, b) >= threshold.

        Prefix filter: J >= t implies |A & B| >= t|A|, so B holds at least one of any |A| - ceil(t|A|) + 1
        shingles of A; take A's rarest ones, so the postings read are short. A size filter (t <= |B|/|A| <=
        1/t) drops most candidates before the exact intersection.
        """
        shingles = self.sets[a]
        n = len(shingles)
        if not n:
            return {}
        lo = np.searchsorted(self.hashes, shingles, side="left")
        hi = np.searchsorted(self.hashes, shingles, side="right")
        prefix = n - math.ceil(threshold * n - 1e-9) + 1
        rarest = np.argsort(hi - lo, kind="stable")[:prefix]
        candidates = np.unique(np.concatenate([self.owners[lo[k] : hi[k]] for k in rarest]))
        sizes = self.sizes[candidates]
        candidates = candidates[(sizes >= threshold * n - 1e-9) & (sizes * threshold <= n + 1e-9) & (candidates != a)]
        out = {}
        for b in candidates.tolist():
            j = self.jaccard(a, b)
            if j >= threshold:
                out[b] = j
        return out


def ground_truth(
    index: ShingleIndex, found: reference.NearDuplicates, clusters: dict[int, int], sample: Iterable[int]
) -> dict[str, Any]:
    """Recall and precision of propscope's pairs for the sampled texts, against exact Jaccard.

    A true pair is (a, b) with a sampled, b anywhere in the corpus, exact J >= 0.8 (each unordered pair once).
    Found (pair level): a and b are copies (same content key) or their representatives form a verified pair.
    Found (cluster level): same cluster, directly or through other texts. Precision: of the pairs propscope
    reports directly for the sampled texts, the share with exact J >= 0.8.
    """
    links = linked(found)
    rep = found.representative
    members: dict[int, list[int]] = {}
    for i, r in enumerate(rep.tolist()):
        members.setdefault(r, []).append(i)
    sample = list(sample)
    sampled = set(sample)

    true_pairs: dict[tuple[int, int], float] = {}
    for a in sample:
        for b, j in index.similar(a, THRESHOLD).items():
            true_pairs[(min(a, b), max(a, b))] = j

    def direct(a: int, b: int) -> bool:
        ra, rb = int(rep[a]), int(rep[b])
        return ra == rb or rb in links.get(ra, ())

    found_pairs = sum(direct(a, b) for a, b in true_pairs)
    found_clusters = sum(clusters[a] == clusters[b] for a, b in true_pairs)
    by_band = []
    for low, high in J_BANDS:
        in_band = [(a, b) for (a, b), j in true_pairs.items() if low <= j < high]
        hit = sum(direct(a, b) for a, b in in_band)
        by_band.append(
            {
                "jaccard": f"[{low:.2f}, {min(high, 1.0):.2f}{']' if high > 1 else ')'}",
                "pairs": len(in_band),
                "found": hit,
            }
        )

    reported: dict[tuple[int, int], float] = {}
    for a in sample:
        ra = int(rep[a])
        partners = set(members[ra]) | {m for r in links.get(ra, ()) for m in members[r]}
        for b in partners - {a}:
            pair = (min(a, b), max(a, b))
            if pair not in reported:
                reported[pair] = index.jaccard(a, b)
    correct = sum(j >= THRESHOLD for j in reported.values())
    near_miss = sum(0.7 <= j < THRESHOLD for j in reported.values())
    return {
        "sample": len(sample),
        "sampled_with_a_true_pair": len({a for pair in true_pairs for a in pair if a in sampled}),
        "true_pairs": len(true_pairs),
        "found_pairs": found_pairs,
        "recall": found_pairs / len(true_pairs) if true_pairs else 1.0,
        "found_same_cluster": found_clusters,
        "recall_cluster": found_clusters / len(true_pairs) if true_pairs else 1.0,
        "recall_by_jaccard": by_band,
        "reported_pairs": len(reported),
        "reported_correct": correct,
        "reported_0_7_to_0_8": near_miss,
        "precision": correct / len(reported) if reported else 1.0,
    }


# -- the two scrapes ----------------------------------------------------------------------------------------


def scrape_overlap(
    main: Sequence[Story], other: Sequence[Story], found: reference.NearDuplicates, clusters: dict[int, int]
) -> dict[str, Any]:
    """Stories of each scrape with a near copy in the other, directly (copy or verified pair) or through their
    cluster, from `cluster` over both at once (main first); beside the date + title match of SOURCE.md."""
    n, total = len(main), len(main) + len(other)
    rep = found.representative
    links = linked(found)
    groups: dict[int, list[int]] = {}
    for i, r in enumerate(rep.tolist()):
        groups.setdefault(r, []).append(i)

    def direct_partners(i: int) -> set[int]:
        r = int(rep[i])
        return set(groups[r]) | {m for q in links.get(r, ()) for m in groups[q]}

    by_cluster: dict[int, list[int]] = {}
    for i, c in clusters.items():
        by_cluster.setdefault(c, []).append(i)
    other_direct = sum(any(p < n for p in direct_partners(i)) for i in range(n, total))
    other_cluster = sum(any(p < n for p in by_cluster[clusters[i]]) for i in range(n, total))
    main_years = [i for i in range(n) if main[i].date[:4] in ("2011", "2012")]
    main_direct = sum(any(p >= n for p in direct_partners(i)) for i in main_years)

    titled = {(s.date, s.title.strip().lower()) for s in main}
    title_match = [i for i, s in enumerate(other) if (s.date, s.title.strip().lower()) in titled]
    title_match_near = sum(any(p < n for p in direct_partners(n + i)) for i in title_match)
    return {
        "scrape_stories": len(other),
        "scrape_with_near_copy_in_main": other_direct,
        "scrape_in_cluster_with_main": other_cluster,
        "main_2011_2012_stories": len(main_years),
        "main_2011_2012_with_near_copy_in_scrape": main_direct,
        "scrape_date_title_matches": len(title_match),
        "of_those_near_copies": title_match_near,
    }


# -- main ---------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, help="stories per corpus (default: all)")
    parser.add_argument("--sample", type=int, default=2000, help="texts sampled for recall/precision (2000)")
    parser.add_argument("--incremental", type=int, default=20_000, help="stories fed to DuplicateIndex (20000)")
    parser.add_argument("--seed", type=int, default=20260101, help="seed of the sample")
    parser.add_argument(
        "--no-exhaustive", action="store_true", help="skip exact Jaccard of every story against all (about 2 min)"
    )
    parser.add_argument("--out", type=Path, help="write every number to this JSON file")
    return parser.parse_args(argv)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def measure(args: argparse.Namespace) -> dict[str, Any]:
    start = time.perf_counter()
    stories = read_stories(sorted(CORPUS.glob("*.jsonl.gz")), args.limit)
    texts = [s.body for s in stories]
    scrape_files = [SCRAPE / "kcna_co_jp_2011.jsonl.gz", SCRAPE / "kcna_co_jp_2012.jsonl.gz"]
    other = read_stories(scrape_files, args.limit) if all(p.is_file() for p in scrape_files) else []
    say(
        f"input: {len(texts):,} stories from {CORPUS.name} ({dict(Counter(s.lang for s in stories))}), "
        f"{len(other):,} from {SCRAPE.name}; {time.perf_counter() - start:.1f} s, not timed below"
    )

    reference.find_near_duplicates(enumerate(texts[:10_000]))  # warm-up: tables and power arrays, not timed
    say(f"propscope cluster over {CORPUS.name}, run 1 ...")
    found, clusters, first_seconds = run_propscope(texts)
    say(f"  {len(texts) / first_seconds:,.0f} docs/s ({first_seconds:.1f} s)")
    say("anchor: datasketch MinHashLSH ...")
    anchor = run_datasketch(texts)
    say(
        f"  {anchor['docs_per_s']:,.0f} docs/s ({anchor['seconds']:.1f} s; MinHash + LSH alone "
        f"{anchor['minhash_lsh_docs_per_s']:,.0f} docs/s), bands x rows {anchor['bands_rows']}"
    )
    say("propscope cluster, run 2 ...")
    _, _, second_seconds = run_propscope(texts)
    say(f"  {len(texts) / second_seconds:,.0f} docs/s ({second_seconds:.1f} s)")
    ours_rate = len(texts) / max(first_seconds, second_seconds)
    incremental = run_incremental(texts[: args.incremental], one_by_one=args.incremental // 4)
    say(
        f"propscope DuplicateIndex.add_many, first {incremental['docs']:,} stories: "
        f"{incremental['docs_per_s']:,.0f} docs/s (add, one at a time: {incremental['one_by_one_docs_per_s']:,.0f}); "
        f"same clusters as cluster(): {incremental['same_clusters_as_batch']}"
    )

    # Quality on both scrapes together: within one scrape near copies are rare (a sample of 2,000 would hold
    # a dozen), across the two they are common, and clustering both is the use the issue names.
    both = [*stories, *other]
    say(f"propscope cluster over both scrapes, {len(both):,} stories ...")
    found_both, clusters_both, both_seconds = run_propscope([s.body for s in both])
    say(f"  {len(both) / both_seconds:,.0f} docs/s ({both_seconds:.1f} s)")
    say(f"ground truth: exact Jaccard of {args.sample:,} sampled stories against all {len(both):,} ...")
    start = time.perf_counter()
    index = ShingleIndex([s.body for s in both])
    rng = np.random.default_rng(args.seed)
    sample = sorted(rng.choice(len(both), size=min(args.sample, len(both)), replace=False).tolist())
    quality = ground_truth(index, found_both, clusters_both, sample)
    say(f"  {time.perf_counter() - start:.1f} s")
    exhaustive: dict[str, Any] = {"skipped": "--no-exhaustive"}
    if not args.no_exhaustive:
        # The sample's true pairs are nearly all exact copies; every story against all gives the rarer pairs
        # near the threshold too, which is where a MinHash estimate can miss.
        say(f"ground truth: exact Jaccard of every story against all {len(both):,} ...")
        start = time.perf_counter()
        exhaustive = ground_truth(index, found_both, clusters_both, range(len(both)))
        say(f"  {time.perf_counter() - start:.1f} s")

    return {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__},
        "args": {"limit": args.limit, "sample": args.sample, "seed": args.seed},
        "docs": len(texts),
        "langs": dict(Counter(s.lang for s in stories)),
        "anchor_datasketch": anchor,
        "propscope": {
            "seconds_run_1": first_seconds,
            "seconds_run_2": second_seconds,
            "docs_per_s": ours_rate,
            "bands_rows": [duplicates.BANDS, duplicates.ROWS],
            "exact_copies": int((found.representative != np.arange(len(texts))).sum()),
            "candidate_pairs": found.candidates,
            "verified_pairs": len(found.pairs),
            "clusters": cluster_summary(clusters),
        },
        "incremental": incremental,
        "ratio": ours_rate / anchor["docs_per_s"],
        "ratio_vs_minhash_lsh_alone": ours_rate / anchor["minhash_lsh_docs_per_s"],
        "both_scrapes": {
            "docs": len(both),
            "seconds": both_seconds,
            "docs_per_s": len(both) / both_seconds,
            "candidate_pairs": found_both.candidates,
            "verified_pairs": len(found_both.pairs),
            "clusters": cluster_summary(clusters_both),
            **(scrape_overlap(stories, other, found_both, clusters_both) if other else {}),
        },
        "quality": quality,
        "quality_exhaustive": exhaustive,
    }


def summary_rows(result: dict[str, Any]) -> list[tuple[str, str]]:
    anchor, ours, both, quality = (
        result["anchor_datasketch"],
        result["propscope"],
        result["both_scrapes"],
        result["quality"],
    )
    clusters = ours["clusters"]
    langs = ", ".join(f"{k} {v:,}" for k, v in result["langs"].items())
    rows = [
        ("stories (kcna-co-jp-1997-2018)", f"{result['docs']:,} ({langs}; {result['machine']['cpus']} CPUs)"),
        (
            "anchor: datasketch MinHashLSH",
            f"{anchor['docs_per_s']:,.0f} docs/s ({anchor['seconds']:.1f} s; without shingling "
            f"{anchor['minhash_lsh_docs_per_s']:,.0f} docs/s)",
        ),
        (
            "propscope cluster",
            f"{ours['docs_per_s']:,.0f} docs/s "
            f"(slower of {ours['seconds_run_1']:.1f} s / {ours['seconds_run_2']:.1f} s)",
        ),
        (
            "propscope / datasketch",
            f"{result['ratio']:.2f}x (vs its MinHash + LSH alone: {result['ratio_vs_minhash_lsh_alone']:.2f}x)",
        ),
        (f"target >= {RATIO_TARGET:.1f}x", verdict(result["ratio_vs_minhash_lsh_alone"] >= RATIO_TARGET)),
        (
            "propscope DuplicateIndex",
            f"add_many {result['incremental']['docs_per_s']:,.0f} docs/s ({result['incremental']['docs']:,}), "
            f"add {result['incremental']['one_by_one_docs_per_s']:,.0f} docs/s "
            f"({result['incremental']['one_by_one_docs']:,}); same clusters as cluster(): "
            f"{result['incremental']['same_clusters_as_batch']}",
        ),
        (
            "clusters",
            f"{clusters['clusters']:,} for {clusters['articles']:,} stories; {clusters['clusters_with_copies']:,} "
            f"with copies ({clusters['articles_in_those']:,} stories), largest {clusters['largest']}; "
            f"{ours['exact_copies']:,} exact copies, {ours['candidate_pairs']:,} candidate pairs, "
            f"{ours['verified_pairs']:,} verified",
        ),
        ("both scrapes: propscope cluster", f"{both['docs_per_s']:,.0f} docs/s ({both['docs']:,} stories)"),
        (
            "both scrapes: clusters",
            f"{both['clusters']['clusters']:,}; {both['clusters']['clusters_with_copies']:,} with copies "
            f"({both['clusters']['articles_in_those']:,} stories), largest {both['clusters']['largest']}",
        ),
        (
            "sample / true pairs (J >= 0.8)",
            f"{quality['sample']:,} stories of both scrapes / {quality['true_pairs']:,} pairs "
            f"({quality['sampled_with_a_true_pair']:,} sampled stories have one)",
        ),
        ("recall, pairs", f"{quality['recall']:.4f} ({quality['found_pairs']:,}/{quality['true_pairs']:,})"),
        ("recall, same cluster", f"{quality['recall_cluster']:.4f}"),
        (
            "recall by exact J",
            ", ".join(f"{b['jaccard']} {b['found']}/{b['pairs']}" for b in quality["recall_by_jaccard"]),
        ),
        (f"target recall >= {RECALL_TARGET}", verdict(quality["recall"] >= RECALL_TARGET)),
        (
            "precision, pairs",
            f"{quality['precision']:.4f} ({quality['reported_correct']:,}/{quality['reported_pairs']:,}; "
            f"{quality['reported_0_7_to_0_8']} of the rest have J in [0.7, 0.8))",
        ),
    ]
    every = result["quality_exhaustive"]
    if "recall" in every:
        rows += [
            (
                "every story: true pairs / recall",
                f"{every['true_pairs']:,} pairs; recall {every['recall']:.4f} "
                f"({every['found_pairs']:,}), same cluster {every['recall_cluster']:.4f}",
            ),
            (
                "every story: recall by exact J",
                ", ".join(f"{b['jaccard']} {b['found']}/{b['pairs']}" for b in every["recall_by_jaccard"]),
            ),
            (
                "every story: precision",
                f"{every['precision']:.4f} ({every['reported_correct']:,}/{every['reported_pairs']:,}; "
                f"{every['reported_0_7_to_0_8']} of the rest have J in [0.7, 0.8))",
            ),
        ]
    if "scrape_stories" in both:
        rows += [
            (
                "2011-2012 scrape: near copy in 1997-2018",
                f"{both['scrape_with_near_copy_in_main']:,} of {both['scrape_stories']:,} "
                f"({both['scrape_in_cluster_with_main']:,} sharing a cluster)",
            ),
            (
                "1997-2018, 2011-12: near copy in the scrape",
                f"{both['main_2011_2012_with_near_copy_in_scrape']:,} of {both['main_2011_2012_stories']:,}",
            ),
            (
                "date + title matches (SOURCE.md: 17,876)",
                f"{both['scrape_date_title_matches']:,}; near copies among them {both['of_those_near_copies']:,}",
            ),
        ]
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not CORPUS.is_dir():
        say(f"skipped: {CORPUS} is absent (the shared corpora live in ../shared next to the repository)")
        return 0
    try:
        import datasketch  # noqa: F401
    except ImportError:
        say("skipped: datasketch is not installed (.venv/bin/pip install datasketch), so there is no anchor")
        return 0
    result = measure(args)
    rows = summary_rows(result)
    width = max(len(name) for name, _ in rows)
    say("")
    say("=" * (width + 60))
    for name, value in rows:
        say(f"{name:<{width}}  {value}")
    say("=" * (width + 60))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        say(f"numbers written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
