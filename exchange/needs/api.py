"""JSON API for needs: list, search, get, create, update and change stage."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.core.api_errors import API_ERRORS
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.viewer import Viewer
from exchange.needs import service
from exchange.needs.models import Need, NeedStage
from exchange.needs.schemas import NeedCreate, NeedForm, NeedOut, StageChange
from exchange.search import service as search
from exchange.search.api import results_out
from exchange.search.schemas import SearchQuery, SearchResultsOut

router = APIRouter(route_class=TransactionalRoute, tags=["needs"], responses=API_ERRORS)


@router.get("/needs", response_model=SearchResultsOut)
def list_needs(
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
    q: Annotated[str, Query(max_length=200)] = "",
    stage: Annotated[list[NeedStage], Query()] = [],  # noqa: B006
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResultsOut:
    query = SearchQuery(
        q=q,
        kind=("need",),
        stage=tuple(s.value for s in stage),
        page=page,
        per_page=per_page,
        sort="relevance" if q else "newest",
    )
    return results_out(search.search(db, viewer, query))


@router.get("/needs/{need_id}", response_model=NeedOut)
def get_need(need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)) -> Need:
    return service.get(db, viewer, need_id)


@router.post("/needs", response_model=NeedOut, status_code=status.HTTP_201_CREATED)
def create_need(body: NeedCreate, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)) -> Need:
    return service.create(db, viewer, body.organisation_id, body)


@router.put("/needs/{need_id}", response_model=NeedOut)
def update_need(
    need_id: PathId, body: NeedForm, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Need:
    return service.update(db, viewer, need_id, body)


@router.post("/needs/{need_id}/stage", response_model=NeedOut)
def change_stage(
    need_id: PathId, body: StageChange, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Need:
    return service.change_stage_by_hand(db, viewer, need_id, body.stage)
