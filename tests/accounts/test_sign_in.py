"""Signing in and out: one generic message for any wrong answer, throttling per email, safe redirects."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import SignInAttempt
from exchange.core.settings import Settings
from tests import factories
from tests.client import Client

GENERIC = "The email address or password is not right"


def test_the_right_password_signs_in_and_records_the_attempt(client: Client, db: Session) -> None:
    person = factories.user(db, "right@supplier.example")

    response = client.post("/account/sign-in", {"email": "Right@Supplier.example", "password": factories.PASSWORD})

    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200
    assert factories.count(db, SignInAttempt, SignInAttempt.succeeded.is_(True), SignInAttempt.user_id == person.id)


def test_a_wrong_password_and_an_unknown_email_get_the_same_generic_answer(client: Client, db: Session) -> None:
    factories.user(db, "known@supplier.example")

    wrong = client.post("/account/sign-in", {"email": "known@supplier.example", "password": "not the password"})
    unknown = client.post("/account/sign-in", {"email": "unknown@supplier.example", "password": "not the password"})

    assert wrong.status_code == unknown.status_code == 422
    for response in (wrong, unknown):
        assert GENERIC in response.text
        assert "govuk-error-summary" in response.text
        assert 'value="not the password"' not in response.text
    assert client.get("/dashboard").status_code == 303
    # Failed attempts are kept although the request answered with an error: they feed the throttle.
    assert factories.count(db, SignInAttempt, SignInAttempt.succeeded.is_(False)) == 2


def test_after_too_many_failures_even_the_right_password_is_refused(
    client: Client, db: Session, settings: Settings
) -> None:
    person = factories.user(db, "target@supplier.example")
    for _ in range(settings.login_max_failures):
        failed = client.post("/account/sign-in", {"email": person.email, "password": "a wrong guess"})
        assert failed.status_code == 422

    response = client.post("/account/sign-in", {"email": person.email, "password": factories.PASSWORD})

    assert response.status_code == 429
    assert "Too many" in response.text
    assert client.get("/dashboard").status_code == 303


def test_throttling_is_per_email(client: Client, db: Session, settings: Settings) -> None:
    target = factories.user(db, "throttled@supplier.example")
    bystander = factories.user(db, "bystander@supplier.example")
    for _ in range(settings.login_max_failures):
        client.post("/account/sign-in", {"email": target.email, "password": "a wrong guess"})

    response = client.post("/account/sign-in", {"email": bystander.email, "password": factories.PASSWORD})

    assert response.status_code == 303


def test_unknown_emails_are_throttled_too_so_the_429_reveals_nothing(
    client: Client, db: Session, settings: Settings
) -> None:
    for _ in range(settings.login_max_failures):
        client.post("/account/sign-in", {"email": "ghost@supplier.example", "password": "a wrong guess"})

    response = client.post("/account/sign-in", {"email": "ghost@supplier.example", "password": "a wrong guess"})

    assert response.status_code == 429


def test_sign_out_ends_the_session(client: Client, db: Session) -> None:
    person = factories.user(db)
    client.sign_in(person.email, factories.PASSWORD)
    assert client.get("/dashboard").status_code == 200

    response = client.post("/account/sign-out")

    assert response.status_code == 303 and response.headers["location"] == "/"
    dashboard = client.get("/dashboard")
    assert dashboard.status_code == 303
    assert dashboard.headers["location"].startswith("/account/sign-in")


def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(client: Client, db: Session) -> None:
    person = factories.user(db)
    first = client.get("/dashboard")
    assert first.status_code == 303 and first.headers["location"] == "/account/sign-in?next=/dashboard"
    form = client.get(first.headers["location"])
    assert 'name="next" value="/dashboard"' in form.text

    response = client.post(
        "/account/sign-in", {"email": person.email, "password": factories.PASSWORD, "next": "/organisations"}
    )

    assert response.headers["location"] == "/organisations"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)"],
)
def test_next_pointing_at_another_site_is_not_followed(client: Client, db: Session, target: str) -> None:
    person = factories.user(db)

    form = client.get("/account/sign-in", params={"next": target})
    response = client.post("/account/sign-in", {"email": person.email, "password": factories.PASSWORD, "next": target})

    assert "evil.example" not in form.text
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
