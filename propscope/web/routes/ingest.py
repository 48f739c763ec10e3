"""`/api/ingest`: JSON Lines records in the request body, ingested into the archive."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from propscope.archive import Archive
from propscope.errors import QueryError
from propscope.ingest.jsonl import records_from_jsonl_bytes, upload_origin
from propscope.web.deps import archive_path, require_write

router = APIRouter()


@router.post("/api/ingest", dependencies=[Depends(require_write)])
async def api_ingest(request: Request, db: Annotated[str, Depends(archive_path)]) -> dict[str, Any]:
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


__all__ = ["router"]
