"""Trends: metrics named and checked in the library's own words, series as the store counts them."""

from __future__ import annotations

import pytest

from propscope.analyze.trends import Metric, TrendPoint, parse_metric, trend_figure
from propscope.errors import UsageError


def test_metrics_parse_and_name_themselves() -> None:
    assert parse_metric("Hostility") == Metric("hostility") and parse_metric("mentions").spec == "mentions"
    technique = parse_metric("technique:name_calling,labeling")
    assert technique == Metric("technique", "Name_Calling,Labeling")
    assert technique.spec == "technique:Name_Calling,Labeling" and "spans per article" in technique.label


@pytest.mark.parametrize("value", ["loudness", "hostility:JP", "technique:"])
def test_unknown_metrics_are_usage_errors_naming_no_option(value: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_metric(value)
    assert "--" not in str(raised.value)


def trend_points() -> list[TrendPoint]:
    """Three months of 2017, then two of 2021: nothing between (the issue's 2017-12 beside 2021-09)."""
    rows = [("2017-10", 120, 0.52), ("2017-11", 9, 0.61), ("2017-12", 140, 0.48), ("2021-09", 80, 0.55)]
    return [TrendPoint(p, n, n // 2, v) for p, n, v in [*rows, ("2021-10", 95, 0.5)]]


def test_the_trend_chart_has_a_time_axis_and_no_line_across_a_gap() -> None:
    import math

    import matplotlib.dates as mdates

    figure = trend_figure(trend_points(), Metric("hostility"), "hostility toward US")
    axes = figure.axes[0]
    line = next(line for line in axes.get_lines() if line.get_label() == Metric("hostility").label)
    xs, ys = list(line.get_xdata()), list(line.get_ydata())
    assert isinstance(axes.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    real = [(x, y) for x, y in zip(xs, ys, strict=True) if not math.isnan(y)]
    assert real[3][0] - real[2][0] > 3 * 365  # 2017-12 to 2021-09 measured in days, not one category apart
    assert real[1][0] - real[0][0] < 32
    gap = [i for i, y in enumerate(ys) if math.isnan(y)]
    assert len(gap) == 1 and xs[gap[0] - 1] < xs[gap[0]] < xs[gap[0] + 1]  # the line breaks between the two


def test_the_trend_charts_y_axes_start_at_zero_and_the_legend_is_off_the_data() -> None:
    figure = trend_figure(trend_points(), Metric("hostility"), "hostility toward US")
    figure.canvas.draw()
    axes, counts = figure.axes
    assert axes.get_ylim()[0] == 0 and counts.get_ylim()[0] == 0
    assert axes.get_yticklabels() and all(t.get_text() for t in axes.get_yticklabels())  # values shown
    legend = axes.get_legend()
    assert legend is not None and not legend.get_window_extent().overlaps(axes.get_window_extent())


def test_the_trend_chart_marks_points_on_few_articles() -> None:
    figure = trend_figure(trend_points(), Metric("hostility"), "hostility toward US")
    sparse = [line for line in figure.axes[0].get_lines() if line.get_gid() == "sparse"]
    assert len(sparse) == 1 and list(sparse[0].get_ydata()) == [0.61]  # 2017-11: 9 articles
    assert sparse[0].get_markerfacecolor() == "white"
