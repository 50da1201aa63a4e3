"""JSON API for pitches and offers: get, and create/update the signed-in user's own."""

from __future__ import annotations

from fastapi import APIRouter, Depends, status
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.core.api_errors import API_ERRORS
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.viewer import Viewer
from exchange.listings import service
from exchange.listings.models import Offer, Pitch
from exchange.listings.schemas import (
    OfferCreate,
    OfferForm,
    OfferOut,
    PitchCreate,
    PitchForm,
    PitchOut,
    StatusChange,
)

router = APIRouter(route_class=TransactionalRoute, tags=["pitches and offers"], responses=API_ERRORS)


@router.get("/pitches/{pitch_id}", response_model=PitchOut)
def get_pitch(pitch_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)) -> Pitch:
    return service.get(db, viewer, Pitch, pitch_id)


@router.post("/pitches", response_model=PitchOut, status_code=status.HTTP_201_CREATED)
def create_pitch(body: PitchCreate, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)) -> Pitch:
    return service.create(db, viewer, Pitch, body.organisation_id, body)


@router.put("/pitches/{pitch_id}", response_model=PitchOut)
def update_pitch(
    pitch_id: PathId, body: PitchForm, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Pitch:
    return service.update(db, viewer, Pitch, pitch_id, body)


@router.get("/offers/{offer_id}", response_model=OfferOut)
def get_offer(offer_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)) -> Offer:
    return service.get(db, viewer, Offer, offer_id)


@router.post("/offers", response_model=OfferOut, status_code=status.HTTP_201_CREATED)
def create_offer(body: OfferCreate, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)) -> Offer:
    return service.create(db, viewer, Offer, body.organisation_id, body)


@router.put("/offers/{offer_id}", response_model=OfferOut)
def update_offer(
    offer_id: PathId, body: OfferForm, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Offer:
    return service.update(db, viewer, Offer, offer_id, body)


@router.post("/pitches/{pitch_id}/status", response_model=PitchOut)
def change_pitch_status(
    pitch_id: PathId, body: StatusChange, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Pitch:
    """Withdraw a pitch (``withdrawn``) or publish it again (``published``)."""
    return service.set_status(db, viewer, Pitch, pitch_id, body.status)


@router.post("/offers/{offer_id}/status", response_model=OfferOut)
def change_offer_status(
    offer_id: PathId, body: StatusChange, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Offer:
    """Withdraw an offer (``withdrawn``) or publish it again (``published``)."""
    return service.set_status(db, viewer, Offer, offer_id, body.status)
