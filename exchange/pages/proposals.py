"""A proposal as its supplier or (once submitted) its council reads it, and the council's list of a need's
proposals with shortlisting: proposals, shortlists and the need's outcome on one screen."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import submitted_form
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, is_htmx, render
from exchange.core.viewer import Viewer
from exchange.evaluation import outcome as outcomes
from exchange.proposals import council, sealing, service
from exchange.proposals.views import proposal_path
from exchange.shortlists import service as shortlists

# Private like every proposal page: 404 to whoever may not see it (see proposals.views).
router = APIRouter(route_class=TransactionalRoute, prefix="/needs/{need_id}")


# --- Reading a proposal (the supplier, or the council once submitted) ---


@router.get("/proposals/{proposal_id}", response_class=HTMLResponse)
def proposal_page(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> HTMLResponse:
    proposal, need = service.get_visible(db, viewer, need_id, proposal_id)
    is_supplier = viewer.is_member(proposal.organisation_id)
    view = service.view_of(db, proposal, need)
    context = {
        "page_title": f"Proposal from {proposal.organisation.name}: {need.title}",
        "need": need,
        "proposal": proposal,
        "view": view,
        "is_supplier": is_supplier,
        "check": service.check(db, view) if is_supplier else None,
        "shortlisted": shortlists.shortlisted_ids(db, need) if not is_supplier else set(),
        "outcome": outcomes.outcome_of(db, need.id),
    }
    return render(request, "proposals/show.html", context)


# --- The council's list, and shortlisting ---


@router.get("/proposals", response_class=HTMLResponse)
def council_list(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    return _council_list(request, db, viewer, need_id, {}, {})


def _council_list(
    request: Request,
    db: Session,
    viewer: Viewer,
    need_id: int,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    meets_all = request.query_params.get("meets") == "all"
    result = council.submitted_for_council(db, viewer, need_id, meets_all)
    need = result.procurement.need
    context = {
        "page_title": f"Proposals: {need.title}",
        "need": need,
        "tab": "proposals",
        "view": result.procurement,
        "proposals": result.proposals,
        "sealed": result.sealed,
        "received": result.received,
        "sealed_message": result.sealed_message,
        "meets_all": meets_all,
        "withdrawn": council.withdrawn_count(db, need),
        "shortlisted": shortlists.shortlisted_ids(db, need),
        "values": values,
        "errors": errors,
    }
    return render(request, "proposals/list.html", context, status)


@router.post("/proposals/close-early", response_class=HTMLResponse)
def close_early(
    request: Request,
    need_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    reason = str(form.get("reason", ""))
    try:
        sealing.close_early(db, viewer, need_id, reason)
    except Invalid as error:
        # Refused before anything was written: the page again, with the reason as typed and what is wrong.
        return _council_list(request, db, viewer, need_id, {"reason": reason}, error.field_errors, 422)
    flash(request, "Proposals are closed and opened. Suppliers can no longer send or change a proposal.")
    return RedirectResponse(f"/needs/{need_id}/proposals", 303)


@router.post("/proposals/{proposal_id}/shortlist")
def shortlist(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    shortlists.add_proposal(db, viewer, need_id, proposal_id)
    proposal, _ = service.get_visible(db, viewer, need_id, proposal_id)
    if is_htmx(request):
        context = {"proposal": proposal, "on_shortlist": True, "return_to": ""}
        return render(request, "proposals/_shortlist_button.html", context)
    flash(request, f"{proposal.organisation.name} is on the shortlist.")
    # Back to the list or the proposal, whichever the button was on: never an address from elsewhere.
    from_list = form.get("return_to") == "list"
    return RedirectResponse(f"/needs/{need_id}/proposals" if from_list else proposal_path(proposal), 303)
