"""`/api/export`: every match of a search, streamed as CSV, JSON Lines or Parquet, in the shape the CLI's
export writes (analyze/export.py), with no row cap."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from propscope.analyze.export import MEDIA_TYPES, stream
from propscope.choices import ExportFormat
from propscope.web.deps import Reader
from propscope.web.params import SearchParams

router = APIRouter()


@router.get("/api/export")
def api_export(
    params: Annotated[SearchParams, Depends()], archive: Reader, format: ExportFormat = ExportFormat.JSONL
) -> StreamingResponse:
    """Every matching article, streamed (the archive stays open until the last byte is sent)."""
    rows = archive.export_rows(params.q, params.filters())
    headers = {"Content-Disposition": f'attachment; filename="propscope-export.{format.value}"'}
    return StreamingResponse(stream(rows, format), media_type=MEDIA_TYPES[format], headers=headers)


__all__ = ["router"]
