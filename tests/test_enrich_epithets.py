"""Epithets: the lexicon's forms found as spans with their targets; hostility per country from them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propscope.enrich import Pipeline
from propscope.enrich.epithets import load_lexicon
from propscope.enrich.hostility import hostility_by_country
from propscope.errors import InputError
from propscope.model import Article, RawRecord, Technique


def analyze(body: str, title: str = "Title") -> Article:
    text = f"{title}\n\n{body}"
    return Pipeline()(RawRecord(origin="t", kind="text", text=text, raw=text.encode()))


def test_forms_and_their_targets() -> None:
    article = analyze(
        "Pyongyang, May 3 (KCNA) -- The U.S. imperialists and the Japanese reactionaries are hell-bent on "
        "aggression. The south Korean military warmongers and the puppet traitors followed them. "
        "The great prosperous powerful socialist nation will win. Long live the Party!"
    )
    found = [(e.text, e.target_country, e.kind) for e in article.epithets]
    assert found == [
        ("U.S. imperialists", "US", "hostile"),
        ("Japanese reactionaries", "JP", "hostile"),
        ("south Korean military warmongers", "KR", "hostile"),
        ("puppet traitors", "KR", "hostile"),
        ("great prosperous powerful socialist nation", "KP", "praise"),
        ("Long live", None, "slogan"),
    ]
    assert all(article.text[e.start : e.end] == e.text for e in article.epithets)


def test_all_capitals_and_no_match_inside_words() -> None:
    article = analyze("PYONGYANG, MARCH 4 (KCNA) -- THE JAPANESE REACTIONARIES ARE IMPERIALISTIC. Puppetry is art.")
    assert [(e.text, e.target_country) for e in article.epithets] == [("JAPANESE REACTIONARIES", "JP")]


def test_hostility_is_weight_per_sentence_naming_the_country() -> None:
    article = analyze(
        "Pyongyang, May 3 (KCNA) -- The Japanese reactionaries lie. Japan held an election. "
        "The U.S. imperialists and their stooges threaten peace."
    )
    # JP: one hostile form over two sentences naming Japan; US: two forms ("stooges" aimed by nothing: the
    # nearest name is too far) over one sentence.
    assert article.hostility["JP"] == pytest.approx(0.5)
    assert article.hostility["US"] == pytest.approx(1.0)
    assert "KP" not in article.hostility


def test_technique_spans_add_to_the_country_of_their_sentence() -> None:
    article = analyze("Pyongyang, May 3 (KCNA) -- Japan is a rogue state. Japan held an election.")
    before = dict(article.hostility)
    start = article.text.index("rogue state")
    article.techniques = [Technique(start, start + len("rogue state"), "Name_Calling,Labeling", 0.8)]
    after = hostility_by_country(article, load_lexicon())
    assert before.get("JP", 0.0) == 0.0 and after["JP"] == pytest.approx(0.4)


def test_user_lexicon_extends_the_shipped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine.json"
    mine.write_text(
        json.dumps(
            {
                "version": "mine-1",
                "entries": [{"forms": ["Ruritanian bandits"], "kind": "hostile", "target": "US", "weight": 2}],
            }
        ),
        encoding="utf-8",
    )
    lexicon = load_lexicon(str(mine))
    assert lexicon.version.endswith("+mine-1") and "ruritanian bandits" in lexicon.forms
    assert "imperialists" in lexicon.forms
    mine.write_text(json.dumps({"entries": [{"forms": ["x"], "kind": "rude"}]}), encoding="utf-8")
    load_lexicon.cache_clear()
    with pytest.raises(InputError, match="kind 'rude'"):
        load_lexicon(str(mine))
    load_lexicon.cache_clear()
