"""Small charts drawn as inline SVG on the server: no script library to vendor, nothing fetched, and every
bar can be a link (a year bar narrows the search to that year)."""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence

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


__all__ = ["bar_chart", "hbar_chart", "line_chart"]
