"""JSON export of a supplier profile: what the profile page shows the same viewer, in one document."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.core.api_errors import API_ERRORS
from exchange.core.errors import NotFound
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.viewer import Viewer
from exchange.organisations import service as organisations
from exchange.profiles import service
from exchange.profiles.export import ProfileOut, export

router = APIRouter(route_class=TransactionalRoute, tags=["supplier profiles"], responses=API_ERRORS)


@router.get("/organisations/{organisation_id}/profile", response_model=ProfileOut)
def get_profile(
    organisation_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> ProfileOut:
    """A supplier's profile. Declarations and reference contacts are included only for the supplier's own
    members and verified public-sector buyers; councils and public bodies have no profile (404)."""
    organisation = organisations.get(db, organisation_id)
    if organisation.is_public_sector:
        raise NotFound()
    return export(service.load(db, organisation), service.can_see_private_parts(viewer, organisation_id))
