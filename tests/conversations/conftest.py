"""A supplier's published pitch and offer, a council's need at early market engagement, and people to talk
about them: the supplier's founder, a council officer, a verified newcomer with no organisation, and an admin."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.core.viewer import Viewer
from exchange.listings.models import Offer, Pitch
from exchange.needs.models import Need, NeedStage
from exchange.organisations.models import Organisation
from tests import factories


@dataclass
class People:
    db: Session
    founder: User
    supplier: Organisation
    officer: User
    council: Organisation
    newcomer: User
    admin: User
    pitch: Pitch
    offer: Offer
    need: Need

    def viewer(self, person: User) -> Viewer:
        return factories.viewer(self.db, person)


@pytest.fixture
def people(db: Session) -> People:
    founder = factories.user(db, name="Priya Founder")
    supplier = factories.supplier(db, founder, name="Civic Voice Ltd")
    officer = factories.officer(db, "BUN")
    council = factories.council(db, "BUN")
    newcomer = factories.user(db, name="Nina Newcomer")
    admin = factories.admin(db)
    pitch = factories.pitch(db, founder, supplier)
    offer = factories.offer(db, founder, supplier)
    need = factories.need(db, officer, council)
    need.stage = NeedStage.EARLY_MARKET_ENGAGEMENT
    db.flush()
    return People(db, founder, supplier, officer, council, newcomer, admin, pitch, offer, need)
