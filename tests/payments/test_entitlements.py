"""Plans from configuration, free limits where they are reached, the grace period, and both pricing modes."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.core.settings import Settings
from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.payments import entitlements, plans
from exchange.payments.gateway import Gateway
from exchange.payments.models import Subscription
from tests import factories
from tests.client import Client
from tests.localstripe import STRIPE_KEY, LocalStripe
from tests.payments.conftest import Supplier, deliver, event


def _subscribe(db: Session, organisation_id: int, plan: str = "supplier_plus", **fields: Any) -> Subscription:
    """A subscription row as a verified webhook would leave it (the webhook tests cover how it gets there)."""
    values: dict[str, Any] = {
        "status": "active",
        "price_lookup_key": f"{plan}_yearly",
        "current_period_end": utcnow() + timedelta(days=30),
        **fields,
    }
    row = Subscription(organisation_id=organisation_id, stripe_subscription_id=f"sub_{organisation_id}", plan_key=plan)
    for key, value in values.items():
        setattr(row, key, value)
    db.add(row)
    db.flush()
    return row


def test_the_shipped_plans_file_names_prices_and_limits(db: Session) -> None:
    catalogue = plans.catalogue(db)
    assert catalogue.free.limits == {"active_pitches": 25, "active_offers": 25, "session_participants": 40}
    assert catalogue.by_lookup_key("supplier_plus_yearly") is catalogue.plans["supplier_plus"]
    assert [p.key for p in catalogue.for_kind("council")] == ["council_supporter"]
    assert catalogue.plans["supplier_plus"].price("supplier_plus_monthly").label == "£15 per month"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "[plans.x]\nname = 'X'\n[plans.x.limits]\nactive_offers = -1",
        "[plans.x]\nname = 'X'\n[[plans.x.prices]]\nlookup_key = 'a'\ninterval = 'week'\namount_pence = 1",
        "[plans.x]\nname = 'X'\n[[plans.x.prices]]\nlookup_key = 'a'\ninterval = 'year'\namount_pence = 1\n"
        "[plans.y]\nname = 'Y'\n[[plans.y.prices]]\nlookup_key = 'a'\ninterval = 'year'\namount_pence = 1",
        "not toml at all [",
    ],
)
def test_a_malformed_plans_file_is_refused(text: str) -> None:
    with pytest.raises(plans.PlanConfigError):
        plans.parse(text)


def test_free_limits_apply_without_a_subscription_and_the_plan_raises_them(
    db: Session, supplier_admin: Supplier, small_limits: None, settings: Settings
) -> None:
    # The size of a session follows the plan only when payments are on (a plan can then be bought).
    settings.stripe_secret_key = STRIPE_KEY
    organisation_id = supplier_admin.organisation.id
    council = factories.council(db)
    assert entitlements.plan_for(db, organisation_id).key == "free"
    assert entitlements.limit(db, organisation_id, entitlements.ACTIVE_PITCHES) == 3
    assert entitlements.participant_limit(db, council.id) == 40
    assert entitlements.limit(db, organisation_id, "no_such_limit") is None

    _subscribe(db, organisation_id)
    _subscribe(db, council.id, "council_supporter")

    assert entitlements.limit(db, organisation_id, entitlements.ACTIVE_PITCHES) == 250
    assert entitlements.participant_limit(db, council.id) == 200
    assert entitlements.participant_limit(db, organisation_id) == 40
    assert entitlements.organisations_with(db, [organisation_id, council.id], entitlements.FEATURED) == {
        organisation_id
    }


@pytest.mark.parametrize(
    ("fields", "entitled"),
    [
        ({"status": "canceled"}, False),
        ({"status": "incomplete"}, False),
        ({"status": "past_due", "payment_failed_at": utcnow(), "grace_until": utcnow() + timedelta(days=3)}, True),
        ({"status": "past_due", "payment_failed_at": utcnow(), "grace_until": utcnow() - timedelta(days=1)}, False),
        ({"current_period_end": utcnow() - timedelta(days=60)}, False),
    ],
)
def test_a_plan_lasts_while_stripe_says_so_and_through_the_grace_period(
    db: Session, supplier_admin: Supplier, fields: dict[str, Any], entitled: bool
) -> None:
    _subscribe(db, supplier_admin.organisation.id, **fields)
    assert (entitlements.plan_for(db, supplier_admin.organisation.id).key == "supplier_plus") is entitled


def test_the_fourth_offer_is_refused_with_the_plan_that_allows_more(
    client: Client, db: Session, supplier_admin: Supplier, small_limits: None
) -> None:
    for n in range(3):
        factories.offer(db, supplier_admin.admin, supplier_admin.organisation, title=f"Offer number {n}")
    client.sign_in(supplier_admin.admin.email, factories.PASSWORD)
    form = {
        "organisation_id": str(supplier_admin.organisation.id),
        "title": "A fourth offer",
        "summary": "Hot meals delivered to older residents at home.",
    }

    response = client.post("/offers/new", {**form, "price_model": "free"})

    assert response.status_code == 422
    assert "Supplier Plus lets you publish more than 3 offers" in response.text
    assert factories.count(db, Offer, Offer.organisation_id == supplier_admin.organisation.id) == 3

    _subscribe(db, supplier_admin.organisation.id)
    assert client.post("/offers/new", {**form, "price_model": "free"}).status_code == 303


def test_publishing_a_withdrawn_pitch_again_counts_against_the_limit(
    client: Client, db: Session, supplier_admin: Supplier, small_limits: None
) -> None:
    pitches = [
        factories.pitch(db, supplier_admin.admin, supplier_admin.organisation, title=f"Pitch {n}") for n in range(3)
    ]
    client.sign_in(supplier_admin.admin.email, factories.PASSWORD)
    assert client.post(f"/pitches/{pitches[0].id}/status", {"status": "withdrawn"}).status_code == 303
    factories.pitch(db, supplier_admin.admin, supplier_admin.organisation, title="Pitch 4")

    response = client.post(f"/pitches/{pitches[0].id}/status", {"status": "published"})

    assert response.status_code == 409 and "more than 3 pitches" in response.text
    db.expire_all()
    assert db.get(Pitch, pitches[0].id).status is ListingStatus.WITHDRAWN  # type: ignore[union-attr]


def test_pricing_page_with_payments_off_says_so_and_offers_no_checkout(
    client: Client, db: Session, supplier_admin: Supplier
) -> None:
    client.sign_in(supplier_admin.admin.email, factories.PASSWORD)

    page = client.get("/pricing")
    checkout = client.post("/billing/checkout", {"organisation_id": str(supplier_admin.organisation.id)})
    billing = client.get(f"/billing/{supplier_admin.organisation.id}")

    assert page.status_code == 200
    assert "Subscriptions are not available on this instance" in page.text
    assert "Continue to payment" not in page.text and "Supplier Plus" in page.text
    assert checkout.status_code == 404
    assert billing.status_code == 200 and "Free" in billing.text and "Manage billing" not in billing.text


def test_pricing_page_with_payments_on_offers_each_admin_the_plans_for_their_kind(
    paid_client: Client, db: Session, supplier_admin: Supplier
) -> None:
    assert "Sign in</a> as an administrator" in paid_client.get("/pricing").text
    paid_client.sign_in(supplier_admin.admin.email, factories.PASSWORD)

    page = paid_client.get("/pricing").text

    assert "not available on this instance" not in page
    assert "Supplier Plus, £15 per month" in page and "Continue to payment" in page
    assert "Council Supporter, £500 per year" not in page


def test_a_failed_renewal_shows_a_banner_and_keeps_the_plan_until_the_grace_period_ends(
    paid_client: Client,
    db: Session,
    localstripe: LocalStripe,
    supplier_admin: Supplier,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    organisation_id = supplier_admin.organisation.id
    customer = localstripe.customer(organisation_id)
    subscription_id = localstripe.subscribe(customer, "supplier_plus_monthly", organisation_id)
    deliver(paid_client, event("evt_ok", "customer.subscription.created", {"id": subscription_id}))
    # localstripe cannot decline a renewal (its invoices ignore an immediate card failure), so Stripe's answer
    # is localstripe's subscription with the status Stripe gives a declined renewal.
    real = Gateway.retrieve_subscription
    monkeypatch.setattr(
        Gateway, "retrieve_subscription", lambda self, sid: dataclasses.replace(real(self, sid), status="past_due")
    )

    deliver(paid_client, event("evt_failed", "invoice.payment_failed", {"id": "in_1", "subscription": subscription_id}))
    paid_client.sign_in(supplier_admin.admin.email, factories.PASSWORD)
    page = paid_client.get("/dashboard").text

    assert "Payment problem" in page and f"/billing/{organisation_id}" in page
    assert entitlements.plan_for(db, organisation_id).key == "supplier_plus"
    monkeypatch.undo()

    deliver(paid_client, event("evt_paid", "invoice.paid", {"id": "in_1", "subscription": subscription_id}))

    assert "Payment problem" not in paid_client.get("/dashboard").text
