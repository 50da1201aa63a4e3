"""Sessions live on the server: sign-out, a password change, a reset and a suspension end them at once (a
copy of the cookie opens nothing), and a user sees where they are signed in and ends any of those sessions."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User, UserSession
from tests import factories
from tests.client import SESSION_COOKIE, Client

NEW_PASSWORD = "a brand new passphrase"


def stolen_copy(app: object, victim: Client) -> Client:
    """Another browser holding a copy of the victim's session cookie, as a thief would."""
    thief = Client(app).__enter__()
    assert thief.http is not None and victim.http is not None
    thief.http.cookies.set(SESSION_COOKIE, victim.http.cookies[SESSION_COOKIE])
    return thief


def signed_in(response_of_dashboard: int) -> bool:
    return response_of_dashboard == 200


def test_a_cookie_copied_before_sign_out_opens_nothing_after(client: Client, app: object, db: Session) -> None:
    person = factories.user(db)
    client.sign_in(person.email, factories.PASSWORD)
    thief = stolen_copy(app, client)
    assert signed_in(thief.get("/dashboard").status_code)

    client.post("/account/sign-out")

    assert thief.get("/dashboard").status_code == 303
    assert factories.count(db, UserSession, UserSession.user_id == person.id) == 0
    thief.__exit__(None, None, None)


def test_changing_the_password_ends_every_other_session_but_this_one(
    client: Client, other_client: Client, db: Session
) -> None:
    person = factories.user(db)
    client.sign_in(person.email, factories.PASSWORD)
    other_client.sign_in(person.email, factories.PASSWORD)

    response = client.post(
        "/account/password",
        {"current_password": factories.PASSWORD, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )

    assert response.status_code == 303 and response.headers["location"] == "/account"
    assert client.get("/dashboard").status_code == 200
    assert other_client.get("/dashboard").status_code == 303
    old = other_client.post("/account/sign-in", {"email": person.email, "password": factories.PASSWORD})
    assert old.status_code == 422
    assert other_client.post("/account/sign-in", {"email": person.email, "password": NEW_PASSWORD}).status_code == 303
    assert factories.audit_events(db, "user", person.id, "user.password_changed")


def test_a_wrong_current_password_changes_nothing(client: Client, other_client: Client, db: Session) -> None:
    person = factories.user(db)
    client.sign_in(person.email, factories.PASSWORD)
    other_client.sign_in(person.email, factories.PASSWORD)
    hash_before = person.password_hash

    response = client.post(
        "/account/password",
        {"current_password": "not my password", "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD},
    )

    assert response.status_code == 422
    assert "Your current password is not right" in response.text and "govuk-error-summary" in response.text
    db.refresh(person)
    assert person.password_hash == hash_before
    assert other_client.get("/dashboard").status_code == 200


def test_a_new_password_that_does_not_match_is_refused(client: Client, db: Session) -> None:
    person = factories.user(db)
    client.sign_in(person.email, factories.PASSWORD)

    response = client.post(
        "/account/password",
        {"current_password": factories.PASSWORD, "password": NEW_PASSWORD, "password_confirmation": "something else"},
    )

    assert response.status_code == 422 and "The passwords do not match" in response.text


def test_a_password_reset_ends_every_session(client: Client, other_client: Client, db: Session) -> None:
    person = factories.user(db)
    other_client.sign_in(person.email, factories.PASSWORD)
    client.post("/account/password-reset", {"email": person.email})
    link = factories.link_in(factories.emails_to(db, person.email)[-1], "/account/password-reset/")

    client.post(link, {"password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD})

    assert other_client.get("/dashboard").status_code == 303
    assert client.get("/dashboard").status_code == 200


def test_suspension_ends_the_accounts_sessions_at_once(client: Client, other_client: Client, db: Session) -> None:
    person = factories.user(db)
    administrator = factories.admin(db)
    client.sign_in(person.email, factories.PASSWORD)
    other_client.sign_in(administrator.email, factories.PASSWORD)

    suspended = other_client.post(f"/moderation/users/{person.id}/suspend", {"reason": "Posting spam"})

    assert suspended.status_code == 303
    db.expire_all()
    assert db.get_one(User, person.id).suspended_at is not None
    assert client.get("/dashboard").status_code == 303
    assert factories.count(db, UserSession, UserSession.user_id == person.id) == 0


def test_the_account_page_lists_sessions_and_ends_another(client: Client, other_client: Client, db: Session) -> None:
    person = factories.user(db)
    other_client.sign_in(person.email, factories.PASSWORD)
    client.sign_in(person.email, factories.PASSWORD)

    page = client.get("/account", headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"})

    assert page.status_code == 200
    assert "Where you are signed in" in page.text and "This browser" in page.text
    ends = re.findall(r'action="/account/sessions/(\d+)/end"', page.text)
    assert len(ends) == 1
    response = client.post(f"/account/sessions/{ends[0]}/end")
    assert response.status_code == 303
    assert other_client.get("/dashboard").status_code == 303
    assert client.get("/dashboard").status_code == 200


def test_nobody_ends_another_users_session(client: Client, other_client: Client, db: Session) -> None:
    victim = factories.user(db, "victim@supplier.example")
    other_client.sign_in(victim.email, factories.PASSWORD)
    victims_session = db.scalars(select(UserSession.id).where(UserSession.user_id == victim.id)).one()
    attacker = factories.user(db, "attacker@supplier.example")
    client.sign_in(attacker.email, factories.PASSWORD)

    response = client.post(f"/account/sessions/{victims_session}/end")

    assert response.status_code == 404
    assert other_client.get("/dashboard").status_code == 200


def test_signing_out_of_every_other_browser(client: Client, other_client: Client, app: object, db: Session) -> None:
    person = factories.user(db)
    other_client.sign_in(person.email, factories.PASSWORD)
    third = Client(app).__enter__()
    third.sign_in(person.email, factories.PASSWORD)
    client.sign_in(person.email, factories.PASSWORD)

    response = client.post("/account/sessions/end-others")

    assert response.status_code == 303
    assert "Signed out of 2 other sessions." in client.get("/account").text
    assert other_client.get("/dashboard").status_code == 303
    assert third.get("/dashboard").status_code == 303
    assert client.get("/dashboard").status_code == 200
    third.__exit__(None, None, None)


def test_signing_in_replaces_the_browsers_earlier_session(client: Client, db: Session) -> None:
    person = factories.user(db)
    client.sign_in(person.email, factories.PASSWORD)
    client.sign_in(person.email, factories.PASSWORD)

    assert factories.count(db, UserSession, UserSession.user_id == person.id) == 1


def test_the_account_pages_need_a_signed_in_user(client: Client) -> None:
    for path in ("/account", "/account/password"):
        response = client.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/account/sign-in")
