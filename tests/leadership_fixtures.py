"""KCNA-style dispatches written for the leadership store's tests, with their appearances and official lists
labelled by hand (helper A's enrich step fills them for real): a farm, a drill and a residential district
visited by Kim Jong Un in 2014 with a 42-day gap before the last, a theatre visit in the same dispatch as the
district, a Kim Jong Il inspection and football game in 2008 (50 days apart), a session "present" list (a
protocol list, no appearance), a message sent in his name (no appearance), and a 2013 dispatch whose second
version drops Jang Song Thaek from the list. `hand_labels` is the enrich step that lays the labels on a
parsed article: each name the text holds is kept, in the label's order, with its offsets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from propscope.enrich import REGISTRY, StepSpec
from propscope.model import Appearance, Article, OfficialMention

Person = tuple[str, str, str | None]  # (canonical, as written, title written beside it)


@dataclass(frozen=True)
class Seen:
    """An appearance as labelled: the sentence that reports it and who was with him."""

    leader: str
    kind: str
    place: str | None
    event_date: str | None
    sentence: str  # where the text reports it: its offsets are the appearance's
    accompanied: tuple[Person, ...] = ()
    greeted: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Labels:
    appearances: tuple[Seen, ...] = ()
    protocol: tuple[tuple[str, tuple[Person, ...]], ...] = ()  # (list, people) with no appearance


CHOE = ("Choe Ryong Hae", "Choe Ryong Hae", "secretary of the WPK Central Committee")
HWANG = ("Hwang Pyong So", "Hwang Pyong So", "first vice department director of the WPK Central Committee")
HWANG_GPB = ("Hwang Pyong So", "Hwang Pyong So", "director of the General Political Bureau of the KPA")
KIM_YO_JONG = ("Kim Yo Jong", "Kim Yo Jong", None)
KIM_YO_JONG_HYPHEN = ("Kim Yo Jong", "Kim Yo-jong", None)
JANG = ("Jang Song Thaek", "Jang Song Thaek", "vice-chairman of the National Defence Commission")
JANG_PLAIN = ("Jang Song Thaek", "Jang Song Thaek", None)
HYON = ("Hyon Chol Hae", "Hyon Chol Hae", "general of the KPA")
RI_MYONG_SU = ("Ri Myong Su", "Ri Myong Su", None)
RI_SOL_JU = ("Ri Sol Ju", "Ri Sol Ju", None)
PAK = ("Pak Pong Ju", "Pak Pong Ju", "premier of the Cabinet")
MANAGER = ("Ri Chol Man", "Ri Chol Man", "manager of the farm")


def _record(record_id: str, date: str, title: str, body: str) -> dict[str, Any]:
    return {"id": record_id, "source": "test", "date": date, "title": title, "body": body}


FARM = _record(
    "farm",
    "2014-08-20",
    "Kim Jong Un Gives Field Guidance to Sukchon Farm",
    "Pyongyang, August 20 (KCNA) -- Kim Jong Un gave field guidance to the Sukchon Farm recently. He was "
    "accompanied by Choe Ryong Hae, secretary of the WPK Central Committee, Hwang Pyong So, first vice "
    "department director of the WPK Central Committee, and Kim Yo Jong. He was greeted on the spot by Ri Chol "
    "Man, manager of the farm.",
)
DRILL = _record(
    "drill",
    "2014-09-03",
    "Kim Jong Un Watches Firing Drill",
    "Pyongyang, September 3 (KCNA) -- Kim Jong Un watched a firing drill of KPA Unit 1017 yesterday. He was "
    "accompanied by Hwang Pyong So, director of the General Political Bureau of the KPA, and Choe Ryong Hae.",
)
SESSION = _record(
    "session",
    "2014-09-25",
    "Session of Supreme People's Assembly Held",
    "Pyongyang, September 25 (KCNA) -- The second session of the 13th Supreme People's Assembly was held in "
    "Pyongyang. Present there were Hwang Pyong So, Choe Ryong Hae and Pak Pong Ju, premier of the Cabinet.",
)
MESSAGE = _record(
    "message",
    "2014-09-10",
    "Kim Jong Un Sends Message to Lao Leader",
    "Pyongyang, September 10 (KCNA) -- Kim Jong Un sent a message of greeting to the Lao President. Choe Ryong "
    "Hae conveyed it.",
)
DISTRICT = _record(
    "district",
    "2014-10-14",
    "Kim Jong Un Visits Wisong Scientists Residential District",
    "Pyongyang, October 14 (KCNA) -- Kim Jong Un visited the newly built Wisong Scientists Residential District "
    "today. He was accompanied by Hwang Pyong So, Choe Ryong Hae and Kim Yo-jong. He then watched a performance "
    "at the Moranbong Theatre together with his wife Ri Sol Ju.",
)
INSPECTION = _record(
    "inspection",
    "2008-08-14",
    "Kim Jong Il Inspects KPA Unit",
    "Pyongyang, August 14 (KCNA) -- Kim Jong Il inspected KPA Unit 1234 recently. He was accompanied by Jang "
    "Song Thaek, vice-chairman of the National Defence Commission, Hyon Chol Hae, general of the KPA, and Ri "
    "Myong Su.",
)
FOOTBALL = _record(
    "football",
    "2008-10-04",
    "Kim Jong Il Watches Football Game",
    "Pyongyang, October 4 (KCNA) -- Kim Jong Il watched a football game at the May Day Stadium on October 3. "
    "He was accompanied by Jang Song Thaek and Hyon Chol Hae.",
)
MACHINE = _record(
    "machine",
    "2012-05-01",
    "Kim Jong Un Visits Machine Plant",
    "Pyongyang, May 1 (KCNA) -- Kim Jong Un visited the Taean Heavy Machine Complex recently. He was "
    "accompanied by Jang Song Thaek and Choe Ryong Hae.",
)
MUSHROOM = _record(
    "mushroom",
    "2013-11-20",
    "Kim Jong Un Visits Mushroom Farm",
    "Pyongyang, November 20 (KCNA) -- Kim Jong Un visited a mushroom farm of the KPA recently. He was "
    "accompanied by Jang Song Thaek, Choe Ryong Hae and Hwang Pyong So.",
)
MUSHROOM_EDITED = {
    **MUSHROOM,
    "body": "Pyongyang, November 20 (KCNA) -- Kim Jong Un visited a mushroom farm of the KPA recently. He was "
    "accompanied by Choe Ryong Hae and Hwang Pyong So.",
}

# A report no label covers, whose second version drops two names the registry knows from other dispatches:
# one spelled as a list spelled it ("Kim Yo-jong"), one seen only greeting the leader (Ri Chol Man).
REPORT = _record(
    "report",
    "2014-10-20",
    "Farmers Hold Meeting",
    "Pyongyang, October 20 (KCNA) -- A meeting of farmers was held at the Sukchon Farm. Speakers included Ri Chol "
    "Man and Choe Ryong Hae. Kim Yo-jong sent a letter to the meeting.",
)
REPORT_EDITED = {
    **REPORT,
    "body": "Pyongyang, October 20 (KCNA) -- A meeting of farmers was held at the Sukchon Farm. Speakers included "
    "Choe Ryong Hae.",
}

LABELS: dict[str, Labels] = {
    "farm": Labels(
        (
            Seen(
                "Kim Jong Un",
                "economy",
                "Sukchon Farm",
                None,
                "Kim Jong Un gave field guidance to the Sukchon Farm recently.",
                (CHOE, HWANG, KIM_YO_JONG),
                (MANAGER,),
            ),
        )
    ),
    "drill": Labels(
        (
            Seen(
                "Kim Jong Un",
                "military",
                "KPA Unit 1017",
                "2014-09-02",
                "Kim Jong Un watched a firing drill of KPA Unit 1017 yesterday.",
                (HWANG_GPB, CHOE),
            ),
        )
    ),
    "session": Labels(
        protocol=(
            ("present", (("Hwang Pyong So", "Hwang Pyong So", None), ("Choe Ryong Hae", "Choe Ryong Hae", None), PAK)),
        )
    ),
    "district": Labels(
        (
            Seen(
                "Kim Jong Un",
                "economy",
                "Wisong Scientists Residential District",
                "2014-10-14",
                "Kim Jong Un visited the newly built Wisong Scientists Residential District today.",
                (
                    ("Hwang Pyong So", "Hwang Pyong So", None),
                    ("Choe Ryong Hae", "Choe Ryong Hae", None),
                    KIM_YO_JONG_HYPHEN,
                ),
            ),
            Seen(
                "Kim Jong Un",
                "culture",
                "Moranbong Theatre",
                "2014-10-14",
                "He then watched a performance at the Moranbong Theatre together with his wife Ri Sol Ju.",
                (RI_SOL_JU,),
            ),
        )
    ),
    "inspection": Labels(
        (
            Seen(
                "Kim Jong Il",
                "military",
                "KPA Unit 1234",
                None,
                "Kim Jong Il inspected KPA Unit 1234 recently.",
                (JANG, HYON, RI_MYONG_SU),
            ),
        )
    ),
    "football": Labels(
        (
            Seen(
                "Kim Jong Il",
                "culture",
                "May Day Stadium",
                "2008-10-03",
                "Kim Jong Il watched a football game at the May Day Stadium on October 3.",
                (JANG_PLAIN, ("Hyon Chol Hae", "Hyon Chol Hae", None)),
            ),
        )
    ),
    "machine": Labels(
        (
            Seen(
                "Kim Jong Un",
                "economy",
                "Taean Heavy Machine Complex",
                None,
                "Kim Jong Un visited the Taean Heavy Machine Complex recently.",
                (JANG_PLAIN, ("Choe Ryong Hae", "Choe Ryong Hae", None)),
            ),
        )
    ),
    "mushroom": Labels(
        (
            Seen(
                "Kim Jong Un",
                "military",
                "mushroom farm of the KPA",
                None,
                "Kim Jong Un visited a mushroom farm of the KPA recently.",
                (JANG_PLAIN, ("Choe Ryong Hae", "Choe Ryong Hae", None), ("Hwang Pyong So", "Hwang Pyong So", None)),
            ),
        )
    ),
}
# A dispatch after his last appearance of the fixtures (2014-10-14) that reports none: the archive's latest date,
# which makes the 48 days since an ongoing absence.
LATER_MESSAGE = _record(
    "later-message",
    "2014-12-01",
    "Kim Jong Un Sends Message to Lao Leader",
    "Pyongyang, December 1 (KCNA) -- Kim Jong Un sent a message of greeting to the Lao President.",
)
DISPATCHES = [FARM, DRILL, SESSION, MESSAGE, DISTRICT, INSPECTION, FOOTBALL, MACHINE, MUSHROOM]
STEP = "hand_leadership"


def _present(text: str, people: tuple[Person, ...]) -> list[tuple[str, str, str | None, int]]:
    """The people the text names (each where it first writes the name), in the label's order."""
    found = []
    for canonical, written, title in people:
        at = text.find(written)
        if at >= 0:
            found.append((canonical, written, title, at))
    return found


