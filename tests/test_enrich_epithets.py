"""Epithets: the lexicon's forms found as spans with their targets (tests/test_enrich_stance.py weighs them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propscope.enrich import Pipeline
from propscope.enrich.epithets import load_lexicon
from propscope.errors import InputError
from propscope.model import Article, RawRecord


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
