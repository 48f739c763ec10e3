"""web/highlight.py: marks come from the registry's layers, in its order."""

from __future__ import annotations

import re

from propscope.model import SPAN_LAYER, Article, Entity, Quote, StanceEvidence, Technique
from propscope.web.highlight import MARKERS, Mark, evidence_anchor, marks, render


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


def _rules(selector_part: str) -> list[dict[str, str]]:
    """The declarations of every style.css rule whose selector names `selector_part`."""
    from propscope.web.deps import HERE

    css = re.sub(r"/\*.*?\*/", "", (HERE / "static" / "style.css").read_text(encoding="utf-8"), flags=re.S)
    found = []
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        if selector_part in selector:
            declarations = (d.split(":", 1) for d in body.split(";") if ":" in d)
            found.append({name.strip(): value.strip() for name, value in declarations})
    return found


def test_the_relayed_layer_draws_no_tick_at_each_run_and_hides_no_highlight_inside_it() -> None:
    """An entity inside a relayed quote cuts the quote into runs: a left-edge shadow drew a tick on each, and
    the quote's background, declared after the entities', painted over theirs."""
    text = "Rodong Sinmun says: the Japanese reactionaries and the United States are to blame."
    start = text.index("the Japanese")
    spans = [
        Mark(start, len(text), "relayed", "relayed", "relayed text"),
        Mark(text.index("Japanese"), text.index("Japanese") + 8, "entity", "entity-country", "country: JP"),
    ]
    page = str(render(text, spans))
    assert page.count("hl-relayed") == 3 and 'class="hl hl-relayed relayed hl-entity entity-country"' in page
    rules = _rules(".hl-relayed")
    assert rules
    for rule in rules:
        assert not {"background", "background-color", "border-left", "outline"} & set(rule), rule
        if "box-shadow" in rule:
            x_offset = rule["box-shadow"].replace("inset", "").split()[0]
            assert float(re.sub(r"[a-z]+$", "", x_offset) or 0) == 0, rule  # no vertical edge per run
