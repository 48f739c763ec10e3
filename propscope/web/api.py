"""The REST API (OpenAPI at /docs): search with facets, articles with every span, versions and diffs, trends,
actors, exports of any search without a row cap, saved searches, ingest.

Reads open the archive read-only per request; writes (ingest, saved searches) go through `require_write`.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel

from propscope.alerts import filters_to_dict
from propscope.analyze.trends import parse_metric, trend
from propscope.analyze.versions import compare
from propscope.archive import Archive
from propscope.errors import NotFoundError, QueryError
from propscope.ingest.jsonl import records_from_jsonl_bytes, upload_origin
from propscope.model import GENRES, SearchFilters
from propscope.search import technique_names

EXPORT_COLUMNS = ("id", "date", "title", "genre", "source", "lang", "url", "countries", "persons", "body")


class SearchParams:
    """The query and filters every search-like endpoint and page takes, as query parameters."""

    def __init__(
        self,
        q: str | None = None,
        since: str | None = None,
        until: str | None = None,
        genre: Annotated[list[str] | None, Query()] = None,
        country: Annotated[list[str] | None, Query()] = None,
        person: Annotated[list[str] | None, Query()] = None,
        outlet: Annotated[list[str] | None, Query()] = None,
        technique: Annotated[list[str] | None, Query()] = None,
        target: Annotated[list[str] | None, Query()] = None,
    ) -> None:
        self.q = (q or "").strip() or None
        self.since, self.until = since or None, until or None
        self.genre = [g for g in genre or [] if g]
        self.country = [c.upper() for c in country or [] if c]
        self.person = [p for p in person or [] if p]
        self.outlet = [o for o in outlet or [] if o]
        self.technique = [t for t in technique or [] if t]
        self.target = [t.upper() for t in target or [] if t]

    def filters(self) -> SearchFilters:
        unknown = [g for g in self.genre if g not in GENRES]
        if unknown:
            raise QueryError(f"unknown genre {unknown[0]!r}: use one of {', '.join(GENRES)}")
        return SearchFilters(
            since=self.since,
            until=self.until,
            genres=tuple(self.genre),
            countries=tuple(self.country),
            outlets=tuple(self.outlet),
            persons=tuple(self.person),
            techniques=technique_names(",".join(self.technique)) if self.technique else (),
            targets=tuple(self.target),
        )

    def items(self) -> list[tuple[str, str]]:
        """The parameters as (name, value) pairs, for links that keep them."""
        pairs: list[tuple[str, str]] = []
        for name in ("q", "since", "until"):
            value = getattr(self, name)
            if value:
                pairs.append((name, value))
        for name in ("genre", "country", "person", "outlet", "technique", "target"):
            pairs.extend((name, value) for value in getattr(self, name))
        return pairs


class SavedSearchIn(BaseModel):
    name: str
    query: str | None = None
    filters: dict[str, Any] = {}
    webhook: str | None = None


def hit_json(hit: Any) -> dict[str, Any]:
    return {
        "id": hit.id,
        "date": hit.date,
        "title": hit.title,
        "genre": hit.genre,
        "source": hit.source,
        "snippet": hit.snippet,
        "score": hit.score,
        "copies": hit.copies,
    }


def build_router(db: str, require_write: Callable[..., None]) -> APIRouter:
    router = APIRouter(prefix="/api")

    def reader() -> Archive:
        return Archive(db, readonly=True, pooled=True)

    @router.get("/search")
    def api_search(
        params: Annotated[SearchParams, Depends()],
        limit: Annotated[int, Query(ge=1, le=1000)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
        sort: Annotated[str, Query(pattern="^(relevance|date)$")] = "relevance",
        facets: bool = False,
        collapse: bool = True,
    ) -> dict[str, Any]:
        """Matches, one per story unless collapse=false (each hit says how many other copies it stands for)."""
        filters = params.filters()
        with reader() as archive:
            hits = archive.search(
                params.q, filters, limit=limit, offset=offset, sort=sort if params.q else "date", collapse=collapse
            )
            total = archive.count(params.q, filters, collapse=collapse)
            body: dict[str, Any] = {"total": total, "hits": [hit_json(h) for h in hits]}
            if facets:
                body["facets"] = {
                    name: [{"value": v, "count": n} for v, n in rows]
                    for name, rows in archive.store.facets(params.q, filters).items()
                }
        return body

    @router.get("/articles/{article_id}")
    def api_article(article_id: int) -> dict[str, Any]:
        with reader() as archive:
            article = archive.article(article_id)
            info = archive.store.article_info(article_id)
            translations = archive.store.translations(article_id)
            copies = archive.store.cluster_members(article_id)
        return {**info, **article.to_dict(include_text=True), "translations": translations, "copies": copies}

    @router.get("/articles/{article_id}/versions")
    def api_versions(article_id: int) -> list[dict[str, Any]]:
        with reader() as archive:
            versions = archive.store.versions(article_id)
        return [{k: v[k] for k in ("version", "seen_at", "title", "content_sha1")} for v in versions]

    @router.get("/articles/{article_id}/diff")
    def api_diff(article_id: int, a: int | None = None, b: int | None = None) -> dict[str, Any]:
        """The change from version a to version b (default: the last two)."""
        with reader() as archive:
            versions = {v["version"]: v for v in archive.store.versions(article_id)}
        numbers = sorted(versions)
        old, new = a or (numbers[-2] if len(numbers) > 1 else numbers[-1]), b or numbers[-1]
        if old not in versions or new not in versions:
            raise NotFoundError(f"article {article_id} has versions {numbers}; ask for two of them")
        change = compare(versions[old]["text"], versions[new]["text"])
        return {
            "from": old,
            "to": new,
            "change": change.kind,
            "words_added": change.words_added,
            "words_removed": change.words_removed,
            "ops": [{"op": op.op, "old": op.old, "new": op.new} for op in change.ops],
        }

    @router.get("/trends")
    def api_trends(
        metric: str = "hostility",
        country: str | None = None,
        by: str = "month",
        since: str | None = None,
        until: str | None = None,
    ) -> dict[str, Any]:
        chosen = parse_metric(metric)
        with reader() as archive:
            points = trend(archive.store, chosen, by, country.upper() if country else None, since, until)
        return {
            "metric": metric,
            "country": country,
            "by": by,
            "points": [
                {"period": p.period, "articles": p.articles, "counted": p.counted, "value": p.value} for p in points
            ],
        }

    @router.get("/actors")
    def api_actors(
        since: str | None = None,
        until: str | None = None,
        country: Annotated[list[str] | None, Query()] = None,
        type: Annotated[list[str] | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 50,
    ) -> list[dict[str, Any]]:
        with reader() as archive:
            return archive.store.actors(since, until, [c.upper() for c in country or []], type or [], limit)

    @router.get("/export")
    def api_export(
        params: Annotated[SearchParams, Depends()],
        format: Annotated[str, Query(pattern="^(csv|jsonl|parquet)$")] = "jsonl",
    ) -> Response:
        """Every matching article, streamed: CSV, JSON Lines or Parquet (written to a temporary file first, as
        Parquet's footer comes last, then streamed)."""
        filters = params.filters()
        name = f"propscope-export.{format}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        if format == "parquet":
            return StreamingResponse(
                _parquet(db, params.q, filters), media_type="application/vnd.apache.parquet", headers=headers
            )
        media = "text/csv" if format == "csv" else "application/x-ndjson"
        return StreamingResponse(_text_rows(db, params.q, filters, format), media_type=media, headers=headers)

    @router.get("/saved")
    def api_saved() -> list[dict[str, Any]]:
        with reader() as archive:
            return archive.store.saved_searches()

    @router.post("/saved", status_code=201, dependencies=[Depends(require_write)])
    def api_save(body: SavedSearchIn) -> dict[str, Any]:
        if not body.name.strip():
            raise QueryError("a saved search needs a name")
        from propscope.alerts import filters_from_dict

        filters = filters_to_dict(filters_from_dict(body.filters))  # drops unknown keys, checks the shape
        with Archive(db) as archive:
            saved_id = archive.store.save_search(body.name.strip(), body.query or None, filters, body.webhook or None)
            return archive.store.saved_search(saved_id)

    @router.delete("/saved/{saved_id}", status_code=204, dependencies=[Depends(require_write)])
    def api_unsave(saved_id: int) -> Response:
        with Archive(db) as archive:
            archive.store.delete_saved_search(saved_id)
        return Response(status_code=204)

    @router.post("/ingest", dependencies=[Depends(require_write)])
    async def api_ingest(request: Request) -> dict[str, Any]:
        """The request body is JSON Lines records (the fields `propscope ingest` reads); returns the counts."""
        payload = await request.body()
        if not payload.strip():
            raise QueryError("send JSON Lines records in the request body")
        origin = upload_origin()
        with Archive(db) as archive:
            result = archive.ingest_records(records_from_jsonl_bytes(payload, origin), inputs=[origin], workers=1)
        return {
            "added": result.added,
            "unchanged": result.unchanged,
            "new_versions": result.new_versions,
            "quarantined": result.quarantined,
        }

    return router


def _text_rows(db: str, query: str | None, filters: SearchFilters, format: str) -> Iterator[bytes]:
    with Archive(db, readonly=True) as archive:
        if format == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(EXPORT_COLUMNS)
            for batch in archive.store.iter_matches(query, filters):
                for row in batch:
                    writer.writerow(
                        [
                            "; ".join(row[c]) if isinstance(row[c], list) else ("" if row[c] is None else row[c])
                            for c in EXPORT_COLUMNS
                        ]
                    )
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
            yield buffer.getvalue().encode("utf-8")
        else:
            for batch in archive.store.iter_matches(query, filters):
                yield "".join(
                    json.dumps({c: row[c] for c in EXPORT_COLUMNS}, ensure_ascii=False) + "\n" for row in batch
                ).encode("utf-8")


def _parquet(db: str, query: str | None, filters: SearchFilters) -> Iterator[bytes]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("id", pa.int64()),
            ("date", pa.string()),
            ("title", pa.string()),
            ("genre", pa.string()),
            ("source", pa.string()),
            ("lang", pa.string()),
            ("url", pa.string()),
            ("countries", pa.list_(pa.string())),
            ("persons", pa.list_(pa.string())),
            ("body", pa.string()),
        ]
    )
    with tempfile.TemporaryFile() as spool:
        with Archive(db, readonly=True) as archive, pq.ParquetWriter(spool, schema, compression="zstd") as writer:
            for batch in archive.store.iter_matches(query, filters):
                writer.write_table(pa.Table.from_pylist([{c: row[c] for c in EXPORT_COLUMNS} for row in batch], schema))
        spool.seek(0)
        while chunk := spool.read(1 << 20):
            yield chunk


__all__ = ["EXPORT_COLUMNS", "SearchParams", "build_router", "hit_json"]
