"""Saved web pages of news sites: the main text by trafilatura, title and date from the page's metadata.

The article text is `title + "\\n\\n" + main text` as trafilatura extracts it; offsets refer to that text,
and the page's bytes are kept as the raw input.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from propscope.ingest.text import MAX_TEXT_BYTES
from propscope.model import Quarantined, RawRecord


def read_html(path: Path) -> Iterator[RawRecord | Quarantined]:
    origin = str(path)
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        yield Quarantined(origin=origin, reason=f"web page of {size:,} bytes is too large to be an article")
        return
    raw = path.read_bytes()
    record = extract_page(raw, origin)
    yield record


def extract_page(raw: bytes, origin: str, url: str | None = None) -> RawRecord | Quarantined:
    import trafilatura  # imported here: it costs ~0.5 s to load and most runs read no HTML

    try:
        doc = trafilatura.bare_extraction(
            raw, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
        )
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
