"""Proposal pages: a supplier starts, drafts, reviews, submits or withdraws its proposal (reading one, and the
council's list and shortlisting, are pages.proposals)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import field_errors, form_to_dict, submitted_form
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import MAX_ID, PathId, plain_number
from exchange.core.templating import flash, format_date, render
from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.profiles import service as profiles
from exchange.proposals import procurement, service
from exchange.proposals.models import Proposal, ProposalStatus, Requirement
from exchange.proposals.schemas import APPROACH_LIMIT, EVIDENCE_LIMIT, PROPOSAL_LABELS, ProposalDraft

# A proposal is private: its pages answer 404 to everyone who may not see it, anonymous visitors included
# (not a sign-in redirect). Starting one is not private, so it asks visitors to sign in.
router = APIRouter(route_class=TransactionalRoute, prefix="/needs/{need_id}")


def proposal_path(proposal: Proposal, page: str = "") -> str:
    return f"/needs/{proposal.need_id}/proposals/{proposal.id}{page}"


# --- Starting a proposal ---


@router.get("/respond", response_class=HTMLResponse)
def start_page(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    need = needs.get(db, viewer, need_id)
    organisations = procurement.responding_organisations(db, viewer)
    view = procurement.load(db, need)
    held = profiles.certifications_held(db, [o.id for o in organisations])
    context = {
        "page_title": f"Respond to: {need.title}",
        "need": need,
        "view": view,
        "organisations": organisations,
        "lacking": {
            o.id: [
                procurement.certification_label(key)
                for key in procurement.missing_certifications(view.required_certifications, held[o.id])
            ]
            for o in organisations
        },
        "existing": {p.organisation_id: p for p in service.own_for_need(db, viewer, need)},
        "errors": {},
    }
    return render(request, "proposals/start.html", context)


@router.post("/respond")
def start(
    request: Request,
    need_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    proposal = service.start(db, viewer, need_id, plain_number(form.get("organisation_id"), MAX_ID))
    return RedirectResponse(proposal_path(proposal, "/edit" if proposal.status is ProposalStatus.DRAFT else ""), 303)


# --- Writing the draft ---


def _form_values(proposal: Proposal) -> dict[str, Any]:
    values: dict[str, Any] = {
        "price": proposal.price if proposal.price is not None else "",
        "price_note": proposal.price_note,
        "approach": proposal.approach,
        "attach_profile": ["yes"] if proposal.attach_profile else [],
    }
    for answer in proposal.answers:
        values[f"answer_{answer.requirement_id}_meets"] = (
            "" if answer.meets is None else ("yes" if answer.meets else "no")
        )
        values[f"answer_{answer.requirement_id}_evidence"] = answer.evidence
    return values


def _draft_errors(error: ValidationError, requirements: list[Requirement]) -> dict[str, str]:
    """Errors keyed by the form's field ids; an answer's error names the requirement it is about."""
    messages = field_errors(error, PROPOSAL_LABELS)
    messages.pop("answers", None)
    for item in error.errors():
        location = item["loc"]
        if location[0] != "answers" or len(location) < 3 or not isinstance(location[1], int):
            continue
        requirement = requirements[location[1]]
        field = f"answer_{requirement.id}_{location[2]}"
        if location[2] == "meets":
            message = f"Choose whether you meet {requirement.title.lower()}"
        else:
            text = str(item["msg"])
            message = f"{requirement.title}: {text[:1].lower()}{text[1:]}"
        messages.setdefault(field, message)
    # In the order the form asks, so that the error summary reads down the page.
    order = [f"answer_{r.id}_{part}" for r in requirements for part in ("meets", "evidence")] + list(PROPOSAL_LABELS)
    return dict(sorted(messages.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def parse_draft(values: dict[str, Any], requirements: list[Requirement]) -> ProposalDraft:
    data = {
        "answers": [
            {
                "requirement_id": r.id,
                "meets": values.get(f"answer_{r.id}_meets"),
                "evidence": values.get(f"answer_{r.id}_evidence", ""),
            }
            for r in requirements
        ],
        "price": values.get("price"),
        "price_note": values.get("price_note", ""),
        "approach": values.get("approach", ""),
        "attach_profile": "yes" in values.get("attach_profile", []),
    }
    try:
        return ProposalDraft.model_validate(data)
    except ValidationError as error:
        raise Invalid("Check the answers and try again", field_errors=_draft_errors(error, requirements)) from None


def _edit_page(
    request: Request,
    db: Session,
    proposal: Proposal,
    view: service.ProposalView,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    context = {
        "page_title": f"Your proposal: {view.procurement.need.title}",
        "need": view.procurement.need,
        "proposal": proposal,
        "view": view,
        "values": values,
        "errors": errors,
        "evidence_limit": EVIDENCE_LIMIT,
        "approach_limit": APPROACH_LIMIT,
        "profile": profiles.summaries(db, [proposal.organisation_id]).get(proposal.organisation_id),
    }
    return render(request, "proposals/edit.html", context, status)


@router.get("/proposals/{proposal_id}/edit", response_class=HTMLResponse)
def edit_page(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    proposal, need = service.get_own(db, viewer, need_id, proposal_id)
    view = service.view_of(db, proposal, need)
    if proposal.status is not ProposalStatus.DRAFT or view.procurement.why_closed:
        return RedirectResponse(proposal_path(proposal), 303)
    return _edit_page(request, db, proposal, view, _form_values(proposal), {})


@router.post("/proposals/{proposal_id}/edit", response_class=HTMLResponse)
def save(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    proposal, need = service.get_own(db, viewer, need_id, proposal_id)
    view = service.view_of(db, proposal, need)
    values = form_to_dict(form, lists=("attach_profile",))
    try:
        service.save_draft(db, viewer, need.id, proposal.id, parse_draft(values, view.procurement.requirements))
    except Invalid as error:
        return _edit_page(request, db, proposal, view, values, error.field_errors, 422)
    if values.get("action") == "review":
        return RedirectResponse(proposal_path(proposal, "/review"), 303)
    closes = format_date(view.procurement.closes_on)
    flash(request, f"Your draft is saved. You can come back to it until proposals close on {closes}.")
    return RedirectResponse(proposal_path(proposal), 303)


# --- Reviewing, submitting and withdrawing ---


@router.get("/proposals/{proposal_id}/review", response_class=HTMLResponse)
def review_page(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    proposal, need = service.get_own(db, viewer, need_id, proposal_id)
    if proposal.status is not ProposalStatus.DRAFT:
        return RedirectResponse(proposal_path(proposal), 303)
    view = service.view_of(db, proposal, need)
    context = {
        "page_title": f"Check your proposal: {need.title}",
        "need": need,
        "proposal": proposal,
        "view": view,
        "check": service.check(db, view),
    }
    return render(request, "proposals/review.html", context)


@router.post("/proposals/{proposal_id}/submit")
def submit(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    proposal = service.submit(db, viewer, need_id, proposal_id)
    flash(request, "Your proposal is submitted. The council has been told.")
    return RedirectResponse(proposal_path(proposal), 303)


@router.get("/proposals/{proposal_id}/withdraw", response_class=HTMLResponse)
def withdraw_page(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> HTMLResponse:
    proposal, need = service.get_own(db, viewer, need_id, proposal_id)
    context = {
        "page_title": f"Withdraw your proposal: {need.title}",
        "need": need,
        "proposal": proposal,
        "view": procurement.load(db, need),
    }
    return render(request, "proposals/withdraw.html", context)


@router.post("/proposals/{proposal_id}/withdraw")
def withdraw(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    proposal = service.withdraw(db, viewer, need_id, proposal_id)
    flash(request, "Your proposal is withdrawn. The council will not consider it.")
    return RedirectResponse(proposal_path(proposal), 303)
