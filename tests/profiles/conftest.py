"""A supplier organisation with an administrator signed in, and helpers to read back what was written."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit.models import AuditEvent
from exchange.organisations.models import Organisation
from exchange.profiles.models import Certification, Declaration, Insurance, PastContract, Reference, SupplierProfile
from tests import factories
from tests.client import Client

PROFILE_TABLES = (SupplierProfile, Certification, Insurance, Declaration, Reference, PastContract, AuditEvent)


@dataclass
class Supplier:
    client: Client
    person: User
    organisation: Organisation

    @property
    def base(self) -> str:
        return f"/organisations/{self.organisation.slug}/profile"


@pytest.fixture
def supplier(client: Client, db: Session) -> Supplier:
    person = factories.user(db, "owner@quillfeather.example", name="Priya Owner")
    organisation = factories.supplier(db, person, name="Quillfeather Labs Ltd")
    client.sign_in(person.email, factories.PASSWORD)
    return Supplier(client, person, organisation)


def written(db: Session) -> list[int]:
    """How many rows each profile table (and the audit log) holds now."""
    return [factories.count(db, model) for model in PROFILE_TABLES]


def with_fresh_session(client: Client) -> None:
    assert client.http is not None
    client.http.cookies.clear()