def hand_labels(article: Article) -> Article:
    """Lays LABELS on the parsed article: what helper A's step will find in the text."""
    labels = LABELS.get(article.record_id or "")
    if labels is None:
        return article
    text = article.text
    appearances: list[Appearance] = []
    officials: list[OfficialMention] = []

    def listed(people: list[tuple[str, str, str | None, int]], kind: str, index: int) -> None:
        for position, (canonical, written, title, at) in enumerate(people, 1):
            officials.append(
                OfficialMention(canonical, title, kind, position, len(people), index, at, at + len(written))
            )

    for seen in labels.appearances:
        start = text.find(seen.sentence)
        assert start >= 0, seen.sentence
        accompanied, greeted = _present(text, seen.accompanied), _present(text, seen.greeted)
        index = len(appearances)
        appearances.append(
            Appearance(
                seen.leader,
                seen.kind,
                seen.place,
                seen.event_date,
                tuple(p[0] for p in accompanied),
                tuple(p[0] for p in greeted),
                start,
                start + len(seen.sentence),
            )
        )
        listed(accompanied, "accompanied", index)
        listed(greeted, "greeted", index)
    for kind, people in labels.protocol:
        listed(_present(text, people), kind, -1)
    article.appearances = appearances
    article.officials = officials
    return article


@dataclass
class _Step:
    name: str = STEP

    def __call__(self, article: Article) -> Article:
        return hand_labels(article)


SPEC = StepSpec(STEP, lambda settings: _Step(), assigns=("appearances", "officials"))


def register(monkeypatch: Any) -> tuple[str, ...]:
    """Registers the hand-label step for one test; returns the steps to ingest with."""
    monkeypatch.setitem(REGISTRY, STEP, SPEC)
    return ("entities", STEP)


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


__all__ = [
    "DISPATCHES",
    "LATER_MESSAGE",
    "LABELS",
    "MUSHROOM_EDITED",
    "REPORT",
    "REPORT_EDITED",
    "STEP",
    "hand_labels",
    "register",
    "write_jsonl",
]
