"""An organisation's page: who it is, what it publishes (pitches, offers, needs the viewer may see), its supporter
badge, and for its administrators the members."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.templating import render
from exchange.core.viewer import Viewer
from exchange.knowledge.models import EndorsedKind, FollowKind
from exchange.knowledge.panel import endorsement_panel, follow_state
from exchange.listings import service as listings
from exchange.listings.models import Offer, Pitch
from exchange.needs import service as needs
from exchange.organisations import service
from exchange.payments import entitlements

router = APIRouter(route_class=TransactionalRoute, prefix="/organisations")


@router.get("/{slug}", response_class=HTMLResponse)
def detail(
    request: Request, slug: str, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    organisation = service.get_by_slug(db, slug)
    context = {
        "page_title": organisation.name,
        "organisation": organisation,
        "pitches": listings.published_by(db, Pitch, organisation.id),
        "offers": listings.published_by(db, Offer, organisation.id),
        "needs": needs.visible_from(db, viewer, organisation.id),
        "is_admin": viewer.is_organisation_admin(organisation.id),
        "supporter": entitlements.has_feature(db, organisation.id, "supporter_badge"),
        "members": service.members(db, organisation.id) if viewer.is_organisation_admin(organisation.id) else [],
        "follow": follow_state(db, viewer, FollowKind.ORGANISATION, organisation.id),
        "endorsements": endorsement_panel(db, viewer, EndorsedKind.ORGANISATION, organisation.id, organisation.id),
    }
    return render(request, "organisations/detail.html", context)
