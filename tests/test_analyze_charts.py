"""The support chart: a real time axis (2006 and 2017 are eleven years apart, not neighbours), y from zero,
the legend off the bars, periods on few articles marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.analyze.charts import support_chart, support_figure

COUNTS = [
    ("2006", "CN", 40, 30), ("2006", "RU", 25, 20), ("2006", "CU", 5, 5),
    ("2017", "CN", 60, 50), ("2017", "RU", 30, 25), ("2017", "SY", 12, 10),
    ("2018", "CN", 3, 3),
]  # fmt: skip
ARTICLES = [("2006", 4000), ("2017", 5000), ("2018", 12)]
NAMES = {"CN": "China", "RU": "Russia", "CU": "Cuba", "SY": "Syria"}


def bars(figure):  # type: ignore[no-untyped-def]
    from matplotlib.patches import Rectangle

    return [p for p in figure.axes[0].patches if isinstance(p, Rectangle) and p.get_height() > 0 and not p.get_hatch()]


def test_the_support_chart_puts_its_bars_on_a_time_axis() -> None:
    figure, drawn, sparse = support_figure(COUNTS, ARTICLES, 2, NAMES)
    assert (drawn, sparse) == (3, 1)
    lefts = sorted({round(b.get_x() + b.get_width() / 2) for b in bars(figure)})
    assert len(lefts) == 3
    assert lefts[1] - lefts[0] > 10 * 365 and lefts[2] - lefts[1] < 366  # eleven years, then one
    assert min(b.get_y() for b in bars(figure)) == 0 and figure.axes[0].get_ylim()[0] == 0


def test_the_support_charts_legend_covers_no_bar() -> None:
    figure, _, _ = support_figure(COUNTS, ARTICLES, 2, NAMES)
    figure.canvas.draw()
    legend = figure.axes[0].get_legend()
    assert legend is not None
    box = legend.get_window_extent()
    assert not box.overlaps(figure.axes[0].get_window_extent())
    assert not any(box.overlaps(b.get_window_extent()) for b in bars(figure))
    assert {t.get_text() for t in legend.get_texts()} >= {"China (CN)", "Russia (RU)", "other"}


def test_a_period_on_few_articles_is_hatched_and_said() -> None:
    figure, _, sparse = support_figure(COUNTS, ARTICLES, 2, NAMES)
    hatched = [p for p in figure.axes[0].patches if p.get_hatch() == "//"]
    assert sparse == 1 and len(hatched) == 1
    assert any("fewer than" in t.get_text() for t in figure.axes[0].get_legend().get_texts())
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert labels[-1] == "2018\nn=12"


def test_the_support_chart_is_written_as_svg_with_text(tmp_path: Path) -> None:
    out = tmp_path / "support.svg"
    assert support_chart(COUNTS, ARTICLES, out, 2, NAMES) == (3, 1)
    svg = out.read_text(encoding="utf-8")
    assert "China (CN)" in svg and "n=5,000" in svg
    with pytest.raises(Exception, match=r"\.png or \.svg"):
        support_chart(COUNTS, ARTICLES, tmp_path / "x.gif", 2, NAMES)
