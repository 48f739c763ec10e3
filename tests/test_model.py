"""model.py: one span base and one registry of span layers, which every writer of spans iterates."""

from __future__ import annotations

import json
import typing

from propscope.model import SPAN_LAYER, SPAN_LAYERS, Article, Dateline, Entity, Epithet, Span
from propscope.settings import Settings
from tests.conftest import SEED


def _span_type(hint: object) -> type | None:
    """The Span type a field holds (list[Entity] -> Entity, Dateline | None -> Dateline), else None."""
    for arg in (hint, *typing.get_args(hint)):
        if isinstance(arg, type) and issubclass(arg, Span):
            return arg
    return None


def test_every_span_field_of_article_is_a_registered_layer() -> None:
    hints = typing.get_type_hints(Article)
    spans = {name: kind for name, hint in hints.items() if (kind := _span_type(hint)) is not None}
    assert spans == {layer.name: layer.type for layer in SPAN_LAYERS}


def test_a_layer_writes_its_keys_and_the_slice_it_covers() -> None:
    text = "Pyongyang, May 3 (KCNA) -- The U.S. imperialists"
    entity = Entity(0, 9, "place", "Pyongyang", "KP")
    assert entity.text_in(text) == "Pyongyang"
    assert SPAN_LAYER["entities"].span_json(entity, text) == {
        "text": "Pyongyang",
        "start": 0,
        "end": 9,
        "type": "place",
        "canonical": "Pyongyang",
        "country": "KP",
        "confidence": 1.0,
    }
    epithets = SPAN_LAYER["epithets"]
    assert epithets.fields == ("start", "end", "target_country", "kind") and epithets.text_index == 2
    assert epithets.span_json(Epithet(31, 48, "U.S. imperialists", "US", "hostile"), text)["text"] == text[31:48]
    article = Article("t", "text", text, "", 0, 0, 0, dateline=Dateline("Pyongyang", 5, 3, None, "KCNA", 0, 24))
    assert SPAN_LAYER["dateline"].spans(article) == [article.dateline]
    assert article.to_dict()["dateline"]["text"] == text[:24]


def test_to_dict_keeps_the_keys_and_order_parse_has_always_printed() -> None:
    from propscope.enrich import PARSE_STEPS, Pipeline
    from propscope.model import RawRecord

    text = SEED.read_text(encoding="utf-8")
    article = Pipeline(PARSE_STEPS, Settings())(RawRecord(origin="seed", kind="text", text=text, raw=b""))
    out = article.to_dict(include_text=True)
    assert list(out) == [
        "path", "record_id", "source", "url", "lang", "title", "dateline", "date", "date_source", "date_raw",
        "relayed_from", "genre", "body", "furniture", "quotes", "countries", "persons", "entities", "foreign_support",
        "compatriot_support", "support_events", "techniques", "epithets", "hostility", "stance", "stance_evidence",
        "appearances", "officials", "content_sha1", "text",
    ]  # fmt: skip
    assert json.loads(json.dumps(out)) == out
