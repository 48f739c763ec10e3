"""Is a dispatch hostile to a country? A learned answer where the aiming rules stop.

The rules in enrich/stance.py aim each word of attack at the nearest mention; they stumble where a friend
struggles "against imperialism", where a supporter is quoted denouncing a third country, where compatriots
attack their own rulers. Each (dispatch, country) pair becomes a short document: tokens for what the rules
found (`zatk` once per sentence they aim at it, `zsup` for a foreign supporter, ...) followed by the sentences
naming it, its own mentions written `zself` and other countries' `zother`. A logistic regression over that
document's word and word-pair TF-IDF, chosen by cross-validation on the stance set's train part only
(tests/devset/train_stance.py), decides. It ships in the support model's format and loads with its loader:
numpy only at ingest.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from propscope.enrich.support_model import SupportModel, load_support_model

if TYPE_CHECKING:
    from propscope.enrich.stance import Analysis, Pair
    from propscope.model import Article

MODEL_PATH = Path(__file__).resolve().parent / "data" / "stance-model.json"
STANCE_TASK = "hostile"
_WORD = re.compile(r"[a-z]+")
_WINDOW = 3  # words each side of a mention
_CAP = 5  # a count beyond this says nothing more
_SENTENCES = 8  # the sentences of a pair the document keeps: attacked first, then beside attack, then the rest


def pair_document(pair: Pair, analysis: Analysis, article: Article) -> str:
    """The pair as the model reads it (the same function builds the training documents)."""
    counts = {
        "zatk": len(pair.attacked),
        "zepit": pair.targeted_epithets,
        "zepin": pair.nearest_epithets,
        "zclose": pair.close,
        "zsubj": pair.subject,
        "zagainst": pair.against,
        "znear": len(pair.near_attack),
        "zfr": len(pair.friendly),
        "zname": pair.named,
    }
    tokens = [name for name, count in counts.items() for _ in range(min(count, _CAP))]
    flags = {
        "zrule": bool(pair.attacked),
        "znorule": not pair.attacked,
        "zsup": pair.supporter,
        "zcomp": pair.compatriot,
        "ztitle": pair.in_title,
        "ztitleatk": pair.in_title and analysis.title_attack,
        "ztitlefr": pair.in_title and analysis.title_friendly,
        "zmost": pair.named > 0 and 2 * len(pair.attacked) >= pair.named,
        "zfrnoatk": bool(pair.friendly) and not pair.near_attack,
    }
    tokens += [name for name, on in flags.items() if on]
    tokens.append(f"zcc{pair.code.lower()}" if pair.code in ("US", "JP", "KR") else "zccother")
    tokens.append(f"zgenre{article.genre.replace('_', '')}")
    ranked = [*sorted(pair.attacked), *pair.near_attack, *pair.sentences]
    chosen: list[int] = []
    for index in ranked:
        if index not in chosen and len(chosen) < _SENTENCES:
            chosen.append(index)
    parts = [" ".join(tokens)]
    lowered = article.text.lower()
    for index in sorted(chosen):
        start, end = analysis.spans[index]
        for m_start, m_end, code in analysis.mentions.get(index, ()):
            if code != pair.code:
                continue
            # The words around each mention: "occupation of zself", "zself imperialists", "against the zself".
            before = _WORD.findall(lowered, max(start, m_start - 40), m_start)[-_WINDOW:]
            after = _WORD.findall(lowered, m_end, min(end, m_end + 40))[:_WINDOW]
            parts.append(" ".join(f"zb{len(before) - i}{w}" for i, w in enumerate(before)))
            parts.append(" ".join(f"za{i + 1}{w}" for i, w in enumerate(after)))
            parts.append(" ".join(f"zw{w}" for w in (*before, *after)))
    return " ".join(part for part in parts if part)


def load_stance_model(path: Path = MODEL_PATH) -> SupportModel | None:
    """The shipped model (None where absent: the rules alone decide then)."""
    return load_support_model(path)


__all__ = ["MODEL_PATH", "STANCE_TASK", "load_stance_model", "pair_document"]
