"""The leadership tracker's charts as PNG or SVG files: a leader's appearances per period stacked by kind, an
official's place in lists over time (on a real time axis, as every chart's: analyze/periods.py), and a heat map
of who accompanied him together with whom.

matplotlib draws offline (the Agg backend), as analyze/charts.py does. Every bar, dot and cell is labelled
with the number of articles behind it: two appearances in a month reported by one article read differently
from two reported by two.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from propscope.analyze.leadership_series import (
    KIND_COLOURS,
    LIST_COLOURS,
    CompanionMatrix,
    PositionPoint,
    colour,
    kind_bars,
    monthly_positions,
)
from propscope.analyze.periods import TimeAxis, broken, middle, span
from propscope.errors import NotFoundError, UsageError
from propscope.results import AppearanceCounts, OfficialProfile

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SUFFIXES = (".png", ".svg")


def check_out(out: Path) -> None:
    """A chart is written as .png or .svg: any other name is a usage error, before the archive is read."""
    if out.suffix.lower() not in SUFFIXES:
        raise UsageError(f"{out}: a chart is written as .png or .svg; name the file so")


@contextmanager
def _figure(width: float, height: float) -> Iterator[tuple[Any, Any]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(width, height), dpi=120)
    try:
        yield figure, axes
    finally:
        plt.close(figure)


def _save(figure: Any, out: Path) -> None:
    import matplotlib.pyplot as plt

    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    with plt.rc_context({"svg.fonttype": "none"}):  # an SVG's words stay text: searchable, selectable
        figure.savefig(out)


def appearances_chart(counts: AppearanceCounts, out: Path) -> int:
    """The appearances per period by kind (appearances_figure) written as PNG or SVG; returns the periods
    drawn (empty ones between the first and the last included)."""
    check_out(out)
    bars = kind_bars(counts)
    if not bars:
        raise NotFoundError("no dated appearances in scope; widen --since/--until or check --leader")
    import matplotlib.pyplot as plt

    figure = appearances_figure(counts)
    try:
        _save(figure, out)
    finally:
        plt.close(figure)
    return len(bars)


def appearances_figure(counts: AppearanceCounts) -> Figure:
    """Stacked bars of appearances per period by kind on a real time axis (each bar spans its own period, so
    a stretch without any is empty time), the articles behind each bar written above it; y from zero, the
    legend right of the plot, off the bars."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    bars = kind_bars(counts)
    spans = [tuple(float(mdates.date2num(day)) for day in span(b.period)) for b in bars]
    x = [(start + end) / 2 for start, end in spans]
    widths = [(end - start) * 0.8 for start, end in spans]
    figure, axes = plt.subplots(figsize=(max(8.0, min(24.0, len(bars) * 0.32)) + 2, 6.0), dpi=120)
    bottom = [0] * len(bars)
    handles = []
    for k, kind in enumerate(counts.kinds):
        values = [b.kinds[k] for b in bars]
        if not any(values):
            continue
        axes.bar(x, values, bottom=bottom, color=colour(kind, KIND_COLOURS), width=widths)
        handles.append(Patch(facecolor=colour(kind, KIND_COLOURS), label=kind))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    many = len(bars) > 36
    for xi, bar in zip(x, bars, strict=True):
        if bar.appearances:
            axes.text(
                xi,
                bar.appearances,
                f"{bar.articles:,}",
                ha="center",
                va="bottom",
                fontsize="x-small" if many else "small",
                color="#495057",
                rotation=90 if many else 0,
            )
    axes.xaxis_date()
    locator = mdates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.set_xlim(spans[0][0], spans[-1][1])
    axes.set_ylim(0, max(b.appearances for b in bars) * 1.15 + 1)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("reported appearances")
    who = counts.leader or "the leaders"
    axes.set_title(
        f"Reported public appearances of {who}, by {counts.by} and kind\n"
        "the number above each bar: the articles reporting them"
    )
    axes.legend(handles=handles, fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    figure.tight_layout()
    return figure


def positions_chart(profile: OfficialProfile, out: Path) -> int:
    """The official's places in lists by month (positions_figure) written as PNG or SVG; returns the points
    drawn."""
    check_out(out)
    series = monthly_positions(profile.positions)
    if not series:
        raise NotFoundError(f"{profile.name} is named in no dated list in the archive: no positions to draw")
    import matplotlib.pyplot as plt

    figure = positions_figure(profile.name, series)
    try:
        _save(figure, out)
    finally:
        plt.close(figure)
    return sum(len(points) for points in series.values())


def positions_figure(name: str, series: dict[str, list[PositionPoint]]) -> Figure:
    """The official's mean place per month in each kind of list (1 at the top: first named), on a real time
    axis: a month without a list is a gap, and the line breaks there instead of crossing it. Each dot is
    labelled with the articles behind it; the legend stands right of the plot, off the lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    figure, axes = plt.subplots(figsize=(11.5, 5.5), dpi=120)
    for kind, points in series.items():
        months = [p.month for p in points]
        x, y = broken(months, [p.position for p in points])
        axes.plot(
            mdates.date2num(x), y, marker="o", color=colour(kind, LIST_COLOURS), label=f"{kind} lists", linewidth=1.5
        )
        for p in points:
            axes.annotate(
                f"{p.articles:,}",
                (float(mdates.date2num(middle(p.month))), p.position),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize="x-small",
                color="#495057",
            )
    time = TimeAxis.over(p.month for points in series.values() for p in points)
    axes.xaxis_date()
    locator = mdates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes.set_xlim(float(mdates.date2num(time.start)), float(mdates.date2num(time.end)))
    axes.set_xlabel("month")
    deepest = max(p.position for points in series.values() for p in points)
    axes.set_ylim(max(2.0, deepest) + 0.5, 0.5)  # first named is highest; place 1 starts the axis
    axes.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=2))
    axes.set_ylabel("mean place in the list (1 = named first)")
    axes.set_title(f"{name}: place in lists by month\nthe number by each dot: the articles behind it")
    axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    figure.tight_layout()
    return figure


def companions_chart(matrix: CompanionMatrix, out: Path, leader: str | None = None) -> int:
    """A heat map of shared appearances between the leader's most frequent companions; each cell gives the
    shared appearances and, in brackets, the articles reporting them. Returns the names drawn."""
    check_out(out)
    names = matrix.names
    if not names:
        raise NotFoundError("no appearance in scope names anyone accompanying the leader: no companions to draw")
    size = max(6.0, 0.55 * len(names) + 3)
    with _figure(size + 1.5, size) as (figure, axes):
        image = axes.imshow(matrix.appearances, cmap="Reds")
        peak = max((max(row) for row in matrix.appearances), default=1) or 1
        for i in range(len(names)):
            for j in range(len(names)):
                n = matrix.appearances[i][j]
                if n:
                    axes.text(
                        j,
                        i,
                        f"{n}\n({matrix.articles[i][j]})",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if n > peak * 0.6 else "#212529",
                    )
        axes.set_xticks(range(len(names)), names, rotation=60, ha="right", fontsize="small")
        axes.set_yticks(range(len(names)), names, fontsize="small")
        figure.colorbar(image, ax=axes, label="appearances together", shrink=0.8)
        who = leader or "the leader"
        axes.set_title(
            f"Who accompanied {who} together with whom\neach cell: appearances shared (articles reporting them)"
        )
        _save(figure, out)
    return len(names)


__all__ = [
    "SUFFIXES",
    "appearances_chart",
    "appearances_figure",
    "check_out",
    "companions_chart",
    "positions_chart",
    "positions_figure",
]
