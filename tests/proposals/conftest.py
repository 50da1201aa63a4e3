"""A council need open for proposals, the people around it, and helpers to read back what was written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import Member, MemberRole, User
from exchange.audit.models import AuditEvent
from exchange.needs import service as needs
from exchange.needs.models import Need, NeedStage
from exchange.notifications.models import Notification
from exchange.organisations.models import Organisation
from exchange.outbox.models import OutboxMessage
from exchange.profiles.completeness import today
from exchange.proposals import procurement, service
from exchange.proposals.models import (
    Clarification,
    EvaluationCriterion,
    NeedProcurement,
    Proposal,
    ProposalAnswer,
    Requirement,
)
from exchange.proposals.schemas import ProcurementForm, ProposalDraft
from exchange.shortlists.models import ShortlistEntry
from tests import factories
from tests.client import Client

WRITTEN_TABLES = (
    NeedProcurement,
    Requirement,
    EvaluationCriterion,
    Clarification,
    Proposal,
    ProposalAnswer,
    ShortlistEntry,
    AuditEvent,
    Notification,
    OutboxMessage,
)
ESSENTIALS = ["Deliver a hot midday meal every day", "Carry out a welfare check at each delivery"]
NICE_TO_HAVES = ["Offer a frozen tea-time meal"]


@dataclass
class World:
    officer: User
    colleague: User
    council: Organisation
    need: Need
    supplier_admin: User
    supplier_member: User
    supplier: Organisation
    rival_admin: User
    rival: Organisation
    other_officer: User

    def requirements(self, db: Session) -> list[Requirement]:
        return procurement.load(db, self.need).requirements


def days(n: int) -> date:
    return today() + timedelta(days=n)


def set_up_procurement(db: Session, officer: User, need: Need, **changes: Any) -> None:
    values: dict[str, Any] = {
        "essential_requirements": ESSENTIALS,
        "nice_to_have_requirements": NICE_TO_HAVES,
        "criteria": [
            {"name": "Technical quality", "weight": 50},
            {"name": "Social value", "weight": 30},
            {"name": "Price", "weight": 20},
        ],
        "shortlist_size": 3,
        "opens_on": days(-7),
        "closes_on": days(30),
        "questions_close_on": days(20),
        **changes,
    }
    procurement.update(db, factories.viewer(db, officer), need.id, ProcurementForm.model_validate(values))


def set_dates(db: Session, need: Need, **dates: date | None) -> None:
    """Move the dates directly, as time passing would (the form refuses nothing in the past, but this is quicker)."""
    settings = db.scalars(select(NeedProcurement).where(NeedProcurement.need_id == need.id)).one()
    for name, value in dates.items():
        setattr(settings, name, value)
    db.flush()


def close_proposals(db: Session, world: World) -> None:
    """Proposals closed yesterday, as time passing would have it: the council may now open them."""
    set_dates(db, world.need, opens_on=days(-30), closes_on=days(-1), questions_close_on=None)


@pytest.fixture
def world(db: Session) -> World:
    officer = factories.officer(db, "BUN")
    colleague = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    need = factories.need(db, officer, council, title="Meals at home for older residents")
    needs.change_stage(db, factories.viewer(db, officer), need.id, NeedStage.OPEN_FOR_PROPOSALS)
    set_up_procurement(db, officer, need)
    supplier_admin = factories.user(db, "jo@pennine.example", name="Jo Pennine")
    supplier_member = factories.user(db, "sam@pennine.example", name="Sam Pennine")
    supplier = factories.supplier(db, supplier_admin, supplier_member, name="Pennine Community Meals")
    rival_admin = factories.user(db, "kim@rival.example", name="Kim Rival")
    rival = factories.supplier(db, rival_admin, name="Rival Meals Ltd")
    other_officer = factories.officer(db, "MAN")
    return World(
        officer, colleague, council, need, supplier_admin, supplier_member, supplier, rival_admin, rival, other_officer
    )


def make_council_admin(db: Session, person: User, council: Organisation) -> None:
    """While a need has no evaluation panel, only its owner and its council's admins read its proposals."""
    member = db.scalars(select(Member).where(Member.user_id == person.id, Member.organisation_id == council.id)).one()
    member.role = MemberRole.ADMIN
    db.flush()


def written(db: Session) -> list[int]:
    return [factories.count(db, model) for model in WRITTEN_TABLES]


def complete_draft(
    world: World, db: Session, meets: bool = True, nice_to_haves: bool | None = None, **changes: Any
) -> ProposalDraft:
    """Every requirement answered ``meets``, or the nice-to-haves ``nice_to_haves`` when given."""
    values: dict[str, Any] = {
        "answers": [
            {
                "requirement_id": r.id,
                "meets": meets if nice_to_haves is None or r.kind.value == "essential" else nice_to_haves,
                "evidence": f"Evidence for {r.text.lower()}.",
            }
            for r in world.requirements(db)
        ],
        "price": 90_000,
        "price_note": "per year",
        "approach": "We cook locally and deliver from two hubs.",
        "attach_profile": True,
        **changes,
    }
    return ProposalDraft.model_validate(values)


def draft_proposal(db: Session, world: World, person: User | None = None, **changes: Any) -> Proposal:
    """A complete draft from the supplier (or the organisation of ``person``)."""
    person = person or world.supplier_admin
    viewer = factories.viewer(db, person)
    proposal = service.start(db, viewer, world.need.id, None)
    service.save_draft(db, viewer, world.need.id, proposal.id, complete_draft(world, db, **changes))
    return proposal


def submitted_proposal(db: Session, world: World, person: User | None = None, **changes: Any) -> Proposal:
    person = person or world.supplier_admin
    proposal = draft_proposal(db, world, person, **changes)
    return service.submit(db, factories.viewer(db, person), world.need.id, proposal.id)


def form_of(world: World, db: Session, **changes: Any) -> dict[str, Any]:
    """A complete proposal form as a browser posts it."""
    values: dict[str, Any] = {}
    for requirement in world.requirements(db):
        values[f"answer_{requirement.id}_meets"] = "yes"
        values[f"answer_{requirement.id}_evidence"] = f"We do: {requirement.text.lower()}."
    values.update(
        {"price": "£90,000", "price_note": "per year", "approach": "Two hubs.", "attach_profile": "yes", **changes}
    )
    return {key: value for key, value in values.items() if value is not None}


def sign_in(client: Client, person: User | None) -> None:
    if person is None:
        client.get("/")
    else:
        client.sign_in(person.email, factories.PASSWORD)
