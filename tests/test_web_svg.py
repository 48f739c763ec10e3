"""The dashboard's inline SVG charts: a time axis with gaps, y from zero with values, named axes, points on few
articles still marked, long names shortened with the whole name on hover."""

from __future__ import annotations

import re

from propscope.web.svg import bar_chart, hbar_chart, line_chart

POINTS = [("2017-10", 0.52), ("2017-11", 0.61), ("2017-12", 0.48), ("2021-09", 0.55), ("2021-10", 0.5)]
ARTICLES = [120, 9, 140, 80, 95]


def circles(svg: str) -> list[tuple[float, float]]:
    return [
        (float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="\d" [^>]*><title>', svg)
    ]


def test_points_sit_on_a_time_axis_and_the_line_breaks_at_a_gap() -> None:
    svg = str(line_chart(POINTS, label="hostility toward US", articles=ARTICLES, sparse_below=30, x_label="month"))
    xs = [x for x, _ in circles(svg)]
    assert len(xs) == 5
    month, gap = xs[1] - xs[0], xs[3] - xs[2]
    assert gap > 40 * month  # 45 months between 2017-12 and 2021-09, not one step
    path = re.search(r'<path d="([^"]+)"', svg)
    assert path is not None and path.group(1).count("M") == 2 and path.group(1).count("L") == 3
    assert svg.count('class="sparse"') == 1 and "2017-11: 0.610 (9 articles, too few to read)" in svg


def test_the_y_axis_starts_at_zero_shows_values_and_both_axes_are_named() -> None:
    svg = str(line_chart(POINTS, label="hostility toward US", articles=ARTICLES, sparse_below=30, x_label="month"))
    ticks = re.findall(r'class="y-tick">([^<]+)<', svg)
    assert ticks[0] == "0" and len(ticks) >= 3 and float(ticks[-1]) >= 0.61
    assert 'class="y-label"' in svg and ">hostility toward US</text>" in svg and 'class="x-label">month<' in svg
    grid = [float(y) for y in re.findall(r'<line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"', svg)]
    zero, top = grid[0], grid[-1]
    for (_, y), (_, value) in zip(circles(svg), POINTS, strict=True):  # each value measured from the zero line
        assert abs(y - (zero - (zero - top) * value / float(ticks[-1]))) < 0.2


def test_long_names_are_shortened_at_a_word_with_the_whole_name_on_hover() -> None:
    name = "Central Standing Committee of the General Association of Korean Residents in Japan"
    svg = str(hbar_chart([(name, 12, None), ("Cuba", 3, None)], articles=[10, 3]))
    shown = re.findall(r"<text[^>]*text-anchor=\"end\"[^>]*><title>([^<]*)</title>([^<]*)</text>", svg)
    assert shown[0][0] == name and shown[0][1].endswith("…") and name.startswith(shown[0][1][:-1])
    assert len(shown[0][1]) <= 26 and shown[1] == ("Cuba", "Cuba")


def test_the_histogram_shows_its_scale_from_zero() -> None:
    svg = str(bar_chart([("2017-05-01", 4, "/?since=2017-05-01"), ("2017-05-02", 0, None)]))
    assert re.findall(r'class="y-tick">([^<]+)<', svg) == ["0", "1", "2", "3", "4"]  # counts: whole values
    svg = str(bar_chart([("2017", 1234, None), ("2018", 17, None)]))
    ticks = [int(t.replace(",", "")) for t in re.findall(r'class="y-tick">([^<]+)<', svg)]
    assert ticks[0] == 0 and ticks[-1] >= 1234 and 3 <= len(ticks) <= 6


def test_stacked_bars_show_their_values_from_zero() -> None:
    from propscope.web.svg import stacked_bars

    svg = str(
        stacked_bars([("2014-08", (2, 1), 2, None), ("2014-09", (0, 0), 0, None)], [("a", "#111"), ("b", "#222")])
    )
    ticks = re.findall(r'<line x1="[\d.]+" x2="[\d.]+" y1="([\d.]+)"[^>]*/><text[^>]*class="y-tick">([^<]+)<', svg)
    assert [t for _, t in ticks] == ["0", "1", "2", "3"]
    zero, three = float(ticks[0][0]), float(ticks[-1][0])
    rects = [
        (float(y), float(h))
        for y, h in re.findall(r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', svg)
    ]
    assert abs(rects[0][0] + rects[0][1] - zero) < 0.2 and abs(rects[1][0] - three) < 0.2  # 2 + 1 reach the 3


def test_every_chart_s_text_stays_legible_shrunk_to_a_phone_s_card() -> None:
    from propscope.web.svg import PHONE_WIDTH, heat_map, rank_chart, stacked_bars

    names = ["Choe Ryong Hae", "Hwang Pyong So", "Central Standing Committee of the General Association"] * 4
    charts = {
        "line": line_chart(POINTS, label="hostility toward US", articles=ARTICLES, sparse_below=30, x_label="month"),
        "hbars": hbar_chart([(n, i + 1, None) for i, n in enumerate(names)], articles=list(range(1, 13))),
        "bars": bar_chart([(f"2017-05-{d:02}", d, None) for d in range(1, 32)]),
        "stacked": stacked_bars(
            [(f"20{y}-{m:02}", (m, 1), m + 1, None) for y in range(10, 20) for m in range(1, 13)],
            [("economy", "#111"), ("military", "#222")],
        ),
        "ranks": rank_chart([("accompanied lists", "#111", [(f"2014-{m:02}", m, 2) for m in range(1, 13)])]),
        "heat": heat_map(names, [[i + j for j in range(12)] for i in range(12)], [[1] * 12 for _ in range(12)]),
    }
    for kind, chart in charts.items():
        svg = str(chart)
        width = float(re.search(r'viewBox="[-\d.]+ 0 ([\d.]+) ', svg).group(1))  # type: ignore[union-attr]
        scale = min(1.0, PHONE_WIDTH / width)
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
        assert sizes and min(sizes) * scale >= 10, f"{kind}: text at {min(sizes) * scale:.1f} px on a phone"
        assert f'width="{width:g}"' in svg  # drawn at its own size: the style sheet only ever shrinks it


def test_a_full_width_chart_is_drawn_wide_for_desktops_and_small_for_phones() -> None:
    from functools import partial

    from propscope.web.svg import CARD, CARD_AT_WIDE, PHONE_WIDTH, for_every_screen, stacked_bars

    bars = [(f"2014-{m:02}", (m, 1), m + 1, None) for m in range(1, 13)]
    both = str(for_every_screen(partial(stacked_bars, bars, [("economy", "#111"), ("military", "#222")])))
    wide, narrow = both.split('<div class="chart-narrow">')
    assert wide.startswith('<div class="chart-wide">') and wide.count("<svg") == narrow.count("<svg") == 1
    for drawing, box in ((wide, CARD_AT_WIDE), (narrow, PHONE_WIDTH)):  # the narrowest box each is shrunk into
        width = float(re.search(r'viewBox="[-\d.]+ 0 ([\d.]+) ', drawing).group(1))  # type: ignore[union-attr]
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', drawing)]
        assert min(sizes) * min(1.0, box / width) >= 10 and drawing.count('<g class="bar">') == 12
    assert f'width="{CARD}"' in wide and max(float(s) for s in re.findall(r'font-size="([\d.]+)"', wide)) <= 14
    assert for_every_screen(partial(stacked_bars, [], [])) == ""
