"""web/highlight.py: marks come from the registry's layers, in its order."""

from __future__ import annotations

from propscope.model import SPAN_LAYER, Article, Entity, Quote, Technique
from propscope.web.highlight import MARKERS, marks, render


def test_each_marker_names_a_registered_layer() -> None:
    assert set(MARKERS) <= set(SPAN_LAYER)


def test_overlapping_spans_list_their_labels_in_the_registry_order() -> None:
    text = "Kim Jong Un said so."
    article = Article(
        "t",
        "text",
        text,
        "",
        0,
        0,
        0,
        quotes=[Quote("relayed", 0, 20), Quote("quotation", 0, 4)],
        techniques=[Technique(0, 20, "Doubt", 0.5)],
        entities=[Entity(0, 11, "person", "Kim Jong Un"), Entity(5, 40, "person", "beyond the text")],
    )
    found = marks(article)
    assert [m.layer for m in found] == ["entity", "technique", "relayed"]
    html = render(text, found)
    assert 'title="person: Kim Jong Un; Doubt (0.50); relayed text"' in html
