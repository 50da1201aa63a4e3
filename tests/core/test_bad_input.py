"""Bad input an attacker's probe sent, each once a 500: now a clear refusal that changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from exchange.listings.models import Pitch
from exchange.needs.models import Need
from exchange.sessions.models import MatchmakingSession
from tests import factories
from tests.client import Client

SESSION_FIELDS = {
    "title": "Meet the buyers",
    "venue": "Town hall",
    "held_on": "31/12/9999",
    "starts_at": "10:00",
    "meeting_minutes": "20",
    "meetings": "6",
    "tables": "4",
    "max_meetings": "4",
    "open_to": ["council", "supplier"],
    "registration_closes_on": "30/12/9999",
    "preferences_close_on": "30/12/9999",
}


@pytest.mark.parametrize("kind", ["pitches", "offers", "needs"])
def test_tags_that_are_not_text_are_a_422(client: Client, db: Session, kind: str) -> None:
    officer = factories.officer(db)
    owner = officer if kind == "needs" else factories.user(db)
    if kind != "needs":
        factories.supplier(db, owner)
    client.sign_in(owner.email, factories.PASSWORD)
    body = {"title": "A title that is fine", "summary": "A summary that is long enough.", "tags": [{}]}
    if kind == "offers":
        body["price_model"] = "free"

    response = client.api("POST", f"/api/v1/{kind}", json=body)

    assert response.status_code == 422, response.text
    assert "tags" in response.text
    assert factories.count(db, Pitch) == 0 and factories.count(db, Need) == 0


@pytest.mark.parametrize("page", ["99999999999999999999", "-1", "1e3", "²"])
def test_a_page_number_out_of_range_is_not_a_500(client: Client, page: str) -> None:
    for path in ("/organisations", "/search", "/api/v1/organisations", "/api/v1/search"):
        response = client.get(path, params={"page": page})
        assert response.status_code in (200, 422), (path, response.status_code)


def test_a_superscript_digit_is_not_an_organisation_id(client: Client, db: Session) -> None:
    officer = factories.officer(db)
    need = factories.need(db, officer, factories.council(db))
    supplier_owner = factories.user(db)
    factories.supplier(db, supplier_owner)
    client.sign_in(supplier_owner.email, factories.PASSWORD)

    respond = client.post(f"/needs/{need.id}/respond", {"organisation_id": "²"})
    assert respond.status_code in (303, 404, 409, 422)
    created = client.post("/sessions/new", {**SESSION_FIELDS, "held_on": "01/06/2030", "organisation_id": "²"})
    assert created.status_code == 422
    assert factories.count(db, MatchmakingSession) == 0


def test_a_session_in_the_year_9999_is_refused_plainly(client: Client, db: Session) -> None:
    officer = factories.officer(db)
    client.sign_in(officer.email, factories.PASSWORD)
    organisation_id = factories.council(db).id

    response = client.post("/sessions/new", {**SESSION_FIELDS, "organisation_id": str(organisation_id)})

    assert response.status_code == 422
    assert "The date of the session must be between 1900 and 2100" in response.text
    assert factories.count(db, MatchmakingSession) == 0


@pytest.mark.parametrize("path", ["/pitches/new", "/offers/new", "/needs/new", "/case-studies/new"])
def test_a_superscript_digit_is_no_organisation_on_any_new_item_form(client: Client, db: Session, path: str) -> None:
    officer = factories.officer(db)
    client.sign_in(officer.email, factories.PASSWORD)

    response = client.post(path, {"organisation_id": "²", "title": "A title that is fine"})

    assert response.status_code == 422
