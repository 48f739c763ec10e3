"""How commands print: results on standard output (a table, JSON Lines, CSV or JSON), everything else (progress,
summaries, errors) on standard error, so a pipe receives only the data."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from propscope.characters import visible
from propscope.choices import TableFormat
from propscope.search import split_marked


class _Visible(RenderHook):
    """Every renderable a console prints passes here: control characters in the archive's text (an ANSI
    escape in a title, put there by whoever wrote the input) are printed as their pictures, so that nothing
    read from an input can recolour, retitle or clear the terminal. The console's own codes pass unchanged."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_VisibleRenderable(renderable) for renderable in renderables]


class _VisibleRenderable:
    def __init__(self, renderable: ConsoleRenderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            shown = segment.text if segment.control else visible(segment.text)
            yield segment if shown is segment.text else Segment(shown, segment.style)


def _console(**options: Any) -> Console:
    console = Console(highlight=False, soft_wrap=True, **options)
    console.push_render_hook(_Visible())
    return console


out = _console()
err = _console(stderr=True)
_ESCAPED = re.compile("[\x7f-\x9f]")  # json.dumps escapes C0 itself; DEL and C1 (U+009B is an escape) it leaves


def json_text(obj: Any, indent: int | None = None) -> str:
    """JSON with no control character raw in it (escaped as \\u00XX: the same JSON, safe on a terminal)."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    return _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _ESCAPED.search(text) else text


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
        sys.stdout.write(json_text(obj) + "\n")


def write_json(obj: Mapping[str, Any]) -> None:
    """One object, indented for a reader (show, history, reuse)."""
    sys.stdout.write(json_text(obj, indent=2) + "\n")


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """CSV is the data as stored, control characters too, for a file or a pipe; on a terminal they show as
    their pictures."""
    writer = csv.writer(sys.stdout)
    shown = visible if sys.stdout.isatty() else str
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else shown(str(row.get(c))) for c in columns])


def bar(value: float, peak: float, *, least: int = 1) -> str:
    """A bar of up to 30 blocks, for counts printed beside their value."""
    return "█" * max(least, round(30 * value / (peak or 1)))


def rich_snippet(snippet: str) -> Text:
    """The store marks matches with [[ ]]: highlighted pieces of a Text, never parsed as markup."""
    text = Text()
    for piece, is_match in split_marked(snippet):
        text.append(piece, style="bold reverse" if is_match else "")
    return text


class RateColumn(ProgressColumn):
    """Items a second: rich's estimate over the last samples while it runs (the average until it has two),
    the average over the whole run once it is done; "…" before anything is done."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        average = task.completed / elapsed if elapsed and task.completed else None
        speed = average if task.finished else task.speed or average
        return Text("…" if speed is None else f"{speed:,.0f} {self.unit}/s", style="progress.data.speed")


def progress_bar(what: str, unit: str, *, quiet: bool = False, detail: bool = False) -> Progress:
    """The progress of a long command on standard error: what it does, a bar, done of the total, the share
    done, the rate, the time left (ETA) and the time taken; `detail` adds a field (the file being read).
    With `quiet` nothing is drawn. A task whose total is not known yet shows a pulsing bar and counts."""
    columns: list[ProgressColumn | str] = [
        SpinnerColumn(),
        TextColumn(f"[bold]{what}"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        RateColumn(unit),
        TextColumn("eta"),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
    ]
    if detail:
        columns.append(TextColumn("{task.fields[detail]}"))
    return Progress(*columns, console=err, disable=quiet, transient=False)
