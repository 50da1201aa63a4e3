"""A pitch's or an offer's page: the listing, with related needs and listings and the conversation about it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.conversations import service as conversations
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import render
from exchange.core.viewer import Viewer
from exchange.knowledge.models import EndorsedKind, FollowKind
from exchange.knowledge.panel import endorsement_panel, follow_state
from exchange.listings import service
from exchange.listings.views import OFFER, PITCH, ListingKind
from exchange.matching.related import related

router = APIRouter(route_class=TransactionalRoute)


def _add_route(kind: ListingKind) -> None:
    @router.get(f"{kind.base}/{{listing_id}}", response_class=HTMLResponse, name=f"{kind.name}_detail")
    def detail(
        request: Request,
        listing_id: PathId,
        db: Session = Depends(get_db),
        viewer: Viewer = Depends(current_viewer),
    ) -> HTMLResponse:
        listing = service.get(db, viewer, kind.model, listing_id)
        context = {
            "kind": kind,
            "listing": listing,
            "page_title": listing.title,
            "can_edit": viewer.is_member(listing.organisation_id),
            "thread": conversations.thread(db, viewer, kind.name, listing.id),
            "follow": follow_state(db, viewer, FollowKind(kind.name), listing.id),
            "endorsements": (
                endorsement_panel(db, viewer, EndorsedKind.OFFER, listing.id, listing.organisation_id)
                if kind is OFFER
                else None
            ),
            "related": related(
                db,
                viewer,
                kind.name,
                listing.id,
                listing.organisation_id,
                f"{listing.title}\n{listing.summary}\n{' '.join(listing.tags or [])}",
            ),
        }
        return render(request, "listings/detail.html", context)


_add_route(PITCH)
_add_route(OFFER)
