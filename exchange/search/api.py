"""JSON search across pitches, offers and needs, with the same facets as the page; the lists of needs, pitches
and offers are searches of one kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.core.api_errors import API_ERRORS
from exchange.core.forms import query_text
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import DbId
from exchange.core.viewer import Viewer
from exchange.needs.models import NeedStage
from exchange.organisations.models import OrganisationKind
from exchange.search import service
from exchange.search.schemas import FacetOut, HitOut, SearchQuery, SearchResults, SearchResultsOut

router = APIRouter(route_class=TransactionalRoute, tags=["search"], responses=API_ERRORS)


@router.get("/search", response_model=SearchResultsOut)
def search(
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
    q: Annotated[str, query_text(200)] = "",
    kind: Annotated[list[Literal["pitch", "offer", "need"]], Query()] = [],  # noqa: B006
    category: Annotated[list[DbId], Query()] = [],  # noqa: B006
    region: Annotated[list[DbId], Query()] = [],  # noqa: B006
    price: Annotated[list[Literal["free", "paid"]], Query()] = [],  # noqa: B006
    stage: Annotated[list[NeedStage], Query()] = [],  # noqa: B006
    organisation_kind: Annotated[list[OrganisationKind], Query()] = [],  # noqa: B006
    sort: Literal["relevance", "newest"] = "relevance",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResultsOut:
    query = SearchQuery(
        q=q,
        kind=tuple(kind),
        category=tuple(category),
        region=tuple(region),
        price=tuple(price),
        stage=tuple(s.value for s in stage),
        organisation_kind=tuple(k.value for k in organisation_kind),
        sort=sort,
        page=page,
        per_page=per_page,
    )
    return results_out(service.search(db, viewer, query))


@dataclass(frozen=True)
class ListPage:
    """The words and page of a list of one kind (the same three parameters on each list)."""

    q: str
    page: int
    per_page: int


def list_page(
    q: Annotated[str, query_text(200)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ListPage:
    return ListPage(q, page, per_page)


@router.get("/needs", response_model=SearchResultsOut, tags=["needs"])
def list_needs(
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
    asked: ListPage = Depends(list_page),
    stage: Annotated[list[NeedStage], Query()] = [],  # noqa: B006
) -> SearchResultsOut:
    return _list_of_kind(db, viewer, "need", asked, stage=tuple(s.value for s in stage))


def _add_listing_list(kind: Literal["pitch", "offer"], path: str) -> None:
    @router.get(path, response_model=SearchResultsOut, tags=["pitches and offers"], name=f"list_{kind}s")
    def list_listings(
        db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer), asked: ListPage = Depends(list_page)
    ) -> SearchResultsOut:
        return _list_of_kind(db, viewer, kind, asked)


_add_listing_list("pitch", "/pitches")
_add_listing_list("offer", "/offers")


def _list_of_kind(
    db: Session, viewer: Viewer, kind: Literal["pitch", "offer", "need"], asked: ListPage, stage: tuple[str, ...] = ()
) -> SearchResultsOut:
    # Newest first, unless the list is searched.
    query = SearchQuery(
        q=asked.q,
        kind=(kind,),
        stage=stage,
        page=asked.page,
        per_page=asked.per_page,
        sort="relevance" if asked.q else "newest",
    )
    return results_out(service.search(db, viewer, query))


def results_out(results: SearchResults) -> SearchResultsOut:
    return SearchResultsOut(
        total=results.total,
        page=results.query.page,
        pages=results.pages,
        results=[HitOut.model_validate(hit) for hit in results.hits],
        facets=[FacetOut.model_validate(facet, from_attributes=True) for facet in results.facets],
    )
