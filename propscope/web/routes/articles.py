"""Articles: the page with toggleable highlights and each country's stance with its evidence, its history of
versions, and the same as JSON; over Archive.article_detail, history and diff."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from propscope.model import Article
from propscope.web.deps import Reader, render
from propscope.web.highlight import LAYERS, evidence_anchor, marks
from propscope.web.highlight import render as highlighted
from propscope.web.params import Id, VersionNumber

router = APIRouter()


EXCERPT = 160  # characters of an evidence span quoted in the Stance section (the text shows it whole)


def stance_rows(article: Article) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """(country, stance, [(anchor, kind, excerpt)]) for each country the article names: what the Stance
    section lists, each excerpt linking to its span highlighted in the text."""
    evidence: dict[str, list[tuple[str, str, str]]] = {}
    for index, e in enumerate(article.stance_evidence):
        quoted = " ".join(e.text_in(article.text).split())
        if len(quoted) > EXCERPT:
            quoted = quoted[: EXCERPT - 40] + " … " + quoted[-30:]
        evidence.setdefault(e.country, []).append((evidence_anchor(index), e.kind, quoted))
    return [(code, stance, evidence.get(code, [])) for code, stance in article.stance.items()]


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: Id, archive: Reader) -> HTMLResponse:
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
            "stance": stance_rows(detail.article),
            "layers": [(layer, layer in present) for layer in LAYERS],
        },
    )


@router.get("/articles/{article_id}/history", response_class=HTMLResponse)
def history_page(request: Request, article_id: Id, archive: Reader) -> HTMLResponse:
    history = archive.history(article_id)
    return render(request, "history.html", {"id": article_id, "versions": history.versions, "changes": history.steps})


@router.get("/api/articles/{article_id}")
def api_article(article_id: Id, archive: Reader) -> dict[str, Any]:
    return archive.article_detail(article_id).to_json()


@router.get("/api/articles/{article_id}/versions")
def api_versions(article_id: Id, archive: Reader) -> list[dict[str, Any]]:
    return [v.to_json() for v in archive.versions(article_id)]


@router.get("/api/articles/{article_id}/diff")
def api_diff(article_id: Id, archive: Reader, a: VersionNumber = None, b: VersionNumber = None) -> dict[str, Any]:
    """The change from version a to version b (default: the last two)."""
    return archive.diff(article_id, a, b).to_json()


__all__ = ["router"]
