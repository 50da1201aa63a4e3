"""Each signed-in user's dashboard: their organisations' pitches, offers and needs, and what waits on them."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import signed_in_viewer
from exchange.conversations import service as conversations
from exchange.conversations.subjects import can_enter_groups
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.templating import render
from exchange.core.viewer import Viewer
from exchange.evaluation import outcome as outcomes
from exchange.listings import service as listings
from exchange.listings.models import Offer, Pitch
from exchange.matching import service as matching
from exchange.moderation import service as moderation
from exchange.needs import service as needs
from exchange.organisations import service as organisations
from exchange.profiles import service as profiles
from exchange.proposals import dashboard as proposals
from exchange.proposals import invitations
from exchange.sessions import service as sessions

router = APIRouter(route_class=TransactionalRoute)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    memberships = organisations.memberships(db, viewer.user_id or 0)
    active = {m.organisation_id for m in memberships if m.status.value == "active"}
    public_sector = {
        m.organisation_id for m in memberships if m.organisation_id in active and m.organisation.is_public_sector
    }
    supplier_side = active - public_sector
    own_proposals = proposals.own_proposals(db, supplier_side)
    context = {
        "page_title": "Your dashboard",
        "memberships": memberships,
        "pitches": listings.for_organisations(db, Pitch, supplier_side),
        "offers": listings.for_organisations(db, Offer, supplier_side),
        "needs": needs.for_organisations(db, public_sector),
        "need_drafts": needs.drafts_of(db, public_sector),
        "profiles": profiles.summaries(db, supplier_side),
        "references_to_confirm": profiles.references_naming(db, public_sector),
        "is_supplier": bool(supplier_side),
        "opportunities": [
            o
            for organisation_id in sorted(supplier_side)
            for o in matching.opportunities(db, viewer, organisation_id, 3)
        ],
        "own_proposals": own_proposals,
        "invitations_received": invitations.received(db, supplier_side),
        "outcomes": outcomes.outcomes_of(db, {line.need.id for line in own_proposals}),
        "proposals_received": proposals.received(db, public_sector, viewer.user_id),
        "proposals_sealed": proposals.sealed(db, public_sector),
        "questions_waiting": proposals.questions_waiting(db, public_sector),
        "is_council": bool(public_sector),
        "join_requests": organisations.pending_requests_for(db, viewer),
        "sessions": sessions.taking_part(db, active),
        "questions_to_answer": conversations.unanswered_for(db, supplier_side),
        "is_moderator": moderation.is_moderator(db, viewer),
        "can_enter_groups": can_enter_groups(viewer),
        "unverified": organisations.unverified_organisations(db) if viewer.is_admin else [],
    }
    return render(request, "dashboard/index.html", context)
