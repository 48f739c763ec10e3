"""Small charts drawn as inline SVG on the server: no script library to vendor, nothing fetched, and every
bar can be a link (a year bar narrows the search to that year)."""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Callable, Sequence

from markupsafe import Markup

from propscope.analyze.periods import follows, middle, span

INK = "#1f2d3d"
ACCENT = "#b2182b"
MUTED = "#9aa5b1"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def bar_chart(
    bars: Sequence[tuple[str, float, str | None]], width: int = 900, height: int = 140, label: str = "articles"
) -> Markup:
    """Vertical bars (label, value, link or None), labels under every few bars."""
    if not bars:
        return Markup("")
    top = max(v for _, v, _ in bars) or 1.0
    step = min(width / len(bars), 48.0)  # a few periods are a few bars, not slabs across the page
    left = (width - step * len(bars)) / 2
    longest = max(len(name) for name, _, _ in bars) * 7 + 8  # a label's width at font-size 12, and a gap
    every = max(1, len(bars) // 16, math.ceil(longest / step))
    parts = [
        f'<svg class="chart bars" role="img" aria-label="{_e(label)} by period" viewBox="0 0 {width} {height + 18}"'
        f' width="100%" preserveAspectRatio="none">'
    ]
    parts.append(  # the y axis' scale: the tallest bar's value at its top, zero at the base
        f'<line x1="0" x2="{width}" y1="4" y2="4" stroke="#e4e7eb" stroke-width="1"/>'
        f'<text x="2" y="16" font-size="12" fill="{MUTED}" class="y-tick">{top:,.0f}</text>'
        f'<line x1="0" x2="{width}" y1="{height}" y2="{height}" stroke="{MUTED}" stroke-width="1"/>'
    )
    for i, (name, value, href) in enumerate(bars):
        h = max(1.0, (height - 4) * value / top) if value else 0.0
        rect = (
            f'<rect x="{left + i * step + 1:.1f}" y="{height - h:.1f}" width="{max(1.0, step - 2):.1f}"'
            f' height="{h:.1f}" fill="{INK}"><title>{_e(name)}: {value:,.0f} {_e(label)}</title></rect>'
        )
        parts.append(f'<a href="{_e(href)}">{rect}</a>' if href else rect)
        if i % every == 0:
            parts.append(
                f'<text x="{min(max(left + i * step + step / 2, len(name) * 3.5), width - len(name) * 3.5):.1f}"'
                f' y="{height + 14}" font-size="12" text-anchor="middle"'
                f' fill="{MUTED}">{_e(name)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _ticks(top: float) -> list[float]:
    """Zero, and two or three round values up to `top` or just past it."""
    if top <= 0:
        return [0.0, 1.0]
    magnitude = 10 ** math.floor(math.log10(top))
    for unit in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        step = unit * magnitude
        if top / step <= 4:
            break
    return [i * step for i in range(math.ceil(top / step - 1e-9) + 1)]


def _value(v: float, top: float) -> str:
    return f"{v:,.0f}" if top >= 10 else f"{v:.2f}".rstrip("0").rstrip(".") if v else "0"


def line_chart(
    points: Sequence[tuple[str, float]],
    width: int = 900,
    height: int = 220,
    label: str = "",
    articles: Sequence[int] | None = None,
    sparse_below: int = 0,
    x_label: str = "",
) -> Markup:
    """One series as a line with dots over a time axis: each point sits at its period's middle, so a period
    missing from the series is a gap, and the line breaks there instead of crossing it. The y axis starts at
    zero and shows its values, and `label` names it (`x_label` names the x axis). With `articles` (the count
    behind each point), each dot's title gives it, each period label has it under it (n=), and a point with
    fewer than `sparse_below` is a hollow grey dot that a legend line explains."""
    if not points:
        return Markup("")
    counts = list(articles) if articles is not None else [None] * len(points)
    ticks = _ticks(max(v for _, v in points))
    top = ticks[-1]
    axis = 64  # room for the y axis' values and its name
    plot = width - axis
    first = dt.datetime.combine(span(points[0][0])[0], dt.time())
    length = (dt.datetime.combine(span(points[-1][0])[1], dt.time()) - first).total_seconds()
    xy = [
        (axis + plot * (middle(name) - first).total_seconds() / length, height - 6 - (height - 16) * v / top)
        for name, v in points
    ]
    weak = [n is not None and n < sparse_below for n in counts]
    below = 18 if articles is not None else 0  # a line of article counts under the period labels
    named = 20 if x_label else 0
    legend = 22 if any(weak) else 0
    path = " ".join(
        f"{'M' if i == 0 or not follows(points[i - 1][0], points[i][0]) else 'L'}{x:.1f},{y:.1f}"
        for i, (x, y) in enumerate(xy)
    )
    parts = [
        f'<svg class="chart line" role="img" aria-label="{_e(label)}"'
        f' viewBox="-8 0 {width + 16} {height + 22 + below + named + legend}" width="100%">',
        f'<text x="12" y="{height / 2:.1f}" font-size="13" text-anchor="middle" fill="{MUTED}" class="y-label"'
        f' transform="rotate(-90 12 {height / 2:.1f})">{_e(label)}</text>',
    ]
    for tick in ticks:
        y = height - 6 - (height - 16) * tick / top
        parts.append(
            f'<line x1="{axis}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e7eb" stroke-width="1"/>'
            f'<text x="{axis - 6}" y="{y + 4:.1f}" font-size="13" text-anchor="end" fill="{MUTED}" class="y-tick">'
            f"{_value(tick, top)}</text>"
        )
    parts.append(f'<path d="{path}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    room = max(len(name) for name, _ in points) * 9 + 12  # a period label's width at font-size 16, and a gap
    labelled = float(-room)  # where the last label was put: labels never overlap, however close the points
    for i, ((name, value), (x, y), n, sparse) in enumerate(zip(points, xy, counts, weak, strict=True)):
        behind = "" if n is None else f" ({n:,} article{'' if n == 1 else 's'}{', too few to read' if sparse else ''})"
        dot = f'fill="#fff" stroke="{MUTED}" stroke-width="1.5" class="sparse"' if sparse else f'fill="{ACCENT}"'
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{4 if sparse else 3}" {dot}>'
            f"<title>{_e(name)}: {value:.3f}{_e(behind)}</title></circle>"
        )
        if x - labelled >= room:
            labelled = x
            anchor = "end" if i == len(points) - 1 and len(points) > 1 and x > width - 40 else "middle"
            parts.append(
                f'<text x="{x:.1f}" y="{height + 16}" font-size="16" text-anchor="{anchor}" fill="{MUTED}">'
                f"{_e(name)}</text>"
            )
            if n is not None:
                parts.append(
                    f'<text x="{x:.1f}" y="{height + 16 + below}" font-size="13" text-anchor="{anchor}"'
                    f' fill="{MUTED}" class="articles">n={n:,}</text>'
                )
    if x_label:
        parts.append(
            f'<text x="{axis + plot / 2:.1f}" y="{height + 18 + below + named}" font-size="13"'
            f' text-anchor="middle" fill="{MUTED}" class="x-label">{_e(x_label)}</text>'
        )
    if legend:
        y = height + 22 + below + named + legend / 2
        parts.append(
            f'<circle cx="6" cy="{y - 5:.1f}" r="4" fill="#fff" stroke="{MUTED}" stroke-width="1.5"/>'
            f'<text x="16" y="{y:.1f}" font-size="14" fill="{MUTED}" class="legend">'
            f"fewer than {sparse_below} articles behind the point: read no change into it</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


NAME_CHARS = 26  # what the name column holds at its font size; longer names are shortened, whole on hover


def _short(name: str) -> str:
    """A name cut at a word to fit the name column, with an ellipsis; the whole name goes in its title."""
    if len(name) <= NAME_CHARS:
        return name
    cut = name[: NAME_CHARS - 1]
    return (cut[: cut.rfind(" ")] if " " in cut[NAME_CHARS // 2 :] else cut).rstrip(" ,;-") + "…"


def hbar_chart(
    items: Sequence[tuple[str, float, str | None]],
    width: int = 440,
    label: str = "",
    articles: Sequence[int] | None = None,
) -> Markup:
    """Horizontal bars (name, value, link or None), largest first as given; with `articles`, each bar's
    value is followed by the articles behind it."""
    if not items:
        return Markup("")
    counts = list(articles) if articles is not None else [None] * len(items)
    row = 20
    top = max(v for _, v, _ in items) or 1.0
    name_width = 170
    tail = 110 if articles is not None else 50
    parts = [
        f'<svg class="chart hbars" role="img" aria-label="{_e(label)}" viewBox="0 0 {width} {row * len(items)}"'
        ' width="100%">'
    ]
    for i, ((name, value, href), n) in enumerate(zip(items, counts, strict=True)):
        w = (width - name_width - tail) * value / top
        text = (
            f'<text x="{name_width - 6}" y="{i * row + 14}" font-size="11" text-anchor="end" fill="{INK}">'
            f"<title>{_e(name)}</title>{_e(_short(name))}</text>"
        )
        shown = f"{value:,.0f}" if n is None else f"{value:,.0f} · {n:,} art."
        behind = "" if n is None else f" in {n:,} article{'' if n == 1 else 's'}"
        parts.append(f'<a href="{_e(href)}">{text}</a>' if href else text)
        parts.append(
            f'<rect x="{name_width}" y="{i * row + 4}" width="{max(1.0, w):.1f}" height="{row - 8}" fill="{INK}">'
            f"<title>{_e(name)}: {value:,.0f}{behind}</title></rect>"
            f'<text x="{name_width + w + 4:.1f}" y="{i * row + 14}" font-size="10" fill="{MUTED}">{shown}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked_bars(
    bars: Sequence[tuple[str, Sequence[int], int, str | None]],
    layers: Sequence[tuple[str, str]],
    width: int = 900,
    height: int = 200,
    label: str = "",
) -> Markup:
    """Vertical bars stacked by layer: (period, one count per layer, articles behind it, link or None) and
    the layers as (name, colour). Each bar's title gives every layer's count and its articles; the articles
    are written under every bar that has a count (n=), and a legend names the layers."""
    if not bars:
        return Markup("")
    top = max(sum(counts) for _, counts, _, _ in bars) or 1
    step = min(width / len(bars), 48.0)
    left = (width - step * len(bars)) / 2
    widest = max(len(name) for name, _, _, _ in bars) * 7.5  # a period label's width at 12px
    every = max(1, -(-int(widest + 6) // max(1, int(step))))  # labels under every few bars, never overlapping
    legend_y = height + 46
    parts = [
        f'<svg class="chart stacked" role="img" aria-label="{_e(label)}" viewBox="-30 0 {width + 60} {legend_y + 8}"'
        ' width="100%">'
    ]
    for i, (name, counts, articles, href) in enumerate(bars):
        x = left + i * step + 1
        total = sum(counts)
        shown = ", ".join(f"{n:,} {layer}" for (layer, _), n in zip(layers, counts, strict=True) if n)
        behind = f"{articles:,} article{'' if articles == 1 else 's'}"
        group = [f'<g class="bar"><title>{_e(name)}: {total:,} ({_e(shown or "none")}); {behind}</title>']
        y = float(height)
        for (_, fill), n in zip(layers, counts, strict=True):
            if n:
                h = (height - 4) * n / top
                y -= h
                group.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(1.0, step - 2):.1f}" height="{h:.1f}"'
                    f' fill="{_e(fill)}"/>'
                )
        group.append("</g>")
        parts.append(f'<a href="{_e(href)}">{"".join(group)}</a>' if href else "".join(group))
        if total:
            parts.append(
                f'<text x="{x + step / 2 - 1:.1f}" y="{height + 28}" font-size="9" text-anchor="middle"'
                f' fill="{MUTED}" class="articles">{articles:,}</text>'
            )
        if i % every == 0:
            parts.append(
                f'<text x="{x + step / 2 - 1:.1f}" y="{height + 14}" font-size="12" text-anchor="middle"'
                f' fill="{MUTED}">{_e(name)}</text>'
            )
    x = 0.0
    for name, fill in layers:
        parts.append(
            f'<rect x="{x:.1f}" y="{legend_y - 9}" width="10" height="10" fill="{_e(fill)}"/>'
            f'<text x="{x + 14:.1f}" y="{legend_y}" font-size="12" fill="{INK}">{_e(name)}</text>'
        )
        x += 24 + 7 * len(name)
    parts.append(
        f'<text x="{width}" y="{legend_y}" font-size="12" text-anchor="end" fill="{MUTED}">'
        "numbers under the bars: the articles behind each</text></svg>"
    )
    return Markup("".join(parts))


def rank_chart(
    series: Sequence[tuple[str, str, Sequence[tuple[str, float, int]]]],
    width: int = 900,
    height: int = 220,
    label: str = "",
) -> Markup:
    """Places in lists over time, 1 at the top: one line per series (name, colour, [(month, mean place,
    articles behind it)]), on one time axis of the months any series has. Each dot's title gives its place
    and articles, and each dot is labelled with the articles."""
    months = sorted({m for _, _, points in series for m, _, _ in points})
    if not months:
        return Markup("")
    deepest = max(p for _, _, points in series for _, p, _ in points)
    bottom = max(2.0, deepest)
    step = width / max(1, len(months) - 1)
    where = {m: (i * step if len(months) > 1 else width / 2) for i, m in enumerate(months)}

    def y_of(place: float) -> float:
        return 14 + (height - 28) * (place - 1) / (bottom - 1)

    parts = [
        f'<svg class="chart ranks" role="img" aria-label="{_e(label)}" viewBox="-28 0 {width + 44} {height + 44}"'
        ' width="100%">',
        f'<text x="-6" y="{y_of(1) + 4:.1f}" font-size="12" text-anchor="end" fill="{MUTED}">1</text>',
        f'<text x="-6" y="{y_of(bottom) + 4:.1f}" font-size="12" text-anchor="end" fill="{MUTED}">{bottom:.0f}</text>',
    ]
    for name, fill, points in series:
        path = " ".join(f"{'M' if i == 0 else 'L'}{where[m]:.1f},{y_of(p):.1f}" for i, (m, p, _) in enumerate(points))
        parts.append(f'<path d="{path}" fill="none" stroke="{_e(fill)}" stroke-width="2"/>')
        for month, place, n in points:
            x, y = where[month], y_of(place)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{_e(fill)}"><title>{_e(month)}, {_e(name)}:'
                f" place {place:.1f} ({n:,} article{'' if n == 1 else 's'})</title></circle>"
                f'<text x="{x:.1f}" y="{y - 6:.1f}" font-size="10" text-anchor="middle" fill="{MUTED}"'
                f' class="articles">{n:,}</text>'
            )
    every = max(1, len(months) // 10)
    for i, month in enumerate(months):
        if i % every == 0 or i == len(months) - 1:
            anchor = "start" if i == 0 else "end" if i == len(months) - 1 else "middle"
            parts.append(
                f'<text x="{where[month]:.1f}" y="{height + 12}" font-size="12" text-anchor="{anchor}"'
                f' fill="{MUTED}">{_e(month)}</text>'
            )
    x = 0.0
    for name, fill, _ in series:
        parts.append(
            f'<rect x="{x:.1f}" y="{height + 26}" width="10" height="10" fill="{_e(fill)}"/>'
            f'<text x="{x + 14:.1f}" y="{height + 35}" font-size="12" fill="{INK}">{_e(name)}</text>'
        )
        x += 30 + 7 * len(name)
    parts.append(
        f'<text x="{width}" y="{height + 35}" font-size="12" text-anchor="end" fill="{MUTED}">'
        "1 = named first; numbers by the dots: the articles behind each</text></svg>"
    )
    return Markup("".join(parts))


def heat_map(
    names: Sequence[str],
    values: Sequence[Sequence[int]],
    articles: Sequence[Sequence[int]],
    links: Sequence[str | None] | None = None,
    label: str = "",
    cell_link: Callable[[str, str], str] | None = None,
) -> Markup:
    """A square matrix of counts between names (links: each name's page; cell_link: a pair's link), the
    darker the more; each cell gives its count and, under it, the articles behind it."""
    if not names:
        return Markup("")
    cell, margin = 36, 150
    size = cell * len(names)
    peak = max((max(row) for row in values), default=1) or 1
    hrefs = list(links) if links is not None else [None] * len(names)
    parts = [
        f'<svg class="chart heat" role="img" aria-label="{_e(label)}" viewBox="0 0 {margin + size + 90}'
        f' {margin + size + 4}" width="100%">'  # room on the right for the last column's slanted name
    ]
    for i, (name, href) in enumerate(zip(names, hrefs, strict=True)):
        row_label = (
            f'<text x="{margin - 6}" y="{margin + i * cell + cell / 2 + 4:.1f}" font-size="11" text-anchor="end"'
            f' fill="{INK}">{_e(name[:24])}</text>'
        )
        column_label = (
            f'<text x="0" y="0" font-size="11" fill="{INK}" transform="translate({margin + i * cell + cell / 2 + 4:.1f}'
            f' {margin - 6}) rotate(-60)">{_e(name[:24])}</text>'
        )
        for text in (row_label, column_label):
            parts.append(f'<a href="{_e(href)}">{text}</a>' if href else text)
    for i, row in enumerate(values):
        for j, n in enumerate(row):
            if not n:
                continue
            shade = 0.12 + 0.88 * n / peak
            behind = articles[i][j]
            ink = "#fff" if shade > 0.6 else INK
            who = _e(names[i]) if i == j else f"{_e(names[i])} and {_e(names[j])}"
            group = (
                f'<g class="cell"><title>{who}: {n:,} appearance{"" if n == 1 else "s"}'
                f"{'' if i == j else ' together'} ({behind:,} article{'' if behind == 1 else 's'})</title>"
                f'<rect x="{margin + j * cell}" y="{margin + i * cell}" width="{cell - 1}" height="{cell - 1}"'
                f' fill="{ACCENT}" fill-opacity="{shade:.2f}"/>'
                f'<text x="{margin + j * cell + cell / 2:.1f}" y="{margin + i * cell + cell / 2 - 1:.1f}"'
                f' font-size="11" text-anchor="middle" fill="{ink}">{n:,}</text>'
                f'<text x="{margin + j * cell + cell / 2:.1f}" y="{margin + i * cell + cell / 2 + 10:.1f}"'
                f' font-size="8" text-anchor="middle" fill="{ink}" class="articles">{behind:,} art.</text></g>'
            )
            parts.append(f'<a href="{_e(cell_link(names[i], names[j]))}">{group}</a>' if cell_link else group)
    parts.append("</svg>")
    return Markup("".join(parts))


__all__ = ["bar_chart", "hbar_chart", "heat_map", "line_chart", "rank_chart", "stacked_bars"]
