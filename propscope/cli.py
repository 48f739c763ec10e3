"""The `propscope` command: parses options, calls the library, turns domain errors into one clear line.

Exit codes: 0 done; 1 error (one line on stderr, no traceback); 2 bad usage; 3 done, but some input items
were quarantined (`propscope quarantine` lists them).
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from propscope import __version__
from propscope.errors import PropscopeError
from propscope.model import GENRES, IngestResult, Quarantined, SearchFilters
from propscope.search import split_marked

app = typer.Typer(
    help="Parse, store and search state-media dispatches (KCNA, Rodong Sinmun, ...).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_ERROR = 1
EXIT_QUARANTINED = 3
QUARANTINE_LINES_SHOWN = 50

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Archive: a SQLite file (default ./propscope.sqlite, or $PROPSCOPE_DB), or postgresql://user@host/db.",
        show_default=False,
    ),
]
SinceOption = Annotated[str | None, typer.Option(help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option(help="Up to this date, inclusive.")]
TableFormat = Annotated[str, typer.Option("--format", "-f", help="table, jsonl or csv.")]
F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Every domain error becomes one line on stderr and exit code 1; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PropscopeError as exc:
            err.print(f"[red]error:[/] {escape(str(exc))}")
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            err.print("[yellow]interrupted[/]: what was written so far is kept; run the command again to finish")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            err.print(f"[red]error:[/] {escape(where + (exc.strerror or str(exc)))}")
            raise typer.Exit(EXIT_ERROR) from None
        except (typer.Exit, typer.Abort, typer.exceptions.TyperException):
            raise
        except Exception as exc:  # a bug: still one line for the user, the traceback on request
            if os.environ.get("PROPSCOPE_DEBUG"):
                raise
            err.print(
                f"[red]internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))}"
                " (run again with PROPSCOPE_DEBUG=1 for the traceback, and please report it)"
            )
            raise typer.Exit(EXIT_ERROR) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        out.print(f"propscope {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """propscope: read state media like an analyst."""


StepsOption = Annotated[
    str | None,
    typer.Option(
        "--steps",
        help="Enrich steps, comma-separated: entities, support, techniques, epithets. Default for ingest and"
        " reparse: entities, support, epithets ('+techniques' adds the propaganda-technique spans, ten times"
        " slower); parse runs all four.",
        show_default=False,
    ),
]


def _split(values: list[str] | None) -> tuple[str, ...]:
    """--country US,JP and --country US --country JP mean the same."""
    return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())


# -- ingest -------------------------------------------------------------------------------------------------


@app.command()
@friendly_errors
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: .txt, .html, .jsonl, .jsonl.gz.", show_default=False)
    ],
    db: DbOption = None,
    workers: Annotated[int | None, typer.Option(help="Parser processes (default: one per core).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    steps: StepsOption = None,
    listing: Annotated[
        str | None,
        typer.Option(
            help="The inputs are this listing's whole current contents (a feed, an index, a dump): articles it"
            " held before and lacks now are marked deleted.",
            show_default=False,
        ),
    ] = None,
    allow_mass_deletion: Annotated[
        bool, typer.Option(help="Mark deletions even when over half of the listing's earlier articles are gone.")
    ] = False,
) -> None:
    """Read dispatches, parse them and store them. Running it twice on the same input stores nothing new."""
    from propscope.archive import Archive
    from propscope.enrich import resolve_steps

    wanted = resolve_steps(steps)

    shown = 0

    def report(item: Quarantined) -> None:
        nonlocal shown
        shown += 1
        if shown <= QUARANTINE_LINES_SHOWN:
            where = item.origin + (f" [{item.record_id}]" if item.record_id else "")
            err.print(f"[yellow]quarantined[/] {escape(where)}: {escape(item.reason)}")
        elif shown == QUARANTINE_LINES_SHOWN + 1:
            err.print("[yellow]... more quarantined items: 'propscope quarantine' lists them all[/]")

    started = time.perf_counter()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]ingest"),
        BarColumn(bar_width=None),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>8} articles/s"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[origin]}"),
        console=err,
        disable=quiet,
        transient=False,
    )
    with Archive(db) as archive, progress:
        task = progress.add_task("ingest", total=None, rate="", origin="")

        def on_progress(p: Any) -> None:
            elapsed = max(time.perf_counter() - started, 1e-6)
            origin = Path(p.origin).name if p.origin else ""
            progress.update(task, completed=p.read, rate=f"{p.read / elapsed:,.0f}", origin=escape(origin[-40:]))

        result = archive.ingest(
            paths,
            workers=workers,
            on_progress=on_progress,
            on_quarantine=report,
            steps=wanted,
            listing=listing,
            allow_mass_deletion=allow_mass_deletion,
        )
    _report_ingest(result, time.perf_counter() - started, listing)


def _report_ingest(result: IngestResult, elapsed: float | None = None, listing: str | None = None) -> None:
    """The one-line summary of an ingest or import; exit code 3 when something was quarantined."""
    err.print(
        f"added {result.added:,}, unchanged {result.unchanged:,}, new versions {result.new_versions:,}, "
        f"quarantined {result.quarantined:,}"
        + (f" in {elapsed:.1f} s" if elapsed is not None else "")
        + (f"; listing {listing}: deleted {result.deleted:,}, restored {result.restored:,}" if listing else "")
    )
    if result.quarantined:
        raise typer.Exit(EXIT_QUARANTINED)


@app.command()
@friendly_errors
def reparse(
    db: DbOption = None,
    all_articles: Annotated[
        bool, typer.Option("--all", help="Every article, not only those of older parsers.")
    ] = False,
    steps: StepsOption = None,
) -> None:
    """Parse stored articles again from their raw inputs (after an upgrade, or to add a step such as
    techniques), in place: no new versions."""
    from propscope.archive import Archive
    from propscope.enrich import resolve_steps

    wanted = resolve_steps(steps)

    progress = Progress(
        SpinnerColumn(), TextColumn("[bold]reparse"), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    )
    with Archive(db) as archive, progress:
        task = progress.add_task("reparse", total=None)
        done = archive.reparse(lambda n: progress.update(task, completed=n), everything=all_articles, steps=wanted)
    err.print(f"reparsed {done:,} articles")


# -- parse --------------------------------------------------------------------------------------------------


@app.command()
@friendly_errors
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to parse.", show_default=False)],
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, or pretty (indented JSON).")] = "jsonl",
    text: Annotated[bool, typer.Option("--text", help="Include the input text the offsets refer to.")] = False,
    steps: StepsOption = None,
) -> None:
    """Parse and print one JSON object per article; stores nothing."""
    from propscope.enrich import PARSE_STEPS, Pipeline, resolve_steps
    from propscope.ingest import read_inputs

    if format not in ("jsonl", "pretty"):
        raise PropscopeError(f"unknown --format {format!r}: use jsonl or pretty")
    quarantined = 0
    pipeline = Pipeline(resolve_steps(steps, PARSE_STEPS))
    for item in read_inputs(paths):
        result = item if isinstance(item, Quarantined) else pipeline.safely(item)
        if isinstance(result, Quarantined):
            quarantined += 1
            where = result.origin + (f" [{result.record_id}]" if result.record_id else "")
            err.print(f"[yellow]skipped[/] {escape(where)}: {escape(result.reason)}")
            continue
        indent = 2 if format == "pretty" else None
        sys.stdout.write(json.dumps(result.to_dict(include_text=text), ensure_ascii=False, indent=indent) + "\n")
    if quarantined:
        raise typer.Exit(EXIT_QUARANTINED)


# -- search, show, stats ------------------------------------------------------------------------------------


@app.command()
@friendly_errors
def search(
    query: Annotated[
        str | None, typer.Argument(help='Words, "a phrase", AND/OR/NOT, prefix*.', show_default=False)
    ] = None,
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    genre: Annotated[
        list[str] | None, typer.Option(help=f"One of {', '.join(GENRES)}; repeat or comma-separate.")
    ] = None,
    country: Annotated[list[str] | None, typer.Option(help="ISO code the article refers to (US, JP, KR...).")] = None,
    outlet: Annotated[list[str] | None, typer.Option(help='Relayed outlet ("Rodong Sinmun").')] = None,
    person: Annotated[list[str] | None, typer.Option(help='Person mentioned ("Kim Jong Un").')] = None,
    technique: Annotated[
        list[str] | None,
        typer.Option(help="Propaganda technique used (Name_Calling,Labeling; Loaded_Language; ...); all must occur."),
    ] = None,
    target: Annotated[
        list[str] | None, typer.Option(help="ISO code of a country the article is hostile toward.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000, help="Hits to show.")] = 20,
    sort: Annotated[str, typer.Option(help="relevance or date.")] = "relevance",
    all_copies: Annotated[
        bool, typer.Option("--all-copies", help="Every copy of a story as its own hit (default: one per story).")
    ] = False,
    format: TableFormat = "table",
) -> None:
    """Search the archive; each hit shows date, title and the match in context (copies of a story folded)."""
    from propscope.archive import Archive
    from propscope.search import technique_names

    genres = _split(genre)
    for value in genres:
        if value not in GENRES:
            raise PropscopeError(f"unknown --genre {value!r}: use one of {', '.join(GENRES)}")
    if sort not in ("relevance", "date"):
        raise PropscopeError(f"unknown --sort {sort!r}: use relevance or date")
    if format not in ("table", "jsonl", "csv"):
        raise PropscopeError(f"unknown --format {format!r}: use table, jsonl or csv")
    if query is None and sort == "relevance":
        sort = "date"
    filters = SearchFilters(
        since=_date_bound(since, "--since"),
        until=_date_bound(until, "--until"),
        genres=genres,
        countries=tuple(c.upper() for c in _split(country)),
        outlets=_split(outlet),
        persons=_split(person),
        techniques=technique_names(",".join(technique or [])),
        targets=tuple(c.upper() for c in _split(target)),
    )
    with Archive(db, readonly=True) as archive:
        hits = archive.search(query, filters, limit=limit, sort=sort, collapse=not all_copies)
        total = archive.count(query, filters, collapse=not all_copies) if format == "table" else len(hits)
    if format == "jsonl":
        for hit in hits:
            sys.stdout.write(
                json.dumps(
                    {
                        "id": hit.id,
                        "date": hit.date,
                        "title": hit.title,
                        "genre": hit.genre,
                        "source": hit.source,
                        "snippet": _plain(hit.snippet),
                        "score": hit.score,
                        "copies": hit.copies,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
        return
    if format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(["id", "date", "title", "genre", "source", "snippet", "score", "copies"])
        for hit in hits:
            writer.writerow(
                [
                    hit.id,
                    hit.date or "",
                    hit.title,
                    hit.genre,
                    hit.source or "",
                    _plain(hit.snippet),
                    f"{hit.score:.4f}",
                    hit.copies,
                ]
            )
        return
    what = "articles" if all_copies else "stories"
    table = Table(title=f"{total:,} {what} match; showing {len(hits):,}", show_lines=True, expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("in context", ratio=2)
    for hit in hits:
        title = Text(hit.title)
        if hit.copies:
            title.append(f"\n+{hit.copies} cop{'y' if hit.copies == 1 else 'ies'}", style="dim")
        table.add_row(str(hit.id), hit.date or "?", title, _rich_snippet(hit.snippet))
    out.print(table)


def _date_bound(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        raise PropscopeError(f"{option} {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _plain(snippet: str) -> str:
    return "".join(piece for piece, _ in split_marked(snippet))


def _rich_snippet(snippet: str) -> Text:
    """The store marks matches with [[ ]]: highlighted pieces of a Text, never parsed as markup."""
    text = Text()
    for piece, is_match in split_marked(snippet):
        text.append(piece, style="bold reverse" if is_match else "")
    return text


@app.command()
@friendly_errors
def show(
    article_id: Annotated[int, typer.Argument(help="The article's id (from search).", show_default=False)],
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Print one stored article with its parsed fields."""
    from propscope.archive import Archive

    with Archive(db, readonly=True) as archive:
        article = archive.article(article_id)
        info = archive.store.article_info(article_id)
        translations = archive.store.translations(article_id)
        copies = archive.store.cluster_members(article_id)
    if format == "json":
        sys.stdout.write(
            json.dumps(
                {**info, **article.to_dict(include_text=True), "translations": translations, "copies": copies},
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        return
    d = article.dateline
    fields = [
        ("id", str(article_id)),
        ("title", article.title),
        ("date", f"{article.date or '?'} ({article.date_source or 'no date known'})"),
        (
            "dateline",
            f"{d.place or '?'}, {d.month or '?'}/{d.day or '?'}{'/' + str(d.year) if d.year else ''} ({d.agency})"
            if d
            else "none",
        ),
        ("genre", article.genre),
        ("relayed from", ", ".join(f"{r.outlet} ({r.form})" for r in article.relayed_from) or "-"),
        ("countries", ", ".join(article.countries) or "-"),
        ("persons", ", ".join(article.persons) or "-"),
        ("source", f"{article.source or '-'}  {article.url or ''}"),
        ("from", f"{article.origin}{' [' + article.record_id + ']' if article.record_id else ''}"),
        ("ingested", f"{info['ingested_at']} (version {info['version']})"),
        ("translations", ", ".join(f"#{t['id']} ({t['lang']}) {t['title']}" for t in translations) or "-"),
        ("copies", ", ".join(f"#{c['id']} {c['date'] or '?'} {c['source'] or ''}".strip() for c in copies) or "-"),
        (
            "deleted",
            f"gone from a listing since {info['deleted_at']} ('propscope deleted')" if info["deleted_at"] else "-",
        ),
        ("furniture", ", ".join(f"{f.kind} @{f.start}-{f.end}" for f in article.furniture) or "-"),
        (
            "foreign support",
            "; ".join(
                f"{e.actor} ({e.actor_type}, {e.country or '?'}, {e.action}"
                f"{', ' + e.place if e.place else ''}{', ' + e.date if e.date else ''})"
                for e in article.support_events
            )
            or "-",
        ),
        ("hostility", ", ".join(f"{code} {score:.2f}" for code, score in article.hostility.items()) or "-"),
        (
            "epithets",
            "; ".join(
                f"{text} ({kind}, {target or '-'})" + (f" x{n}" if n > 1 else "")
                for (text, kind, target), n in Counter(
                    (e.text, e.kind, e.target_country) for e in article.epithets
                ).most_common()
            )
            or "-",
        ),
        (
            "techniques",
            ", ".join(f"{name} x{n}" for name, n in Counter(t.technique for t in article.techniques).most_common())
            or "-",
        ),
    ]
    table = Table(show_header=False, box=None)
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    for name, value in fields:
        table.add_row(name, escape(value))
    out.print(table)
    out.print()
    out.print(escape(article.body))


@app.command()
@friendly_errors
def history(
    article_id: Annotated[int, typer.Argument(help="The article's id (from search).", show_default=False)],
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    context: Annotated[int, typer.Option(min=0, help="Unchanged words shown around each change.")] = 8,
) -> None:
    """Every version of an article, what kind of change each was, and a word-level diff."""
    from propscope.analyze.versions import compare
    from propscope.archive import Archive

    _check_format(format, ("text", "json"))
    with Archive(db, readonly=True) as archive:
        versions = archive.store.versions(article_id)
    changes = [compare(a["text"], b["text"]) for a, b in zip(versions, versions[1:], strict=False)]
    if format == "json":
        rows = [
            {k: v[k] for k in ("version", "seen_at", "title", "content_sha1")}
            | (
                {
                    "change": c.kind,
                    "words_added": c.words_added,
                    "words_removed": c.words_removed,
                    "diff": [{"op": op.op, "old": op.old, "new": op.new} for op in c.ops if op.op != "equal"],
                }
                if c
                else {"change": None}
            )
            for v, c in zip(versions, [None, *changes], strict=True)
        ]
        sys.stdout.write(json.dumps({"id": article_id, "versions": rows}, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(f"[bold]{escape(versions[-1]['title'])}[/] (id {article_id}): {len(versions)} version(s)")
    out.print(f"  v{versions[0]['version']}  seen {versions[0]['seen_at']}  first text")
    for v, c in zip(versions[1:], changes, strict=True):
        colour = "green" if c.kind in ("whitespace", "punctuation", "encoding", "identical") else "yellow"
        out.print(
            f"  v{v['version']}  seen {v['seen_at']}  [{colour}]{c.kind}[/]  +{c.words_added} -{c.words_removed} words"
        )
        diff = Text()
        for number, op in enumerate(c.ops):
            if op.op == "equal":
                words = op.old.split()
                head = words[-context:] if number else []  # before the first change: only what leads into it
                tail = words[:context] if number < len(c.ops) - 1 else []
                if len(words) > len(head) + len(tail) and (head or tail):
                    kept = " ".join(tail) + (" … " if tail and head else " …" if tail else "… ") + " ".join(head)
                else:
                    kept = op.old
                diff.append(kept + " ", style="dim")
                continue
            if op.old:
                diff.append(op.old, style="red strike")
                diff.append(" ")
            if op.new:
                diff.append(op.new + " ", style="green")
        out.print(diff)
        out.print()


@app.command()
@friendly_errors
def deleted(
    db: DbOption = None,
    since: SinceOption = None,
    listing: Annotated[str | None, typer.Option(help="Only this listing.", show_default=False)] = None,
    format: TableFormat = "table",
) -> None:
    """Articles that disappeared from a listing (feed, index, dump) they were collected from, and when."""
    from propscope.archive import Archive

    _check_format(format, ("table", "jsonl", "csv"))
    with Archive(db, readonly=True) as archive:
        rows = archive.store.deleted(_date_bound(since, "--since"), listing)
    columns = ["id", "date", "title", "listing", "last_seen", "deleted_at", "restored_at"]
    _emit(rows, columns, format, "deletions")


@app.command()
@friendly_errors
def phrase(
    text: Annotated[str, typer.Argument(help="The phrase, as words in a row.", show_default=False)],
    db: DbOption = None,
    by: Annotated[str, typer.Option(help="year or month.")] = "year",
    limit: Annotated[int, typer.Option(min=0, max=100_000, help="Articles listed, most recent first.")] = 20,
    format: TableFormat = "table",
) -> None:
    """When a phrase was first and last used, how often by period, and the articles using it."""
    from propscope.archive import Archive

    _check_format(format, ("table", "jsonl", "csv"))
    if by not in ("year", "month"):
        raise PropscopeError(f"unknown --by {by!r}: use year or month")
    query = '"' + text.replace('"', " ").strip() + '"'
    if query == '""':
        raise PropscopeError('give the phrase to look for, e.g. propscope phrase "sea of fire"')
    with Archive(db, readonly=True) as archive:
        usage = archive.store.phrase_usage(query, by)
        hits = archive.search(query, limit=limit, sort="date") if limit else []
    total = sum(n for _, n in usage["periods"]) + usage["undated"]
    if format != "table":
        rows = [{"period": p, "articles": n} for p, n in usage["periods"]]
        _emit(rows, ["period", "articles"], format, "periods")
        return
    if not total:
        out.print(f"no article uses {escape(query)}")
        return
    first, last = usage["first"], usage["last"]
    out.print(
        f"[bold]{escape(query)}[/]: {total:,} articles"
        + (f" ({usage['undated']:,} undated)" if usage["undated"] else "")
    )
    if first and last:
        out.print(f"  first used {first['date']}  #{first['id']}  {escape(first['title'])}")
        out.print(f"  last used  {last['date']}  #{last['id']}  {escape(last['title'])}")
    top = max(n for _, n in usage["periods"]) if usage["periods"] else 1
    table = Table(title=f"articles using it, by {by}")
    for column in ("period", "articles", ""):
        table.add_column(column, justify="right" if column == "articles" else "left")
    for period, n in usage["periods"]:
        table.add_row(period, f"{n:,}", "█" * max(1, round(30 * n / top)))
    out.print(table)
    if hits:
        listing = Table(title=f"the {len(hits)} most recent" if len(hits) < total else "all of them")
        for column in ("id", "date", "title", "in context"):
            listing.add_column(column, justify="right" if column == "id" else "left")
        for hit in hits:
            listing.add_row(str(hit.id), hit.date or "", escape(hit.title), _rich_snippet(hit.snippet))
        out.print(listing)


@app.command()
@friendly_errors
def reuse(
    article_id: Annotated[int, typer.Argument(help="The article's id (from search).", show_default=False)],
    db: DbOption = None,
    min_words: Annotated[int, typer.Option(min=5, help="Shortest shared run of words that counts.")] = 12,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Which earlier articles this article's passages come from, with offsets into both texts."""
    from propscope.analyze.reuse import find_reuse
    from propscope.archive import Archive

    _check_format(format, ("text", "json"))
    with Archive(db, readonly=True) as archive:
        report = find_reuse(archive.store, article_id, min_words=min_words)
        article = archive.article(article_id)
    if format == "json":
        body = {
            "id": article_id,
            "words": report.words,
            "reused_share": round(report.reused_share, 4),
            "passages": [
                {
                    "start": p.start,
                    "end": p.end,
                    "words": p.words,
                    "source": {"id": p.source_id, "date": p.source_date, "title": p.source_title},
                    "source_start": p.source_start,
                    "source_end": p.source_end,
                }
                for p in report.passages
            ],
            "formulas": report.formulas,
        }
        sys.stdout.write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
        return
    out.print(
        f"[bold]{escape(article.title)}[/] (id {article_id}, {article.date or 'undated'}): "
        f"{report.reused_share:.0%} of {report.words:,} words in passages found in {report.sources_examined} earlier"
        " articles examined"
    )
    if not report.passages:
        out.print("no passage of it was found in an earlier article")
    for p in report.passages:
        excerpt = article.text[p.start : p.end]
        if len(excerpt) > 160:
            excerpt = excerpt[:75] + " … " + excerpt[-75:]
        out.print(
            f"  @{p.start}-{p.end} ({p.words} words) from #{p.source_id} {p.source_date or '?'} "
            f"[italic]{escape(p.source_title)}[/] @{p.source_start}-{p.source_end}"
        )
        out.print(Text("    " + " ".join(excerpt.split()), style="dim"))
    if report.formulas:
        shown = "; ".join(dict.fromkeys(report.formulas))
        out.print(Text(f"stock formulas (in too many articles to name a source): {shown[:400]}", style="dim"))


@app.command()
@friendly_errors
def export(
    db: DbOption = None,
    save: Annotated[Path, typer.Option("--out", "-o", help="The file to write (.parquet or .jsonl).")] = Path(
        "articles.parquet"
    ),
    format: Annotated[str | None, typer.Option("--format", "-f", help="parquet or jsonl (default: by --out).")] = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Only articles matching this search.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: Annotated[list[str] | None, typer.Option(help="ISO code the article refers to.")] = None,
) -> None:
    """Write articles (with their raw inputs and parsed fields) to Parquet or JSON Lines."""
    from propscope.analyze.export import export as write_export
    from propscope.archive import Archive

    chosen = format or ("jsonl" if save.suffix.lower() in (".jsonl", ".ndjson") else "parquet")
    _check_format(chosen, ("parquet", "jsonl"))
    filters = SearchFilters(
        since=_date_bound(since, "--since"),
        until=_date_bound(until, "--until"),
        countries=tuple(c.upper() for c in _split(country)),
    )
    progress = Progress(
        SpinnerColumn(), TextColumn("[bold]export"), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    )
    with Archive(db, readonly=True) as archive, progress:
        task = progress.add_task("export", total=archive.count(query, filters))
        written = write_export(
            archive.store, save, chosen, query, filters, lambda n: progress.update(task, completed=n)
        )
    err.print(f"{written:,} articles written to {escape(str(save))}")


@app.command(name="import")
@friendly_errors
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Parquet or JSON Lines files (an export).", show_default=False)],
    db: DbOption = None,
    workers: Annotated[int | None, typer.Option(help="Parser processes (default: one per core).")] = None,
) -> None:
    """Read an export (or any Parquet or JSON Lines of dispatches) into the archive; raw inputs are parsed again."""
    from propscope.archive import Archive

    with Archive(db) as archive:
        result = archive.ingest(paths, workers=workers)
    _report_ingest(result)


@app.command()
@friendly_errors
def batch(
    source: Annotated[Path, typer.Option("--input", "-i", help="Parquet records (an export, or id/title/body/...).")],
    target: Annotated[Path, typer.Option("--output", "-o", help="Parquet to write the parsed articles to.")],
    engine: Annotated[str, typer.Option(help="local (one process) or spark.")] = "local",
    master: Annotated[str, typer.Option(help="Spark master: local[N], spark://HOST:7077, yarn, ...")] = "local[2]",
    partitions: Annotated[int | None, typer.Option(help="Repartition the input into this many parts.")] = None,
    steps: StepsOption = None,
) -> None:
    """Parse and enrich a Parquet table of records in bulk, in one process or on Apache Spark."""
    from propscope.batch import run_local, run_spark
    from propscope.enrich import resolve_steps

    _check_format(engine, ("local", "spark"))
    wanted = resolve_steps(steps)
    started = time.perf_counter()
    if engine == "spark":
        done = run_spark(source, target, master=master, partitions=partitions, steps=wanted)
    else:
        done = run_local(source, target, steps=wanted)
    elapsed = time.perf_counter() - started
    err.print(f"{done:,} articles parsed to {escape(str(target))} in {elapsed:.1f} s ({done / elapsed:,.0f}/s)")


@app.command()
@friendly_errors
def stats(db: DbOption = None) -> None:
    """Counts by year, genre, outlet, source and language."""
    from propscope.archive import Archive

    with Archive(db, readonly=True) as archive:
        totals = archive.store.totals()
        groups = archive.store.stats()
    out.print(
        f"[bold]{totals['articles']:,}[/] articles, {totals['versions']:,} earlier versions, "
        f"{totals['quarantined']:,} quarantined items"
    )
    for name, rows in groups.items():
        table = Table(title=f"by {name}", title_justify="left")
        table.add_column(name)
        table.add_column("articles", justify="right")
        peak = max((n for _, n in rows), default=1)
        table.add_column("")
        for key, count in rows:
            table.add_row(escape(str(key)), f"{count:,}", "█" * max(1, round(30 * count / peak)))
        out.print(table)


@app.command()
@friendly_errors
def quarantine(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Items to list, newest first.")] = 1000,
) -> None:
    """List input items that could not be ingested, with the reason."""
    from propscope.archive import Archive

    with Archive(db, readonly=True) as archive:
        rows = list(archive.store.quarantine(limit))
    if not rows:
        out.print("nothing quarantined")
        return
    table = Table(title=f"{len(rows):,} quarantined items")
    for column in ("when", "input", "record", "reason"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["created_at"], escape(row["origin"]), escape(row["record_id"] or ""), escape(row["reason"]))
    out.print(table)


# -- who and where ------------------------------------------------------------------------------------------


@app.command()
@friendly_errors
def actors(
    db: DbOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    country: Annotated[list[str] | None, typer.Option(help="The actor's country (ISO code); repeat or comma.")] = None,
    type: Annotated[
        list[str] | None,
        typer.Option("--type", help="person, party, organization, government, media, gathering, group."),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Actors to show.")] = 50,
    format: TableFormat = "table",
) -> None:
    """Foreign actors claimed to support the DPRK: counts, first and last seen."""
    from propscope.archive import Archive

    _check_format(format, ("table", "jsonl", "csv"))
    with Archive(db, readonly=True) as archive:
        rows = archive.store.actors(
            _date_bound(since, "--since"),
            _date_bound(until, "--until"),
            tuple(c.upper() for c in _split(country)),
            _split(type),
            limit,
        )
    columns = ["actor", "actor_type", "country", "events", "articles", "first_seen", "last_seen", "actions"]
    _emit(rows, columns, format, "foreign actors claimed to support the DPRK")


@app.command()
@friendly_errors
def cooccur(
    name: Annotated[str, typer.Argument(help='A person or organisation ("Kim Yong Nam").', show_default=False)],
    db: DbOption = None,
    by: Annotated[str, typer.Option(help="Period: year, month or all.")] = "year",
    top: Annotated[int, typer.Option(min=1, help="Names per period.")] = 10,
    format: TableFormat = "table",
) -> None:
    """Who and what is mentioned in the same articles as NAME, by period."""
    from propscope.archive import Archive

    _check_format(format, ("table", "jsonl", "csv"))
    if by not in ("year", "month", "all"):
        raise PropscopeError(f"unknown --by {by!r}: use year, month or all")
    with Archive(db, readonly=True) as archive:
        rows = archive.store.cooccurrences(name, by, top)
    if not rows:
        raise PropscopeError(f"{name!r} is not mentioned in the archive under that name; try its canonical name")
    _emit(rows, ["period", "type", "canonical", "articles"], format, f"mentioned with {name}")


@app.command()
@friendly_errors
def network(
    db: DbOption = None,
    format: Annotated[str, typer.Option("--format", "-f", help="graphml or csv.")] = "graphml",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).")] = None,
    nodes: Annotated[int, typer.Option(min=2, help="Most mentioned people and organisations to keep.")] = 300,
    min_weight: Annotated[int, typer.Option(min=1, help="Least shared articles for an edge.")] = 3,
    types: Annotated[str, typer.Option(help="Entity types, comma-separated.")] = "person,organization",
) -> None:
    """The co-mention graph (for Gephi or networkx): an edge per pair mentioned in the same articles."""
    from propscope.analyze.network import co_mentions, write_csv, write_graphml
    from propscope.archive import Archive

    _check_format(format, ("graphml", "csv"))
    kinds = _split([types])
    with Archive(db, readonly=True) as archive:
        top = archive.store.entity_names(kinds, nodes)
        edges = co_mentions(archive.store.entities_by_article(kinds), {(k, n) for k, n, _ in top}, min_weight)
    handle = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        if format == "graphml":
            write_graphml(handle, top, edges)
        else:
            write_csv(handle, edges)
    finally:
        if out:
            handle.close()
    if out:
        err.print(f"{len(top):,} nodes, {len(edges):,} edges written to {escape(str(out))}")


@app.command()
@friendly_errors
def chart(
    what: Annotated[str, typer.Argument(help="support: foreign-support events by country.", show_default=False)],
    db: DbOption = None,
    by: Annotated[str, typer.Option(help="year or month.")] = "year",
    top: Annotated[int, typer.Option(min=1, max=20, help="Countries shown; the rest are 'other'.")] = 15,
    out: Annotated[Path, typer.Option("--out", "-o", help="A .png or .svg file.")] = Path("support.png"),
    since: SinceOption = None,
    until: UntilOption = None,
) -> None:
    """Draw a chart of the archive (PNG or SVG)."""
    from propscope.analyze.charts import support_chart
    from propscope.archive import Archive
    from propscope.gazetteer import load_gazetteer

    if what != "support":
        raise PropscopeError(f"unknown chart {what!r}: use support")
    if by not in ("year", "month"):
        raise PropscopeError(f"unknown --by {by!r}: use year or month")
    with Archive(db, readonly=True) as archive:
        counts = archive.store.support_counts(by, _date_bound(since, "--since"), _date_bound(until, "--until"))
    periods = support_chart(counts, out, top, load_gazetteer().country_names())
    err.print(f"{periods} {by}s of support events drawn to {escape(str(out))}")


@app.command()
@friendly_errors
def trend(
    db: DbOption = None,
    metric: Annotated[
        str, typer.Option(help="hostility, mentions, or technique:NAME (e.g. technique:Name_Calling,Labeling).")
    ] = "hostility",
    country: Annotated[str | None, typer.Option(help="ISO code (US, JP, KR...): whom the series is about.")] = None,
    by: Annotated[str, typer.Option(help="year, month or day.")] = "month",
    since: SinceOption = None,
    until: UntilOption = None,
    save: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write the series: a .png or .svg chart, or .csv.")
    ] = None,
    format: TableFormat = "table",
) -> None:
    """A series over the stored corpus: hostility toward a country, its mentions, or a technique's use."""
    from propscope.analyze.trends import parse_metric, trend_chart, write_csv
    from propscope.analyze.trends import trend as trend_series
    from propscope.archive import Archive

    _check_format(format, ("table", "jsonl", "csv"))
    chosen = parse_metric(metric)
    code = country.upper() if country else None
    if save is not None and save.suffix.lower() not in (".png", ".svg", ".csv"):
        raise PropscopeError(f"{save}: --out takes a .png, .svg or .csv file")
    with Archive(db, readonly=True) as archive:
        points = trend_series(
            archive.store, chosen, by, code, _date_bound(since, "--since"), _date_bound(until, "--until")
        )
    if not points:
        raise PropscopeError("no dated articles in scope; widen --since/--until or ingest dispatches first")
    about = f" toward {code}" if chosen.name == "hostility" else (f" naming {code}" if code else "")
    if save is not None:
        if save.suffix.lower() == ".csv":
            write_csv(points, save, chosen)
        else:
            trend_chart(points, save, chosen, f"{chosen.label}{about}, by {by}")
        err.print(f"{len(points)} {by}s written to {escape(str(save))}")
    if format != "table":
        rows = [
            {"period": p.period, "articles": p.articles, "counted": p.counted, chosen.name: round(p.value, 4)}
            for p in points
        ]
        _emit(rows, ["period", "articles", "counted", chosen.name], format, "periods")
        return
    top = max((p.value for p in points), default=0.0) or 1.0
    table = Table(title=f"{chosen.label}{about}, by {by}")
    for column in ("period", "articles", "counted", chosen.name, ""):
        table.add_column(column, justify="left" if column in ("period", "") else "right")
    for p in points:
        table.add_row(p.period, f"{p.articles:,}", f"{p.counted:,}", f"{p.value:.3f}", "█" * round(30 * p.value / top))
    out.print(table)


def _check_format(format: str, allowed: tuple[str, ...]) -> None:
    if format not in allowed:
        raise PropscopeError(f"unknown --format {format!r}: use {', '.join(allowed)}")


def _emit(rows: list[dict[str, Any]], columns: list[str], format: str, title: str) -> None:
    """Rows as a table, JSON Lines or CSV: the one way list commands print."""
    if format == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n")
        return
    if format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
        return
    table = Table(title=f"{len(rows):,} {title}")
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right" if column in ("events", "articles") else "left")
    for row in rows:
        table.add_row(*(Text("" if row.get(c) is None else str(row.get(c))) for c in columns))
    out.print(table)


@app.command()
@friendly_errors
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="PROPSCOPE_TOKEN",
            help="Writes (ingest, saved searches) must present it. Without one, a server bound beyond loopback is"
            " read-only.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the web UI and the REST API (OpenAPI at /docs) at http://HOST:PORT."""
    import uvicorn

    from propscope.web.app import create_app, is_loopback

    writable = token is not None or is_loopback(host)
    if not writable:
        err.print(f"[yellow]{escape(host)} is beyond loopback and no --token was given: serving read-only[/]")
    uvicorn.run(create_app(db, token=token, writable=writable), host=host, port=port, log_level="warning")


@app.command()
@friendly_errors
def digest(
    db: DbOption = None,
    day: Annotated[str | None, typer.Option(help="YYYY-MM-DD (UTC); default today.", show_default=False)] = None,
    save: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("digest.html"),
) -> None:
    """The daily digest: what each saved search matched among the articles ingested that day, as HTML."""
    import datetime as dt

    from propscope.alerts import digest as build_digest
    from propscope.archive import Archive

    try:
        chosen = dt.date.fromisoformat(day) if day else dt.datetime.now(dt.UTC).date()
    except ValueError as exc:
        raise PropscopeError(f"--day {day!r} is not a date; use YYYY-MM-DD") from exc
    with Archive(db, readonly=True) as archive:
        page = build_digest(archive.store, chosen)
    save.parent.mkdir(parents=True, exist_ok=True)
    save.write_text(page, encoding="utf-8")
    err.print(f"digest of {chosen} written to {escape(str(save))}")


train_app = typer.Typer(help="Train the models propscope ships, from data you have.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@train_app.command("techniques")
@friendly_errors
def train_techniques_command(
    data: Annotated[
        Path, typer.Option(help="The PTC SemEval-2020 Task 11 folder (train/train.jsonl; dev/ is scored if there).")
    ],
    save: Annotated[
        Path | None, typer.Option("--out", help="Folder for techniques-model.json (default: the package's).")
    ] = None,
    folds: Annotated[int, typer.Option(min=2, help="Cross-validation folds on train, grouped by article.")] = 5,
    jobs: Annotated[int, typer.Option(min=1, help="Folds fitted in parallel.")] = 2,
    report: Annotated[Path | None, typer.Option(help="Also write the report (CV table, dev scores) as JSON.")] = None,
) -> None:
    """Reproduce the propaganda-technique model: choose settings by cross-validation on train, fit, score dev."""
    try:
        from propscope.train.techniques import MODEL_PATH, train_techniques
    except ImportError as exc:
        raise PropscopeError(
            f"training needs scikit-learn ({exc.name} is missing): pip install 'propscope[train]'"
        ) from exc
    if not (data / "train" / "train.jsonl").exists():
        raise PropscopeError(f"{data}: no train/train.jsonl here; point --data at the PTC folder")
    target = save or MODEL_PATH.parent
    result = train_techniques(data, target, folds, progress=lambda m: err.print(escape(m)), jobs=jobs)
    text = json.dumps(result, indent=2)
    if report:
        report.write_text(text + "\n", encoding="utf-8")
    dev = result.get("dev", {})
    err.print(
        f"model written to {escape(str(target))}"
        + (f"; dev SI F1 {dev['si']['f1']:.3f}, TC micro-F1 {dev['tc_micro_f1']:.3f}" if dev else "")
    )


def _register_collect() -> None:
    """`propscope collect` lives with its package (profiles, fetching, scheduling); registered here."""
    from propscope.collect.command import collect as collect_command

    app.command("collect")(friendly_errors(collect_command))


_register_collect()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
