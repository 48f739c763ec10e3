"""Entities: gazetteer names normalised, people found by pattern, countries by the rules of docs/labeling.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propscope.enrich import Pipeline
from propscope.gazetteer import load_gazetteer
from propscope.model import Article, RawRecord
from propscope.settings import Settings


def analyze(text: str, title: str = "Title") -> Article:
    full = f"{title}\n\n{text}"
    return Pipeline()(RawRecord(origin="t", kind="jsonl", text=full, raw=full.encode(), title_end=len(title)))


def test_offsets_slice_the_input() -> None:
    article = analyze("Pyongyang, May 3 (KCNA) -- The respected Marshal Kim Jong Un met Vladimir Putin in Moscow.")
    for entity in article.entities:
        assert article.text[entity.start : entity.end]
    names = {(article.text[e.start : e.end], e.type, e.canonical) for e in article.entities}
    assert ("Kim Jong Un", "person", "Kim Jong Un") in names
    assert ("Moscow", "place", "Moscow") in names
    assert "Kim Jong Un" in article.persons


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("Japanese reactionaries and south Korean puppets were denounced.", ["JP", "KR"]),
        ("The Korean people and the U.S. imperialists.", ["KP", "US"]),
        ("Peace on the Korean Peninsula.", []),
        ("A seminar was held in Mexico City.", ["MX"]),
        ("The Korea-Mexico Friendship Association met.", ["KP", "MX"]),
        ("Let us go forward: US troops out.", ["US"]),
        ("Let us go forward.", []),
        ("He ate turkey in China.", ["CN"]),
    ],
)
def test_countries(text: str, countries: list[str]) -> None:
    assert analyze(text).countries == countries


def test_the_dateline_agency_is_not_a_country() -> None:
    assert analyze("Tokyo, May 3 (KCNA) -- Rain fell.").countries == []


def test_all_capitals_wire_copy() -> None:
    article = analyze("PYONGYANG, JANUARY 7 (KCNA) -- KIM YONG NAM MET THE DELEGATION OF JAPAN. LET US GO.", "T")
    assert article.countries == ["JP"]
    assert "Kim Yong Nam" in article.persons


def test_people_by_pattern_and_titles_dropped() -> None:
    article = analyze(
        "Pyongyang, May 3 (KCNA) -- Nur Hassan Wirayuda, foreign minister of Indonesia, met Ri Su Bok and "
        "Kil Yong Jo. Kim Il Sung University hosted them. The Bush administration and President Bush were "
        "denounced. Ri Yong Ho sent a congratulatory message to Jacek Czaputowicz upon his appointment."
    )
    persons = set(article.persons)
    assert {"Nur Hassan Wirayuda", "Ri Su Bok", "Kil Yong Jo", "Jacek Czaputowicz"} <= persons
    assert "Kim Il Sung" not in persons  # only inside the university's name
    assert any(p.endswith("Bush") for p in persons)


def test_korean_hyphenated_names_are_split() -> None:
    assert "Kim Jong Un" in analyze("Kim Jong-un visited a farm.").persons


def test_names_glued_by_markup_loss() -> None:
    article = analyze("Pyongyang, May 3 (KCNA) -- The respected ComradeKim Jong Unwas present at the ceremony.")
    assert article.persons == ["Kim Jong Un"]


def test_user_gazetteer_extends_the_shipped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine.json"
    mine.write_text(
        json.dumps(
            {
                "version": "mine-1",
                "persons": [{"canonical": "Zorg Quillibrand", "aliases": ["Z. Quillibrand"], "country": "FR"}],
                "places": [{"canonical": "Zorgville", "aliases": ["Zorgstadt"], "country": "FR"}],
            }
        ),
        encoding="utf-8",
    )
    gazetteer = load_gazetteer(str(mine))
    assert gazetteer.version.endswith("+mine-1") and load_gazetteer(str(mine)) is gazetteer  # cached by file
    assert any(n.canonical == "Zorg Quillibrand" for n in gazetteer.names)
    assert any(n.canonical == "Kim Jong Un" for n in gazetteer.names)
    text = "Greetings\n\nZorgstadt, May 3 (KCNA) -- Z. Quillibrand sent greetings to Kim Jong Un."
    record = RawRecord(origin="t", kind="text", text=text, raw=b"")
    article = Pipeline(("entities",), Settings(gazetteer_file=str(mine)))(record)
    assert "Zorg Quillibrand" in article.persons
    assert article.dateline is not None and article.dateline.place == "Zorgville"
    monkeypatch.setenv("PROPSCOPE_GAZETTEER", str(mine))  # read once at the edge (Settings), never down here
    assert "Zorg Quillibrand" not in Pipeline(("entities",))(record).persons


def test_a_gazetteer_without_people_works() -> None:
    from propscope.enrich.entities import EntityStep
    from propscope.gazetteer import Gazetteer, Name

    step = EntityStep(Gazetteer("t", (Name("Japan", "country", "JP", ("Japan",)),)))
    text = "T\n\nThe Bush administration and Japan."
    article = Pipeline(())(RawRecord(origin="t", kind="text", text=text, raw=b""))
    assert step(article).countries == ["JP"]


def test_organisations_not_in_the_gazetteer_are_found_by_name_shape() -> None:
    article = analyze(
        "Officials of the Lake District Bus Drivers Union met members of the Nicaraguan Group for the Study of the "
        "Juche Idea. El Comite Central del Partido del Trabajo de Ruritania envio una carta."
    )
    found = {e.canonical: e for e in article.entities if e.type == "organization" and e.source == "pattern"}
    assert set(found) >= {
        "Lake District Bus Drivers Union",
        "Nicaraguan Group for the Study of the Juche Idea",
        "Comite Central del Partido del Trabajo de Ruritania",
    }
    assert found["Nicaraguan Group for the Study of the Juche Idea"].country == "NI"
    assert all(0 < e.confidence < 1 and article.text[e.start : e.end] == e.canonical for e in found.values())
    assert "Officials" not in " ".join(found)
