"""Charts people would rather look at than read: support events by country over time.

matplotlib draws offline into PNG or SVG (the Agg backend: no display needed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from propscope.errors import PropscopeError


def support_chart(counts: Sequence[tuple[str, str, int]], out: Path, top: int, country_names: dict[str, str]) -> int:
    """Stacked bars of support events per period for the `top` countries (the rest as "other").
    Returns the number of periods drawn."""
    if out.suffix.lower() not in (".png", ".svg"):
        raise PropscopeError(f"{out}: the chart is written as .png or .svg; name the file so")
    if not counts:
        raise PropscopeError("no dated support events in the archive; ingest dispatches first")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    totals: dict[str, int] = defaultdict(int)
    for _, country, n in counts:
        totals[country] += n
    leaders = [c for c, _ in sorted(totals.items(), key=lambda kv: -kv[1])[:top]]
    periods = sorted({period for period, _, _ in counts})
    series: dict[str, list[int]] = {c: [0] * len(periods) for c in [*leaders, "other"]}
    index = {p: i for i, p in enumerate(periods)}
    for period, country, n in counts:
        series[country if country in leaders else "other"][index[period]] += n
    figure, axes = plt.subplots(figsize=(max(8, len(periods) * 0.45), 5.5), dpi=120)
    bottom = [0] * len(periods)
    colours = plt.get_cmap("tab20")
    for i, (country, values) in enumerate(series.items()):
        if not any(values):
            continue
        label = "other" if country == "other" else f"{country_names.get(country, country)} ({country})"
        axes.bar(periods, values, bottom=bottom, label=label, color=colours(i % 20), width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_title(f"Foreign support claimed in the archive: events by country (top {top})")
    axes.set_ylabel("support events")
    axes.tick_params(axis="x", rotation=90 if len(periods) > 24 else 45)
    axes.legend(fontsize="small", ncol=2, frameon=False)
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out)
    plt.close(figure)
    return len(periods)
