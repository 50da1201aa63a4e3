"""What the dashboard shows about proposals: a supplier's own proposals, and for a council the proposals it
has received and the clarification questions waiting for its answer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from exchange.needs.models import Need
from exchange.proposals.models import Clarification, Proposal, ProposalStatus

LIMIT = 20


@dataclass(frozen=True)
class ProposalLine:
    proposal: Proposal
    need: Need


@dataclass(frozen=True)
class QuestionsWaiting:
    need: Need
    count: int


def own_proposals(db: Session, organisation_ids: set[int]) -> list[ProposalLine]:
    """The organisations' proposals, drafts included, most recently changed first."""
    if not organisation_ids:
        return []
    rows = db.execute(
        select(Proposal, Need)
        .join(Need, Need.id == Proposal.need_id)
        .where(Proposal.organisation_id.in_(organisation_ids))
        .options(selectinload(Proposal.organisation))
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
        .limit(LIMIT)
    )
    return [ProposalLine(proposal, need) for proposal, need in rows]


def received(db: Session, council_ids: set[int]) -> list[ProposalLine]:
    """Submitted proposals for the councils' needs, newest first (drafts never reach a council)."""
    if not council_ids:
        return []
    rows = db.execute(
        select(Proposal, Need)
        .join(Need, Need.id == Proposal.need_id)
        .where(Need.organisation_id.in_(council_ids), Proposal.status == ProposalStatus.SUBMITTED)
        .options(selectinload(Proposal.organisation))
        .order_by(Proposal.submitted_at.desc(), Proposal.id.desc())
        .limit(LIMIT)
    )
    return [ProposalLine(proposal, need) for proposal, need in rows]


def questions_waiting(db: Session, council_ids: set[int]) -> list[QuestionsWaiting]:
    """The councils' needs with clarification questions not yet answered, and how many."""
    if not council_ids:
        return []
    counts: dict[int, int] = {}
    needs: dict[int, Need] = {}
    rows = db.execute(
        select(Clarification.need_id, Need)
        .join(Need, Need.id == Clarification.need_id)
        .where(Need.organisation_id.in_(council_ids), Clarification.answered_at.is_(None))
        .order_by(Clarification.created_at)
    )
    for need_id, need in rows:
        counts[need_id] = counts.get(need_id, 0) + 1
        needs[need_id] = need
    return [QuestionsWaiting(needs[need_id], count) for need_id, count in counts.items()]
