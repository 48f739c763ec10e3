"""Draw the leadership set (docs/labeling.md, "The leadership set"): dispatches that name a leader, in strata.

    python -m tests.devset.sample_leader            # writes tests/devset/leader_sample.jsonl (ids and split)
    python -m tests.devset.sample_leader --dump DIR  # also writes the texts, in batches, for labelling
    python -m tests.devset.sample_leader --wave 2 --dump DIR  # a second draw, train only (leader_sample_2.jsonl)

The cues below only choose what to read; the labels come from reading each text in full. The held-out third
is chosen here, at random within each stratum and period, before any label exists, so no choice made while
labelling or building can lean on it. Only ids, checksums, strata and splits are kept in the repository.

A later wave adds training dispatches only, as the stance set's does: the held-out part stays the first wave's
and no text of the first wave is drawn again. Train scored 0.99-1.00 while the held-out third scored 0.79-0.89:
the rules had learnt the first wave's 220 training texts, not the genre, so the second wave weighs the strata
where appearances are (negatives only enough to keep the mix).
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from tests.devset.sample_stance import CORPORA, MAX_CHARS, cue, dump, pools, stratified

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "leader_sample.jsonl"
SEED = 1601
MIN_CHARS = 150  # a short "Kim Jong Il inspected ..." note is a real dispatch

PERIODS = {"1997-2003": range(1997, 2004), "2004-2011": range(2004, 2012), "2012-2018": range(2012, 2019)}
PERIOD_SHARE = {"1997-2003": 0.25, "2004-2011": 0.25, "2012-2018": 0.3, "2024": 0.2}
STRATA = {  # stratum: dispatches drawn
    "economy": 45,
    "military": 45,
    "culture": 35,
    "politics": 40,
    "diplomacy": 35,
    "accompanied": 40,
    "negative": 60,
    "random": 30,
}
STRATA_LATER = {
    "economy": 40,
    "military": 35,
    "culture": 30,
    "politics": 35,
    "diplomacy": 25,
    "accompanied": 35,
    "negative": 20,
    "random": 20,
}

# The third wave: after the second, held-out recall was 0.91 but precision 0.84 (appearances reported that the
# labels do not hold), so it weighs the dispatches that name a leader without his being there.
STRATA_THIRD = {
    "economy": 30,
    "military": 30,
    "culture": 20,
    "politics": 30,
    "diplomacy": 20,
    "accompanied": 30,
    "negative": 40,
    "random": 40,
}

# The fourth wave: a learned layer (tests/devset/train_appearances.py) gained 0.05 in cross-validation over
# waves 2 and 3 yet not on the held-out third; fresh dispatches that neither the rules nor the layer have seen
# decide between them before joining train. Weighed as the third, with more of the strata where he appears.
STRATA_FOURTH = {
    "economy": 25,
    "military": 25,
    "culture": 20,
    "politics": 20,
    "diplomacy": 15,
    "accompanied": 20,
    "negative": 15,
    "random": 20,
}

LEADER = re.compile(r"Kim Jong (?:Il|Un)\b")
ACT = (
    r"(?:inspect|field guidance|on-the-spot guidance|visited|toured|went round|watched|enjoyed|attended|"
    r"received|met with|had a talk|photo session|guided|oversaw|paid (?:a )?tribute|cut the tape)"
)
SITES = {
    "economy": r"(?:factory|complex|mine|farm|construction|power station|plant|shop|store|hospital|school|"
    r"university|institute|works|greenhouse|restaurant|camp|orphanage|housing)",
    "military": r"(?:KPA Unit|unit of the Korean People's Army|military|army|drill|exercise|test-fire|launch|"
    r"missile|rocket|artillery|air force|navy|defence detachment|front-line|post)",
    "culture": r"(?:performance|concert|art troupe|ensemble|film|opera|play|game|match|exhibition|museum|"
    r"circus|gymnastic)",
    "politics": r"(?:meeting|plenary|congress|conference|session|Kumsusan|cemetery|ceremony|election|"
    r"parade|rally|commemorat|funeral|bier)",
    "diplomacy": r"(?:delegation|President|Prime Minister|Premier|ambassador|foreign|talks|summit|banquet|"
    r"visit to (?:China|Russia)|Chinese|Russian)",
}
ACCOMPANIED = (
    r"(?:accompanied by|greeted (?:him )?(?:on the spot )?by|welcomed (?:there )?by|present there|"
    r"accompanying him)"
)
NEGATIVE = (
    r"(?:sent (?:a |his )?(?:message|letter|greetings|reply|gift|floral basket|wreath|congratulatory)|"
    r"floral basket|wreath|gift to|works of|published|praise|Kimjongilia|message of greetings)"
)

CUES = {kind: cue(ACT, sites, 250) for kind, sites in SITES.items()}
CUES["accompanied"] = cue(ACCOMPANIED)
CUES["negative"] = cue(NEGATIVE)
CUES["random"] = lambda r: True


def readable(r: dict) -> bool:
    """English, short enough to read in full, and a leader named in the title or the opening."""
    body = r.get("body") or ""
    if r.get("lang") != "en" or not MIN_CHARS <= len(body) <= MAX_CHARS:
        return False
    return bool(LEADER.search(r.get("title") or "") or LEADER.search(body[:400]))


def draw(corpora: Path = CORPORA, wave: int = 1) -> list[dict]:
    """The leadership set's strata, drawn as the stance set's are (sample_stance.stratified)."""
    by_period = pools(corpora, PERIODS, readable)
    if wave == 1:
        return stratified(by_period, STRATA, PERIOD_SHARE, CUES, str(SEED))
    earlier = [SAMPLE, *(SAMPLE.with_name(f"leader_sample_{w}.jsonl") for w in range(2, wave))]
    taken = {
        json.loads(line)["content_sha1"] for path in earlier for line in path.read_text(encoding="utf-8").splitlines()
    }
    strata = {2: STRATA_LATER, 3: STRATA_THIRD}.get(wave, STRATA_FOURTH)
    return stratified(by_period, strata, PERIOD_SHARE, CUES, f"{SEED}-w{wave}", taken, wave)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="also write the texts for labelling under this folder")
    parser.add_argument("--batches", type=int, default=4)
    parser.add_argument("--wave", type=int, default=1, help="1: the set with its held-out part; 2+: train only")
    args = parser.parse_args(argv)
    sample = draw(wave=args.wave)
    out = SAMPLE if args.wave == 1 else SAMPLE.with_name(f"leader_sample_{args.wave}.jsonl")
    out.write_text("".join(json.dumps(s) + "\n" for s in sample), encoding="utf-8")
    print(f"{len(sample)} dispatches -> {out}")
    print(Counter((s["stratum"], s["split"]) for s in sample))
    print(Counter(s["period"] for s in sample))
    if args.dump:
        dump(sample, args.dump, args.batches)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
