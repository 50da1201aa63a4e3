"""Resetting a password: no enumeration, a link that works once, and every older session ends."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.outbox.models import OutboxMessage
from tests import factories
from tests.client import Client

NEW_PASSWORD = "a brand new passphrase"


def reset_link(client: Client, db: Session, email: str) -> str:
    response = client.post("/account/password-reset", {"email": email})
    assert response.status_code == 200
    [message] = [m for m in factories.emails_to(db, email) if m.subject == "Reset your password"]
    return factories.link_in(message, "/account/password-reset/")


def test_a_request_for_an_unknown_email_gets_the_same_page_and_sends_nothing(client: Client, db: Session) -> None:
    factories.user(db, "known@supplier.example")
    emails = factories.count(db, OutboxMessage)

    unknown = client.post("/account/password-reset", {"email": "nobody@supplier.example"})
    known = client.post("/account/password-reset", {"email": "known@supplier.example"})

    assert unknown.status_code == known.status_code == 200
    assert "Check your email" in unknown.text and "Check your email" in known.text
    assert unknown.text.replace("nobody@", "X@").count("X@supplier.example") == 1
    assert factories.count(db, OutboxMessage) == emails + 1
    assert factories.emails_to(db, "nobody@supplier.example") == []


def test_the_reset_link_changes_the_password_and_signs_in(client: Client, other_client: Client, db: Session) -> None:
    person = factories.user(db, "forgetful@supplier.example")
    link = reset_link(client, db, person.email)

    assert other_client.get(link).status_code == 200
    response = other_client.post(link, {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD})

    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    assert other_client.get("/dashboard").status_code == 200
    assert factories.audit_events(db, "user", person.id, "user.password_reset")
    old = other_client.post("/account/sign-in", {"email": person.email, "password": factories.PASSWORD})
    assert old.status_code == 422
    client.sign_in(person.email, NEW_PASSWORD)


def test_the_reset_link_cannot_be_used_twice(client: Client, db: Session) -> None:
    person = factories.user(db, "twice@supplier.example")
    link = reset_link(client, db, person.email)
    client.post(link, {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD})

    again_form = client.get(link)
    again = client.post(link, {"password": "yet another passphrase", "password_confirmation": "yet another passphrase"})

    assert again_form.status_code == again.status_code == 400
    assert "This link has expired" in again.text
    client.sign_in(person.email, NEW_PASSWORD)


def test_older_sessions_stop_working_after_a_reset(client: Client, other_client: Client, db: Session) -> None:
    person = factories.user(db, "stolen@supplier.example")
    client.sign_in(person.email, factories.PASSWORD)
    assert client.get("/dashboard").status_code == 200
    version = person.session_version

    link = reset_link(other_client, db, person.email)
    other_client.post(link, {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD})

    db.expire_all()
    assert db.get_one(User, person.id).session_version == version + 1
    response = client.get("/dashboard")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/account/sign-in")
    assert other_client.get("/dashboard").status_code == 200


def test_a_mismatched_or_weak_new_password_is_refused_and_the_link_still_works(client: Client, db: Session) -> None:
    person = factories.user(db, "typo@supplier.example")
    link = reset_link(client, db, person.email)

    mismatched = client.post(link, {"password": NEW_PASSWORD, "password_confirmation": "something else"})
    weak = client.post(link, {"password": "short", "password_confirmation": "short"})

    assert mismatched.status_code == weak.status_code == 422
    assert "The passwords do not match" in mismatched.text
    assert "at least 10 characters" in weak.text
    db.expire_all()
    assert db.get_one(User, person.id).session_version == person.session_version
    assert client.get(link).status_code == 200


def test_a_reset_link_verifies_an_unverified_address(client: Client, db: Session) -> None:
    person = factories.user(db, "unverified@supplier.example", verified=False)
    link = reset_link(client, db, person.email)

    client.post(link, {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD})

    db.expire_all()
    assert db.get_one(User, person.id).email_verified_at is not None
