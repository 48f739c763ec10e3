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

from propscope.choices import Period, TrendMetric
from propscope.errors import MissingStepError, PropscopeError, UsageError
from propscope.search import technique_names

if TYPE_CHECKING:
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
    """A line of the value per period over bars of the articles behind each point; a point with fewer than
    SPARSE_BELOW articles is drawn hollow and grey, and the legend says why."""
    if out.suffix.lower() not in (".png", ".svg"):
        raise PropscopeError(f"{out}: a chart is written as .png or .svg (or .csv for the numbers)")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    periods = [p.period for p in points]
    figure, axes = plt.subplots(figsize=(max(8, len(points) * 0.3), 5), dpi=120)
    counts = axes.twinx()
    counts.bar(periods, [p.articles for p in points], color="#d9d9d9", width=0.8, label="articles")
    counts.set_ylabel("articles in scope", color="#808080")
    axes.set_zorder(counts.get_zorder() + 1)
    axes.patch.set_visible(False)
    axes.plot(periods, [p.value for p in points], color="#b2182b", marker="o", markersize=3, label=metric.label)
    weak = [p for p in points if p.sparse]
    if weak:  # hollow, grey: too few articles behind the point
        axes.plot(
            [p.period for p in weak],
            [p.value for p in weak],
            linestyle="none",
            marker="o",
            markersize=6,
            markerfacecolor="white",
            markeredgecolor="#808080",
            label=f"fewer than {SPARSE_BELOW} articles",
        )
    axes.legend(fontsize="small", frameon=False, loc="upper left")
    axes.set_ylabel(metric.label)
    axes.set_title(title)
    step = max(1, len(periods) // 40)
    axes.set_xticks(range(0, len(periods), step), periods[::step], rotation=90 if len(periods) > 12 else 45)
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    with plt.rc_context({"svg.fonttype": "none"}):  # an SVG's words stay text: searchable, selectable
        figure.savefig(out)
    plt.close(figure)


__all__ = ["SPARSE_BELOW", "Metric", "TrendPoint", "parse_metric", "series", "trend_chart", "write_csv"]
