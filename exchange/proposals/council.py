"""The council's side of proposals: the submitted ones for its need, sorted and filtered, and putting their
suppliers on the shortlist. Drafts never reach the council."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from exchange.core.errors import Conflict
from exchange.core.viewer import Viewer
from exchange.needs.models import Need
from exchange.proposals import procurement
from exchange.proposals.models import Proposal, ProposalStatus
from exchange.proposals.procurement import ProcurementView
from exchange.proposals.service import ProposalView, get_visible
from exchange.shortlists import service as shortlists
from exchange.shortlists.models import ShortlistEntry


def submitted_for_council(
    db: Session, viewer: Viewer, need_id: int, meets_all_essentials: bool = False
) -> tuple[ProcurementView, list[ProposalView]]:
    """Submitted proposals, those meeting the most essential requirements first, then the most nice-to-haves."""
    need = procurement.council_need(db, viewer, need_id)
    settings = procurement.load(db, need)
    proposals = db.scalars(
        select(Proposal)
        .where(Proposal.need_id == need.id, Proposal.status == ProposalStatus.SUBMITTED)
        .options(selectinload(Proposal.answers), selectinload(Proposal.organisation))
        .order_by(Proposal.submitted_at, Proposal.id)
    )
    views = [ProposalView(proposal, settings) for proposal in proposals]
    if meets_all_essentials:
        views = [view for view in views if view.meets_all_essentials]
    views.sort(key=lambda view: (-view.essentials_met, -view.nice_to_haves_met))
    return settings, views


def withdrawn_count(db: Session, need: Need) -> int:
    return (
        db.scalar(select(func.count()).where(Proposal.need_id == need.id, Proposal.status == ProposalStatus.WITHDRAWN))
        or 0
    )


def shortlist(db: Session, viewer: Viewer, need_id: int, proposal_id: int) -> ShortlistEntry:
    """Put the proposal's supplier on the need's shortlist, pointing at the proposal."""
    need = procurement.council_need(db, viewer, need_id)
    proposal, _ = get_visible(db, viewer, need.id, proposal_id)
    if proposal.status is not ProposalStatus.SUBMITTED:
        raise Conflict("This proposal was withdrawn by its supplier: it cannot be shortlisted.")
    return shortlists.add(db, viewer, need.id, proposal.organisation_id, source="proposal", proposal_id=proposal.id)


def shortlisted_organisations(db: Session, need: Need) -> set[int]:
    return shortlists.shortlisted_ids(db, need)
