"""JSON search across pitches, offers and needs, with the same facets as the page; the lists of needs, pitches
and offers are searches of one kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.core.api_errors import API_ERRORS
from exchange.core.errors import Invalid
from exchange.core.forms import MOST_PAGES, query_text
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import DbId
from exchange.core.viewer import Viewer
from exchange.needs.models import NeedStage, Visibility
from exchange.organisations.models import OrganisationKind
from exchange.search import service
from exchange.search.schemas import FacetOut, HitOut, SearchQuery, SearchResults, SearchResultsOut

router = APIRouter(route_class=TransactionalRoute, tags=["search"], responses=API_ERRORS)


@dataclass(frozen=True)
class NeedFilters:
    """What a supplier deciding whether to bid filters needs by (the same on the search and the needs list)."""

    include_ended: bool
    open_now: bool
    closes_within: int | None
    closes_after: date | None
    value_min: int | None
    value_max: int | None

    def fields(self) -> dict[str, object]:
        if self.value_min is not None and self.value_max is not None and self.value_min > self.value_max:
            raise Invalid("value_min must not be more than value_max")
        return dict(self.__dict__)


def need_filters(
    include_ended: Annotated[bool, Query(description="Include closed, cancelled and awarded needs")] = False,
    open_now: Annotated[bool, Query(description="Only needs taking proposals today")] = False,
    closes_within: Annotated[int | None, Query(ge=1, le=365, description="Closing within this many days")] = None,
    closes_after: Annotated[date | None, Query(description="Closing after this day")] = None,
    value_min: Annotated[int | None, Query(ge=0, le=1_000_000_000, description="Budget reaching at least")] = None,
    value_max: Annotated[int | None, Query(ge=0, le=1_000_000_000, description="Budget starting at most")] = None,
) -> NeedFilters:
    return NeedFilters(include_ended, open_now, closes_within, closes_after, value_min, value_max)


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
    visibility: Annotated[list[Visibility], Query()] = [],  # noqa: B006
    sort: Literal["relevance", "newest"] = "relevance",
    page: Annotated[int, Query(ge=1, le=MOST_PAGES)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    needs: NeedFilters = Depends(need_filters),
) -> SearchResultsOut:
    query = SearchQuery(
        **needs.fields(),
        q=q,
        kind=tuple(kind),
        category=tuple(category),
        region=tuple(region),
        price=tuple(price),
        stage=tuple(s.value for s in stage),
        organisation_kind=tuple(k.value for k in organisation_kind),
        visibility=tuple(v.value for v in visibility),
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
    page: Annotated[int, Query(ge=1, le=MOST_PAGES)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ListPage:
    return ListPage(q, page, per_page)


@router.get("/needs", response_model=SearchResultsOut, tags=["needs"])
def list_needs(
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
    asked: ListPage = Depends(list_page),
    stage: Annotated[list[NeedStage], Query()] = [],  # noqa: B006
    needs: NeedFilters = Depends(need_filters),
) -> SearchResultsOut:
    return _list_of_kind(db, viewer, "need", asked, stage=tuple(s.value for s in stage), needs=needs)


def _add_listing_list(kind: Literal["pitch", "offer"], path: str) -> None:
    @router.get(path, response_model=SearchResultsOut, tags=["pitches and offers"], name=f"list_{kind}s")
    def list_listings(
        db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer), asked: ListPage = Depends(list_page)
    ) -> SearchResultsOut:
        return _list_of_kind(db, viewer, kind, asked)


_add_listing_list("pitch", "/pitches")
_add_listing_list("offer", "/offers")


def _list_of_kind(
    db: Session,
    viewer: Viewer,
    kind: Literal["pitch", "offer", "need"],
    asked: ListPage,
    stage: tuple[str, ...] = (),
    needs: NeedFilters | None = None,
) -> SearchResultsOut:
    # Newest first, unless the list is searched.
    query = SearchQuery(
        **(needs.fields() if needs else {}),
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
