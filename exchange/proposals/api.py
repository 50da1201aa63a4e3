"""JSON API for needs that invite proposals: procurement settings and published clarifications (public),
a supplier's own proposal (read, save the draft, submit, withdraw), the council's submitted proposals, and its
invitations to suppliers to respond."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.core.api_errors import API_ERRORS
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import MAX_ID, PathId
from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.proposals import clarifications, council, invitations, procurement, service
from exchange.proposals.models import ProposalInvitation, ProposalStatus
from exchange.proposals.procurement import ProcurementView
from exchange.proposals.schemas import (
    AnswerOut,
    ClarificationOut,
    CriterionOut,
    InvitationOut,
    InvitationsIn,
    InvitedOut,
    ProcurementOut,
    ProposalDraft,
    ProposalListOut,
    ProposalOut,
    RequirementOut,
)

router = APIRouter(route_class=TransactionalRoute, tags=["proposals"], responses=API_ERRORS)
OrganisationChoice = Annotated[
    int | None,
    Query(ge=1, le=MAX_ID, description="Which of your organisations: needed only if you belong to several."),
]


def proposal_out(view: service.ProposalView) -> ProposalOut:
    proposal = view.proposal
    return ProposalOut(
        id=proposal.id,
        need_id=proposal.need_id,
        organisation_id=proposal.organisation_id,
        organisation_name=proposal.organisation.name,
        status=proposal.status,
        price=proposal.price,
        price_note=proposal.price_note,
        approach=proposal.approach,
        attach_profile=proposal.attach_profile,
        profile_completeness=proposal.profile_completeness,
        essentials_met=view.essentials_met,
        essentials_total=len(view.procurement.essential),
        nice_to_haves_met=view.nice_to_haves_met,
        nice_to_haves_total=len(view.procurement.nice_to_have),
        answers=[AnswerOut.model_validate(answer) for answer in proposal.answers],
        created_at=proposal.created_at,
        updated_at=proposal.updated_at,
        submitted_at=proposal.submitted_at,
        withdrawn_at=proposal.withdrawn_at,
    )


@router.get("/needs/{need_id}/procurement", response_model=ProcurementOut)
def get_procurement(
    need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> ProcurementOut:
    """What the need asks of suppliers, how proposals are judged, and when they are taken."""
    view = procurement.for_viewer(db, viewer, need_id)
    return ProcurementOut(
        need_id=view.need.id,
        opens_on=view.opens_on,
        closes_on=view.closes_on,
        questions_close_on=view.questions_close_on,
        shortlist_size=view.shortlist_size,
        open_for_proposals=view.open_for_proposals,
        questions_open=view.questions_open,
        required_certifications=view.required_certifications,
        essential_requirements=[RequirementOut.model_validate(r) for r in view.essential],
        nice_to_have_requirements=[RequirementOut.model_validate(r) for r in view.nice_to_have],
        criteria=[CriterionOut.model_validate(c) for c in view.criteria],
    )


@router.get("/needs/{need_id}/clarifications", response_model=list[ClarificationOut])
def list_clarifications(
    need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> list[ClarificationOut]:
    """Answered clarification questions, in the order they were answered. Who asked is never given."""
    need = needs.get(db, viewer, need_id)
    return [ClarificationOut.model_validate(c) for c in clarifications.published(db, need)]


@router.get("/needs/{need_id}/proposal", response_model=ProposalOut)
def get_own_proposal(
    need_id: PathId,
    organisation_id: OrganisationChoice = None,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> ProposalOut:
    """Your organisation's proposal for this need, whatever its status."""
    proposal, need = service.own_proposal(db, viewer, need_id, organisation_id)
    return proposal_out(service.view_of(db, proposal, need))


