"""The original text cut into runs by every annotation layer, so a page can toggle each layer's highlight.

Layers overlap (an epithet inside a technique span inside the relayed part), so the text is split at every
span boundary and each run carries the classes of all spans covering it; a run is escaped before any markup
is added around it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup

from propscope.model import SPAN_LAYERS, Article

LAYERS = ("entity", "technique", "epithet", "stance", "appearance", "relayed", "furniture")


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    layer: str  # one of LAYERS
    css: str  # extra class, e.g. the entity type
    label: str  # shown on hover
    anchor: str = ""  # an id placed where the span starts, for links to it (a stance's evidence)


def _epithet(p: Any) -> Mark:
    target = f" toward {p.target_country}" if p.target_country else ""
    return Mark(p.start, p.end, "epithet", f"epithet-{p.kind}", f"epithet, {p.kind}{target}")


def evidence_anchor(index: int) -> str:
    """The id of the article's index-th stance evidence span in the page, which the Stance section links to."""
    return f"evidence-{index}"


# How each highlighted span layer (model.SPAN_LAYERS, by name) is marked; None leaves a span unmarked.
MARKERS: dict[str, Callable[[Any], Mark | None]] = {
    "entities": lambda e: Mark(e.start, e.end, "entity", f"entity-{e.type}", f"{e.type}: {e.canonical}"),
    "techniques": lambda t: Mark(t.start, t.end, "technique", "technique", f"{t.technique} ({t.score:.2f})"),
    "epithets": _epithet,
    "quotes": lambda q: Mark(q.start, q.end, "relayed", "relayed", "relayed text") if q.kind == "relayed" else None,
    "stance_evidence": lambda e: Mark(
        e.start, e.end, "stance", f"stance-{e.stance}", f"{e.stance} toward {e.country} ({e.kind})"
    ),
    "appearances": lambda a: Mark(
        a.start, a.end, "appearance", f"appearance-{a.kind}", f"{a.leader}'s appearance ({a.kind})"
    ),
    "relayed_from": lambda r: Mark(r.start, r.end, "relayed", "relay-cue", f"relayed from {r.outlet} ({r.form})"),
    "furniture": lambda f: Mark(f.start, f.end, "furniture", "furniture", f"page furniture: {f.kind}"),
}


def marks(article: Article) -> list[Mark]:
    """Every span of the highlighted layers, in the registry's order (hover labels follow it); each stance
    evidence span carries its anchor (evidence_anchor of its index in the article's list)."""
    found: list[Mark] = []
    for layer in SPAN_LAYERS:
        marker = MARKERS.get(layer.name)
        if marker is None:
            continue
        made = [marker(span) for span in layer.spans(article)]
        if layer.name == "stance_evidence":
            made = [replace(m, anchor=evidence_anchor(i)) if m else m for i, m in enumerate(made)]
        found.extend(m for m in made if m is not None)
    return [m for m in found if 0 <= m.start < m.end <= len(article.text)]


def render(text: str, spans: list[Mark]) -> Markup:
    """The whole text, escaped, with a <span> per run carrying the classes and labels of its marks."""
    cuts = sorted({0, len(text), *(m.start for m in spans), *(m.end for m in spans)})
    anchors: dict[int, list[str]] = {}
    for m in spans:
        if m.anchor:
            anchors.setdefault(m.start, []).append(m.anchor)
    out: list[str] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        out.extend(f'<a id="{html.escape(name, quote=True)}" class="anchor"></a>' for name in anchors.get(start, ()))
        piece = html.escape(text[start:end])
        covering = [m for m in spans if m.start <= start and end <= m.end]
        if not covering:
            out.append(piece)
            continue
        classes = " ".join(dict.fromkeys(c for m in covering for c in ("hl", f"hl-{m.layer}", m.css)))
        title = html.escape("; ".join(dict.fromkeys(m.label for m in covering)), quote=True)
        out.append(f'<span class="{classes}" title="{title}">{piece}</span>')
    return Markup("".join(out))


__all__ = ["LAYERS", "MARKERS", "Mark", "evidence_anchor", "marks", "render"]
