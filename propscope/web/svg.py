"""Small charts drawn as inline SVG on the server: no script library to vendor, nothing fetched, and every
bar can be a link (a year bar narrows the search to that year).

A chart is drawn at the width of its box on a desktop and never enlarged; in a narrower box it shrinks to fit,
and its text shrinks with it. So each chart's text is sized from the chart's width and the narrowest box it is
shrunk into (`font_for`): there it still reads at LEGIBLE px. A half-width card is barely wider on a desktop
than on a phone, so one drawing serves both. A full-width card is three times as wide as a phone's: a chart
for it (`for_every_screen`) is drawn twice, wide with text sized for desktops, and at a phone's size; the style
sheet shows the wide one from WIDE_SCREEN px on and the other below. The layout (label spacing, margins,
legends that wrap) follows from the size, so that labels never overlap at any width."""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Callable, Sequence

from markupsafe import Markup

from propscope.analyze.periods import TimeAxis, breaks

INK = "#1f2d3d"
ACCENT = "#b2182b"
MUTED = "#9aa5b1"
PHONE_WIDTH = 336  # px: a card's inside on a 390 px phone, the narrowest box a chart is shrunk into
HALF_CARD = 548  # px: a half-width card's inside (.grid2) on a desktop: its charts are drawn this wide
WIDE_SCREEN = 1000  # px: the viewport from which a full-width chart's wide drawing is shown (style.css)
CARD = 1146  # px: a full-width card's inside on a desktop (main's 1180 px less the card's padding and border)
CARD_AT_WIDE = 934  # px: the same at WIDE_SCREEN, the narrowest box the wide drawing is shrunk into
RESULTS = 921  # px: the search results' column beside the facets on a desktop, where the histogram stands
RESULTS_AT_WIDE = 709  # px: the same at WIDE_SCREEN
LEGIBLE = 10.5  # px: the least size of a chart's text there (10, and a margin for rounding)
CHAR = 0.6  # a character's mean width, in ems, in the sans-serif the charts are drawn in


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def font_for(width: float, fit: float = PHONE_WIDTH, least: float = 12.0) -> float:
    """The text size, in the chart's units, of a chart `width` units wide: LEGIBLE px once the chart is shrunk
    to `fit` px, the narrowest box it is shown in, and never under `least` (a chart narrower than its box is
    not shrunk)."""
    return max(least, math.ceil(2 * LEGIBLE * width / fit) / 2)


def for_every_screen(draw: Callable[..., Markup], wide: int = CARD, fit: int = CARD_AT_WIDE) -> Markup:
    """A full-width card's chart, drawn twice: `wide` units wide with its text sized to stay legible shrunk to
    `fit` px (the box at WIDE_SCREEN), and at `draw`'s own size for narrower screens, text sized for a phone.
    The style sheet shows the first from WIDE_SCREEN px on, the second below it."""
    big, small = str(draw(width=wide, fit=fit)), str(draw())
    if not big:
        return Markup("")
    return Markup(f'<div class="chart-wide">{big}</div><div class="chart-narrow">{small}</div>')


def _text_width(text: str, font: float) -> float:
    return len(text) * CHAR * font


def _open(kind: str, label: str, left: float, width: float, height: float) -> str:
    """The <svg> tag: drawn at its own size (width, height), shrunk to a narrower box by the style sheet."""
    return (
        f'<svg class="chart {kind}" role="img" aria-label="{_e(label)}" viewBox="{left:g} 0 {width:g} {height:g}"'
        f' width="{width:g}" height="{height:g}">'
    )


def _legend(
    items: Sequence[tuple[str, str]], x0: float, right: float, y: float, font: float
) -> tuple[list[str], float]:
    """Swatches and names (name, colour) in rows that wrap at `right`; the parts, and the y below them."""
    parts: list[str] = []
    x, line = x0, font * 1.5
    for name, fill in items:
        room = font + 4 + _text_width(name, font) + font
        if x > x0 and x + room > right:
            x, y = x0, y + line
        parts.append(
            f'<rect x="{x:.1f}" y="{y - font * 0.8:.1f}" width="{font * 0.8:.1f}" height="{font * 0.8:.1f}"'
            f' fill="{_e(fill)}"/>'
            f'<text x="{x + font + 4:.1f}" y="{y:.1f}" font-size="{font:g}" fill="{INK}">{_e(name)}</text>'
        )
        x += room
    return parts, y + line


