"""An official's places in lists, as a file (analyze/leadership_charts.py) and on the web page (web/svg.py): a
real time axis (2013-11 and 2014-08 are nine months apart, not neighbours), no line across the missing months,
the places named on the y axis, the legend off the lines."""

from __future__ import annotations

import math
import re
from pathlib import Path

from propscope.analyze.leadership_charts import positions_chart, positions_figure
from propscope.analyze.leadership_series import monthly_positions
from propscope.analyze.periods import TimeAxis, breaks, broken
from propscope.results import ListPosition, OfficialProfile
from propscope.web.svg import rank_chart

# accompanied: 2013-11, 2013-12, then nothing until 2014-08, 2014-09; present: 2014-08 only
POSITIONS = (
    ListPosition("2013-11-05", "accompanied", 2, 5, 1),
    ListPosition("2013-12-10", "accompanied", 3, 5, 2),
    ListPosition("2014-08-02", "accompanied", 1, 4, 3),
    ListPosition("2014-08-20", "present", 4, 9, 4),
    ListPosition("2014-09-14", "accompanied", 2, 6, 5),
)
MONTHS = ["2013-11", "2013-12", "2014-08", "2014-09"]


def profile() -> OfficialProfile:
    return OfficialProfile(
        "Hwang Pyong So", ("Hwang Pyong So",), (), (), (), POSITIONS, "2013-11-05", "2014-09-14", 5, 4
    )


def test_the_time_axis_is_proportional_to_time_and_breaks_at_a_gap() -> None:
    axis = TimeAxis.over(MONTHS)
    at = [axis.at(m) for m in MONTHS]
    assert at == sorted(at) and at[0] > 0 and at[-1] < 1
    assert 7.5 < (at[2] - at[1]) / (at[1] - at[0]) < 8.5  # eight months from December to August, not one
    assert breaks(MONTHS) == [True, False, True, False]
    xs, ys = broken(MONTHS, [2, 3, 1, 2])
    assert len(xs) == 5 and math.isnan(ys[2]) and xs[1] < xs[2] < xs[3]
    assert [y for y in ys if not math.isnan(y)] == [2, 3, 1, 2]


def test_the_positions_file_puts_months_on_a_time_axis_and_breaks_the_line() -> None:
    figure = positions_figure("Hwang Pyong So", monthly_positions(POSITIONS))
    axes = figure.axes[0]
    lines = {line.get_label(): line for line in axes.get_lines()}
    accompanied = lines["accompanied lists"]
    x, y = list(accompanied.get_xdata()), list(accompanied.get_ydata())
    points = [(xi, yi) for xi, yi in zip(x, y, strict=True) if not math.isnan(yi)]
    days = [b[0] - a[0] for a, b in zip(points, points[1:], strict=False)]
    assert len(points) == 4 and 29 < days[0] < 32 and 240 < days[1] < 250 and 29 < days[2] < 32
    assert math.isnan(y[2])  # no segment from 2013-12 to 2014-08
    assert axes.get_ylim()[1] < axes.get_ylim()[0] and axes.get_ylim()[1] <= 1  # inverted; place 1 on the axis
    ticks = [t for t in axes.get_yticks() if axes.get_ylim()[1] <= t <= axes.get_ylim()[0]]
    assert 1 in ticks and len(ticks) >= 3
    figure.canvas.draw()
    legend = axes.get_legend()
    assert legend is not None and not legend.get_window_extent().overlaps(axes.get_window_extent())
    texts = [t.get_text() for t in axes.texts]
    assert texts == ["1"] * 5  # every dot labelled with the articles behind it


def test_the_positions_file_is_written(tmp_path: Path) -> None:
    out = tmp_path / "hwang.svg"
    assert positions_chart(profile(), out) == 5
    assert "accompanied lists" in out.read_text(encoding="utf-8")


def test_the_web_chart_puts_months_on_a_time_axis_and_breaks_the_line() -> None:
    series = [
        (f"{kind} lists", "#111", [(p.month, p.position, p.articles) for p in points])
        for kind, points in monthly_positions(POSITIONS).items()
    ]
    svg = str(rank_chart(series, label="places"))
    dots = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="4" fill="#111"><title>([\d-]+), accompanied', svg)
    xs = [float(x) for x, _, _ in dots]
    assert [m for _, _, m in dots] == MONTHS
    assert 7.5 < (xs[2] - xs[1]) / (xs[1] - xs[0]) < 8.5  # spaced by time, not side by side
    path = re.findall(r'<path d="([^"]+)"', svg)[0]
    assert path.count("M") == 2 and path.count("L") == 2  # lifted across the missing months
    jumps = [float(x) for x in re.findall(r"M([\d.]+),", path)]
    assert abs(jumps[1] - xs[2]) < 0.2  # the second run starts at 2014-08, nothing drawn from 2013-12
    ticks = re.findall(r'class="y-tick">([^<]+)<', svg)
    assert ticks[0] == "1" and len(ticks) >= 3 and int(ticks[-1]) >= 4  # the places named, down to the deepest
    assert 'class="y-label"' in svg and 'class="x-label">month<' in svg
    labels = [(float(x), m) for x, m in re.findall(r'<text x="([\d.]+)"[^>]*class="period">([^<]+)<', svg)]
    assert labels[0][1] == "2013-11" and "2014-08" in [m for _, m in labels]  # a label wherever there is room
    for x, month in labels:  # each under its own month's dots
        assert abs(x - xs[MONTHS.index(month)]) < 0.2


def test_the_appearances_file_spans_real_time_with_the_legend_off_the_bars() -> None:
    from matplotlib.patches import Rectangle

    from propscope.analyze.leadership_charts import appearances_figure
    from propscope.results import AppearanceCounts, AppearancePeriod

    counts = AppearanceCounts(
        "Kim Jong Un",
        "day",  # days are drawn as found: the axis, not the list of bars, must keep them apart
        (
            AppearancePeriod("2014-08-01", 3, 2, (("economy", 3),)),
            AppearancePeriod("2014-08-02", 1, 1, (("military", 1),)),
            AppearancePeriod("2014-10-14", 2, 1, (("economy", 1), ("culture", 1))),
        ),
    )
    figure = appearances_figure(counts)
    axes = figure.axes[0]
    bars = [p for p in axes.patches if isinstance(p, Rectangle) and p.get_height() > 0]
    centres = sorted({round(b.get_x() + b.get_width() / 2, 3) for b in bars})
    assert len(centres) == 3 and centres[1] - centres[0] == 1 and centres[2] - centres[1] == 73  # days apart
    assert min(b.get_y() for b in bars) == 0 and axes.get_ylim()[0] == 0
    figure.canvas.draw()
    legend = axes.get_legend()
    assert legend is not None and not legend.get_window_extent().overlaps(axes.get_window_extent())
    assert [t.get_text() for t in axes.texts] == ["2", "1", "1"]  # the articles above each bar
