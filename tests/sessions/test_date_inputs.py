"""The session form's dates are GOV.UK date inputs: three fields each, a slip named on its own field with what
was typed kept, and the deadlines shown again as the days typed (they are kept as the end of that day)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from exchange.sessions.models import MatchmakingSession
from exchange.sessions.slots import today_in_london
from tests import factories
from tests.client import Client
from tests.sessions.conftest import World, session_values


def date_input(field: str, value: date) -> dict[str, str]:
    return {f"{field}-day": str(value.day), f"{field}-month": str(value.month), f"{field}-year": str(value.year)}


def form(world: World, **changes: Any) -> dict[str, Any]:
    today = today_in_london()
    values = session_values(title="Pendle care tech day", organisation_id=str(world.organisations["pendle"].id))
    for field in ("held_on", "registration_closes_on", "preferences_close_on"):
        values.pop(field)
    values |= date_input("held_on", today + timedelta(days=21))
    values |= date_input("registration_closes_on", today + timedelta(days=7))
    values |= date_input("preferences_close_on", today + timedelta(days=14))
    return values | changes


def test_the_dates_typed_are_the_dates_shown_again(world: World, client: Client) -> None:
    client.sign_in(world.officers["pendle"].email, factories.PASSWORD)
    response = client.post("/sessions/new", form(world))
    assert response.status_code == 303
    created = world.db.query(MatchmakingSession).filter_by(title="Pendle care tech day").one()
    assert created.held_on == today_in_london() + timedelta(days=21)

    page = client.get(f"/sessions/{created.id}/edit").text
    closes = today_in_london() + timedelta(days=7)
    assert f'name="registration_closes_on-day" type="text" value="{closes.day}"' in page
    assert f'name="registration_closes_on-month" type="text" value="{closes.month}"' in page


def test_a_date_missing_its_month_is_refused_on_its_field(world: World, client: Client) -> None:
    client.sign_in(world.officers["pendle"].email, factories.PASSWORD)
    before = factories.count(world.db, MatchmakingSession)
    response = client.post("/sessions/new", form(world, **{"held_on-month": "", "held_on-day": "29"}))
    assert response.status_code == 422
    assert "The date of the session must include a month" in response.text
    assert 'href="#held_on"' in response.text and 'id="held_on-date-error"' in response.text
    assert 'name="held_on-day" type="text" value="29"' in response.text
    assert factories.count(world.db, MatchmakingSession) == before
