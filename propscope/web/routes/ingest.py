"""`/api/ingest`: JSON Lines records in the request body, ingested into the archive."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from propscope.errors import QueryError
from propscope.ingest.jsonl import records_from_jsonl_bytes, upload_origin
from propscope.web.deps import Writer

router = APIRouter()


@router.post("/api/ingest")
async def api_ingest(request: Request, archive: Writer) -> dict[str, Any]:
    """The request body is JSON Lines records (the fields `propscope ingest` reads); returns the counts."""
    payload = await request.body()
    if not payload.strip():
        raise QueryError("send JSON Lines records in the request body")
    origin = upload_origin()
    records = records_from_jsonl_bytes(payload, origin, archive.settings.limits)
    result = archive.ingest_records(records, inputs=[origin], workers=1)
    return {
        "added": result.added,
        "unchanged": result.unchanged,
        "new_versions": result.new_versions,
        "quarantined": result.quarantined,
    }


__all__ = ["router"]
