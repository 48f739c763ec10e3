"""Reused text: which earlier articles the passages of an article come from (as passim does for newspapers).

State media recycle: commentaries quote earlier editorials word for word, anniversaries replay old reports.
Probes of a few words in a row, taken along the article, are looked up in the full-text index; a probe found in
very many articles is a stock formula, not a source, and is reported as such. The earlier articles sharing
the most probes are then aligned word by word with the article, and every shared run of at least `min_words`
words is a reused passage, with character offsets into both texts.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from propscope.model import Article

if TYPE_CHECKING:
    from propscope.store import Store

_WORD = re.compile(r"[^\W_]+")  # the full-text index's own idea of a word (unicode61 splits on "_" too)


@dataclass(frozen=True, slots=True)
class Passage:
    start: int  # in the article's text
    end: int
    source_id: int
    source_date: str | None
    source_title: str
    source_start: int  # in the source's text
    source_end: int
    words: int


@dataclass(slots=True)
class ReuseReport:
    article_id: int
    words: int
    passages: list[Passage] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)  # probes found in too many articles to point at a source
    sources_examined: int = 0
    reused_share: float = 0.0  # share of the article's words inside some reused passage


def _words(text: str, start: int = 0) -> list[re.Match[str]]:
    return list(_WORD.finditer(text, start))


def _earlier(candidate: dict[str, object], article_id: int, date: str | None) -> bool:
    """Published before the article: by date where both have one, same-day ties by id; else by id."""
    other_date = candidate.get("date")
    other_id = int(str(candidate["id"]))
    if date and isinstance(other_date, str):
        return (other_date, other_id) < (date, article_id)
    return other_id < article_id


def find_reuse(
    store: Store,
    article_id: int,
    min_words: int = 12,
    probe: int = 8,
    stride: int = 4,
    formula_limit: int = 200,
    max_sources: int = 20,
) -> ReuseReport:
    article: Article = store.get_article(article_id)
    begin = article.dateline.end if article.dateline else article.body_start
    words = _words(article.text, begin)
    report = ReuseReport(article_id, len(words))
    covered: set[int] = set()  # word indices inside a passage
    hits: Counter[int] = Counter()
    seen_probes: set[tuple[str, ...]] = set()
    for i in range(0, max(0, len(words) - probe + 1), stride):
        key = tuple(m.group(0).lower() for m in words[i : i + probe])
        if key in seen_probes:
            continue
        seen_probes.add(key)
        ids = store.articles_with_phrase(key, formula_limit + 1)
        if len(ids) > formula_limit:
            report.formulas.append(" ".join(m.group(0) for m in words[i : i + probe]))
            continue
        hits.update(i for i in ids if i != article_id)
    heads = store.article_heads(list(hits))
    earlier = [i for i, _ in hits.most_common() if i in heads and _earlier(heads[i], article_id, article.date)]
    tokens = [m.group(0).lower() for m in words]
    for source_id in earlier[:max_sources]:
        report.sources_examined += 1
        source = store.get_article(source_id)
        source_words = _words(source.text, source.dateline.end if source.dateline else source.body_start)
        matcher = difflib.SequenceMatcher(None, tokens, [m.group(0).lower() for m in source_words], autojunk=False)
        for block in matcher.get_matching_blocks():
            if block.size < min_words:
                continue
            covered.update(range(block.a, block.a + block.size))
            report.passages.append(
                Passage(
                    words[block.a].start(),
                    words[block.a + block.size - 1].end(),
                    source_id,
                    source.date,
                    source.title,
                    source_words[block.b].start(),
                    source_words[block.b + block.size - 1].end(),
                    block.size,
                )
            )
    report.passages.sort(key=lambda p: (p.start, p.source_date or "", p.source_id))
    report.reused_share = len(covered) / len(words) if words else 0.0
    return report


__all__ = ["Passage", "ReuseReport", "find_reuse"]
