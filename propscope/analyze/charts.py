"""Charts people would rather look at than read: support events by country over time.

matplotlib draws offline into PNG or SVG (the Agg backend: no display needed). Every bar says how many
articles the archive holds for its period, and a period with fewer than SPARSE_BELOW of them is shaded and
hatched: a dip there may be a gap in the record, not in the support claimed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from propscope.analyze.periods import span
from propscope.analyze.trends import SPARSE_BELOW
from propscope.errors import PropscopeError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ROLE_TITLES = {
    ("foreign",): "Foreign support claimed in the archive",
    ("compatriot",): "Compatriots' support claimed in the archive",
    ("foreign", "compatriot"): "Support claimed in the archive (foreign and compatriot)",
}


def support_chart(
    counts: Sequence[tuple[str, str, int, int]],
    articles: Sequence[tuple[str, int]],
    out: Path,
    top: int,
    country_names: dict[str, str],
    roles: tuple[str, ...] = ("foreign",),
) -> tuple[int, int]:
    """The support figure written as PNG or SVG. Returns (periods drawn, of them those with fewer than
    SPARSE_BELOW articles)."""
    if out.suffix.lower() not in (".png", ".svg"):
        raise PropscopeError(f"{out}: the chart is written as .png or .svg; name the file so")
    import matplotlib.pyplot as plt

    figure, drawn, sparse = support_figure(counts, articles, top, country_names, roles)
    out.parent.mkdir(parents=True, exist_ok=True)
    with plt.rc_context({"svg.fonttype": "none"}):  # an SVG's words stay text: searchable, selectable
        figure.savefig(out, bbox_inches="tight")
    plt.close(figure)
    return drawn, sparse


def support_figure(
    counts: Sequence[tuple[str, str, int, int]],
    articles: Sequence[tuple[str, int]],
    top: int,
    country_names: dict[str, str],
    roles: tuple[str, ...] = ("foreign",),
) -> tuple[Figure, int, int]:
    """Stacked bars of support events per period for the `top` countries (the rest as "other"), from
    (period, country, events, articles carrying them); `articles` is (period, dated articles archived).
    The x axis is time: each bar spans its own year or month, so a stretch the archive lacks is a gap, not
    two neighbouring bars. The y axis starts at zero; the legend stands right of the plot, off the bars.
    Returns the figure, the periods drawn and, of them, those with fewer than SPARSE_BELOW articles."""
    if not counts:
        raise PropscopeError("no dated support events of that role in the archive; ingest dispatches first")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    totals: dict[str, int] = defaultdict(int)
    for _, country, n, _ in counts:
        totals[country] += n
    leaders = [c for c, _ in sorted(totals.items(), key=lambda kv: -kv[1])[:top]]
    behind = dict(articles)
    first, last = min(p for p, *_ in counts), max(p for p, *_ in counts)
    # Every period from the first event to the last that has articles: a period with none is a zero bar.
    periods = sorted({p for p, *_ in counts} | {p for p in behind if first <= p <= last})
    series: dict[str, list[int]] = {c: [0] * len(periods) for c in [*leaders, "other"]}
    index = {p: i for i, p in enumerate(periods)}
    for period, country, n, _ in counts:
        series[country if country in leaders else "other"][index[period]] += n
    sparse = [i for i, p in enumerate(periods) if behind.get(p, 0) < SPARSE_BELOW]
    spans = [tuple(float(mdates.date2num(day)) for day in span(p)) for p in periods]
    x = [(start + end) / 2 for start, end in spans]
    widths = [(end - start) * 0.8 for start, end in spans]
    figure, axes = plt.subplots(figsize=(max(8.0, min(24.0, len(periods) * 0.5)) + 3, 6), dpi=120)
    axes.xaxis_date()
    for i in sparse:
        start, end = spans[i]
        axes.axvspan(start, end, facecolor="#f1f3f5", edgecolor="#adb5bd", hatch="//", linewidth=0, zorder=0)
    bottom = [0] * len(periods)
    colours = plt.get_cmap("tab20")
    handles: list[Patch] = []  # a swatch per country, and the sparse periods' hatching
    for i, (country, values) in enumerate(series.items()):
        if not any(values):
            continue
        label = "other" if country == "other" else f"{country_names.get(country, country)} ({country})"
        axes.bar(x, values, bottom=bottom, color=colours(i % 20), width=widths, label=label)
        handles.append(Patch(facecolor=colours(i % 20), label=label))  # a bar's own may be of zero height
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    if sparse:
        handles.append(
            Patch(facecolor="#f1f3f5", edgecolor="#adb5bd", hatch="//", label=f"fewer than {SPARSE_BELOW} articles")
        )
    title = ROLE_TITLES.get(tuple(roles), "Support claimed in the archive")
    axes.set_title(f"{title}: events by country (top {top})\nn under each bar: the articles archived in its period")
    axes.set_ylabel("support events")
    axes.set_ylim(bottom=0)
    step = max(1, len(periods) // 40)  # labels a reader can tell apart
    shown = range(0, len(periods), step)
    axes.set_xticks(
        [x[i] for i in shown],
        [f"{periods[i]}\nn={behind.get(periods[i], 0):,}" for i in shown],
        rotation=90 if len(shown) > 24 else 0,
        fontsize="small",
    )
    for i, tick in zip(shown, axes.get_xticklabels(), strict=True):
        if i in sparse:
            tick.set_color("#868e96")
    axes.set_xlim(spans[0][0], spans[-1][1])
    axes.legend(handles=handles, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    figure.tight_layout()
    return figure, len(periods), len(sparse)
