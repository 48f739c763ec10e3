"""`propscope export` (propscope/cli/export.py): the format follows --out, and the files are the Archive's."""

from __future__ import annotations

import json
from pathlib import Path

from propscope.archive import Archive

from .cli_runner import run
from .conftest import EXAMPLES


def test_export_writes_what_the_archive_exports(tmp_path: Path) -> None:
    db = str(tmp_path / "a.sqlite")
    assert run("ingest", str(EXAMPLES), "--db", db, "--quiet")[0] == 0
    for name in ("all.csv", "all.jsonl"):
        code, _, err = run("export", "--db", db, "--out", str(tmp_path / name))
        assert code == 0 and "8 articles written" in err
    with Archive(db, readonly=True) as archive:
        archive.export(tmp_path / "lib.csv", "csv")
    assert (tmp_path / "all.csv").read_bytes() == (tmp_path / "lib.csv").read_bytes()
    rows = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 8 and all("raw" in row for row in rows)
    code, _, err = run("export", "--db", db, "--format", "xlsx")
    assert code == 2 and "'xlsx' is not one of" in err
