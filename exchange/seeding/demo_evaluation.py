"""The demo's evaluation panels, and its evaluated need: its proposals opened after the closing date, each
panel member's declaration of no conflict, the shortlist, two officers' scores and the moderation, all through
the services (so the audit trail reads as if the officers had done it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.accounts.service import load_viewer
from exchange.core.viewer import Viewer
from exchange.evaluation import panel
from exchange.evaluation import service as evaluation
from exchange.evaluation.schemas import DeclarationForm, ModerationForm, PanelForm, ScoreForm
from exchange.needs.models import Need
from exchange.organisations.models import Organisation
from exchange.proposals import procurement
from exchange.proposals.models import Proposal
from exchange.shortlists import service as shortlists


def _viewer(db: Session, users: dict[str, User], email: str) -> Viewer:
    user = users[email]
    return load_viewer(db, user.id)


def assign_panel(db: Session, need: Need, row: dict[str, Any], users: dict[str, User]) -> None:
    form = PanelForm(
        evaluator_ids=[users[email].id for email in row["evaluators"]], moderator_id=users[row["moderator"]].id
    )
    panel.assign(db, _viewer(db, users, row["assigned_by"]), need, form)


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
    for member in panel.load(db, need).members:
        # The first look after the closing date opens the proposals (recorded once); then each declares.
        viewer = load_viewer(db, member.user_id)
        state = evaluation.load(db, viewer, need.id)
        panel.declare(db, viewer, need, state.sealed_message, DeclarationForm(has_conflict=False))
    shortlister = _viewer(db, users, row["shortlisted_by"])
    for proposal in proposals.values():
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
