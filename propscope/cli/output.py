"""How commands print: results on standard output (a table, JSON Lines, CSV or JSON), everything else (progress,
summaries, errors) on standard error, so a pipe receives only the data."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from propscope.choices import TableFormat
from propscope.search import split_marked

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def emit(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], format: TableFormat, title: str) -> None:
    """Rows as a table, JSON Lines or CSV: the one way list commands print."""
    rows = list(rows)
    if format == TableFormat.JSONL:
        write_jsonl({c: row.get(c) for c in columns} for row in rows)
        return
    if format == TableFormat.CSV:
        write_csv(rows, columns)
        return
    table = Table(title=f"{len(rows):,} {title}")
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right" if column in ("events", "articles") else "left")
    for row in rows:
        table.add_row(*(Text("" if row.get(c) is None else str(row.get(c))) for c in columns))
    out.print(table)


def write_jsonl(objects: Iterable[Mapping[str, Any]]) -> None:
    for obj in objects:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def write_json(obj: Mapping[str, Any]) -> None:
    """One object, indented for a reader (show, history, reuse)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> None:
    writer = csv.writer(sys.stdout)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])


def bar(value: float, peak: float, *, least: int = 1) -> str:
    """A bar of up to 30 blocks, for counts printed beside their value."""
    return "█" * max(least, round(30 * value / (peak or 1)))


def rich_snippet(snippet: str) -> Text:
    """The store marks matches with [[ ]]: highlighted pieces of a Text, never parsed as markup."""
    text = Text()
    for piece, is_match in split_marked(snippet):
        text.append(piece, style="bold reverse" if is_match else "")
    return text
