"""The council's side of proposals: the submitted ones for its need, sorted and filtered (shortlisting one is
shortlists.add_proposal). Drafts never reach the council, and sealed proposals only as a count."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.core.viewer import Viewer
from exchange.needs.models import Need
from exchange.proposals import procurement, sealing
from exchange.proposals.models import Proposal, ProposalStatus
from exchange.proposals.procurement import ProcurementView
from exchange.proposals.service import ProposalView


@dataclass(frozen=True)
class CouncilProposals:
    procurement: ProcurementView
    # Empty while sealed.
    proposals: list[ProposalView]
    sealed: bool
    # Submitted proposals, whether sealed or not.
    received: int

    @property
    def sealed_message(self) -> str:
        return sealing.sealed_message(self.procurement)


def submitted_for_council(
    db: Session, viewer: Viewer, need_id: int, meets_all_essentials: bool = False
) -> CouncilProposals:
    """Submitted proposals, those meeting the most essential requirements first, then the most nice-to-haves."""
    need = procurement.council_need(db, viewer, need_id)
    settings = procurement.load(db, need)
    sealed = not sealing.open_for_reader(db, settings, viewer.user_id)
    proposals = [] if sealed else sealing.readable_submitted(db, settings, viewer.user_id)
    views = [ProposalView(proposal, settings) for proposal in proposals]
    if meets_all_essentials:
        views = [view for view in views if view.meets_all_essentials]
    views.sort(key=lambda view: (-view.essentials_met, -view.nice_to_haves_met))
    return CouncilProposals(settings, views, sealed, sealing.received_count(db, need.id))


def withdrawn_count(db: Session, need: Need) -> int:
    return (
        db.scalar(select(func.count()).where(Proposal.need_id == need.id, Proposal.status == ProposalStatus.WITHDRAWN))
        or 0
    )
