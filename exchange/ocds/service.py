"""Loading what a need's OCDS release says, for one need or a page of them, in a fixed number of queries.

Only what is public goes in: the need, its procurement settings and criteria, its published clarifications
and, once recorded, its outcome. Proposals, scores and evaluators never do.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from exchange.core.errors import NotFound
from exchange.evaluation.models import NeedOutcome
from exchange.needs.models import Need
from exchange.profiles.models import SupplierProfile
from exchange.proposals.models import Clarification, EvaluationCriterion, NeedProcurement, Proposal, ProposalStatus


@dataclass
class NeedFacts:
    need: Need
    settings: NeedProcurement | None
    criteria: list[EvaluationCriterion]
    # Published (answered) clarification questions, in the order they were answered.
    enquiries: list[Clarification]
    outcome: NeedOutcome | None
    # The awarded supplier's profile, for its Companies House number and size.
    supplier_profile: SupplierProfile | None
    # Submitted proposals: published only once the outcome is recorded.
    tenderers: int


def _public_needs(db: Session, offset: int, limit: int, need_id: int | None = None) -> list[Need]:
    statement = select(Need).where(Need.open_to_everyone).options(selectinload(Need.organisation))
    if need_id is not None:
        statement = statement.where(Need.id == need_id)
    return list(db.scalars(statement.order_by(Need.id).offset(offset).limit(limit)))


def count_public(db: Session) -> int:
    return db.scalar(select(func.count()).where(Need.open_to_everyone)) or 0


def facts_for(db: Session, needs: list[Need]) -> list[NeedFacts]:
    ids = [need.id for need in needs]
    if not ids:
        return []
    settings = {s.need_id: s for s in db.scalars(select(NeedProcurement).where(NeedProcurement.need_id.in_(ids)))}
    criteria: dict[int, list[EvaluationCriterion]] = {}
    for criterion in db.scalars(
        select(EvaluationCriterion)
        .where(EvaluationCriterion.need_id.in_(ids))
        .order_by(EvaluationCriterion.need_id, EvaluationCriterion.position)
    ):
        criteria.setdefault(criterion.need_id, []).append(criterion)
    enquiries: dict[int, list[Clarification]] = {}
    for clarification in db.scalars(
        select(Clarification)
        .where(Clarification.need_id.in_(ids), Clarification.answered_at.is_not(None))
        .order_by(Clarification.answered_at, Clarification.id)
    ):
        enquiries.setdefault(clarification.need_id, []).append(clarification)
    outcomes = {
        o.need_id: o
        for o in db.scalars(
            select(NeedOutcome).where(NeedOutcome.need_id.in_(ids)).options(selectinload(NeedOutcome.organisation))
        )
    }
    supplier_ids = {o.organisation_id for o in outcomes.values() if o.organisation_id is not None}
    profiles = {
        p.organisation_id: p
        for p in db.scalars(select(SupplierProfile).where(SupplierProfile.organisation_id.in_(supplier_ids)))
    }
    tenderers: dict[int, int] = {
        need_id: count
        for need_id, count in db.execute(
            select(Proposal.need_id, func.count())
            .where(Proposal.need_id.in_(list(outcomes)), Proposal.status == ProposalStatus.SUBMITTED)
            .group_by(Proposal.need_id)
        )
    }
    return [
        NeedFacts(
            need=need,
            settings=settings.get(need.id),
            criteria=criteria.get(need.id, []),
            enquiries=enquiries.get(need.id, []),
            outcome=outcomes.get(need.id),
            supplier_profile=profiles.get(outcomes[need.id].organisation_id or 0) if need.id in outcomes else None,
            tenderers=tenderers.get(need.id, 0),
        )
        for need in needs
    ]


def for_need(db: Session, need_id: int) -> NeedFacts:
    """A public need's facts; any other need is not published (404)."""
    needs = _public_needs(db, 0, 1, need_id)
    if not needs:
        raise NotFound()
    return facts_for(db, needs)[0]


def page(db: Session, offset: int, limit: int) -> list[NeedFacts]:
    return facts_for(db, _public_needs(db, offset, limit))
