"""A council that awarded a supplier a contract, a council that did not, and helpers shared by the tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit.models import AuditEvent
from exchange.evaluation.models import NeedOutcome, OutcomeKind
from exchange.knowledge.models import Endorsement, Follow, SavedSearch
from exchange.listings.models import Offer
from exchange.needs.models import Need
from exchange.notifications.models import Notification
from exchange.organisations.models import Organisation
from exchange.outbox.models import OutboxMessage
from tests import factories
from tests.client import Client

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
WRITTEN_TABLES = (Endorsement, Follow, SavedSearch, AuditEvent, Notification, OutboxMessage)


@dataclass
class World:
    officer: User
    council: Organisation
    need: Need
    supplier_admin: User
    supplier: Organisation
    offer: Offer
    stranger_officer: User
    stranger_council: Organisation


def award(db: Session, need: Need, supplier: Organisation) -> NeedOutcome:
    outcome = NeedOutcome(need_id=need.id, kind=OutcomeKind.AWARDED, organisation_id=supplier.id, value=40_000)
    db.add(outcome)
    db.flush()
    return outcome


@pytest.fixture
def world(db: Session) -> World:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    need = factories.need(db, officer, council, title="Online budget consultation for Burnley")
    supplier_admin = factories.user(db, "ada@civic.example", name="Ada Civic")
    supplier = factories.supplier(db, supplier_admin, name="Civic Consult Ltd")
    offer = factories.offer(db, supplier_admin, supplier, title="Consultation platform")
    award(db, need, supplier)
    stranger_officer = factories.officer(db, "MAN")
    return World(
        officer, council, need, supplier_admin, supplier, offer, stranger_officer, factories.council(db, "MAN")
    )


def written(db: Session) -> list[int]:
    return [db.scalar(select(func.count()).select_from(model)) or 0 for model in WRITTEN_TABLES]


def sign_in(client: Client, person: User | None) -> None:
    client.http.cookies.clear()  # type: ignore[union-attr]
    if person is not None:
        client.sign_in(person.email, factories.PASSWORD)


def htmx(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    headers = {"HX-Request": "true", "X-CSRF-Token": client.csrf_token()}
    return client.request("POST", url, data=data or {}, headers=headers)
