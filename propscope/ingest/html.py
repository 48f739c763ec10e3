"""Saved web pages of news sites: the main text by trafilatura, title and date from the page's metadata.

The article text is `title + "\\n\\n" + main text` as trafilatura extracts it; offsets refer to that text,
and the page's bytes are kept as the raw input. A page costs bounded work: its size, elements and attributes
are counted first (cheaply, with no tree built), and the extraction runs within a time budget; a page over
any of these limits is quarantined with the setting that raises it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from propscope.ingest.budget import OverBudget, time_budget
from propscope.model import Quarantined, RawRecord
from propscope.settings import DEFAULT_LIMITS, Limits

# A start tag up to the next < or >: matches never overlap, so counting them is linear in the page.
_START_TAG = re.compile(rb"<[A-Za-z][^<>]*")
_TAG_OPENING = re.compile(rb"<[A-Za-z]")
_VALUE = re.compile(rb"""=\s*(?:"[^"]*"?|'[^']*'?|[^\s"'<>]*)""")  # an attribute's value, quoted or not
_NAME = re.compile(rb"""[^\s=/"'<>]+""")  # a tag's name, then its attributes' names


def read_html(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[RawRecord | Quarantined]:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > limits.html_bytes:
            yield Quarantined(origin=origin, reason=_over("web page", size, "bytes", limits.html_bytes, "HTML_BYTES"))
            return
        raw = path.read_bytes()
    except OSError as exc:
        yield Quarantined(origin=origin, reason=f"cannot read the web page: {exc.strerror or exc}")
        return
    yield extract_page(raw, origin, limits=limits)


def page_cost(raw: bytes, max_elements: int | None = None) -> tuple[int, int]:
    """(elements, attributes) of a page, counted by regular expressions over its bytes, never parsed: what
    trafilatura and lxml would spend on it grows with these (lxml's parser checks each attribute against the
    element's others, so one element with 100,000 attributes alone takes minutes). Past `max_elements`, the
    attributes are not counted (given as 0)."""
    if max_elements is not None and raw.count(b"<") > max_elements:
        elements = len(_TAG_OPENING.findall(raw))  # two-byte matches: cheaper than whole tags
        if elements > max_elements:
            return elements, 0
    tags = _START_TAG.findall(raw)
    if not tags:
        return 0, 0
    names = _NAME.findall(_VALUE.sub(b" ", b"<".join(tags)))
    return len(tags), len(names) - len(tags)


def page_over_limits(raw: bytes, limits: Limits) -> str | None:
    """Why a page is too costly to extract (one line naming the setting that raises the limit), or None."""
    if len(raw) > limits.html_bytes:
        return _over("web page", len(raw), "bytes", limits.html_bytes, "HTML_BYTES")
    elements, attributes = page_cost(raw, limits.html_elements)
    if elements > limits.html_elements:
        return _over("web page", elements, "elements", limits.html_elements, "HTML_ELEMENTS")
    if attributes > limits.html_attributes:
        return _over("web page", attributes, "attributes", limits.html_attributes, "HTML_ATTRIBUTES")
    return None


def _over(what: str, count: int, unit: str, limit: int, setting: str) -> str:
    return f"{what} has {count:,} {unit}, over the limit of {limit:,}; raise PROPSCOPE_MAX_{setting} to read it"


def extract_page(
    raw: bytes, origin: str, url: str | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> RawRecord | Quarantined:
    too_costly = page_over_limits(raw, limits)
    if too_costly:
        return Quarantined(origin=origin, raw=raw, reason=too_costly)
    try:
        import trafilatura  # imported here: it costs ~0.5 s to load and most runs read no HTML
    except Exception as exc:  # noqa: BLE001 - a broken install (lxml's cleaner split out) costs the page
        reason = f"cannot extract web pages: trafilatura does not load ({type(exc).__name__}: {str(exc)[:300]})"
        return Quarantined(origin=origin, raw=raw, reason=reason)
    try:
        with time_budget(limits.html_seconds):
            doc = trafilatura.bare_extraction(
                raw, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
            )
    except OverBudget:
        seconds = f"{limits.html_seconds:g}"
        reason = f"extracting the page's text took over {seconds} s; raise PROPSCOPE_MAX_HTML_SECONDS to read it"
        return Quarantined(origin=origin, raw=raw, reason=reason)
    except Exception as exc:  # trafilatura raises many types on hostile markup  # noqa: BLE001
        return Quarantined(origin=origin, raw=raw, reason=f"cannot extract the page's text ({type(exc).__name__})")
    if doc is None:
        return Quarantined(origin=origin, raw=raw, reason="no article text found in the page")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    title = " ".join((data.get("title") or "").split())
    main = (data.get("text") or "").strip()
    if not main:
        return Quarantined(origin=origin, raw=raw, reason="no article text found in the page")
    text = f"{title}\n\n{main}" if title else main
    date = data.get("date") or None
    return RawRecord(
        origin=origin,
        kind="html",
        text=text,
        raw=raw,
        title_end=len(title) if title else None,
        url=data.get("url") or url,
        lang=data.get("language") or None,
        source=data.get("sitename") or data.get("hostname") or None,
        date=date[:10] if date else None,
        date_source="page_metadata" if date else None,
        meta={k: data[k] for k in ("author", "hostname", "sitename", "description") if data.get(k)},
    )
