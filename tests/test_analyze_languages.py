"""English and Spanish versions of a dispatch linked by names, countries and numbers."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from propscope.analyze.languages import LinkDoc, features, link, link_by_windows
from propscope.cli import app

runner = CliRunner()
PAIRS = [
    (
        "en",
        "2010-04-15",
        "Cuban Military Delegation Arrives",
        "Pyongyang, April 15 (KCNA) -- A military delegation of Cuba led by Alvaro Lopez Miera arrived here "
        "on Thursday to attend the 98th birth anniversary of Kim Il Sung. It was met by Kim Jong Gak.",
    ),
    (
        "es",
        "2010-04-15",
        "Llega delegacion militar de Cuba",
        "Pyongyang, 15 de abril (ATCC) -- Llego el jueves una delegacion militar de Cuba encabezada por Alvaro "
        "Lopez Miera para el 98o aniversario del natalicio de Kim Il Sung. La recibio Kim Jong Gak.",
    ),
    (
        "en",
        "2010-04-15",
        "Rice Transplanting Starts",
        "Pyongyang, April 15 (KCNA) -- Farmers of Sukchon County started transplanting 1,200 hectares of rice.",
    ),
    (
        "es",
        "2010-04-16",
        "Exposicion de orquideas",
        "Pyongyang, 16 de abril (ATCC) -- Se inauguro una exposicion de orquideas de Laos en Mansudae.",
    ),
]


def test_the_translation_is_linked_and_the_rest_are_not() -> None:
    docs = [LinkDoc(i, date, lang, features(body, [])) for i, (lang, date, _, body) in enumerate(PAIRS)]
    (found,) = link(docs)
    assert (found.es_id, found.en_id) == (1, 0) and found.score >= 0.2
    assert [(x.es_id, x.en_id) for x in link_by_windows(docs)] == [(1, 0)]


def test_numbers_and_names_are_the_features() -> None:
    found = features("Kim Il Sung met 1,200 delegates on the 98th day.", [("person", "Kim Il Sung")])
    assert {"person:kim il sung", "n:1200", "n:98", "w:sung"} <= found


def test_ingest_links_them_and_show_lists_them(tmp_path: Path) -> None:
    db = str(tmp_path / "l.sqlite")
    lines = [
        json.dumps({"id": f"r{i}", "source": "kcna", "lang": lang, "date": date, "title": title, "body": body})
        for i, (lang, date, title, body) in enumerate(PAIRS)
    ]
    (tmp_path / "l.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(tmp_path / "l.jsonl"), "--db", db, "-q"]).exit_code == 0
    shown = json.loads(runner.invoke(app, ["show", "2", "--db", db, "--format", "json"]).stdout)
    assert [(t["id"], t["lang"]) for t in shown["translations"]] == [(1, "en")]
    shown = json.loads(runner.invoke(app, ["show", "1", "--db", db, "--format", "json"]).stdout)
    assert [t["id"] for t in shown["translations"]] == [2]
    shown = json.loads(runner.invoke(app, ["show", "3", "--db", db, "--format", "json"]).stdout)
    assert shown["translations"] == []
