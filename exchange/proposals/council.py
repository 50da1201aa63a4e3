"""The council's side of proposals: the submitted ones for its need, sorted and filtered (shortlisting one is
shortlists.add_proposal). Drafts never reach the council."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from exchange.core.viewer import Viewer
from exchange.needs.models import Need
from exchange.proposals import procurement
from exchange.proposals.models import Proposal, ProposalStatus
from exchange.proposals.procurement import ProcurementView
from exchange.proposals.service import ProposalView


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
