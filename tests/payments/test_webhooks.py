"""The webhook endpoint with payloads signed by the SDK's own scheme; subscription state re-read from localstripe."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.audit.models import AuditEvent
from exchange.jobs.models import FailedJob
from exchange.payments import entitlements, service
from exchange.payments.models import BillingCustomer, Subscription, WebhookEvent, WebhookStatus
from tests import factories
from tests.client import Client
from tests.localstripe import WEBHOOK_SECRET, LocalStripe
from tests.payments.conftest import Supplier, deliver, event, signed


def _subscription(db: Session, stripe_id: str) -> Subscription | None:
    db.expire_all()
    return db.scalar(select(Subscription).where(Subscription.stripe_subscription_id == stripe_id))


def _event_row(db: Session, event_id: str) -> WebhookEvent:
    db.expire_all()
    row = db.scalar(select(WebhookEvent).where(WebhookEvent.stripe_event_id == event_id))
    assert row is not None
    return row


def _subscribed(localstripe: LocalStripe, supplier: Supplier, plan: str = "supplier_plus_monthly") -> dict[str, Any]:
    customer = localstripe.customer(supplier.organisation.id)
    subscription_id = localstripe.subscribe(customer, plan, supplier.organisation.id)
    return localstripe.client().v1.subscriptions.retrieve(subscription_id).to_dict()


def test_a_verified_subscription_event_grants_the_plan(
    paid_client: Client, db: Session, localstripe: LocalStripe, supplier_admin: Supplier
) -> None:
    organisation_id = supplier_admin.organisation.id
    assert entitlements.limit(db, organisation_id, entitlements.ACTIVE_OFFERS) == 25
    data = _subscribed(localstripe, supplier_admin)

    response = deliver(paid_client, event("evt_grant_1", "customer.subscription.created", data))

    assert response.status_code == 200, response.text
    assert _event_row(db, "evt_grant_1").status is WebhookStatus.PROCESSED
    assert entitlements.plan_for(db, organisation_id).key == "supplier_plus"
    assert entitlements.limit(db, organisation_id, entitlements.ACTIVE_OFFERS) == 250
    assert entitlements.has_feature(db, organisation_id, entitlements.FEATURED)
    changes = factories.audit_events(db, "organisation", organisation_id, "billing.plan_changed")
    assert changes[-1].data["plan"] == "supplier_plus" and changes[-1].data["status"] == "active"


def test_a_bad_signature_is_refused_and_changes_nothing(
    paid_client: Client, db: Session, localstripe: LocalStripe, supplier_admin: Supplier
) -> None:
    data = _subscribed(localstripe, supplier_admin)
    body = event("evt_forged", "customer.subscription.created", data)

    forged = deliver(paid_client, body, secret="whsec_someone_else")
    payload, _ = signed(body)
    unsigned = paid_client.request("POST", "/payments/stripe/webhook", content=payload)

    assert forged.status_code == 400 and unsigned.status_code == 400
    assert factories.count(db, WebhookEvent) == 0
    assert _subscription(db, data["id"]) is None


def test_a_stale_timestamp_is_refused(
    paid_client: Client, db: Session, localstripe: LocalStripe, supplier_admin: Supplier
) -> None:
    data = _subscribed(localstripe, supplier_admin)
    an_hour_ago = int(time.time()) - 3600

    response = deliver(paid_client, event("evt_stale", "customer.subscription.created", data), timestamp=an_hour_ago)

    assert response.status_code == 400
    assert factories.count(db, WebhookEvent) == 0


def test_a_duplicate_delivery_is_processed_once(
    paid_client: Client, db: Session, localstripe: LocalStripe, supplier_admin: Supplier
) -> None:
    data = _subscribed(localstripe, supplier_admin)
    body = event("evt_twice", "customer.subscription.created", data)

    first, second = deliver(paid_client, body), deliver(paid_client, body)

    assert first.json()["duplicate"] is False and second.json()["duplicate"] is True
    row = _event_row(db, "evt_twice")
    assert row.attempts == 1 and row.status is WebhookStatus.PROCESSED
    assert factories.count(db, Subscription, Subscription.stripe_subscription_id == data["id"]) == 1
    assert len(factories.audit_events(db, "organisation", supplier_admin.organisation.id, "billing.plan_changed")) == 1


def test_events_out_of_order_end_in_stripes_current_state(
    paid_client: Client, db: Session, localstripe: LocalStripe, supplier_admin: Supplier
) -> None:
    created = _subscribed(localstripe, supplier_admin)
    deleted = localstripe.client().v1.subscriptions.cancel(created["id"]).to_dict()

    # The deletion arrives first, then the (older) creation whose payload still says "active".
    deliver(paid_client, event("evt_deleted", "customer.subscription.deleted", deleted))
    deliver(paid_client, event("evt_created", "customer.subscription.created", created))

    subscription = _subscription(db, created["id"])
    assert subscription is not None and subscription.status == "canceled"
    assert entitlements.plan_for(db, supplier_admin.organisation.id).key == "free"


def test_unknown_event_types_are_acknowledged_and_ignored(
    paid_client: Client, db: Session, localstripe: LocalStripe
) -> None:
    response = deliver(paid_client, event("evt_unknown", "customer.tax_id.created", {"id": "txi_1"}))

    assert response.status_code == 200
    assert _event_row(db, "evt_unknown").status is WebhookStatus.IGNORED
    assert factories.count(db, Subscription) == 0


def test_a_crash_while_processing_leaves_nothing_half_done_and_the_retry_applies_it(
    paid_client: Client,
    db: Session,
    localstripe: LocalStripe,
    supplier_admin: Supplier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _subscribed(localstripe, supplier_admin)
    body = event("evt_crash", "customer.subscription.created", data)

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the disk is full")

    # The subscription row is already flushed when the audit row fails: both must go.
    monkeypatch.setattr(service.audit, "record", crash)
    assert deliver(paid_client, body).status_code == 200
    failed = _event_row(db, "evt_crash")
    assert failed.status is WebhookStatus.FAILED and "disk is full" in failed.last_error
    assert _subscription(db, data["id"]) is None
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "billing.plan_changed")) is None

    monkeypatch.undo()
    retry = deliver(paid_client, body)

    assert retry.json()["duplicate"] is True
    row = _event_row(db, "evt_crash")
    assert row.status is WebhookStatus.PROCESSED and row.attempts == 2
    assert _subscription(db, data["id"]) is not None


def test_an_invoice_event_re_reads_its_subscription(
    paid_client: Client, db: Session, localstripe: LocalStripe, supplier_admin: Supplier
) -> None:
    data = _subscribed(localstripe, supplier_admin, "council_supporter_yearly")
    invoice = {"id": "in_1", "object": "invoice", "parent": {"subscription_details": {"subscription": data["id"]}}}

    deliver(paid_client, event("evt_invoice", "invoice.paid", invoice))

    subscription = _subscription(db, data["id"])
    assert subscription is not None and subscription.plan_key == "council_supporter"


def test_the_endpoint_is_off_without_payments_or_without_a_secret(client: Client, db: Session) -> None:
    body = event("evt_off", "customer.subscription.created", {"id": "sub_1"})

    assert deliver(client, body).status_code == 404
    assert factories.count(db, WebhookEvent) == 0


def test_an_unset_webhook_secret_never_accepts_events(paid_app: Any, db: Session) -> None:
    paid_app.state.settings = paid_app.state.settings.model_copy(update={"stripe_webhook_secret": None})
    with Client(paid_app) as client:
        response = deliver(client, event("evt_nosecret", "customer.subscription.created", {"id": "sub_1"}))
    assert response.status_code == 503
    assert factories.count(db, WebhookEvent) == 0


def test_an_administrator_can_replay_an_event(
    paid_client: Client,
    db: Session,
    localstripe: LocalStripe,
    supplier_admin: Supplier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = _subscribed(localstripe, supplier_admin)
    monkeypatch.setattr(service.audit, "record", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    deliver(paid_client, event("evt_replay", "customer.subscription.created", data))
    monkeypatch.undo()
    row = _event_row(db, "evt_replay")
    assert row.status is WebhookStatus.FAILED
    admin = factories.admin(db)
    paid_client.sign_in(admin.email, factories.PASSWORD)

    page = paid_client.get("/admin/billing")
    replayed = paid_client.post(f"/admin/billing/events/{row.id}/replay")

    assert page.status_code == 200 and "evt_replay" in page.text and "boom" in page.text
    assert replayed.status_code == 303
    assert _event_row(db, "evt_replay").status is WebhookStatus.PROCESSED
    assert _subscription(db, data["id"]) is not None
    assert factories.audit_events(db, "stripe_webhook_event", row.id, "billing.webhook_replayed")


def test_only_administrators_see_the_billing_admin_page(paid_client: Client, supplier_admin: Supplier) -> None:
    paid_client.sign_in(supplier_admin.admin.email, factories.PASSWORD)
    assert paid_client.get("/admin/billing").status_code == 404
    assert paid_client.post("/admin/billing/events/1/replay").status_code == 404


def test_checkout_completed_links_the_customer_and_starts_the_plan(
    paid_client: Client, db: Session, localstripe: LocalStripe, supplier_admin: Supplier
) -> None:
    data = _subscribed(localstripe, supplier_admin, "supplier_plus_yearly")
    session = {
        "id": "cs_test_1",
        "object": "checkout.session",
        "mode": "subscription",
        "customer": data["customer"],
        "subscription": data["id"],
        "client_reference_id": str(supplier_admin.organisation.id),
    }

    deliver(paid_client, event("evt_checkout", "checkout.session.completed", session))
    deliver(paid_client, event("evt_payment", "checkout.session.completed", {**session, "mode": "payment"}))

    subscription = _subscription(db, data["id"])
    assert subscription is not None and subscription.price_lookup_key == "supplier_plus_yearly"
    assert factories.count(db, BillingCustomer, BillingCustomer.stripe_customer_id == data["customer"]) == 1
    assert _event_row(db, "evt_payment").status is WebhookStatus.PROCESSED


def test_cancelling_at_period_end_keeps_the_plan_until_stripe_ends_it(
    paid_client: Client, db: Session, localstripe: LocalStripe, supplier_admin: Supplier
) -> None:
    data = _subscribed(localstripe, supplier_admin)
    deliver(paid_client, event("evt_start", "customer.subscription.created", data))
    updated = localstripe.client().v1.subscriptions.update(data["id"], params={"cancel_at_period_end": True})

    deliver(paid_client, event("evt_cancel_later", "customer.subscription.updated", updated.to_dict()))
    paid_client.sign_in(supplier_admin.admin.email, factories.PASSWORD)
    page = paid_client.get(f"/billing/{supplier_admin.organisation.id}").text

    subscription = _subscription(db, data["id"])
    assert subscription is not None and subscription.cancel_at_period_end
    assert entitlements.plan_for(db, supplier_admin.organisation.id).key == "supplier_plus"
    assert "Ends" in page and "Supplier Plus" in page


@pytest.mark.parametrize(
    "payload", [b"{not json", b'{"object": "event", "type": "customer.subscription.created", "data": {}}']
)
def test_a_signed_payload_that_is_not_an_event_is_refused(paid_client: Client, db: Session, payload: bytes) -> None:
    import stripe

    header = stripe.WebhookSignature.generate_signature_header(payload.decode(), WEBHOOK_SECRET)
    response = paid_client.request(
        "POST", "/payments/stripe/webhook", content=payload, headers={"Stripe-Signature": header}
    )

    assert response.status_code == 400
    assert factories.count(db, WebhookEvent) == 0


def test_the_billing_admin_page_works_with_payments_off(client: Client, db: Session) -> None:
    admin = factories.admin(db)
    client.sign_in(admin.email, factories.PASSWORD)

    page = client.get("/admin/billing")

    assert page.status_code == 200 and "Payments are off on this instance" in page.text
    assert client.post("/admin/billing/events/1/replay").status_code == 404


def test_an_event_that_keeps_failing_is_set_aside_and_an_administrator_runs_it_again(
    paid_client: Client,
    db: Session,
    localstripe: LocalStripe,
    supplier_admin: Supplier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Here jobs run at once and are tried once; tests/queue shows a real worker retrying with back-off.
    data = _subscribed(localstripe, supplier_admin)
    monkeypatch.setattr(service.audit, "record", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    deliver(paid_client, event("evt_first", "customer.subscription.created", data))
    monkeypatch.undo()
    assert _event_row(db, "evt_first").status is WebhookStatus.FAILED
    [failed] = db.scalars(select(FailedJob)).all()
    assert failed.task.endswith("process_stripe_event") and "boom" in failed.error

    admin = factories.admin(db)
    paid_client.sign_in(admin.email, factories.PASSWORD)
    page = paid_client.get("/admin/jobs")
    assert page.status_code == 200 and "Process stripe event" in page.text and "boom" in page.text
    assert f'action="/admin/jobs/{failed.id}/retry"' in page.text and 'name="csrf_token" value=""' not in page.text
    assert paid_client.post(f"/admin/jobs/{failed.id}/retry").status_code == 303

    first = _event_row(db, "evt_first")
    assert first.status is WebhookStatus.PROCESSED and first.attempts == 2
    assert _subscription(db, data["id"]) is not None
    assert db.scalars(select(FailedJob)).all() == []
