"""The Matches tab of a need (for its council) and the supplier's Opportunities page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import render
from exchange.core.viewer import Viewer
from exchange.matching import core, service
from exchange.organisations import service as organisations
from exchange.proposals import invitations, procurement
from exchange.shortlists import service as shortlists

router = APIRouter(route_class=TransactionalRoute)


@router.get("/needs/{need_id}/matches", response_class=HTMLResponse)
def matches(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    found = service.matches_for_need(db, viewer, need_id)
    context = {
        "page_title": f"Matches: {found.need.title}",
        "need": found.need,
        "tab": "matches",
        "matches": found.matches,
        "not_meeting": found.not_meeting,
        "shortlisted": shortlists.shortlisted_ids(db, found.need),
        "certification_labels": core.CERTIFICATION_LABELS,
        **invitations.row_marks(db, viewer, procurement.load(db, found.need)),
    }
    return render(request, "matching/matches.html", context)


@router.get("/opportunities", response_class=HTMLResponse)
def opportunities(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    """Open needs ranked for each supplier-side organisation the viewer belongs to."""
    suppliers = organisations.supplier_side_memberships(db, viewer)
    sections = [(organisation, service.opportunities(db, viewer, organisation.id, 20)) for organisation in suppliers]
    return render(request, "matching/opportunities.html", {"page_title": "Opportunities for you", "sections": sections})
