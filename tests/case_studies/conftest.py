"""A council that awarded a supplier, another council, and helpers shared by the case study tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit.models import AuditEvent
from exchange.case_studies import service
from exchange.case_studies.models import CaseStudy, CaseStudyInterest, CaseStudyTerm
from exchange.case_studies.schemas import CaseStudyForm
from exchange.evaluation.models import NeedOutcome, OutcomeKind
from exchange.listings.models import Offer, Pitch
from exchange.needs.models import Need
from exchange.organisations.models import Organisation
from tests import factories
from tests.client import Client

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
WRITTEN_TABLES = (CaseStudy, CaseStudyInterest, CaseStudyTerm, AuditEvent)


@dataclass
class World:
    officer: User
    council: Organisation
    need: Need
    outcome: NeedOutcome
    supplier_admin: User
    supplier: Organisation
    pitch: Pitch
    offer: Offer
    other_officer: User
    other_council: Organisation


@pytest.fixture
def world(db: Session) -> World:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    need = factories.need(db, officer, council, title="Online budget consultation for Burnley")
    supplier_admin = factories.user(db, "ada@civic.example", name="Ada Civic")
    supplier = factories.supplier(db, supplier_admin, name="Civic Consult Ltd")
    pitch = factories.pitch(db, supplier_admin, supplier, title="Budget simulator for district councils")
    offer = factories.offer(db, supplier_admin, supplier, title="Consultation platform subscription")
    outcome = NeedOutcome(need_id=need.id, kind=OutcomeKind.AWARDED, organisation_id=supplier.id, value=24_000)
    db.add(outcome)
    db.flush()
    other_officer = factories.officer(db, "LDS")
    return World(
        officer,
        council,
        need,
        outcome,
        supplier_admin,
        supplier,
        pitch,
        offer,
        other_officer,
        factories.council(db, "LDS"),
    )


def form_data(world: World, **changes: Any) -> dict[str, Any]:
    """A complete case study form as a browser would send it."""
    data: dict[str, Any] = {
        "organisation_id": world.council.id,
        "title": "Three times as many residents took part in our budget consultation",
        "summary": "An online budget simulator with paper and drop-in versions reached younger residents.",
        "problem": "Our budget survey reached 412 people, most of them over 55 and from two wards.",
        "what_we_used": "CivicVoice's budget simulator, with paper copies in libraries.",
        "supplier_organisation_id": world.supplier.id,
        "need_id": world.need.id,
        "cost": "24000",
        "duration_weeks": "10",
        "cost_and_time": "Licence and two days of design support.",
        "outcomes": "1,380 responses, up from 412; a third from people under 35.",
        "key_figures": "1,380 responses\n3 times the response of the year before",
        "went_wrong": "The paper version went out late.",
        "steps": "Agree the budget lines to show\nBuild the simulator\nRun drop-ins in libraries",
        "prerequisites": "Budget figures signed off by finance.",
        "contacts": "Consultation team: consult@burnley.example.gov.uk",
    }
    data.update(changes)
    return data


def create(db: Session, world: World, publish: bool = True, **changes: Any) -> CaseStudy:
    data = {
        key: value
        for key, value in form_data(world, **changes).items()
        if key != "organisation_id" and value not in ("", None)
    }
    viewer = factories.viewer(db, world.officer)
    case_study = service.create(db, viewer, world.council.id, CaseStudyForm.model_validate(data))
    if publish:
        service.publish(db, viewer, case_study.id)
    return case_study


def written(db: Session) -> list[int]:
    return [db.scalar(select(func.count()).select_from(model)) or 0 for model in WRITTEN_TABLES]


def sign_in(client: Client, person: User | None) -> None:
    client.http.cookies.clear()  # type: ignore[union-attr]
    if person is not None:
        client.sign_in(person.email, factories.PASSWORD)


def htmx(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    headers = {"HX-Request": "true", "X-CSRF-Token": client.csrf_token()}
    return client.request("POST", url, data=data or {}, headers=headers)
