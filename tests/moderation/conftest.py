"""A council's public need open for proposals, the officer who posted it, an officer of another council, a supplier
with a pitch and an offer, and an administrator; helpers to look at it as each of them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.core.viewer import Viewer
from exchange.listings.models import Offer, Pitch
from exchange.needs import service as needs
from exchange.needs.models import Need, NeedStage
from exchange.organisations.models import Organisation
from exchange.search.models import SearchDocument
from tests import factories
from tests.client import Client

HOSTILE = "<script>alert(1)</script>"
NEED_TITLE = "Pothole reporting for rural lanes"


@dataclass
class Scene:
    db: Session
    officer: User
    council: Organisation
    need: Need
    other_officer: User
    founder: User
    supplier: Organisation
    pitch: Pitch
    offer: Offer
    admin: User

    def viewer(self, person: User) -> Viewer:
        return factories.viewer(self.db, person)


@pytest.fixture
def scene(db: Session) -> Scene:
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    need = factories.need(
        db, officer, council, title=NEED_TITLE, summary="Residents report potholes on lanes without pavements."
    )
    needs.change_stage(db, factories.viewer(db, officer), need.id, NeedStage.OPEN_FOR_PROPOSALS)
    founder = factories.user(db, name="Priya Founder")
    supplier = factories.supplier(db, founder, name="Civic Voice Ltd")
    pitch = factories.pitch(db, founder, supplier, title="Lantern budget simulator")
    offer = factories.offer(db, founder, supplier, title="Quokka meals at home")
    return Scene(
        db,
        officer,
        council,
        need,
        factories.officer(db, "LDS"),
        founder,
        supplier,
        pitch,
        offer,
        factories.admin(db),
    )


def sign_in(client: Client, person: User | None) -> None:
    """Look as this person (or as nobody) from now on."""
    client.http.cookies.clear()  # type: ignore[union-attr]
    if person is not None:
        client.sign_in(person.email, factories.PASSWORD)


def indexed(db: Session, kind: str, item_id: int) -> bool:
    return factories.count(db, SearchDocument, SearchDocument.kind == kind, SearchDocument.item_id == item_id) == 1
