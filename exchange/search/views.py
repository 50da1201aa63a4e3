"""The search page: live filtering with HTMX, and the same URL works with JavaScript off."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.core.database import settings_of
from exchange.core.dates import date_part_names, gather_dates
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.templating import is_htmx, render, render_shared_fragment
from exchange.core.viewer import ANONYMOUS, Viewer
from exchange.needs.models import NEED_STAGE_LABELS, NeedStage
from exchange.payments.featured import Labelled, labelled
from exchange.proposals import procurement
from exchange.reference import service as reference
from exchange.search import cache, service
from exchange.search.feed import atom_feed
from exchange.search.need_form import CLOSES_WITHIN_CHOICES, NEED_PARAMS, need_params
from exchange.search.schemas import SearchQuery

router = APIRouter(route_class=TransactionalRoute)

LIST_PARAMS = ("kind", "category", "region", "price", "stage", "organisation_kind", "visibility")
SINGLE_PARAMS = ("q", "sort", "page", *NEED_PARAMS)
KIND_NAMES = {"pitch": "Pitch", "offer": "Offer", "need": "Need"}
KIND_COLOURS = {"pitch": "purple", "offer": "green", "need": "blue"}


def parse_query(request: Request) -> SearchQuery:
    """Read the query string leniently: a bad value in one filter is dropped, not a failed page."""
    params = request.query_params
    data: dict[str, Any] = {name: params.getlist(name) for name in LIST_PARAMS}
    data.update({name: params[name] for name in SINGLE_PARAMS if params.get(name)})
    # The closing date comes as a GOV.UK date input (three fields) from the page, as one ISO date from links.
    parts = {key: params[key] for key in date_part_names("closes_after") if params.get(key)}
    data = gather_dates({**data, **parts}, ("closes_after",))
    try:
        return SearchQuery.model_validate(data)
    except ValidationError as error:
        bad = {str(item["loc"][0]) for item in error.errors()}
        return SearchQuery.model_validate({k: v for k, v in data.items() if k not in bad})


def page_url(query: SearchQuery, page: int) -> str:
    pairs: list[tuple[str, Any]] = [("q", query.q)] if query.q else []
    for name in LIST_PARAMS:
        pairs.extend((name, value) for value in getattr(query, name))
    pairs.extend(need_params(query))
    if query.sort != "relevance":
        pairs.append(("sort", query.sort))
    if page > 1:
        pairs.append(("page", page))
    return "/search" + ("?" + urlencode(pairs) if pairs else "")


def pagination(query: SearchQuery, pages: int) -> dict[str, Any]:
    current = query.page
    shown = sorted({1, pages, *range(max(1, current - 2), min(pages, current + 2) + 1)})
    items: list[dict[str, Any]] = []
    previous_number = 0
    for number in shown:
        if number - previous_number > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": page_url(query, number), "current": number == current})
        previous_number = number
    return {
        "items": items,
        "previous": {"href": page_url(query, current - 1)} if current > 1 else None,
        "next": {"href": page_url(query, current + 1)} if current < pages else None,
    }


def include_ended_url(query: SearchQuery) -> str | None:
    """A link that shows the ended needs too, when a search of needs is hiding them."""
    if "need" not in query.kind or query.include_ended or query.stage:
        return None
    return page_url(query.model_copy(update={"include_ended": True}), 1)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    query = parse_query(request)
    # Supplier Plus listings lead their page, labelled "Featured"; the ranking itself is unchanged.
    page = labelled(db, service.search(db, viewer, query))
    results = page.results
    # The results area is the same for everyone who may see the same documents and asks the same thing: it is
    # rendered once per version of the index (and of the page's needs' dates, and of the labels).
    key = (
        "search-area",
        *results.version,
        service.visibility_key(viewer),
        viewer.signed_in,
        request.url.query,
        tuple(results.hits),
        page.featured,
        page.supporters,
    )
    area = cache.cached(key, lambda: render_shared_fragment(request, "search/_area.html", _area_context(db, page)))
    if is_htmx(request):
        return HTMLResponse(area, headers={"Vary": "HX-Request"})
    return render(request, "search/index.html", {"results": results, "area": area}, headers={"Vary": "HX-Request"})


def _area_context(db: Session, page: Labelled) -> dict[str, Any]:
    results = page.results
    return {
        "results": results,
        "featured": page.featured,
        "supporters": page.supporters,
        "pagination": pagination(results.query, results.pages),
        "kind_names": KIND_NAMES,
        "kind_colours": KIND_COLOURS,
        "stage_labels": {stage.value: label for stage, label in NEED_STAGE_LABELS.items()},
        "region_names": {r.id: r.name for r in reference.regions(db)},
        "closes_within_choices": CLOSES_WITHIN_CHOICES,
        "include_ended_url": include_ended_url(results.query),
        "feed_url": "/needs.atom" + page_url(results.query, 1).removeprefix("/search"),
    }


FEED_SIZE = 50


@router.get("/needs.atom")
def needs_feed(request: Request, db: Session = Depends(get_db)) -> Response:
    """Needs open for proposals, newest first, with the search page's words, category and region filters."""
    asked = parse_query(request)
    query = asked.model_copy(
        update={"kind": ("need",), "stage": (NeedStage.OPEN_FOR_PROPOSALS.value,), "sort": "newest", "page": 1}
    ).model_copy(update={"per_page": FEED_SIZE})
    results = service.search(db, ANONYMOUS, query)
    self_path = str(request.url.path) + (f"?{request.url.query}" if request.url.query else "")
    page_path = page_url(query, 1)
    categories = {c.id: c.label for c in reference.top_categories(db)}
    closing = procurement.closing_dates(db, {hit.item_id for hit in results.hits})
    base_url = settings_of(db).base_url.rstrip("/")
    body = atom_feed("Needs open for proposals", base_url, self_path, page_path, results.hits, categories, closing)
    return Response(body, media_type="application/atom+xml; charset=utf-8")
