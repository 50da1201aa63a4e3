"""JSON API for matching: a need's matches (its council only) and a supplier's opportunities (its members only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.api_errors import API_ERRORS
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.viewer import Viewer
from exchange.matching import service
from exchange.matching.schemas import NeedMatchesOut, OpportunityOut, SupplierMatchOut, score_fields

router = APIRouter(route_class=TransactionalRoute, tags=["matching"], responses=API_ERRORS)


def _supplier_out(found: service.SupplierMatch) -> SupplierMatchOut:
    return SupplierMatchOut(
        organisation_id=found.organisation_id, name=found.name, slug=found.slug, **score_fields(found.match)
    )


@router.get("/needs/{need_id}/matches", response_model=NeedMatchesOut)
def need_matches(
    need_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> NeedMatchesOut:
    """The best suppliers for a need, with the reasons; those failing a hard requirement apart, with why."""
    found = service.matches_for_need(db, viewer, need_id, limit)
    return NeedMatchesOut(
        need_id=found.need.id,
        matches=[_supplier_out(m) for m in found.matches],
        not_meeting=[_supplier_out(m) for m in found.not_meeting],
    )


@router.get("/organisations/{organisation_id}/opportunities", response_model=list[OpportunityOut])
def opportunities(
    organisation_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[OpportunityOut]:
    """Open needs ranked for one of the viewer's supplier organisations, with the reasons."""
    return [
        OpportunityOut(
            need_id=o.need.id, title=o.need.title, buyer=o.buyer, stage=o.need.stage.value, **score_fields(o.match)
        )
        for o in service.opportunities(db, viewer, organisation_id, limit)
    ]
