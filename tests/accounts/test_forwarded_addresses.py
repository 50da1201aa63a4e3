"""The per-address sign-in limit counts the address that connected: X-Forwarded-For is believed only from
proxies the operator names (EXCHANGE_TRUSTED_PROXIES), so rotating the header dodges nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import UserSession
from exchange.app import create_app
from exchange.core.database import Database
from exchange.core.settings import Settings
from tests import factories
from tests.client import Client


def test_a_forged_forwarded_for_header_does_not_dodge_the_address_limit(
    client: Client, settings: Settings, db: Session
) -> None:
    per_address = settings.login_max_failures * 4
    for n in range(per_address):
        response = client.post(
            "/account/sign-in",
            {"email": f"person{n}@supplier.example", "password": "a wrong guess"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
        assert response.status_code == 422

    response = client.post(
        "/account/sign-in",
        {"email": "one.more@supplier.example", "password": "a wrong guess"},
        headers={"X-Forwarded-For": "198.51.100.200"},
    )

    assert response.status_code == 429


def test_a_trusted_proxy_names_the_client(settings: Settings, database: Database, db: Session) -> None:
    person = factories.user(db)
    behind_proxy = create_app(settings.model_copy(update={"trusted_proxies": "127.0.0.1"}), database)

    with Client(behind_proxy) as browser:  # connects from 127.0.0.1, the proxy
        response = browser.post(
            "/account/sign-in",
            {"email": person.email, "password": factories.PASSWORD},
            headers={"X-Forwarded-For": "203.0.113.7"},
        )

    assert response.status_code == 303
    assert db.scalars(select(UserSession.ip_address).where(UserSession.user_id == person.id)).one() == "203.0.113.7"
