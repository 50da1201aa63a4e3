"""Queued email goes out through a real SMTP server (aiosmtpd on loopback), once, and only after commit."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.database import Database
from exchange.core.settings import Settings
from exchange.outbox.models import OutboxMessage
from exchange.outbox.service import deliver_pending, queue_email
from tests.client import Client
from tests.conftest import Inbox, free_port


def test_queued_email_is_sent_once_by_smtp(db: Session, database: Database, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    settings = Settings(env="test", smtp_url=f"smtp://127.0.0.1:{port}", secret_key="x" * 40)
    queue_email(db, "officer@burnley.example.gov.uk", "Hello", "A plain-text body.")
    db.commit()

    assert deliver_pending(database, settings) == 1
    assert deliver_pending(database, settings) == 0

    assert len(handler.messages) == 1
    message = handler.messages[0]
    assert message["To"] == "officer@burnley.example.gov.uk"
    assert message["Subject"] == "Hello"
    assert message.get_content_type() == "text/plain"
    assert "A plain-text body." in message.get_payload()
    stored = db.scalars(select(OutboxMessage)).one()
    db.refresh(stored)
    assert stored.sent_at is not None and stored.attempts == 1


def test_unreachable_server_keeps_the_message_for_a_retry(db: Session, database: Database) -> None:
    settings = Settings(env="test", smtp_url=f"smtp://127.0.0.1:{free_port()}", secret_key="x" * 40)
    queue_email(db, "someone@example.org", "Retry me", "Body")
    db.commit()

    assert deliver_pending(database, settings) == 0

    stored = db.scalars(select(OutboxMessage)).one()
    db.refresh(stored)
    assert stored.sent_at is None
    assert stored.attempts == 1
    assert stored.last_error


def test_sign_up_email_arrives_after_the_request_commits(client: Client, app: object, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    app.state.settings = app.state.settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})  # type: ignore[attr-defined]
    response = client.post(
        "/account/sign-up",
        {
            "name": "Jo Supplier",
            "email": "jo@newsupplier.example",
            "password": "a long enough password",
            "account_kind": "supplier",
            "organisation_name": "New Supplier Ltd",
            "organisation_kind": "supplier",
        },
    )
    assert response.status_code == 200
    assert "Check your email" in response.text
    assert [m["To"] for m in handler.messages] == ["jo@newsupplier.example"]
    assert "/account/verify-email/" in handler.messages[0].get_payload()


def test_refused_sign_up_sends_nothing(client: Client, app: object, inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    app.state.settings = app.state.settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})  # type: ignore[attr-defined]
    response = client.post(
        "/account/sign-up",
        {
            "name": "Jo",
            "email": "jo@newsupplier.example",
            "password": "short",
            "account_kind": "supplier",
            "organisation_name": "New Supplier Ltd",
        },
    )
    assert response.status_code == 422
    assert handler.messages == []


def test_settings_refuse_development_secret_in_production() -> None:
    with pytest.raises(ValueError, match="EXCHANGE_SECRET_KEY"):
        Settings(env="production", base_url="https://exchange.example")
    with pytest.raises(ValueError, match="https"):
        Settings(env="production", secret_key="s" * 40, base_url="http://exchange.example")
    # The suite turns password hashing down through the environment; production states its own cost.
    strong = {"password_hash_time_cost": 3, "password_hash_memory_kib": 65536}
    assert Settings(env="production", secret_key="s" * 40, base_url="https://exchange.example", **strong).secure_cookies


def test_production_refuses_weak_password_hashing() -> None:
    production = {"env": "production", "secret_key": "s" * 40, "base_url": "https://exchange.example"}
    with pytest.raises(ValueError, match="Password hashing"):
        Settings(**production, password_hash_time_cost=3, password_hash_memory_kib=1024)
    with pytest.raises(ValueError, match="Password hashing"):
        Settings(**production, password_hash_time_cost=1, password_hash_memory_kib=65536)
