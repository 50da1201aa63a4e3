"""What the dashboard shows about proposals: a supplier's own proposals, and for a council the proposals it
has received and the clarification questions waiting for its answer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from exchange.needs.models import Need
from exchange.profiles.completeness import today
from exchange.proposals import sealing
from exchange.proposals.models import Clarification, Proposal, ProposalStatus

LIMIT = 20


@dataclass(frozen=True)
class ProposalLine:
    proposal: Proposal
    need: Need


@dataclass(frozen=True)
class SealedCount:
    need: Need
    count: int


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


def received(db: Session, council_ids: set[int], actor_id: int | None) -> list[ProposalLine]:
    """Opened proposals for the councils' needs, newest first (drafts never reach a council, sealed ones only
    as a count: see ``sealed``)."""
    if not council_ids:
        return []
    sealing.open_all_due(db, council_ids, actor_id)
    rows = db.execute(
        select(Proposal, Need)
        .join(Need, Need.id == Proposal.need_id)
        .where(
            Need.organisation_id.in_(council_ids),
            Proposal.status == ProposalStatus.SUBMITTED,
            sealing.opened_condition(today()),
        )
        .options(selectinload(Proposal.organisation))
        .order_by(Proposal.submitted_at.desc(), Proposal.id.desc())
        .limit(LIMIT)
    )
    return [ProposalLine(proposal, need) for proposal, need in rows]


def sealed(db: Session, council_ids: set[int]) -> list[SealedCount]:
    """The councils' needs with proposals still sealed, and how many each has received."""
    if not council_ids:
        return []
    rows = db.execute(
        select(Need, func.count(Proposal.id))
        .join(Proposal, Proposal.need_id == Need.id)
        .where(
            Need.organisation_id.in_(council_ids),
            Proposal.status == ProposalStatus.SUBMITTED,
            ~sealing.opened_condition(today()),
        )
        .group_by(Need.id)
        .order_by(Need.id)
    )
    return [SealedCount(need, count) for need, count in rows]


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
