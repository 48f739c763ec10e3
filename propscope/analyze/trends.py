"""Series over the stored corpus: hostility toward a country, its mentions, a technique's use, by period.

The store counts; this module names the metric, checks what it needs, and writes CSV or a line chart. A
series lists only the periods that have dated articles in scope: a month with no article about Japan is
absent (a gap in the record), never a zero hostility.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from propscope.analyze.periods import broken, middle, span
from propscope.choices import Period, TrendMetric
from propscope.errors import MissingStepError, PropscopeError, UsageError
from propscope.search import technique_names

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from propscope.store import Store

PERIODS = tuple(Period)
# A period with fewer articles than this is marked in every table, chart and JSON (`sparse`): its value
# rests on too few dispatches to read a change into.
SPARSE_BELOW = 30


@dataclass(frozen=True, slots=True)
class Metric:
    name: str  # hostility, mentions, technique
    technique: str | None = None

    @property
    def label(self) -> str:
        return {
            "hostility": "mean hostility per article",
            "mentions": "share of articles",
            "technique": f"{self.technique} spans per article",
        }[self.name]

    @property
    def spec(self) -> str:
        """The metric as parse_metric reads it: hostility, mentions or technique:NAME."""
        return f"technique:{self.technique}" if self.name == "technique" else self.name


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: str
    articles: int  # articles in scope
    counted: int  # of them, those with the thing measured
    value: float

    @property
    def sparse(self) -> bool:
        """Fewer than SPARSE_BELOW articles behind the point."""
        return self.articles < SPARSE_BELOW


def parse_metric(value: str) -> Metric:
    """hostility, mentions, or technique:NAME."""
    name, _, rest = value.partition(":")
    name = name.strip().lower()
    if name == "technique":
        found = technique_names(rest)
        if len(found) != 1:
            raise UsageError("metric technique:NAME takes one technique name, e.g. technique:Loaded_Language")
        return Metric("technique", found[0])
    if name in tuple(TrendMetric) and not rest:
        return Metric(name)
    raise UsageError(f"unknown metric {value!r}: use hostility, mentions or technique:NAME")


def series(
    store: Store,
    metric: Metric,
    by: Period = Period.MONTH,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[TrendPoint]:
    """The points of a metric, one per period with dated articles in scope, oldest first."""
    if metric.name in tuple(TrendMetric) and not country:
        raise UsageError(f"metric {metric.name} needs a country (an ISO code such as US, JP, KR)")
    if metric.name == "technique" and not store.has_techniques():
        raise MissingStepError(
            "no technique spans are stored: parse the archive again with the techniques step", "techniques"
        )
    rows = store.trend(metric.name, Period(by).value, country, metric.technique, since, until)
    return [TrendPoint(*row) for row in rows]


def write_csv(points: Sequence[TrendPoint], path: Path, metric: Metric) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["period", "articles", "counted", metric.name, "sparse"])
        for p in points:
            writer.writerow([p.period, p.articles, p.counted, f"{p.value:.4f}", str(p.sparse).lower()])


def trend_chart(points: Sequence[TrendPoint], out: Path, metric: Metric, title: str) -> None:
    """The trend figure written as PNG or SVG (the SVG's words kept as text)."""
    if out.suffix.lower() not in (".png", ".svg"):
        raise PropscopeError(f"{out}: a chart is written as .png or .svg (or .csv for the numbers)")
    import matplotlib.pyplot as plt

    figure = trend_figure(points, metric, title)
    out.parent.mkdir(parents=True, exist_ok=True)
    with plt.rc_context({"svg.fonttype": "none"}):  # an SVG's words stay text: searchable, selectable
        figure.savefig(out, bbox_inches="tight")
    plt.close(figure)


def trend_figure(points: Sequence[TrendPoint], metric: Metric, title: str) -> Figure:
    """A line of the value per period over bars of the articles behind each point, on a time axis: a period
    missing from the series is a gap on the axis and a break in the line, never a segment across it. Both y
    axes start at zero; a point with fewer than SPARSE_BELOW articles is drawn hollow and grey; the legend
    sits under the plot, off the data."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(max(8.0, min(24.0, len(points) * 0.3)), 5), dpi=120)
    counts = axes.twinx()
    spans = [span(p.period) for p in points]
    days = [(end - start).days for start, end in spans]
    x = [float(mdates.date2num(middle(p.period))) for p in points]  # days, as matplotlib's dates count
    counts.bar(x, [p.articles for p in points], width=[d * 0.8 for d in days], color="#d9d9d9", label="articles")
    counts.set_ylabel("articles in scope", color="#808080")
    counts.set_ylim(bottom=0)
    axes.set_zorder(counts.get_zorder() + 1)
    axes.patch.set_visible(False)
    line_x, line_y = broken([p.period for p in points], [p.value for p in points])  # breaks at a missing period
    axes.plot(mdates.date2num(line_x), line_y, color="#b2182b", marker="o", markersize=3, label=metric.label)
    weak = [(xi, p.value) for xi, p in zip(x, points, strict=True) if p.sparse]
    if weak:  # hollow, grey: too few articles behind the point
        axes.plot(
            [w[0] for w in weak],
            [w[1] for w in weak],
            linestyle="none",
            marker="o",
            markersize=6,
            markerfacecolor="white",
            markeredgecolor="#808080",
            label=f"fewer than {SPARSE_BELOW} articles",
            gid="sparse",
        )
    axes.set_ylim(bottom=0, top=max([p.value for p in points] + [0.0]) * 1.1 or 1.0)
    axes.set_ylabel(metric.label)
    axes.set_title(title)
    axes.xaxis_date()
    locator = mdates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    handles = [*axes.get_legend_handles_labels()[0], *counts.get_legend_handles_labels()[0]]
    axes.legend(
        handles=handles,
        fontsize="small",
        frameon=False,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=len(handles),
    )
    figure.tight_layout()
    return figure


__all__ = ["SPARSE_BELOW", "Metric", "TrendPoint", "parse_metric", "series", "trend_chart", "trend_figure", "write_csv"]
