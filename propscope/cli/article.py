"""Commands about one article: show (its parsed fields), history (its versions and what changed), reuse
(where its passages come from)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from propscope.choices import DetailFormat
from propscope.cli.options import DbOption, open_archive
from propscope.cli.output import out, write_json
from propscope.model import Article

DetailFormatOption = Annotated[DetailFormat, typer.Option("--format", "-f", help="text or json.")]


def show(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="The article's id (from search).", show_default=False)],
    db: DbOption = None,
    format: DetailFormatOption = DetailFormat.TEXT,
) -> None:
    """Print one stored article with its parsed fields."""
    with open_archive(ctx, db, readonly=True) as archive:
        detail = archive.article_detail(article_id)
    if format == DetailFormat.JSON:
        write_json(detail.to_json())
        return
    article, info = detail.article, detail.info
    d = article.dateline
    fields = [
        ("id", str(article_id)),
        ("title", article.title),
        (
            "date",
            f"{article.date or '?'} ({article.date_source or 'no date known'}"
            + (f"; the input's date {article.date_raw!r} is no day)" if article.date_raw else ")"),
        ),
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
        ("ingested", f"{info.ingested_at} (version {info.version})"),
        ("translations", ", ".join(f"#{t.id} ({t.lang}) {t.title}" for t in detail.translations) or "-"),
        ("copies", ", ".join(f"#{c.id} {c.date or '?'} {c.source or ''}".strip() for c in detail.copies) or "-"),
        ("deleted", f"gone from a listing since {info.deleted_at} ('propscope deleted')" if info.deleted_at else "-"),
        ("furniture", ", ".join(f"{f.kind} @{f.start}-{f.end}" for f in article.furniture) or "-"),
        (
            "support",
            "; ".join(
                f"{e.actor}{' = ' + e.canonical if e.canonical and e.canonical != e.actor else ''}"
                f" ({e.role}, {e.actor_type}, {e.country or '?'}, {e.action}"
                f"{', ' + e.place if e.place else ''}{', ' + e.date if e.date else ''})"
                for e in article.support_events
            )
            or "-",
        ),
        ("stance", stance_summary(article) or "-"),
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
            "appearances",
            "; ".join(
                f"{a.leader} {a.kind} at {a.place or '?'}, {a.event_date or 'undated'}"
                + (f", with {', '.join(a.accompanied_by)}" if a.accompanied_by else "")
                + (f", greeted by {', '.join(a.greeted_by)}" if a.greeted_by else "")
                for a in article.appearances
            )
            or "-",
        ),
        (
            "officials",
            "; ".join(
                f"{o.name}{' (' + o.title + ')' if o.title else ''} {o.list} {o.position}/{o.size}"
                for o in article.officials
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
    if article.stance_evidence:
        out.print()
        out.print("[bold cyan]stance evidence[/]")
        for e in article.stance_evidence:
            quoted = " ".join(e.text_in(article.text).split())
            quoted = quoted if len(quoted) <= 200 else quoted[:120] + " … " + quoted[-60:]
            out.print(f"  {e.country} {e.stance} ({e.kind} @{e.start}-{e.end}): {escape(quoted)}")
    out.print()
    out.print(escape(article.body))


def stance_summary(article: Article) -> str:
    """Each country's stance and what says so: the epithets by their words, the sentences by their count
    (`--format json` gives every span's offsets)."""
    parts = []
    for code, stance in article.stance.items():
        evidence = [e for e in article.stance_evidence if e.country == code]
        epithets = list(dict.fromkeys(e.text_in(article.text) for e in evidence if e.kind == "epithet"))
        sentences = sum(1 for e in evidence if e.kind == "sentence")
        why = ([f"epithets: {', '.join(epithets)}"] if epithets else []) + (
            [f"{sentences} sentence{'' if sentences == 1 else 's'}"] if sentences else []
        )
        parts.append(f"{code} {stance}" + (f" ({'; '.join(why)})" if why else ""))
    return "; ".join(parts)


def history(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="The article's id (from search).", show_default=False)],
    db: DbOption = None,
    format: DetailFormatOption = DetailFormat.TEXT,
    context: Annotated[int, typer.Option(min=0, help="Unchanged words shown around each change.")] = 8,
) -> None:
    """Every version of an article, what kind of change each was, and a word-level diff."""
    with open_archive(ctx, db, readonly=True) as archive:
        history = archive.history(article_id)
    if format == DetailFormat.JSON:
        write_json(history.to_json())
        return
    versions = history.versions
    out.print(f"[bold]{escape(versions[-1].title)}[/] (id {article_id}): {len(versions)} version(s)")
    out.print(f"  v{versions[0].version}  seen {versions[0].seen_at}  first text")
    for v, c in history.steps:
        colour = "green" if c.kind in ("whitespace", "punctuation", "encoding", "identical") else "yellow"
        out.print(f"  v{v.version}  seen {v.seen_at}  [{colour}]{c.kind}[/]  +{c.words_added} -{c.words_removed} words")
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
            # Without colour (piped, NO_COLOR) the styles vanish: git's word-diff marks say what left and came.
            plain = out.color_system is None or out.no_color
            if op.old:
                diff.append(f"[-{op.old}-]" if plain else op.old, style="red strike")
                diff.append(" ")
            if op.new:
                diff.append((f"{{+{op.new}+}}" if plain else op.new) + " ", style="green")
        out.print(diff)
        out.print()


def reuse(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="The article's id (from search).", show_default=False)],
    db: DbOption = None,
    min_words: Annotated[int, typer.Option(min=5, help="Shortest shared run of words that counts.")] = 12,
    format: DetailFormatOption = DetailFormat.TEXT,
) -> None:
    """Which earlier articles this article's passages come from, with offsets into both texts."""
    with open_archive(ctx, db, readonly=True) as archive:
        report = archive.reuse(article_id, min_words=min_words)
    if format == DetailFormat.JSON:
        write_json(report.to_json())
        return
    article = report.article
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


def register(app: typer.Typer) -> None:
    app.command()(show)
    app.command()(history)
    app.command()(reuse)
