"""The demo's evaluated need: its proposals opened after the closing date, shortlisted, scored by two officers
and moderated, all through the services (so the audit trail reads as if the officers had done it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.accounts.service import load_viewer
from exchange.core.viewer import Viewer
from exchange.evaluation import service as evaluation
from exchange.evaluation.schemas import ModerationForm, ScoreForm
from exchange.needs.models import Need
from exchange.organisations.models import Organisation
from exchange.proposals import procurement
from exchange.proposals.models import Proposal
from exchange.shortlists import service as shortlists


def _viewer(db: Session, users: dict[str, User], email: str) -> Viewer:
    user = users[email]
    return load_viewer(db, user.id)


def evaluate(
    db: Session, need: Need, row: dict[str, Any], organisations: dict[str, Organisation], users: dict[str, User]
) -> None:
    proposals = {
        key: db.scalars(
            select(Proposal).where(Proposal.need_id == need.id, Proposal.organisation_id == organisations[key].id)
        ).one()
        for key in row["shortlist"]
    }
    criteria = procurement.load(db, need).criteria
    shortlister = _viewer(db, users, row["shortlisted_by"])
    for proposal in proposals.values():
        # The first look after the closing date opens the proposals (recorded once).
        shortlists.add_proposal(db, shortlister, need.id, proposal.id)
    for email, by_supplier in row["scores"].items():
        evaluator = _viewer(db, users, email)
        for key, scores in by_supplier.items():
            for criterion, score in zip(criteria, scores, strict=True):
                given = ScoreForm(score=score, justification=f"{score}: see the proposal's {criterion.name.lower()}.")
                evaluation.save_score(db, evaluator, need.id, proposals[key].id, criterion.id, given)
    moderator = _viewer(db, users, row["moderated_by"])
    evaluation.start_moderation(db, moderator, need.id)
    for key, agreed in row["agreed"].items():
        form = ModerationForm(
            scores=[
                {"criterion_id": criterion.id, "score": score, "note": note}
                for criterion, score, note in zip(criteria, agreed["scores"], agreed["notes"], strict=True)
            ],
            feedback=agreed["feedback"],
        )
        evaluation.moderate(db, moderator, need.id, proposals[key].id, form)
