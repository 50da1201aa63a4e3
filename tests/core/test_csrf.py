"""Every state-changing request needs the session's CSRF token: without it, 403 and nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit.models import AuditEvent
from exchange.listings.models import Pitch
from exchange.needs.models import Need, NeedStage
from exchange.outbox.models import OutboxMessage
from tests import factories
from tests.client import Client

SIGN_UP = {
    "name": "Forged Person",
    "email": "forged@supplier.example",
    "password": "a long enough password",
    "account_kind": "supplier",
    "organisation_name": "Forged Ltd",
}
PITCH = {"title": "Forged pitch title", "summary": "A summary long enough to pass."}


def counts(db: Session) -> list[int]:
    return [factories.count(db, model) for model in (User, Pitch, Need, AuditEvent, OutboxMessage)]


@pytest.mark.parametrize("token", [None, "", "a-token-from-another-session"])
def test_sign_up_without_the_right_token_is_refused(client: Client, db: Session, token: str | None) -> None:
    client.csrf_token()  # the visitor has a session, and so a token they did not send
    before = counts(db)
    data = dict(SIGN_UP) if token is None else {**SIGN_UP, "csrf_token": token}

    response = client.post("/account/sign-up", data, csrf=False)

    assert response.status_code == 403
    assert "The form has expired" in response.text
    assert counts(db) == before


def test_a_token_from_another_session_is_refused(client: Client, other_client: Client, db: Session) -> None:
    before = counts(db)

    response = client.post("/account/sign-up", {**SIGN_UP, "csrf_token": other_client.csrf_token()}, csrf=False)

    assert response.status_code == 403
    assert counts(db) == before


def test_creating_a_pitch_without_the_token_is_refused(client: Client, db: Session) -> None:
    person = factories.user(db)
    organisation = factories.supplier(db, person)
    client.sign_in(person.email, factories.PASSWORD)
    before = counts(db)

    response = client.post("/pitches/new", {**PITCH, "organisation_id": str(organisation.id)}, csrf=False)

    assert response.status_code == 403
    assert counts(db) == before


def test_changing_a_need_stage_without_the_token_is_refused(client: Client, db: Session) -> None:
    officer = factories.officer(db)
    need = factories.need(db, officer, factories.council(db))
    client.sign_in(officer.email, factories.PASSWORD)
    before = counts(db)

    response = client.post(f"/needs/{need.id}/stage", {"stage": "open_for_proposals"}, csrf=False)

    assert response.status_code == 403
    db.refresh(need)
    assert need.stage is NeedStage.IDEA
    assert counts(db) == before


def test_an_api_post_with_the_cookie_but_no_header_is_refused(client: Client, db: Session) -> None:
    person = factories.user(db)
    organisation = factories.supplier(db, person)
    client.sign_in(person.email, factories.PASSWORD)
    before = counts(db)

    response = client.api("POST", "/api/v1/pitches", {**PITCH, "organisation_id": organisation.id}, csrf=False)

    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/json")
    assert "expired" in response.json()["detail"]
    assert counts(db) == before


def test_an_api_put_with_a_wrong_header_is_refused(client: Client, db: Session) -> None:
    person = factories.user(db)
    organisation = factories.supplier(db, person)
    pitch = factories.pitch(db, person, organisation)
    client.sign_in(person.email, factories.PASSWORD)

    response = client.request(
        "PUT", f"/api/v1/pitches/{pitch.id}", json={**PITCH}, headers={"X-CSRF-Token": "not-the-token"}
    )

    assert response.status_code == 403
    db.refresh(pitch)
    assert pitch.title == "Online budget consultation"


def test_sign_out_without_the_token_keeps_the_session(client: Client, db: Session) -> None:
    person = factories.user(db)
    client.sign_in(person.email, factories.PASSWORD)

    assert client.post("/account/sign-out", csrf=False).status_code == 403
    assert client.get("/dashboard").status_code == 200


def test_the_token_in_the_htmx_header_is_accepted_for_a_form(client: Client, db: Session) -> None:
    person = factories.user(db)
    organisation = factories.supplier(db, person)
    client.sign_in(person.email, factories.PASSWORD)
    token = client.csrf_token()

    response = client.request(
        "POST",
        "/pitches/new",
        data={**PITCH, "organisation_id": str(organisation.id)},
        headers={"X-CSRF-Token": token},
    )

    assert response.status_code == 303
    assert factories.count(db, Pitch, Pitch.title == PITCH["title"]) == 1


def test_signing_in_starts_a_new_session_with_a_new_token(client: Client, db: Session) -> None:
    person = factories.user(db)
    before = client.csrf_token()

    client.sign_in(person.email, factories.PASSWORD)

    assert client.csrf_token() != before
