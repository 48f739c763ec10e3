"""Small KCNA-style dispatches, written for the tests of roles, stance and the counts behind each period: a
foreign party's greetings and statement (an organ and its party: one body), Chongryon's meeting (a
compatriot), an adversary beside support words (never a supporter), a DPRK message to a foreign leader (its
recipient is no supporter), and dull reports that fill a year past the sparse mark."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ORGAN = {
    "id": "cpc-organ",
    "source": "test",
    "date": "2015-10-10",
    "title": "Greetings to Kim Jong Un from Communist Party of China",
    "body": "Pyongyang, October 10 (KCNA) -- The Central Committee of the Communist Party of China sent greetings "
    "to Kim Jong Un on the 70th founding anniversary of the Workers' Party of Korea, expressing support for the "
    "Korean people's cause.",
}
PARTY = {
    "id": "cpc-party",
    "source": "test",
    "date": "2016-10-12",
    "title": "CPC Supports DPRK",
    "body": "Pyongyang, October 12 (KCNA) -- The Communist Party of China issued a statement supporting the "
    "DPRK's line of independence.",
}
CHONGRYON = {
    "id": "chongryon",
    "source": "test",
    "date": "2016-04-14",
    "title": "Chongryon Meeting",
    "body": "Pyongyang, April 14 (KCNA) -- A meeting of Chongryon was held in Tokyo on April 13 in support of the "
    "DPRK's line of independence, praising Kim Jong Un.",
}
ADVERSARY = {
    "id": "park-group",
    "source": "test",
    "date": "2016-03-02",
    "title": "Park Group Denounced",
    "body": "Pyongyang, March 2 (KCNA) -- The Park Geun Hye group's support for the U.S. hostile policy is a "
    "criminal act of treachery, Rodong Sinmun said. The U.S. imperialists are the sworn enemy.",
}
MESSAGE = {
    "id": "message-cuba",
    "source": "test",
    "date": "2016-07-26",
    "title": "Message to Cuban Leader",
    "body": "Pyongyang, July 26 (KCNA) -- Kim Jong Un sent a message of greeting to Raul Castro Ruz, first "
    "secretary of the Central Committee of the Communist Party of Cuba, expressing support for the Cuban people.",
}
DISPATCHES = [ORGAN, PARTY, CHONGRYON, ADVERSARY, MESSAGE]
NOT_SUPPORTERS = ("Park", "U.S.", "Raul Castro", "Cuba")  # no listed actor's name or variant holds these

_PLACES = ("Sukchon County", "Kangso District", "Hamhung", "Sinuiju", "Wonsan", "Kaesong", "Nampho", "Chongjin")
_WORKS = ("rice transplanting", "a power station", "a fish farm", "a bridge", "a school", "an orchard")


def filler(year: int, count: int) -> list[dict[str, Any]]:
    """`count` distinct dull reports dated in `year`: articles to lift a year past the sparse mark (30)."""
    return [
        {
            "id": f"filler-{year}-{i}",
            "source": "test",
            "date": f"{year}-{1 + i % 12:02d}-{1 + i % 27:02d}",
            "title": f"Report {i} from {_PLACES[i % len(_PLACES)]}",
            "body": f"Pyongyang, May {1 + i % 27} (KCNA) -- Workers of {_PLACES[i % len(_PLACES)]} finished "
            f"{_WORKS[i % len(_WORKS)]} number {i} ahead of schedule, after {i + 3} days of work by brigade {i * 7}.",
        }
        for i in range(count)
    ]


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
