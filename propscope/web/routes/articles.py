"""Articles: the page with toggleable highlights, its history of versions, and the same as JSON; over
Archive.article_detail, history and diff."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from propscope.web.deps import Reader, render
from propscope.web.highlight import LAYERS, marks
from propscope.web.highlight import render as highlighted

router = APIRouter()


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: int, archive: Reader) -> HTMLResponse:
    detail = archive.article_detail(article_id)
    spans = marks(detail.article)
    present = {m.layer for m in spans}
    return render(
        request,
        "article.html",
        {
            "article": detail.article,
            "id": article_id,
            "info": detail.info,
            "translations": detail.translations,
            "copies": detail.copies,
            "text": highlighted(detail.article.text, spans),
            "layers": [(layer, layer in present) for layer in LAYERS],
        },
    )


@router.get("/articles/{article_id}/history", response_class=HTMLResponse)
def history_page(request: Request, article_id: int, archive: Reader) -> HTMLResponse:
    history = archive.history(article_id)
    return render(request, "history.html", {"id": article_id, "versions": history.versions, "changes": history.steps})


@router.get("/api/articles/{article_id}")
def api_article(article_id: int, archive: Reader) -> dict[str, Any]:
    return archive.article_detail(article_id).to_json()


@router.get("/api/articles/{article_id}/versions")
def api_versions(article_id: int, archive: Reader) -> list[dict[str, Any]]:
    return [v.to_json() for v in archive.versions(article_id)]


@router.get("/api/articles/{article_id}/diff")
def api_diff(article_id: int, archive: Reader, a: int | None = None, b: int | None = None) -> dict[str, Any]:
    """The change from version a to version b (default: the last two)."""
    return archive.diff(article_id, a, b).to_json()


__all__ = ["router"]
