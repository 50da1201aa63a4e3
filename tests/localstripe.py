"""localstripe, Stripe's stateful side on loopback, for the payments tests and the queue's worker tests.

localstripe keeps its state in one fixed file under /tmp and one process-wide store, so a single instance
serves the whole run (session scope) and each test starts from ``DELETE /_config/data``. Loaded as a plugin
by tests/conftest.py, so that every folder shares the one server.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import stripe
from aiohttp import web

from tests.conftest import free_port

WEBHOOK_SECRET = "whsec_test_secret_for_the_payments_tests"
STRIPE_KEY = "sk_test_payments_tests"
PLAN_IDS = ("supplier_plus_monthly", "supplier_plus_yearly", "council_supporter_yearly")
GOOD_CARD = "4242424242424242"


@dataclass
class LocalStripe:
    url: str

    def client(self) -> stripe.StripeClient:
        return stripe.StripeClient(STRIPE_KEY, base_addresses={"api": self.url})

    def reset(self) -> None:
        from localstripe import webhooks

        httpx.delete(f"{self.url}/_config/data").raise_for_status()
        # Registrations outlive a data reset; a test that wants deliveries registers its own.
        webhooks._webhooks.clear()
        stripe_client = self.client()
        product = stripe_client.v1.products.create(params={"name": "Exchange plans"})
        for plan_id in PLAN_IDS:
            interval = "month" if plan_id.endswith("monthly") else "year"
            stripe_client.v1.plans.create(
                params={"id": plan_id, "product": product.id, "amount": 1500, "currency": "gbp", "interval": interval}
            )

    def deliver_webhooks_to(self, url: str) -> None:
        response = httpx.post(f"{self.url}/_config/webhooks/exchange", data={"url": url, "secret": WEBHOOK_SECRET})
        response.raise_for_status()

    def set_card(self, customer_id: str, number: str) -> None:
        stripe_client = self.client()
        card = {"number": number, "exp_month": 12, "exp_year": 2040, "cvc": "123"}
        method = stripe_client.v1.payment_methods.create(params={"type": "card", "card": card})  # type: ignore[typeddict-item]
        stripe_client.v1.payment_methods.attach(method.id, params={"customer": customer_id})
        stripe_client.v1.customers.update(
            customer_id, params={"invoice_settings": {"default_payment_method": method.id}}
        )

    def customer(self, organisation_id: int) -> str:
        customer = self.client().v1.customers.create(
            params={"name": f"Organisation {organisation_id}", "metadata": {"organisation_id": str(organisation_id)}}
        )
        self.set_card(customer.id, GOOD_CARD)
        return str(customer.id)

    def subscribe(self, customer_id: str, plan_id: str, organisation_id: int) -> str:
        subscription = self.client().v1.subscriptions.create(
            params={
                "customer": customer_id,
                "items": [{"plan": plan_id}],  # type: ignore[typeddict-unknown-key]
                "metadata": {"organisation_id": str(organisation_id)},
            }
        )
        return str(subscription.id)


def _serve(app: web.Application, port: int, started: threading.Event, holder: dict[str, Any]) -> None:
    """What aiohttp's run_app does, on loopback only, in this thread's own loop (so that it can be stopped)."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    runner = web.AppRunner(app, handle_signals=False)
    loop.run_until_complete(runner.setup())
    loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
    holder["loop"] = loop
    started.set()
    loop.run_forever()
    # Webhooks localstripe still means to send (it waits a second first) are dropped with the server.
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.run_until_complete(runner.cleanup())
    loop.close()


@pytest.fixture(scope="session")
def localstripe_server() -> Iterator[LocalStripe]:
    from localstripe.server import app as localstripe_app

    port = free_port()
    started, holder = threading.Event(), {}
    thread = threading.Thread(target=_serve, args=(localstripe_app, port, started, holder), daemon=True)
    thread.start()
    assert started.wait(30), "localstripe did not start"
    yield LocalStripe(f"http://127.0.0.1:{port}")
    holder["loop"].call_soon_threadsafe(holder["loop"].stop)
    thread.join(timeout=10)


@pytest.fixture
def localstripe(localstripe_server: LocalStripe) -> LocalStripe:
    localstripe_server.reset()
    return localstripe_server
