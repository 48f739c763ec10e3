"""Batch re-analysis: Parquet in, parsed Parquet out; the Spark engine gives the local engine's rows."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from propscope.batch import OUTPUT, run_local
from propscope.cli import app

runner = CliRunner()


def write_input(path: Path, count: int = 12) -> Path:
    rows = [
        {
            "id": f"k{i}",
            "source": "kcna",
            "date": f"2017-0{1 + i % 9}-1{i % 10}",
            "title": f"Report {i}",
            "body": f"Pyongyang, March {1 + i % 28} (KCNA) -- The Japanese reactionaries were denounced by the "
            f"Socialist Party of Benin in statement {i}.",
            "lang": "en",
        }
        for i in range(count)
    ]
    rows.append({"id": "empty", "source": "kcna", "title": "", "body": "", "lang": "en"})
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def test_local_engine_parses_every_row_and_keeps_errors(tmp_path: Path) -> None:
    source = write_input(tmp_path / "in.parquet")
    assert run_local(source, tmp_path / "out.parquet") == 13
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.column_names == list(OUTPUT)
    rows = {r["record_id"]: r for r in table.to_pylist()}
    assert rows["k3"]["countries"] == ["BJ", "JP"] and json.loads(rows["k3"]["hostility"]) == {"JP": 1.0}
    assert rows["k3"]["foreign_support"] is False or rows["k3"]["support_events"].startswith("[")
    assert rows["empty"]["error"] == "record has neither title nor body"


def test_an_export_round_trips_through_import(tmp_path: Path) -> None:
    records = tmp_path / "r.jsonl"
    records.write_text(
        "".join(
            json.dumps({"id": f"r{i}", "source": "t", "title": f"T{i}", "body": f"Body {i}."}) + "\n" for i in range(5)
        )
    )
    db, copy = str(tmp_path / "a.sqlite"), str(tmp_path / "b.sqlite")
    assert runner.invoke(app, ["ingest", str(records), "--db", db, "-q"]).exit_code == 0
    out = tmp_path / "e.parquet"
    assert runner.invoke(app, ["export", "--db", db, "--out", str(out)]).exit_code == 0
    assert pq.read_table(out).num_rows == 5
    result = runner.invoke(app, ["import", str(out), "--db", copy])
    assert result.exit_code == 0 and "added 5" in result.stderr
    result = runner.invoke(app, ["import", str(out), "--db", copy])
    assert "added 0, unchanged 5" in result.stderr  # same raw inputs: nothing new
    jsonl = tmp_path / "e.jsonl"
    assert runner.invoke(app, ["export", "--db", db, "--out", str(jsonl)]).exit_code == 0
    assert json.loads(jsonl.read_text().splitlines()[0])["id"] == "r0"


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java")
def test_spark_engine_equals_the_local_engine(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    pytest.importorskip("pandas")
    source = write_input(tmp_path / "in.parquet")
    run_local(source, tmp_path / "local.parquet")
    result = runner.invoke(
        app,
        ["batch", "--engine", "spark", "--master", "local[2]", "--input", str(source), "--output", str(tmp_path / "s")],
    )
    assert result.exit_code == 0, result.stderr
    spark_rows = sorted(pq.read_table(tmp_path / "s").to_pylist(), key=lambda r: r["record_id"])
    local_rows = sorted(pq.read_table(tmp_path / "local.parquet").to_pylist(), key=lambda r: r["record_id"])
    assert spark_rows == local_rows


def test_batch_output_carries_the_appearances_and_officials_layers(tmp_path: Path) -> None:
    body = (
        "Pyongyang, March 10 (KCNA) -- Kim Jong Un inspected the Sinpho Sea Products Station. "
        "He was accompanied by Choe Ryong Hae and Hwang Pyong So."
    )
    rows = [{"id": "visit", "source": "kcna", "title": "Kim Jong Un Inspects Station", "body": body, "lang": "en",
             "date": "2016-03-10"}]  # fmt: skip
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet")
    assert run_local(tmp_path / "in.parquet", tmp_path / "out.parquet") == 1
    (row,) = pq.read_table(tmp_path / "out.parquet").to_pylist()
    (appearance,) = json.loads(row["appearances"])
    assert appearance["accompanied_by"] == ["Choe Ryong Hae", "Hwang Pyong So"]
    assert [o["name"] for o in json.loads(row["officials"])] == ["Choe Ryong Hae", "Hwang Pyong So"]
