"""Checkout and Billing Portal hand-offs, the pricing form's bad input, and other organisations' billing.

localstripe has no Prices, Checkout or Billing Portal, so these tests check the requests the exchange sends
(parameters, idempotency keys, reuse of the customer) against a small recording stub (stripe_stub.py),
not against Stripe's behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import Member, MemberRole
from exchange.core.database import Database
from exchange.payments.models import BillingCustomer, Subscription
from tests import factories
from tests.client import Client
from tests.payments.conftest import Supplier, payments_settings
from tests.payments.stripe_stub import StripeStub, running_stub

ATTEMPT = re.compile(r'name="attempt" value="([0-9a-f]{32})"')


@pytest.fixture
def stub() -> Iterator[StripeStub]:
    with running_stub() as stub:
        yield stub


@pytest.fixture
def stub_client(database_url: str, database: Database, stub: StripeStub) -> Iterator[Client]:
    from exchange.app import create_app

    with Client(create_app(payments_settings(database_url, stub.url), database)) as client:
        yield client


def _attempt(client: Client) -> str:
    match = ATTEMPT.search(client.get("/pricing").text)
    assert match, "no plan form on the pricing page"
    return match.group(1)


def _choose(client: Client, organisation_id: int, price: str, attempt: str | None = None) -> object:
    form = {"organisation_id": str(organisation_id), "price": price, "attempt": attempt or _attempt(client)}
    return client.post("/billing/checkout", form)


def test_checkout_makes_a_customer_once_and_a_subscription_session(
    stub_client: Client, stub: StripeStub, db: Session, supplier_admin: Supplier
) -> None:
    organisation_id = supplier_admin.organisation.id
    stub_client.sign_in(supplier_admin.admin.email, factories.PASSWORD)
    attempt = _attempt(stub_client)

    response = stub_client.post(
        "/billing/checkout",
        {"organisation_id": str(organisation_id), "price": "supplier_plus_yearly", "attempt": attempt},
    )

    assert response.status_code == 303
    assert response.headers["location"] == "https://checkout.stripe.com/c/pay/cs_test_stub"
    [customer] = stub.calls("/v1/customers")
    assert customer.idempotency_key == f"exchange-customer-{organisation_id}"
    assert customer.fields["metadata[organisation_id]"] == str(organisation_id)
    assert stub.calls("/v1/prices")[0].fields["lookup_keys[0]"] == "supplier_plus_yearly"
    [session] = stub.calls("/v1/checkout/sessions")
    assert session.idempotency_key == f"exchange-checkout-{organisation_id}-price_supplier_plus_yearly-{attempt}"
    assert session.fields["mode"] == "subscription"
    assert session.fields["customer"] == "cus_stub1"
    assert session.fields["line_items[0][price]"] == "price_supplier_plus_yearly"
    assert session.fields["line_items[0][quantity]"] == "1"
    assert session.fields["client_reference_id"] == str(organisation_id)
    assert session.fields["subscription_data[metadata][organisation_id]"] == str(organisation_id)
    assert session.fields["success_url"].startswith("http://testserver/billing/success")
    assert session.fields["cancel_url"] == "http://testserver/billing/cancelled"
    assert factories.count(db, BillingCustomer, BillingCustomer.organisation_id == organisation_id) == 1
    # Choosing a plan grants nothing: only Stripe's verified webhook does.
    assert factories.count(db, Subscription) == 0

    twice = _choose(stub_client, organisation_id, "supplier_plus_yearly", attempt)
    other_price = _choose(stub_client, organisation_id, "supplier_plus_monthly", attempt)

    assert twice.status_code == other_price.status_code == 303  # type: ignore[attr-defined]
    assert len(stub.calls("/v1/customers")) == 1, "the organisation's customer is reused"
    second, third = stub.calls("/v1/checkout/sessions")[1:]
    assert second.fields["customer"] == third.fields["customer"] == "cus_stub1"
    assert second.idempotency_key == session.idempotency_key, "the same form sent twice opens the same checkout"
    assert third.idempotency_key != session.idempotency_key, "another price is another checkout"


@pytest.mark.parametrize(
    ("price", "attempt", "message"),
    [
        ("", None, "Choose a plan and how often to pay"),
        ("gold_plan", None, "Choose a plan from the list"),
        ("council_supporter_yearly", None, "Council Supporter is not offered to a supplier"),
        ("supplier_plus_monthly", "not-a-real-attempt", "Reload the pricing page and choose again"),
    ],
)
def test_bad_choices_are_explained_and_nothing_is_sent_to_stripe(
    stub_client: Client,
    stub: StripeStub,
    db: Session,
    supplier_admin: Supplier,
    price: str,
    attempt: str | None,
    message: str,
) -> None:
    stub_client.sign_in(supplier_admin.admin.email, factories.PASSWORD)

    response = _choose(stub_client, supplier_admin.organisation.id, price, attempt)

    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "There is a problem" in response.text and message in response.text  # type: ignore[attr-defined]
    assert stub.requests == []
    assert factories.count(db, BillingCustomer) == 0


def test_no_one_can_subscribe_an_organisation_they_do_not_administer(
    stub_client: Client, stub: StripeStub, db: Session, supplier_admin: Supplier
) -> None:
    member = factories.user(db)
    other = factories.supplier(db, factories.user(db), member)
    stub_client.sign_in(member.email, factories.PASSWORD)

    for organisation_id in (other.id, supplier_admin.organisation.id, 999999):
        response = _choose(stub_client, organisation_id, "supplier_plus_monthly", "a" * 32)
        assert response.status_code == 422  # type: ignore[attr-defined]
        assert "Choose an organisation you administer" in response.text  # type: ignore[attr-defined]
    assert stub.requests == []


def test_another_organisations_billing_is_not_found(
    stub_client: Client, stub: StripeStub, db: Session, supplier_admin: Supplier
) -> None:
    outsider = factories.user(db)
    factories.supplier(db, outsider)
    stub_client.sign_in(outsider.email, factories.PASSWORD)
    organisation_id = supplier_admin.organisation.id

    assert stub_client.get(f"/billing/{organisation_id}").status_code == 404
    assert stub_client.post(f"/billing/{organisation_id}/portal").status_code == 404
    assert stub_client.get("/billing/999999").status_code == 404
    assert stub.requests == []


def test_manage_billing_opens_the_portal_for_the_organisations_customer(
    stub_client: Client, stub: StripeStub, db: Session, supplier_admin: Supplier
) -> None:
    organisation_id = supplier_admin.organisation.id
    stub_client.sign_in(supplier_admin.admin.email, factories.PASSWORD)
    assert stub_client.post(f"/billing/{organisation_id}/portal").status_code == 409
    db.add(BillingCustomer(organisation_id=organisation_id, stripe_customer_id="cus_existing"))
    db.flush()

    page = stub_client.get(f"/billing/{organisation_id}")
    response = stub_client.post(f"/billing/{organisation_id}/portal")

    assert page.status_code == 200 and "Manage billing" in page.text
    assert response.status_code == 303
    assert response.headers["location"] == "https://billing.stripe.com/p/session/test_stub"
    [portal] = stub.calls("/v1/billing_portal/sessions")
    assert portal.fields == {"customer": "cus_existing", "return_url": f"http://testserver/billing/{organisation_id}"}


def test_a_member_who_is_not_an_admin_sees_the_plan_but_cannot_change_it(
    stub_client: Client, stub: StripeStub, db: Session, supplier_admin: Supplier
) -> None:
    member = factories.user(db)
    db.add(Member(user_id=member.id, organisation_id=supplier_admin.organisation.id, role=MemberRole.MEMBER))
    db.flush()
    stub_client.sign_in(member.email, factories.PASSWORD)

    page = stub_client.get(f"/billing/{supplier_admin.organisation.id}")
    portal = stub_client.post(f"/billing/{supplier_admin.organisation.id}/portal")

    assert page.status_code == 200 and "Only an administrator" in page.text
    assert portal.status_code == 403
    assert stub.requests == []


def test_stripe_without_the_price_is_a_clear_error_and_grants_nothing(
    stub_client: Client, stub: StripeStub, db: Session, supplier_admin: Supplier, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exchange.payments import plans

    catalogue = plans.catalogue()
    price = plans.Price("missing_price", "month", 100)
    plan = catalogue.plans["supplier_plus"]
    patched = plans.Catalogue(
        catalogue.free, {**catalogue.plans, "supplier_plus": plans.Plan(**{**plan.__dict__, "prices": (price,)})}
    )
    monkeypatch.setattr(plans, "catalogue", lambda: patched)
    from exchange.payments import service, views

    monkeypatch.setattr(service, "catalogue", lambda: patched)
    monkeypatch.setattr(views, "catalogue", lambda: patched)
    stub_client.sign_in(supplier_admin.admin.email, factories.PASSWORD)

    response = _choose(stub_client, supplier_admin.organisation.id, "missing_price")

    assert response.status_code == 502  # type: ignore[attr-defined]
    assert "no active price with the lookup key missing_price" in response.text  # type: ignore[attr-defined]
    assert stub.calls("/v1/checkout/sessions") == []
    assert factories.count(db, BillingCustomer) == 0
