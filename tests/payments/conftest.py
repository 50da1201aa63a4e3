"""Payments tests against real components: localstripe on loopback (tests/localstripe.py), a live exchange it
delivers webhooks to."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import stripe
from fastapi import FastAPI
from sqlalchemy.orm import Session

from exchange.core.database import Database
from exchange.core.settings import Settings
from tests import factories
from tests.client import Client
from tests.conftest import TEST_SECRET, drop_database, free_port, new_database_url, prepare_database, wait_for
from tests.localstripe import STRIPE_KEY, WEBHOOK_SECRET, LocalStripe


def payments_settings(database_url: str, api_base: str, base_url: str = "http://testserver") -> Settings:
    return Settings(
        env="test",
        database_url=database_url,
        secret_key=TEST_SECRET,
        base_url=base_url,
        stripe_secret_key=STRIPE_KEY,
        stripe_webhook_secret=WEBHOOK_SECRET,
        stripe_api_base=api_base,
    )


def with_stripe_at(app: FastAPI, database_url: str, api_base: str) -> FastAPI:
    """The test's application (see tests/conftest.py ``app``) with payments on, its Stripe calls going to
    ``api_base``: only the settings differ, so the run's one application serves, and its routes and compiled
    templates are not built again for each test."""
    app.state.settings = payments_settings(database_url, api_base)
    return app


@pytest.fixture
def paid_app(app: FastAPI, database_url: str, localstripe: LocalStripe) -> FastAPI:
    """The exchange with payments on, its Stripe calls going to localstripe."""
    return with_stripe_at(app, database_url, localstripe.url)


@pytest.fixture
def paid_client(paid_app: FastAPI) -> Iterator[Client]:
    with Client(paid_app) as client:
        yield client


def signed(
    event: dict[str, Any], secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[str, dict[str, str]]:
    """A payload and its Stripe-Signature header, made with the SDK's own signing scheme."""
    payload = json.dumps(event)
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp=timestamp)
    return payload, {"Stripe-Signature": header, "Content-Type": "application/json"}


def event(event_id: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": int(time.time()),
        "livemode": False,
        "api_version": "2026-10-28",
        "data": {"object": data},
    }


def deliver(client: Client, body: dict[str, Any], **signing: Any) -> httpx.Response:
    payload, headers = signed(body, **signing)
    return client.request("POST", "/payments/stripe/webhook", content=payload, headers=headers)


@pytest.fixture
def small_limits(tmp_path: Any, settings: Settings) -> None:
    """An instance that sets a tight free limit (3 pitches, 3 offers) in its own plans file."""
    from exchange.payments.plans import DEFAULT_PLANS_FILE

    text = DEFAULT_PLANS_FILE.read_text(encoding="utf-8")
    text = text.replace("active_pitches = 25\n", "active_pitches = 3\n").replace(
        "active_offers = 25\n", "active_offers = 3\n"
    )
    path = tmp_path / "plans.toml"
    path.write_text(text, encoding="utf-8")
    settings.plans_file = path


@dataclass
class Supplier:
    admin: Any
    organisation: Any


@pytest.fixture
def supplier_admin(db: Session) -> Supplier:
    person = factories.user(db)
    return Supplier(person, factories.supplier(db, person))


@dataclass
class LiveExchange:
    url: str
    database: Database


@pytest.fixture(scope="session")
def live_exchange(tmp_path_factory: pytest.TempPathFactory, localstripe_server: LocalStripe) -> Iterator[LiveExchange]:
    """The exchange served by uvicorn on its own committed database, so localstripe can reach its webhook."""
    import uvicorn

    from exchange.app import create_app

    database_url = new_database_url(tmp_path_factory, "payments-live")
    try:
        prepare_database(database_url).dispose()
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        app = create_app(payments_settings(database_url, localstripe_server.url, url))
        server = uvicorn.Server(uvicorn.Config(app=app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        wait_for(lambda: _healthy(url), "the live exchange to start")
        yield LiveExchange(url, app.state.database)
        server.should_exit = True
        thread.join(timeout=15)
        app.state.database.engine.dispose()
    finally:
        drop_database(database_url)


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
