"""JSON API for needs: get, create, update and change stage."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.core.api_errors import API_ERRORS
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.viewer import Viewer
from exchange.needs import service
from exchange.needs.models import Need
from exchange.needs.schemas import NeedCreate, NeedForm, NeedOut, StageChange

router = APIRouter(route_class=TransactionalRoute, tags=["needs"], responses=API_ERRORS)


@router.get("/needs/{need_id}", response_model=NeedOut)
def get_need(need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)) -> Need:
    return service.get(db, viewer, need_id)


@router.post("/needs", response_model=NeedOut, status_code=status.HTTP_201_CREATED)
def create_need(body: NeedCreate, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)) -> Need:
    """Published at once: an API client has no preview to look at. A new need has no procurement dates yet,
    so nothing is left for publishing to check; dates set later are checked where they are set."""
    return service.create(db, viewer, body.organisation_id, body, publish=True)


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
