"""What the need page shows about proposals: the procurement settings and published clarifications for
everyone, the viewer's own proposal and questions, and for the council what waits on it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.core.viewer import Viewer
from exchange.evaluation import outcome as outcomes
from exchange.needs.models import Need
from exchange.proposals import clarifications, procurement, service
from exchange.proposals.models import Proposal, ProposalStatus


def need_page_context(db: Session, viewer: Viewer, need: Need) -> dict[str, Any]:
    view = procurement.load(db, need)
    is_council = viewer.is_member(need.organisation_id)
    responding = [] if is_council else procurement.responding_organisations(db, viewer)
    received = 0
    if is_council:
        received = (
            db.scalar(
                select(func.count()).where(Proposal.need_id == need.id, Proposal.status == ProposalStatus.SUBMITTED)
            )
            or 0
        )
    return {
        "procurement": view,
        "clarifications": clarifications.visible_to(db, viewer, need),
        "can_ask": bool(responding),
        "can_respond": bool(responding),
        "own_proposals": service.own_for_need(db, viewer, need) if responding else [],
        "questions_waiting": clarifications.waiting_count(db, need) if is_council else 0,
        "proposals_received": received,
        "outcome": outcomes.outcome_of(db, need.id),
    }
