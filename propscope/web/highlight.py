"""The original text cut into runs by every annotation layer, so a page can toggle each layer's highlight.

Layers overlap (an epithet inside a technique span inside the relayed part), so the text is split at every
span boundary and each run carries the classes of all spans covering it; a run is escaped before any markup
is added around it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from markupsafe import Markup

from propscope.model import Article

LAYERS = ("entity", "technique", "epithet", "relayed", "furniture")


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    layer: str  # one of LAYERS
    css: str  # extra class, e.g. the entity type
    label: str  # shown on hover


def marks(article: Article) -> list[Mark]:
    found: list[Mark] = []
    for e in article.entities:
        found.append(Mark(e.start, e.end, "entity", f"entity-{e.type}", f"{e.type}: {e.canonical}"))
    for t in article.techniques:
        found.append(Mark(t.start, t.end, "technique", "technique", f"{t.technique} ({t.score:.2f})"))
    for p in article.epithets:
        target = f" toward {p.target_country}" if p.target_country else ""
        found.append(Mark(p.start, p.end, "epithet", f"epithet-{p.kind}", f"epithet, {p.kind}{target}"))
    for q in article.quotes:
        if q.kind == "relayed":
            found.append(Mark(q.start, q.end, "relayed", "relayed", "relayed text"))
    for r in article.relayed_from:
        found.append(Mark(r.start, r.end, "relayed", "relay-cue", f"relayed from {r.outlet} ({r.form})"))
    for f in article.furniture:
        found.append(Mark(f.start, f.end, "furniture", "furniture", f"page furniture: {f.kind}"))
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


__all__ = ["LAYERS", "Mark", "marks", "render"]