@router.put("/needs/{need_id}/proposal", response_model=ProposalOut)
def save_own_draft(
    need_id: PathId,
    body: ProposalDraft,
    organisation_id: OrganisationChoice = None,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> ProposalOut:
    """Start your organisation's draft, or replace its answers, price and approach. A draft may be partial;
    a submitted or withdrawn proposal cannot change (409), nor can any after proposals close."""
    started = service.start(db, viewer, need_id, organisation_id)
    proposal = service.save_draft(db, viewer, need_id, started.id, body)
    _, need = service.get_own(db, viewer, need_id, proposal.id)
    return proposal_out(service.view_of(db, proposal, need))


@router.post("/needs/{need_id}/proposal/submit", response_model=ProposalOut)
def submit_own_proposal(
    need_id: PathId,
    organisation_id: OrganisationChoice = None,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> ProposalOut:
    """Submit the draft: it is then locked. Refused with what is missing (422), when already submitted or
    when a required certification is not held (409)."""
    proposal, need = service.own_proposal(db, viewer, need_id, organisation_id)
    submitted = service.submit(db, viewer, need.id, proposal.id)
    return proposal_out(service.view_of(db, submitted, need))


@router.post("/needs/{need_id}/proposal/withdraw", response_model=ProposalOut)
def withdraw_own_proposal(
    need_id: PathId,
    organisation_id: OrganisationChoice = None,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> ProposalOut:
    """Withdraw a submitted proposal before the closing date. This is final: it cannot be submitted again."""
    proposal, need = service.own_proposal(db, viewer, need_id, organisation_id)
    withdrawn = service.withdraw(db, viewer, need.id, proposal.id)
    return proposal_out(service.view_of(db, withdrawn, need))


@router.get("/needs/{need_id}/proposals", response_model=ProposalListOut)
def list_submitted_proposals(
    need_id: PathId,
    meets_all_essentials: Annotated[bool, Query(description="Only proposals meeting every essential one.")] = False,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> ProposalListOut:
    """For the need's council only: its submitted proposals, most essential requirements met first, then most
    nice-to-haves. Drafts are never listed; while proposals are sealed none are, only how many arrived."""
    result = council.submitted_for_council(db, viewer, need_id, meets_all_essentials)
    return ProposalListOut(
        sealed=result.sealed,
        received=result.received,
        closes_on=result.procurement.closes_on,
        proposals=[proposal_out(view) for view in result.proposals],
    )


def _invitation_out(invitation: ProposalInvitation, response: ProposalStatus | None) -> InvitationOut:
    return InvitationOut(
        organisation_id=invitation.organisation_id,
        organisation_name=invitation.organisation.name,
        invited_at=invitation.created_at,
        response=None if response is None else ("none" if response is ProposalStatus.DRAFT else response.value),
    )


def _council_view(
    need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> ProcurementView:
    """The need, for its own council only: resolved before the body is read, so that anyone else gets 404 (never
    a 422 that would say the address exists)."""
    return invitations.council_view(db, viewer, need_id)


@router.get("/needs/{need_id}/invitations", response_model=list[InvitationOut])
def list_invitations(
    view: ProcurementView = Depends(_council_view),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> list[InvitationOut]:
    """For the need's council only (404 to everyone else): the suppliers it invited to respond, oldest first,
    and whether each responded once proposals are opened."""
    lines = invitations.for_council(db, view, viewer.user_id)
    return [_invitation_out(line.invitation, line.response) for line in lines]


@router.post("/needs/{need_id}/invitations", response_model=InvitedOut)
def invite_suppliers(
    body: InvitationsIn,
    view: ProcurementView = Depends(_council_view),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> InvitedOut:
    """For the need's council only (404 to everyone else): invite suppliers to respond, all or none. Each is told
    in the app and by email, once; one invited already is listed in ``already_invited`` and not told again.
    Refused (422) for an organisation that does not exist or is not supplier-side, and (409) unless the need is
    public and open for proposals."""
    result = invitations.invite(db, viewer, view.need.id, body.organisation_ids)
    by_id = invitations.invited_on(db, view.need.id)
    return InvitedOut(
        invited=[_invitation_out(by_id[o.id], None) for o in result.invited],
        already_invited=[_invitation_out(i, None) for i in result.already],
        message=result.message(),
    )
