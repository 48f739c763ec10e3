"""web/highlight.py: marks come from the registry's layers, in its order."""

from __future__ import annotations

from propscope.model import SPAN_LAYER, Article, Entity, Quote, StanceEvidence, Technique
from propscope.web.highlight import MARKERS, evidence_anchor, marks, render


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


def test_stance_evidence_is_a_layer_whose_spans_carry_anchors() -> None:
    text = "The U.S. imperialists attack. China is friendly."
    article = Article(
        "t",
        "text",
        text,
        "",
        0,
        0,
        0,
        stance={"US": "hostile", "CN": "friendly"},
        stance_evidence=[
            StanceEvidence(4, 21, "US", "hostile", "epithet"),
            StanceEvidence(0, 29, "US", "hostile", "sentence"),
            StanceEvidence(30, 48, "CN", "friendly", "sentence"),
            StanceEvidence(40, 99, "CN", "friendly", "sentence"),  # beyond the text: left out
        ],
    )
    found = marks(article)
    assert [(m.layer, m.css, m.anchor) for m in found] == [
        ("stance", "stance-hostile", evidence_anchor(0)),
        ("stance", "stance-hostile", evidence_anchor(1)),
        ("stance", "stance-friendly", evidence_anchor(2)),
    ]
    html = render(text, found)
    assert html.startswith('<a id="evidence-1" class="anchor"></a><span class="hl hl-stance stance-hostile"')
    assert '<a id="evidence-0" class="anchor"></a><span class="hl hl-stance stance-hostile" title="hostile' in html
    assert 'title="hostile toward US (epithet); hostile toward US (sentence)">U.S. imperialists</span>' in html
    assert "evidence-3" not in html
