"""Commands that count over the archive (propscope/cli/analyze.py), and search's rhetoric filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .cli_runner import run
from .stance_fixtures import DISPATCHES, NOT_SUPPORTERS, filler, write_jsonl


@pytest.mark.engines
def test_who_and_where_commands(db: str, tmp_path: Path) -> None:
    records = [
        {
            "id": f"s{i}",
            "source": "test",
            "date": f"{2014 + i % 3}-0{1 + i % 9}-10",
            "title": f"Support {i}",
            "body": f"Pyongyang, May {1 + i} (KCNA) -- The Socialist Party of Benin issued a statement supporting the "
            f"DPRK. Kim Yong Nam met the Communist Party of Cuba delegation{' and Raul Castro Ruz' * (i % 2)}.",
        }
        for i in range(6)
    ]
    (tmp_path / "s.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert run("ingest", str(tmp_path / "s.jsonl"), "--db", db, "--quiet")[0] == 0

    code, out, _ = run("actors", "--db", db, "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows[0]["actor"] == "Socialist Party of Benin" and rows[0]["events"] == 6
    assert rows[0]["country"] == "BJ" and rows[0]["first_seen"] <= rows[0]["last_seen"]
    code, out, _ = run("actors", "--db", db, "--country", "CU", "--format", "csv")
    assert code == 0 and "Benin" not in out

    code, out, _ = run("cooccur", "Kim Yong Nam", "--db", db, "--format", "jsonl", "--by", "all")
    names = {json.loads(line)["canonical"] for line in out.splitlines()}
    assert code == 0 and {"Communist Party of Cuba", "Raul Castro Ruz"} <= names
    code, _, err = run("cooccur", "Nobody At All", "--db", db)
    assert code == 1 and "not mentioned" in err

    graph = tmp_path / "g.graphml"
    code, _, _ = run("network", "--db", db, "--out", str(graph), "--min-weight", "1")
    text = graph.read_text(encoding="utf-8")
    assert code == 0 and "<graphml" in text and "Kim Yong Nam" in text and "<edge " in text
    code, out, _ = run("network", "--db", db, "--format", "csv", "--min-weight", "3")
    assert code == 0 and out.splitlines()[0] == "source,source_type,target,target_type,weight"
    assert any("Kim Yong Nam" in line and line.endswith(",6") for line in out.splitlines())

    png = tmp_path / "support.png"
    code, _, _ = run("chart", "support", "--db", db, "--out", str(png))
    assert code == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, _, err = run("chart", "support", "--db", db, "--out", str(tmp_path / "x.gif"))
    assert code == 1 and ".png or .svg" in err


@pytest.mark.engines
def test_rhetoric_search_filters_and_trend(db: str, tmp_path: Path) -> None:
    hostile = "The Japanese reactionaries and the U.S. imperialists are warmongers. Japan must apologise."
    calm = "A Japanese delegation visited a farm. Japan and the DPRK held talks."
    records = [
        {
            "id": f"r{i}",
            "source": "test",
            "date": f"2017-0{1 + i % 3}-1{i}",
            "title": f"Report {i}",
            "body": f"Pyongyang, {('January', 'February', 'March')[i % 3]} 1{i} (KCNA) -- {hostile if i % 2 else calm}",
        }
        for i in range(6)
    ]
    (tmp_path / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert run("ingest", str(tmp_path / "r.jsonl"), "--db", db, "--quiet")[0] == 0

    code, out, _ = run("search", "--target", "JP", "--db", db, "--format", "jsonl", "--all-copies")
    assert code == 0 and sorted(json.loads(line)["title"] for line in out.splitlines()) == [
        "Report 1",
        "Report 3",
        "Report 5",
    ]
    code, _, err = run("search", "--technique", "Name_Calling,Labeling", "--db", db)
    assert code == 0  # a known name holding a comma is one technique; no spans stored means no hits
    code, _, err = run("search", "--technique", "Shouting", "--db", db)
    assert code == 2 and "unknown technique 'Shouting'" in err

    code, out, _ = run("trend", "--country", "JP", "--by", "month", "--db", db, "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["period"] for r in rows] == ["2017-01", "2017-02", "2017-03"]
    assert all(r["articles"] == 2 and r["counted"] == 1 and r["hostility"] > 0 for r in rows)
    code, out, _ = run("trend", "--metric", "mentions", "--country", "US", "--by", "year", "--db", db, "-f", "csv")
    assert code == 0 and out.splitlines()[1] == "2017,6,3,0.5,True"  # six articles: sparse
    svg = tmp_path / "t.svg"
    code, _, _ = run("trend", "--country", "JP", "--db", db, "--out", str(svg))
    assert code == 0 and "<svg" in svg.read_text(encoding="utf-8")
    code, _, err = run("trend", "--metric", "technique:Doubt", "--db", db)
    assert code == 2 and "--steps +techniques" in err
    code, _, err = run("trend", "--metric", "hostility", "--db", db)
    assert code == 2 and "needs --country" in err


@pytest.mark.engines
def test_actors_and_the_support_chart_take_a_role(db: str, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [*DISPATCHES, *filler(2016, 26)])
    assert run("ingest", str(path), "--db", db, "--quiet")[0] == 0

    code, out, _ = run("actors", "--db", db, "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(r["actor"], r["role"], r["events"]) for r in rows] == [
        ("Communist Party of China", "foreign", 2)
    ]
    assert "Central Committee of the Communist Party of China" in rows[0]["variants"]
    code, out, _ = run("actors", "--db", db, "--role", "compatriot", "--format", "csv")
    assert code == 0 and "Chongryon" in out and "Communist Party of China" not in out
    code, out, _ = run("actors", "--db", db, "--role", "all", "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {r["role"] for r in rows} == {"foreign", "compatriot"} and len(rows) == 2
    assert not [word for word in NOT_SUPPORTERS if word in out]
    code, out, _ = run("actors", "--db", db, "--role", "all")
    assert code == 0 and "2 actors claimed" in out and "role" in out  # the table names each row's role
    code, _, err = run("actors", "--db", db, "--role", "adversary")
    assert code == 2 and "'adversary' is not one of" in err

    chart = tmp_path / "support.svg"
    code, _, err = run("chart", "support", "--db", db, "--out", str(chart))
    drawn = chart.read_text(encoding="utf-8")
    assert code == 0 and "1 with fewer than 30 articles" in err
    assert "n=1" in drawn and "n=30" in drawn and "fewer than 30 articles" in drawn and "Foreign support" in drawn
    code, _, err = run("chart", "support", "--db", db, "--role", "compatriot", "--out", str(chart))
    assert code == 0 and "compatriot support events" in err and "Compatriots" in chart.read_text(encoding="utf-8")


@pytest.mark.engines
def test_trend_marks_periods_with_few_articles(db: str, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [*DISPATCHES, *filler(2016, 26)])
    assert run("ingest", str(path), "--db", db, "--quiet")[0] == 0
    code, out, _ = run("trend", "--metric", "mentions", "--country", "CN", "--by", "year", "--db", db)
    lines = out.splitlines()
    sparse = next(line for line in lines if "2015" in line)
    dense = next(line for line in lines if "2016" in line)
    assert code == 0 and "*" in sparse and "*" not in dense
    assert "* fewer than 30 articles" in out
    code, out, _ = run("trend", "--metric", "mentions", "--country", "CN", "--by", "year", "--db", db, "-f", "jsonl")
    assert [(r["period"], r["sparse"]) for r in map(json.loads, out.splitlines())] == [("2015", True), ("2016", False)]
    chart = tmp_path / "t.svg"
    code, _, _ = run("trend", "--metric", "mentions", "--country", "CN", "--by", "year", "--db", db, "-o", str(chart))
    assert code == 0 and "fewer than 30 articles" in chart.read_text(encoding="utf-8")


@pytest.mark.engines
def test_search_by_stance_and_show_prints_it(db: str, tmp_path: Path) -> None:
    assert run("ingest", str(write_jsonl(tmp_path / "d.jsonl", DISPATCHES)), "--db", db, "--quiet")[0] == 0
    code, out, _ = run("search", "--stance", "hostile", "--toward", "US", "--db", db, "--format", "jsonl")
    (hit,) = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and hit["title"] == "Park Group Denounced"
    code, out, _ = run("search", "--stance", "friendly", "--toward", "cn,cu", "--db", db, "-f", "jsonl")
    assert code == 0 and out == ""  # friendly toward both: none is
    for args, message in (
        (["--stance", "hostile"], "stance hostile needs toward"),
        (["--toward", "US"], "toward US needs stance"),
    ):
        code, _, err = run("search", *args, "--db", db)
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1

    code, out, _ = run("show", str(hit["id"]), "--db", db)
    fields = " ".join(out.split())  # the field table wraps its values at the runner's 80 columns
    assert code == 0 and "US hostile (epithets: U.S. imperialists" in fields and "KR hostile" in fields
    assert "US hostile (epithet @" in out  # each piece of evidence, with its offsets
