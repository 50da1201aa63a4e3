"""Real signed webhooks: localstripe delivers them to a live exchange, which grants, keeps and revokes the plan."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select

from exchange.payments import entitlements
from exchange.payments.models import Subscription, WebhookEvent, WebhookStatus
from tests import factories
from tests.conftest import wait_for
from tests.localstripe import LocalStripe
from tests.payments.conftest import LiveExchange, event, signed

CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def _state(live: LiveExchange, subscription_id: str) -> tuple[str, str, bool] | None:
    with live.database.session(write=False) as db:
        row = db.scalar(select(Subscription).where(Subscription.stripe_subscription_id == subscription_id))
        return (row.plan_key, row.status, row.payment_failed_at is not None) if row else None


def _plan(live: LiveExchange, organisation_id: int) -> str:
    with live.database.session(write=False) as db:
        return entitlements.plan_for(db, organisation_id).key


def _signed_in(live: LiveExchange, email: str) -> httpx.Client:
    browser = httpx.Client(base_url=live.url)
    token = CSRF.search(browser.get("/about").text)
    assert token
    response = browser.post(
        "/account/sign-in", data={"email": email, "password": factories.PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303
    return browser


def test_localstripe_webhooks_grant_and_revoke_the_plan(live_exchange: LiveExchange, localstripe: LocalStripe) -> None:
    with live_exchange.database.transaction() as db:
        person = factories.user(db)
        organisation_id = factories.supplier(db, person).id
        email = person.email
    localstripe.deliver_webhooks_to(f"{live_exchange.url}/payments/stripe/webhook")
    customer = localstripe.customer(organisation_id)

    subscription_id = localstripe.subscribe(customer, "supplier_plus_monthly", organisation_id)

    wait_for(lambda: _state(live_exchange, subscription_id) == ("supplier_plus", "active", False), "the plan")
    assert _plan(live_exchange, organisation_id) == "supplier_plus"

    browser = _signed_in(live_exchange, email)
    billing = browser.get(f"/billing/{organisation_id}").text
    browser.close()
    assert "Supplier Plus" in billing and "Manage billing" in billing

    # Cancelling at Stripe (as the Billing Portal does) ends the plan when Stripe says the subscription ended.
    client = localstripe.client()
    client.v1.subscriptions.cancel(subscription_id)

    wait_for(lambda: (_state(live_exchange, subscription_id) or ("", "", False))[1] == "canceled", "the cancellation")
    assert _plan(live_exchange, organisation_id) == "free"
    with live_exchange.database.session(write=False) as db:
        # Only this test's subscription: localstripe may still send events of earlier tests' (reset) objects.
        statuses = {
            row.status
            for row in db.scalars(select(WebhookEvent))
            if row.payload["data"]["object"].get("id") == subscription_id
        }
        changes = factories.audit_events(db, "organisation", organisation_id, "billing.plan_changed")
    assert statuses == {WebhookStatus.PROCESSED}
    assert [change.data["status"] for change in changes] == ["active", "canceled"]


def test_concurrent_deliveries_of_one_event_are_recorded_and_processed_once(
    live_exchange: LiveExchange, localstripe: LocalStripe
) -> None:
    with live_exchange.database.transaction() as db:
        organisation_id = factories.supplier(db, factories.user(db)).id
    subscription_id = localstripe.subscribe(
        localstripe.customer(organisation_id), "supplier_plus_monthly", organisation_id
    )
    payload, headers = signed(event("evt_concurrent", "customer.subscription.created", {"id": subscription_id}))

    def post(_: int) -> int:
        return httpx.post(f"{live_exchange.url}/payments/stripe/webhook", content=payload, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = list(pool.map(post, range(4)))

    assert statuses == [200] * 4
    wait_for(lambda: _state(live_exchange, subscription_id), "the plan")
    with live_exchange.database.session(write=False) as db:
        rows = list(db.scalars(select(WebhookEvent).where(WebhookEvent.stripe_event_id == "evt_concurrent")))
        changes = factories.audit_events(db, "organisation", organisation_id, "billing.plan_changed")
    assert len(rows) == 1 and rows[0].status is WebhookStatus.PROCESSED and rows[0].attempts == 1
    assert len(changes) == 1
