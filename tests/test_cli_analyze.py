"""Commands that count over the archive (propscope/cli/analyze.py), and search's rhetoric filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .cli_runner import run


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
    assert code == 0 and out.splitlines()[1] == "2017,6,3,0.5"
    svg = tmp_path / "t.svg"
    code, _, _ = run("trend", "--country", "JP", "--db", db, "--out", str(svg))
    assert code == 0 and "<svg" in svg.read_text(encoding="utf-8")
    code, _, err = run("trend", "--metric", "technique:Doubt", "--db", db)
    assert code == 2 and "--steps +techniques" in err
    code, _, err = run("trend", "--metric", "hostility", "--db", db)
    assert code == 2 and "needs --country" in err
