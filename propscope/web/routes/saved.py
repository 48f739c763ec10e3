"""Saved searches (the page, its save and delete forms, `/saved/ID` reopening the search, `/api/saved`), their
Atom feeds and the daily digest; over Archive.saved_searches, save_search, delete_saved_search, feed and
digest."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from propscope.alerts import parse_filters
from propscope.errors import UsageError
from propscope.web.deps import FormWriter, Reader, Writer, render
from propscope.web.params import Id, SearchParams

router = APIRouter()


class SavedSearchIn(BaseModel):
    name: str
    query: str | None = None
    filters: dict[str, Any] = {}
    webhook: str | None = None
    email: str | None = None


@router.get("/saved", response_class=HTMLResponse)
def saved_page(request: Request, archive: Reader) -> HTMLResponse:
    return render(request, "saved.html", {"saved": archive.saved_searches()})


@router.get("/saved/{saved_id}")
def reopen(saved_id: Id, archive: Reader) -> Response:
    """A saved search's own address (its feed's alternate link): the search page with its query and filters."""
    return RedirectResponse(archive.saved_search(saved_id).search_url(), status_code=303)


@router.post("/saved/{saved_id}/delete")
def delete_from_form(saved_id: Id, archive: FormWriter) -> Response:
    archive.delete_saved_search(saved_id)
    return RedirectResponse("/saved", status_code=303)


@router.post("/saved", response_class=HTMLResponse)
def save_from_form(
    archive: FormWriter,
    name: Annotated[str, Form()],
    query_string: Annotated[str, Form()] = "",
    webhook: Annotated[str, Form()] = "",
    email: Annotated[str, Form()] = "",
) -> Response:
    params = SearchParams.from_query_string(query_string)
    filters = params.filters(archive.settings.gazetteer_file)
    archive.save_search(name.strip() or "unnamed", params.q, filters, webhook, email)
    return RedirectResponse("/saved", status_code=303)


@router.get("/saved/{saved_id}/feed.atom")
def feed(request: Request, saved_id: Id, archive: Reader) -> Response:
    return Response(archive.feed(saved_id, str(request.base_url)), media_type="application/atom+xml")


@router.get("/digest", response_class=HTMLResponse)
def digest_page(request: Request, archive: Reader, day: str | None = None) -> HTMLResponse:
    day = (day or "").strip() or None
    if day is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise UsageError(f"day {day!r} is not a date: use YYYY-MM-DD")
    try:
        chosen = dt.date.fromisoformat(day) if day else dt.datetime.now(dt.UTC).date()
    except ValueError as exc:  # 2017-02-30: the right shape, not in the calendar
        raise UsageError(f"day {day!r} is not a date in the calendar ({exc})") from None
    return HTMLResponse(archive.digest(chosen, str(request.base_url)))


@router.get("/api/saved")
def api_saved(archive: Reader) -> list[dict[str, Any]]:
    return [saved.to_json() for saved in archive.saved_searches()]


@router.post("/api/saved", status_code=201)
def api_save(body: SavedSearchIn, archive: Writer) -> dict[str, Any]:
    filters = parse_filters(body.filters, archive.settings.gazetteer_file)  # as the search checks them: 422
    return archive.save_search(body.name, body.query, filters, body.webhook, body.email).to_json()


@router.get("/api/saved/{saved_id}")
def api_saved_one(saved_id: Id, archive: Reader) -> dict[str, Any]:
    return archive.saved_search(saved_id).to_json()


@router.delete("/api/saved/{saved_id}", status_code=204)
def api_unsave(saved_id: Id, archive: Writer) -> Response:
    archive.delete_saved_search(saved_id)
    return Response(status_code=204)


__all__ = ["router"]
