"""A session organised by Burnley's officers, open for registration, with two councils and three suppliers
registered (one of them with a profile that matches Pendle's need), and helpers to drive it as the pages do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.core.viewer import Viewer
from exchange.matching.documents import refresh_supplier
from exchange.organisations.models import Organisation
from exchange.sessions import service
from exchange.sessions.models import MatchmakingSession, SessionParticipant, SessionStatus
from exchange.sessions.schemas import RegistrationForm, SessionForm
from exchange.sessions.slots import today_in_london
from tests import factories


def uk(days_from_today: int) -> str:
    return (today_in_london() + timedelta(days=days_from_today)).strftime("%-d/%-m/%Y")


def session_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "North West digital matchmaking",
        "description": "Councils meet suppliers of digital participation tools.",
        "venue": "Burnley Town Hall",
        "held_on": uk(21),
        "starts_at": "9:30",
        "meeting_minutes": "20",
        "gap_minutes": "5",
        "meetings": "6",
        "break_at": "11:00",
        "break_minutes": "30",
        "tables": "2",
        "max_meetings": "4",
        "open_to": ["council", "public_body", "supplier", "vcse"],
        "registration_closes_on": uk(7),
        "preferences_close_on": uk(14),
    }
    values.update(changes)
    return values


@dataclass
class World:
    db: Session
    organiser: User
    organising_council: Organisation
    session: MatchmakingSession
    officers: dict[str, User] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    participants: dict[str, SessionParticipant] = field(default_factory=dict)

    def viewer(self, who: str | User) -> Viewer:
        person = self.officers[who] if isinstance(who, str) else who
        return factories.viewer(self.db, person)

    def register(self, who: str, **changes: Any) -> SessionParticipant:
        values: dict[str, Any] = {
            "organisation_id": self.organisations[who].id,
            "available": list(range(len(self.session.slots))),
            "max_meetings": 4,
            **changes,
        }
        participant = service.register(self.db, self.viewer(who), self.session.id, RegistrationForm(**values))
        self.participants[who] = participant
        return participant


@pytest.fixture
def world(db: Session) -> World:
    organiser = factories.officer(db, "BUN")
    burnley = factories.council(db, "BUN")
    form = SessionForm.model_validate(session_values())
    session = service.create(db, factories.viewer(db, organiser), burnley.id, form)
    service.change_status(db, factories.viewer(db, organiser), session.id, SessionStatus.OPEN)
    w = World(db, organiser, burnley, session)
    w.officers["burnley"], w.organisations["burnley"] = organiser, burnley
    pendle_officer = factories.officer(db, "PEN")
    w.officers["pendle"], w.organisations["pendle"] = pendle_officer, factories.council(db, "PEN")
    factories.need(
        db,
        pendle_officer,
        w.organisations["pendle"],
        title="Online budget consultation for residents",
        summary="An online tool for residents to shape the council budget.",
        problem_statement="We need an online budget simulator and consultation platform for residents.",
    )
    for key, name in (("civic", "Civic Voice Ltd"), ("meals", "Pennine Meals"), ("roads", "Road Repairs Ltd")):
        person = factories.user(db, name=f"{name} founder")
        w.officers[key], w.organisations[key] = person, factories.supplier(db, person, name=name)
    factories.pitch(
        db,
        w.officers["civic"],
        w.organisations["civic"],
        title="Online budget consultation and simulator",
        summary="Residents balance the council budget online; we report what they chose.",
    )
    for key in ("civic", "meals", "roads"):
        refresh_supplier(db, w.organisations[key].id)
    for key in ("burnley", "pendle", "civic", "meals", "roads"):
        w.register(key)
    return w
