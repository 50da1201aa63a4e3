"""Checkout and Billing Portal hand-offs, the pricing form's bad input, and other organisations' billing.

localstripe has no Prices, Checkout or Billing Portal, so these tests check the requests the exchange sends
(parameters, idempotency keys, reuse of the customer) against a small recording stub (stripe_stub.py),
not against Stripe's behaviour.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session

from exchange.accounts.models import Member, MemberRole
from exchange.payments.models import BillingCustomer, BillingPage, BillingPageKind, BillingPageStatus, Subscription
from tests import factories
from tests.client import Client
from tests.payments.conftest import Supplier, with_stripe_at
from tests.payments.stripe_stub import StripeStub, running_stub

ATTEMPT = re.compile(r'name="attempt" value="([0-9a-f]{32})"')


@pytest.fixture
def stub() -> Iterator[StripeStub]:
    with running_stub() as stub:
        yield stub


@pytest.fixture
def stub_client(app: FastAPI, database_url: str, stub: StripeStub) -> Iterator[Client]:
    with Client(with_stripe_at(app, database_url, stub.url)) as client:
        yield client


def _attempt(client: Client) -> str:
    match = ATTEMPT.search(client.get("/pricing").text)
    assert match, "no plan form on the pricing page"
    return match.group(1)


def _choose(client: Client, organisation_id: int, price: str, attempt: str | None = None) -> object:
    form = {"organisation_id": str(organisation_id), "price": price, "attempt": attempt or _attempt(client)}
    return client.post("/billing/checkout", form)


def _to_stripe(client: Client, response: Any) -> str:
    """Follow the waiting page the exchange answers with (the job asking Stripe has run) to Stripe's address."""
    assert response.status_code == 303, response.text
    waiting = response.headers["location"]
    assert waiting.startswith("/billing/pages/")
    ready = client.get(waiting)
    assert ready.status_code == 303, ready.text
    return str(ready.headers["location"])


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

    assert _to_stripe(stub_client, response) == "https://checkout.stripe.com/c/pay/cs_test_stub"
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

    assert twice.headers["location"] == response.headers["location"], "the same form sent twice is one checkout"  # type: ignore[attr-defined]
    assert _to_stripe(stub_client, other_price).startswith("https://checkout.stripe.com/")
    assert len(stub.calls("/v1/customers")) == 1, "the organisation's customer is reused"
    [other] = stub.calls("/v1/checkout/sessions")[1:]
    assert other.fields["customer"] == "cus_stub1"
    assert other.idempotency_key != session.idempotency_key, "another price is another checkout"


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
    assert _to_stripe(stub_client, response) == "https://billing.stripe.com/p/session/test_stub"
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

    catalogue = plans.catalogue(db)
    price = plans.Price("missing_price", "month", 100)
    plan = catalogue.plans["supplier_plus"]
    patched = plans.Catalogue(
        catalogue.free, {**catalogue.plans, "supplier_plus": plans.Plan(**{**plan.__dict__, "prices": (price,)})}
    )
    monkeypatch.setattr(plans, "catalogue", lambda _db: patched)
    from exchange.payments import service, views

    monkeypatch.setattr(service, "catalogue", lambda _db: patched)
    monkeypatch.setattr(views, "catalogue", lambda _db: patched)
    stub_client.sign_in(supplier_admin.admin.email, factories.PASSWORD)

    response = _choose(stub_client, supplier_admin.organisation.id, "missing_price")
    waiting = stub_client.get(response.headers["location"])  # type: ignore[attr-defined]

    assert waiting.status_code == 200
    assert "Stripe could not open the page" in waiting.text
    assert "no active price with the lookup key missing_price" in waiting.text
    assert 'hx-trigger="every 1s"' not in waiting.text, "a refusal stops the polling"
    assert stub.calls("/v1/checkout/sessions") == []
    assert factories.count(db, BillingCustomer) == 0


def test_the_waiting_page_polls_until_stripe_answers_then_sends_htmx_on_to_stripe(
    stub_client: Client, stub: StripeStub, db: Session, supplier_admin: Supplier
) -> None:
    organisation_id = supplier_admin.organisation.id
    stub_client.sign_in(supplier_admin.admin.email, factories.PASSWORD)
    waiting = BillingPage(
        organisation_id=organisation_id, requested_by_id=supplier_admin.admin.id, kind=BillingPageKind.PORTAL
    )
    db.add(waiting)
    db.flush()

    page = stub_client.get(f"/billing/pages/{waiting.id}")

    assert page.status_code == 200
    assert f'hx-get="/billing/pages/{waiting.id}"' in page.text and 'hx-trigger="every 1s"' in page.text
    assert "Opening Stripe&#39;s billing page" in page.text or "Opening Stripe's billing page" in page.text

    waiting.status, waiting.url = BillingPageStatus.READY, "https://billing.stripe.com/p/session/ready"
    db.flush()
    polled = stub_client.get(f"/billing/pages/{waiting.id}", headers={"HX-Request": "true"})

    assert polled.status_code == 204
    assert polled.headers["HX-Redirect"] == "https://billing.stripe.com/p/session/ready"


def test_only_whoever_asked_may_follow_a_billing_page(
    stub_client: Client, stub: StripeStub, db: Session, supplier_admin: Supplier
) -> None:
    stub_client.sign_in(supplier_admin.admin.email, factories.PASSWORD)
    waiting = _choose(stub_client, supplier_admin.organisation.id, "supplier_plus_yearly").headers["location"]  # type: ignore[attr-defined]
    colleague = factories.user(db)
    db.add(Member(user_id=colleague.id, organisation_id=supplier_admin.organisation.id, role=MemberRole.ADMIN))
    outsider = factories.user(db)
    factories.supplier(db, outsider)
    db.flush()

    for someone in (colleague, outsider):
        stub_client.sign_in(someone.email, factories.PASSWORD)
        assert stub_client.get(waiting).status_code == 404
        assert stub_client.get("/billing/pages/999999").status_code == 404
    stub_client.http.cookies.clear()
    assert stub_client.get(waiting).status_code != 200


def test_stripe_out_of_reach_is_shown_on_the_waiting_page_and_grants_nothing(
    app: FastAPI, database_url: str, db: Session, supplier_admin: Supplier
) -> None:
    # Nothing listens on port 9 here: every call to Stripe fails to connect.
    with Client(with_stripe_at(app, database_url, "http://127.0.0.1:9")) as client:
        client.sign_in(supplier_admin.admin.email, factories.PASSWORD)
        response = _choose(client, supplier_admin.organisation.id, "supplier_plus_monthly")
        waiting = client.get(response.headers["location"])  # type: ignore[attr-defined]

    assert waiting.status_code == 200
    assert "Stripe could not open the page" in waiting.text and "Stripe could not set up billing" in waiting.text
    assert "Stripe did not answer" in waiting.text and "HTTPConnectionPool" not in waiting.text
    assert factories.count(db, BillingCustomer) == 0
    assert factories.count(db, Subscription) == 0