def _note(text: str, x: float, width: float, y: float, font: float, css: str = "note") -> tuple[list[str], float]:
    """A line of explanation wrapped to `width`; the parts, and the y below them."""
    parts = []
    for line in textwrap.wrap(text, max(10, int(width / (CHAR * font)))):
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="{font:g}" fill="{MUTED}" class="{css}">{_e(line)}</text>'
        )
        y += font * 1.3
    return parts, y


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


def _count_ticks(top: float) -> list[float]:
    """Zero and round whole values up to `top` or just past it: a count has no half."""
    ticks = _ticks(top)
    return ticks if ticks[1] >= 1 else [float(n) for n in range(math.ceil(top) + 1)]


def _grid(ticks: Sequence[tuple[float, str]], axis: float, right: float, font: float) -> list[str]:
    """The y axis' values (y, as written) right-aligned left of `axis`, each with a light line across the plot."""
    return [
        f'<line x1="{axis:.1f}" x2="{right:g}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e7eb" stroke-width="1"/>'
        f'<text x="{axis - 6:.1f}" y="{y + font * 0.35:.1f}" font-size="{font:g}" text-anchor="end"'
        f' fill="{MUTED}" class="y-tick">{_e(text)}</text>'
        for y, text in ticks
    ]


def bar_chart(
    bars: Sequence[tuple[str, float, str | None]],
    width: int = 560,
    height: int = 120,
    label: str = "articles",
    fit: float = PHONE_WIDTH,
) -> Markup:
    """Vertical bars (label, value, link or None), labels under every few bars; the y axis' values, from
    zero, in a gutter of its own on the left, where no bar runs under them."""
    if not bars:
        return Markup("")
    font = font_for(width, fit)
    ticks = _count_ticks(max(v for _, v, _ in bars))
    top = ticks[-1]
    head = font * 0.5  # room above the top value's line for its number
    gutter = max(_text_width(f"{t:,.0f}", font) for t in ticks) + 12
    step = min((width - gutter) / len(bars), 48.0)  # a few periods are a few bars, not slabs across the page
    left = gutter + (width - gutter - step * len(bars)) / 2
    longest = max(_text_width(name, font) for name, _, _ in bars) + font  # a label's width, and a gap
    every = max(1, math.ceil(longest / step))
    parts = [_open("bars", f"{label} by period", 0, width, height + font * 1.7)]
    parts.extend(_grid([(height - (height - head) * t / top, f"{t:,.0f}") for t in ticks], gutter - 4, width, font))
    parts.append(
        f'<line x1="{gutter - 4:.1f}" x2="{width}" y1="{height}" y2="{height}" stroke="{MUTED}" stroke-width="1"/>'
    )
    for i, (name, value, href) in enumerate(bars):
        h = max(1.0, (height - head) * value / top) if value else 0.0
        rect = (
            f'<rect x="{left + i * step + 1:.1f}" y="{height - h:.1f}" width="{max(1.0, step - 2):.1f}"'
            f' height="{h:.1f}" fill="{INK}"><title>{_e(name)}: {value:,.0f} {_e(label)}</title></rect>'
        )
        parts.append(f'<a href="{_e(href)}">{rect}</a>' if href else rect)
        if i % every == 0:
            half = _text_width(name, font) / 2
            parts.append(
                f'<text x="{min(max(left + i * step + step / 2, half), width - half):.1f}"'
                f' y="{height + font * 1.35:.1f}" font-size="{font:g}" text-anchor="middle"'
                f' fill="{MUTED}">{_e(name)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _time_path(periods: Sequence[str], xy: Sequence[tuple[float, float]]) -> str:
    """A line's path through its points, lifted (a fresh M) wherever a period is missing before the next."""
    return " ".join(
        f"{'M' if fresh else 'L'}{x:.1f},{y:.1f}" for fresh, (x, y) in zip(breaks(periods), xy, strict=True)
    )


def _period_labels(
    names: Sequence[str], xs: Sequence[float], y: float, font: float, left: float, right: float
) -> tuple[list[str], list[tuple[int, str]]]:
    """The periods' names under a time axis, each at its own x, a name left out where it would touch the one
    before; the parts, and (index, text-anchor) of each name written."""
    room = max(_text_width(name, font) for name in names) + font  # a label's width, and a gap
    labelled = -math.inf  # where the last label was put: labels never overlap, however close the points
    parts: list[str] = []
    written: list[tuple[int, str]] = []
    for i, (name, x) in enumerate(zip(names, xs, strict=True)):
        anchor = "end" if x + room / 2 > right else "start" if x - room / 2 < left else "middle"
        if x - labelled >= (room * 1.5 if anchor == "end" else room):  # an end-anchored label reaches further back
            labelled = x
            written.append((i, anchor))
            parts.append(
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="{font:g}" text-anchor="{anchor}" fill="{MUTED}"'
                f' class="period">{_e(name)}</text>'
            )
    return parts, written


def line_chart(
    points: Sequence[tuple[str, float]],
    width: int = HALF_CARD - 16,
    height: int = 200,
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
    font = font_for(width + 16)
    counts = list(articles) if articles is not None else [None] * len(points)
    ticks = _ticks(max(v for _, v in points))
    top = ticks[-1]
    axis = font * 1.4 + max(_text_width(_value(t, top), font) for t in ticks) + 8  # the axis' name, its values
    plot = width - axis
    time = TimeAxis.over(name for name, _ in points)
    xy = [(axis + plot * time.at(name), height - 6 - (height - 16) * v / top) for name, v in points]
    weak = [n is not None and n < sparse_below for n in counts]
    line = font * 1.3
    labels_y = height + font * 1.2
    below = line if articles is not None else 0  # a line of article counts under the period labels
    named = line if x_label else 0
    legend_text = f"fewer than {sparse_below} articles behind the point: read no change into it"
    legend_lines = textwrap.wrap(legend_text, int((width - font * 1.2) / (CHAR * font))) if any(weak) else []
    bottom = labels_y + below + named + line * len(legend_lines) + font * 0.4
    path = _time_path([name for name, _ in points], xy)
    parts = [
        _open("line", label, -8, width + 16, bottom),
        f'<text x="{font * 0.2:.1f}" y="{height / 2:.1f}" font-size="{font:g}" text-anchor="middle" fill="{MUTED}"'
        f' class="y-label" transform="rotate(-90 {font * 0.2:.1f} {height / 2:.1f})">{_e(label)}</text>',
    ]
    parts.extend(_grid([(height - 6 - (height - 16) * t / top, _value(t, top)) for t in ticks], axis, width, font))
    parts.append(f'<path d="{path}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
    for (name, value), (x, y), n, sparse in zip(points, xy, counts, weak, strict=True):
        behind = "" if n is None else f" ({n:,} article{'' if n == 1 else 's'}{', too few to read' if sparse else ''})"
        dot = f'fill="#fff" stroke="{MUTED}" stroke-width="1.5" class="sparse"' if sparse else f'fill="{ACCENT}"'
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{5 if sparse else 4}" {dot}>'
            f"<title>{_e(name)}: {value:.3f}{_e(behind)}</title></circle>"
        )
    names, written = _period_labels([name for name, _ in points], [x for x, _ in xy], labels_y, font, -8, width + 8)
    parts.extend(names)
    for i, anchor in written:
        if counts[i] is not None:
            parts.append(
                f'<text x="{xy[i][0]:.1f}" y="{labels_y + below:.1f}" font-size="{font:g}" text-anchor="{anchor}"'
                f' fill="{MUTED}" class="articles">n={counts[i]:,}</text>'
            )
    if x_label:
        parts.append(
            f'<text x="{axis + plot / 2:.1f}" y="{labels_y + below + named:.1f}" font-size="{font:g}"'
            f' text-anchor="middle" fill="{MUTED}" class="x-label">{_e(x_label)}</text>'
        )
    y = labels_y + below + named + line
    for i, text in enumerate(legend_lines):
        if i == 0:
            parts.append(
                f'<circle cx="{font * 0.3:.1f}" cy="{y - font * 0.35:.1f}" r="5" fill="#fff" stroke="{MUTED}"'
                ' stroke-width="1.5"/>'
            )
        parts.append(
            f'<text x="{font * 1.2:.1f}" y="{y:.1f}" font-size="{font:g}" fill="{MUTED}" class="legend">'
            f"{_e(text)}</text>"
        )
        y += line
    parts.append("</svg>")
    return Markup("".join(parts))


NAME_CHARS = 24  # what the name column holds; longer names are shortened, whole on hover


def _short(name: str, chars: int = NAME_CHARS) -> str:
    """A name cut at a word to fit `chars`, with an ellipsis; the whole name goes in its title."""
    if len(name) <= chars:
        return name
    cut = name[: chars - 1]
    return (cut[: cut.rfind(" ")] if " " in cut[chars // 2 :] else cut).rstrip(" ,;-") + "…"


def hbar_chart(
    items: Sequence[tuple[str, float, str | None]],
    width: int = HALF_CARD,
    label: str = "",
    articles: Sequence[int] | None = None,
) -> Markup:
    """Horizontal bars (name, value, link or None), largest first as given; with `articles`, each bar's
    value is followed by the articles behind it."""
    if not items:
        return Markup("")
    font = font_for(width)
    counts = list(articles) if articles is not None else [None] * len(items)
    row = math.ceil(font * 1.6)
    top = max(v for _, v, _ in items) or 1.0
    shown = [
        f"{value:,.0f}" if n is None else f"{value:,.0f} · {n:,} art."
        for (_, value, _), n in zip(items, counts, strict=True)
    ]
    name_width = max(_text_width(_short(name), font * 0.92) for name, _, _ in items) + 6
    tail = max(_text_width(s, font) for s in shown) + 6
    parts = [_open("hbars", label, 0, width, row * len(items))]
    for i, ((name, value, href), n, text_shown) in enumerate(zip(items, counts, shown, strict=True)):
        w = (width - name_width - tail) * value / top
        baseline = i * row + row / 2 + font * 0.35
        text = (
            f'<text x="{name_width - 6:.1f}" y="{baseline:.1f}" font-size="{font:g}" text-anchor="end" fill="{INK}">'
            f"<title>{_e(name)}</title>{_e(_short(name))}</text>"
        )
        behind = "" if n is None else f" in {n:,} article{'' if n == 1 else 's'}"
        parts.append(f'<a href="{_e(href)}">{text}</a>' if href else text)
        parts.append(
            f'<rect x="{name_width:.1f}" y="{i * row + 4}" width="{max(1.0, w):.1f}" height="{row - 8}" fill="{INK}">'
            f"<title>{_e(name)}: {value:,.0f}{behind}</title></rect>"
            f'<text x="{name_width + w + 4:.1f}" y="{baseline:.1f}" font-size="{font:g}" fill="{MUTED}">'
            f"{text_shown}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


NUMBER_ROWS = 3  # rows the articles under a stacked chart's bars may take, when neighbours' numbers touch


def stacked_bars(
    bars: Sequence[tuple[str, Sequence[int], int, str | None]],
    layers: Sequence[tuple[str, str]],
    width: int = 560,
    height: int = 180,
    label: str = "",
    fit: float = PHONE_WIDTH,
) -> Markup:
    """Vertical bars stacked by layer: (period, one count per layer, articles behind it, link or None) and
    the layers as (name, colour). Each bar's title gives every layer's count and its articles; the articles
    are written under every bar that has a count, in the first of a few rows where its number touches no
    other (the note under the chart says how many found no room and wait in their titles), a legend names the
    layers, and the y axis' values stand left of the bars, from zero."""
    if not bars:
        return Markup("")
    font = font_for(width, fit)
    ticks = _count_ticks(max(sum(counts) for _, counts, _, _ in bars))
    top = ticks[-1]
    head = font * 0.5  # room above the top value's line for its number
    gutter = max(_text_width(f"{t:,.0f}", font) for t in ticks) + 12  # the y axis' values, left of every bar
    step = min((width - gutter) / len(bars), 48.0)
    left = gutter + (width - gutter - step * len(bars)) / 2
    widest = max(_text_width(name, font) for name, _, _, _ in bars)
    every = max(1, math.ceil((widest + font) / step))  # labels under every few bars, never overlapping
    numbers_y = height + font * 2.6
    # where each row of numbers ends: a number goes in the first of NUMBER_ROWS rows where it touches none
    ends = [-math.inf] * NUMBER_ROWS
    omitted = 0
    parts = ["", *_grid([(height - (height - head) * t / top, f"{t:,.0f}") for t in ticks], gutter - 4, width, font)]
    for i, (name, counts, articles, href) in enumerate(bars):
        x = left + i * step + 1
        total = sum(counts)
        shown = ", ".join(f"{n:,} {layer}" for (layer, _), n in zip(layers, counts, strict=True) if n)
        behind = f"{articles:,} article{'' if articles == 1 else 's'}"
        group = [f'<g class="bar"><title>{_e(name)}: {total:,} ({_e(shown or "none")}); {behind}</title>']
        y = float(height)
        for (_, fill), n in zip(layers, counts, strict=True):
            if n:
                h = (height - head) * n / top
                y -= h
                group.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(1.0, step - 2):.1f}" height="{h:.1f}"'
                    f' fill="{_e(fill)}"/>'
                )
        group.append("</g>")
        parts.append(f'<a href="{_e(href)}">{"".join(group)}</a>' if href else "".join(group))
        middle_x = x + step / 2 - 1
        number = f"{articles:,}"
        half = _text_width(number, font) / 2
        free = [r for r, end in enumerate(ends) if middle_x - half >= end + font * 0.15]
        if total and free:
            ends[free[0]] = middle_x + half
            parts.append(
                f'<text x="{middle_x:.1f}" y="{numbers_y + free[0] * font * 1.1:.1f}" font-size="{font:g}"'
                f' text-anchor="middle" fill="{MUTED}" class="articles">{number}</text>'
            )
        elif total:
            omitted += 1
        if i % every == 0:
            half = _text_width(name, font) / 2
            parts.append(
                f'<text x="{min(max(middle_x, half), width - half):.1f}" y="{height + font * 1.3:.1f}"'
                f' font-size="{font:g}" text-anchor="middle" fill="{MUTED}">{_e(name)}</text>'
            )
    rows = sum(end > -math.inf for end in ends)
    legend, y = _legend(layers, 0, width, numbers_y + font * (0.5 + 1.1 * max(1, rows)), font)
    written = "numbers under the bars: the articles behind each"
    if omitted:
        written += f"; {omitted} bars without room for theirs give them in their titles (hover)"
    note, bottom = _note(written, 0, width, y, font)
    parts[0] = _open("stacked", label, 0, width, bottom - font * 0.6)
    parts.extend([*legend, *note, "</svg>"])
    return Markup("".join(parts))


def _places(deepest: float) -> list[float]:
    """The y axis' values for places in lists: 1 at the top, then round places down to `deepest` or just past."""
    step = _ticks(max(2.0, deepest) - 1)[1]
    step = max(1.0, math.ceil(step))
    return [1.0, *(step * i for i in range(1, math.ceil((max(2.0, deepest) - 1e-9) / step) + 1) if step * i > 1)]


def rank_chart(
    series: Sequence[tuple[str, str, Sequence[tuple[str, float, int]]]],
    width: int = 560,
    height: int = 200,
    label: str = "",
    fit: float = PHONE_WIDTH,
) -> Markup:
    """Places in lists over time, 1 at the top: one line per series (name, colour, [(month, mean place,
    articles behind it)], oldest first) on a real time axis, so months without a list are a gap and the line
    breaks there instead of crossing them. The y axis names its places; each dot's title gives its place and
    articles, and each dot is labelled with the articles."""
    months = sorted({m for _, _, points in series for m, _, _ in points})
    if not months:
        return Markup("")
    font = font_for(width, fit)
    places = _places(max(p for _, _, points in series for _, p, _ in points))
    bottom = places[-1]
    axis = font * 1.8 + max(_text_width(f"{p:.0f}", font) for p in places) + 8  # the axis' name, its values
    plot = width - axis - font  # a margin on the right for the last dot's number
    time = TimeAxis.over(months)
    top_y = font * 1.6  # room above the first place for the articles written over its dots

    def x_of(month: str) -> float:
        return axis + plot * time.at(month)

    def y_of(place: float) -> float:
        return top_y + (height - top_y - 10) * (place - 1) / (bottom - 1)

    parts = [
        "",
        f'<text x="{font * 0.9:.1f}" y="{height / 2:.1f}" font-size="{font:g}" text-anchor="middle" fill="{MUTED}"'
        f' class="y-label" transform="rotate(-90 {font * 0.9:.1f} {height / 2:.1f})">place in the list</text>',
    ]
    parts.extend(_grid([(y_of(place), f"{place:.0f}") for place in places], axis, width, font))
    for name, fill, points in series:
        xy = [(x_of(m), y_of(p)) for m, p, _ in points]
        parts.append(
            f'<path d="{_time_path([m for m, _, _ in points], xy)}" fill="none" stroke="{_e(fill)}" stroke-width="2"/>'
        )
        for (month, place, n), (x, y) in zip(points, xy, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{_e(fill)}"><title>{_e(month)}, {_e(name)}:'
                f" place {place:.1f} ({n:,} article{'' if n == 1 else 's'})</title></circle>"
                f'<text x="{x:.1f}" y="{y - 7:.1f}" font-size="{font:g}" text-anchor="middle" fill="{MUTED}"'
                f' class="articles">{n:,}</text>'
            )
    labels_y = height + font * 1.2
    names, _ = _period_labels(months, [x_of(m) for m in months], labels_y, font, 0, width)
    parts.extend(names)
    parts.append(
        f'<text x="{axis + plot / 2:.1f}" y="{labels_y + font * 1.3:.1f}" font-size="{font:g}" text-anchor="middle"'
        f' fill="{MUTED}" class="x-label">month</text>'
    )
    legend, y = _legend([(name, fill) for name, fill, _ in series], 0, width, labels_y + font * 3, font)
    note, end = _note("1 = named first; numbers by the dots: the articles behind each", 0, width, y, font)
    parts[0] = _open("ranks", label, 0, width, end - font * 0.6)
    parts.extend([*legend, *note, "</svg>"])
    return Markup("".join(parts))


HEAT_FONT = 12.0  # the heat map is drawn small enough (at most ~32 ems wide) to be shrunk little on a phone
HEAT_NAME = 16  # characters of a name the heat map's rows and columns show; whole on hover


def heat_map(
    names: Sequence[str],
    values: Sequence[Sequence[int]],
    articles: Sequence[Sequence[int]],
    links: Sequence[str | None] | None = None,
    label: str = "",
    cell_link: Callable[[str, str], str] | None = None,
) -> Markup:
    """A square matrix of counts between names (links: each name's page; cell_link: a pair's link), the
    darker the more; each cell gives its count and its title the articles behind it, which are also written
    under the count where the cells have room for them on a phone."""
    if not names:
        return Markup("")
    font = HEAT_FONT
    margin = max(_text_width(_short(n, HEAT_NAME), font) for n in names) + 8
    behind_width = max((_text_width(f"{a:,} art.", font) for row in articles for a in row), default=0.0)
    two_lines = margin + len(names) * (behind_width + 4) <= PHONE_WIDTH * font / LEGIBLE
    cell = max(font * 1.8, behind_width + 4) if two_lines else font * 1.8
    size = cell * len(names)
    peak = max((max(row) for row in values), default=1) or 1
    hrefs = list(links) if links is not None else [None] * len(names)
    width = margin + size + 4
    parts = [_open("heat", label, 0, width, margin + size + 4)]
    for i, (name, href) in enumerate(zip(names, hrefs, strict=True)):
        shown = f"<title>{_e(name)}</title>{_e(_short(name, HEAT_NAME))}"
        row_label = (
            f'<text x="{margin - 6:.1f}" y="{margin + i * cell + cell / 2 + font * 0.35:.1f}" font-size="{font:g}"'
            f' text-anchor="end" fill="{INK}">{shown}</text>'
        )
        column_label = (  # written upwards above its column
            f'<text x="0" y="0" font-size="{font:g}" fill="{INK}" transform="translate('
            f'{margin + i * cell + cell / 2 + font * 0.35:.1f} {margin - 6:.1f}) rotate(-90)">{shown}</text>'
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
            x, y = margin + j * cell, margin + i * cell
            middle_y = y + cell / 2 + font * 0.35
            count_y = middle_y - font * 0.55 if two_lines else middle_y
            group = (
                f'<g class="cell"><title>{who}: {n:,} appearance{"" if n == 1 else "s"}'
                f"{'' if i == j else ' together'} ({behind:,} article{'' if behind == 1 else 's'})</title>"
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell - 1:.1f}" height="{cell - 1:.1f}"'
                f' fill="{ACCENT}" fill-opacity="{shade:.2f}"/>'
                f'<text x="{x + cell / 2:.1f}" y="{count_y:.1f}" font-size="{font:g}" text-anchor="middle"'
                f' fill="{ink}">{n:,}</text>'
            )
            if two_lines:
                group += (
                    f'<text x="{x + cell / 2:.1f}" y="{count_y + font * 1.1:.1f}" font-size="{font:g}"'
                    f' text-anchor="middle" fill="{ink}" class="articles">{behind:,} art.</text>'
                )
            group += "</g>"
            parts.append(f'<a href="{_e(cell_link(names[i], names[j]))}">{group}</a>' if cell_link else group)
    parts.append("</svg>")
    return Markup("".join(parts))


__all__ = [
    "bar_chart",
    "font_for",
    "for_every_screen",
    "hbar_chart",
    "heat_map",
    "line_chart",
    "rank_chart",
    "stacked_bars",
]
