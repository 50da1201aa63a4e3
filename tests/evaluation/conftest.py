"""A need with two submitted proposals on its shortlist, its panel (two evaluators of its council, the first
also the moderator, both declared free of conflicts), and helpers to score, moderate and record the outcome
as the service would, and to read back what was written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit.models import AuditEvent
from exchange.evaluation import outcome, panel, service
from exchange.evaluation.models import (
    AgreedScore,
    EvaluationScore,
    Moderation,
    NeedOutcome,
    PanelMember,
    ProposalFeedback,
)
from exchange.evaluation.schemas import DeclarationForm, ModerationForm, OutcomeForm, PanelForm, ScoreForm
from exchange.needs.models import Need
from exchange.notifications.models import Notification
from exchange.outbox.models import OutboxMessage
from exchange.proposals.models import EvaluationCriterion, NeedProcurement, Proposal
from exchange.shortlists import service as shortlists
from exchange.shortlists.models import ShortlistEntry
from tests import factories
from tests.proposals.conftest import World, days, set_dates, sign_in, submitted_proposal
from tests.proposals.conftest import world as world  # the fixture, shared with the proposals tests

__all__ = ["Evaluation", "assign", "before_the_deadline", "days", "declare", "set_dates", "sign_in"]

WRITTEN_TABLES = (
    EvaluationScore,
    Moderation,
    AgreedScore,
    ProposalFeedback,
    NeedOutcome,
    PanelMember,
    ShortlistEntry,
    AuditEvent,
    Notification,
    OutboxMessage,
)


@dataclass
class Evaluation:
    world: World
    # From Pennine Community Meals (world.supplier) and Rival Meals Ltd (world.rival), both shortlisted.
    proposal: Proposal
    rival_proposal: Proposal
    criteria: list[EvaluationCriterion]

    @property
    def need(self) -> Need:
        return self.world.need

    def path(self, proposal: Proposal | None = None, page: str = "") -> str:
        if proposal is None:
            return f"/needs/{self.need.id}{page}"
        return f"/needs/{self.need.id}/proposals/{proposal.id}{page}"


@pytest.fixture
def evaluation(db: Session, world: World) -> Evaluation:
    """Both proposals submitted while proposals were open; they closed yesterday, so the council reads them."""
    proposal = submitted_proposal(db, world)
    rival_proposal = submitted_proposal(db, world, world.rival_admin, nice_to_haves=False)
    set_dates(db, world.need, opens_on=days(-30), closes_on=days(-1), questions_close_on=None)
    officer = factories.viewer(db, world.officer)
    shortlists.add_proposal(db, officer, world.need.id, proposal.id)
    shortlists.add_proposal(db, officer, world.need.id, rival_proposal.id)
    assign(db, world, [world.officer, world.colleague], world.officer)
    declare(db, world, world.officer)
    declare(db, world, world.colleague)
    criteria = list(
        db.scalars(
            select(EvaluationCriterion)
            .where(EvaluationCriterion.need_id == world.need.id)
            .order_by(EvaluationCriterion.position)
        )
    )
    return Evaluation(world, proposal, rival_proposal, criteria)


def assign(db: Session, world: World, evaluators: list[User], moderator: User) -> None:
    """The panel, as the need's owner (world.officer) assigns it."""
    form = PanelForm(evaluator_ids=[u.id for u in evaluators], moderator_id=moderator.id)
    panel.assign(db, factories.viewer(db, world.officer), world.need, form)


def declare(db: Session, world: World, person: User, conflict: str = "") -> None:
    """The person's declaration: no conflict, or the conflict described."""
    viewer = factories.viewer(db, person)
    state = service.load(db, viewer, world.need.id)
    form = DeclarationForm(has_conflict=bool(conflict), description=conflict)
    panel.declare(db, viewer, world.need, state.sealed_message, form)


@contextmanager
def before_the_deadline(db: Session, ev: Evaluation) -> Iterator[None]:
    """Act as suppliers could before proposals closed (draft, submit, withdraw), then close them again."""
    settings = db.scalars(select(NeedProcurement).where(NeedProcurement.need_id == ev.need.id)).one()
    opened_at, closes_on = settings.opened_at, settings.closes_on
    settings.opened_at, settings.closes_on = None, days(30)
    db.flush()
    yield
    settings.opened_at, settings.closes_on = opened_at, closes_on
    db.flush()


def written(db: Session) -> list[int]:
    return [factories.count(db, model) for model in WRITTEN_TABLES]


def score(db: Session, ev: Evaluation, person: User, proposal: Proposal, values: list[int]) -> None:
    """The person's scores of the proposal, one per criterion in order."""
    viewer = factories.viewer(db, person)
    for criterion, value in zip(ev.criteria, values, strict=True):
        form = ScoreForm(score=value, justification=f"{person.name} gives {value} for {criterion.name.lower()}.")
        service.save_score(db, viewer, ev.need.id, proposal.id, criterion.id, form)


def start_moderation(db: Session, ev: Evaluation, person: User | None = None) -> None:
    service.start_moderation(db, factories.viewer(db, person or ev.world.officer), ev.need.id)


def moderate(
    db: Session, ev: Evaluation, proposal: Proposal, values: list[int], feedback: str = "Clear and well costed."
) -> None:
    form = ModerationForm(
        scores=[
            {"criterion_id": c.id, "score": value, "note": f"Agreed {value} after discussion."}
            for c, value in zip(ev.criteria, values, strict=True)
        ],
        feedback=feedback,
    )
    service.moderate(db, factories.viewer(db, ev.world.officer), ev.need.id, proposal.id, form)


def fully_evaluated(db: Session, ev: Evaluation) -> None:
    """Both evaluators score both proposals, moderation starts, and both are moderated: Pennine comes first."""
    score(db, ev, ev.world.officer, ev.proposal, [80, 70, 60])
    score(db, ev, ev.world.colleague, ev.proposal, [60, 70, 80])
    score(db, ev, ev.world.officer, ev.rival_proposal, [40, 50, 90])
    score(db, ev, ev.world.colleague, ev.rival_proposal, [50, 50, 70])
    start_moderation(db, ev)
    moderate(db, ev, ev.proposal, [70, 70, 70], "Strong on welfare checks; the price is within budget.")
    moderate(db, ev, ev.rival_proposal, [45, 50, 80], "Did not show how welfare checks would be carried out.")


def close_proposals(db: Session, ev: Evaluation) -> None:
    """Proposals closed yesterday, as time passing would have it."""
    set_dates(db, ev.need, opens_on=days(-30), closes_on=days(-1), questions_close_on=None)


def award(db: Session, ev: Evaluation, proposal: Proposal | None = None, **changes: Any) -> NeedOutcome:
    chosen = proposal or ev.proposal
    values: dict[str, Any] = {
        "kind": "awarded",
        "organisation_id": chosen.organisation_id,
        "value": 88_000,
        "starts_on": days(60),
        **changes,
    }
    return outcome.record(db, factories.viewer(db, ev.world.officer), ev.need.id, OutcomeForm.model_validate(values))
