"""JSON API of the knowledge domain: trends, endorsements, follows and saved searches."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response, status
from pydantic import BaseModel
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.api_errors import API_ERRORS
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.knowledge import endorsements, follows, saved_searches, trends
from exchange.knowledge.models import EndorsedKind, Endorsement, Frequency, SavedSearch
from exchange.knowledge.schemas import EndorsementIn, EndorsementOut, SavedSearchForm
from exchange.organisations.models import Organisation

router = APIRouter(route_class=TransactionalRoute, tags=["knowledge"], responses=API_ERRORS)


class HeatRowOut(BaseModel):
    label: str
    counts: dict[str, int]


class UnmetOut(BaseModel):
    category: str
    needs_looking_for_a_solution: int
    needs_with_no_proposal_yet: int
    pitches_and_offers: int


class MonthOut(BaseModel):
    month: str
    needs: int
    pitches: int


class TrendsOut(BaseModel):
    by_category: list[HeatRowOut]
    by_region: list[HeatRowOut]
    unmet_demand: list[UnmetOut]
    per_month: list[MonthOut]
    session_outcomes: dict[str, int] | None


class FollowOut(BaseModel):
    kind: str
    id: int
    title: str
    url: str


class SavedSearchOut(BaseModel):
    id: int
    name: str
    query: str
    frequency: Frequency
    feed_url: str


def _heat(heat: trends.HeatMap) -> list[HeatRowOut]:
    return [
        HeatRowOut(label=label, counts={c.key: v for c, v in zip(heat.columns, values, strict=True)})
        for label, values in heat.rows
    ]


def _endorsement_out(endorsement: Endorsement, endorser: str) -> EndorsementOut:
    return EndorsementOut(
        id=endorsement.id,
        kind=endorsement.item_kind,
        item_id=endorsement.item_id,
        supplier_id=endorsement.organisation_id,
        endorser_id=endorsement.endorser_organisation_id,
        endorser=endorser,
        statement=endorsement.statement,
    )


def _saved_out(saved: SavedSearch) -> SavedSearchOut:
    feed = f"/saved-searches/feed/{saved.feed_token}.atom"
    return SavedSearchOut(id=saved.id, name=saved.name, query=saved.query, frequency=saved.frequency, feed_url=feed)


@router.get("/trends", response_model=TrendsOut)
def get_trends(db: Session = Depends(get_db)) -> TrendsOut:
    found = trends.trends(db, utcnow().date())
    return TrendsOut(
        by_category=_heat(found.by_category),
        by_region=_heat(found.by_region),
        unmet_demand=[
            UnmetOut(
                category=u.category,
                needs_looking_for_a_solution=u.demand,
                needs_with_no_proposal_yet=u.unanswered,
                pitches_and_offers=u.supply,
            )
            for u in found.unmet
        ],
        per_month=[MonthOut(month=m.label, needs=m.needs, pitches=m.pitches) for m in found.months],
        session_outcomes=dict(found.sessions.rows) if found.sessions.available else None,
    )


@router.get("/endorsements/{kind}/{item_id}", response_model=list[EndorsementOut])
def list_endorsements(kind: EndorsedKind, item_id: PathId, db: Session = Depends(get_db)) -> list[EndorsementOut]:
    endorsements.endorsed_item(db, kind, item_id)
    return [_endorsement_out(e, e.endorser.name) for e in endorsements.for_item(db, kind, item_id)]


@router.post("/endorsements", response_model=EndorsementOut, status_code=status.HTTP_201_CREATED)
def create_endorsement(
    body: EndorsementIn, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> EndorsementOut:
    endorsement = endorsements.endorse(db, viewer, body.kind, body.item_id, body)
    return _endorsement_out(endorsement, db.get_one(Organisation, body.council_id).name)


@router.delete("/endorsements/{endorsement_id}", status_code=status.HTTP_204_NO_CONTENT)
def withdraw_endorsement(
    endorsement_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    endorsements.withdraw(db, viewer, endorsement_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/follows", response_model=list[FollowOut])
def list_follows(db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)) -> list[FollowOut]:
    assert viewer.user_id is not None
    return [
        FollowOut(kind=f.kind.value, id=f.target_id, title=f.title, url=f.url)
        for f in follows.follows_of(db, viewer.user_id)
    ]


@router.put("/follows/{kind}/{target_id}", status_code=status.HTTP_204_NO_CONTENT)
def follow(
    kind: str, target_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    follows.follow(db, viewer, follows.parse_kind(kind), target_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/follows/{kind}/{target_id}", status_code=status.HTTP_204_NO_CONTENT)
def unfollow(
    kind: str, target_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    follows.unfollow(db, viewer, follows.parse_kind(kind), target_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/saved-searches", response_model=list[SavedSearchOut])
def list_saved_searches(
    db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> list[SavedSearchOut]:
    assert viewer.user_id is not None
    return [_saved_out(saved) for saved in saved_searches.saved_by(db, viewer.user_id)]


@router.post("/saved-searches", response_model=SavedSearchOut, status_code=status.HTTP_201_CREATED)
def create_saved_search(
    body: SavedSearchForm, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> SavedSearchOut:
    return _saved_out(saved_searches.create(db, viewer, body))


@router.delete("/saved-searches/{saved_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_saved_search(
    saved_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    saved_searches.delete(db, viewer, saved_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
