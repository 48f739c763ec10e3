"""The original text cut into runs by every annotation layer, so a page can toggle each layer's highlight.

Layers overlap (an epithet inside a technique span inside the relayed part), so the text is split at every
span boundary and each run carries the classes of all spans covering it; a run is escaped before any markup
is added around it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from propscope.model import SPAN_LAYERS, Article

LAYERS = ("entity", "technique", "epithet", "relayed", "furniture")


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    layer: str  # one of LAYERS
    css: str  # extra class, e.g. the entity type
    label: str  # shown on hover


def _epithet(p: Any) -> Mark:
    target = f" toward {p.target_country}" if p.target_country else ""
    return Mark(p.start, p.end, "epithet", f"epithet-{p.kind}", f"epithet, {p.kind}{target}")


# How each highlighted span layer (model.SPAN_LAYERS, by name) is marked; None leaves a span unmarked.
MARKERS: dict[str, Callable[[Any], Mark | None]] = {
    "entities": lambda e: Mark(e.start, e.end, "entity", f"entity-{e.type}", f"{e.type}: {e.canonical}"),
    "techniques": lambda t: Mark(t.start, t.end, "technique", "technique", f"{t.technique} ({t.score:.2f})"),
    "epithets": _epithet,
    "quotes": lambda q: Mark(q.start, q.end, "relayed", "relayed", "relayed text") if q.kind == "relayed" else None,
    "relayed_from": lambda r: Mark(r.start, r.end, "relayed", "relay-cue", f"relayed from {r.outlet} ({r.form})"),
    "furniture": lambda f: Mark(f.start, f.end, "furniture", "furniture", f"page furniture: {f.kind}"),
}


def marks(article: Article) -> list[Mark]:
    """Every span of the highlighted layers, in the registry's order (hover labels follow it)."""
    found: list[Mark] = []
    for layer in SPAN_LAYERS:
        marker = MARKERS.get(layer.name)
        if marker is not None:
            found.extend(m for m in map(marker, layer.spans(article)) if m is not None)
    return [m for m in found if 0 <= m.start < m.end <= len(article.text)]


def render(text: str, spans: list[Mark]) -> Markup:
    """The whole text, escaped, with a <span> per run carrying the classes and labels of its marks."""
    cuts = sorted({0, len(text), *(m.start for m in spans), *(m.end for m in spans)})
    out: list[str] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = html.escape(text[start:end])
        covering = [m for m in spans if m.start <= start and end <= m.end]
        if not covering:
            out.append(piece)
            continue
        classes = " ".join(sorted({f"hl hl-{m.layer} {m.css}" for m in covering}))
        title = html.escape("; ".join(dict.fromkeys(m.label for m in covering)), quote=True)
        out.append(f'<span class="{classes}" title="{title}">{piece}</span>')
    return Markup("".join(out))


__all__ = ["LAYERS", "MARKERS", "Mark", "marks", "render"]
