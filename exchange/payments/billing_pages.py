"""Stripe Checkout and billing-portal pages, asked of Stripe by a job rather than in the web request.

An administrator's click records a BillingPage and says so (BillingPageRequested); after the commit a job asks
Stripe for the page's address, and the page the administrator waits on sends them there once it is ready. The
same pricing form sent twice is one row and one Stripe call (its attempt token and price are unique together,
and Stripe's idempotency key is made from them), so a double click never opens two checkouts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit import service as audit
from exchange.core import events
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.organisations.models import Organisation
from exchange.payments import entitlements
from exchange.payments.gateway import Gateway
from exchange.payments.models import BillingCustomer, BillingPage, BillingPageKind, BillingPageStatus
from exchange.payments.service import ATTEMPT, admin_organisation, chosen_price, customer_for

# A page still waiting this long is shown as slow (Stripe not answering; the queue keeps retrying).
SLOW_AFTER = timedelta(seconds=20)


@dataclass(frozen=True)
class BillingPageRequested(events.DomainEvent):
    page_id: int


def request_checkout(db: Session, viewer: Viewer, organisation_id: int, lookup_key: str, attempt: str) -> BillingPage:
    """Ask for a Checkout page for this plan; the plan itself starts only when Stripe's webhook says so."""
    organisation = admin_organisation(db, viewer, organisation_id)
    if not ATTEMPT.match(attempt):
        raise Invalid("The form has expired", field_errors={"price": "Reload the pricing page and choose again"})
    chosen_price(db, organisation, lookup_key)
    already = db.scalar(
        select(BillingPage).where(BillingPage.attempt == attempt, BillingPage.price_lookup_key == lookup_key)
    )
    if already is not None:
        if already.organisation_id != organisation.id or already.requested_by_id != viewer.user_id:
            raise Invalid("The form has expired", field_errors={"price": "Reload the pricing page and choose again"})
        return already
    if entitlements.current_subscriptions(db, [organisation_id]):
        raise Conflict("Your organisation already has a plan. Use Manage billing to change it.")
    page = BillingPage(
        organisation_id=organisation.id,
        requested_by_id=viewer.user_id,
        kind=BillingPageKind.CHECKOUT,
        price_lookup_key=lookup_key,
        attempt=attempt,
    )
    return _requested(db, viewer, page)


def request_portal(db: Session, viewer: Viewer, organisation_id: int) -> BillingPage:
    """Ask for the billing portal of the organisation's Stripe customer (there is one after a first checkout)."""
    organisation = admin_organisation(db, viewer, organisation_id)
    customer = db.scalar(select(BillingCustomer).where(BillingCustomer.organisation_id == organisation.id))
    if customer is None:
        raise Conflict("Your organisation has no billing account yet: choose a plan first.")
    page = BillingPage(organisation_id=organisation.id, requested_by_id=viewer.user_id, kind=BillingPageKind.PORTAL)
    return _requested(db, viewer, page)


def _requested(db: Session, viewer: Viewer, page: BillingPage) -> BillingPage:
    db.add(page)
    db.flush()
    audit.record(
        db,
        viewer.user_id,
        f"billing.{page.kind.value}_requested",
        "organisation",
        page.organisation_id,
        price=page.price_lookup_key,
    )
    events.record(db, BillingPageRequested(page.id))
    return page


def get(db: Session, viewer: Viewer, page_id: int) -> BillingPage:
    """Only whoever asked for a billing page may follow it: to anyone else it does not exist."""
    page = db.get(BillingPage, page_id)
    if page is None or page.requested_by_id != viewer.user_id or page.organisation_id not in viewer.admin_of:
        raise NotFound()
    return page


def is_slow(page: BillingPage) -> bool:
    return page.status is BillingPageStatus.WAITING and utcnow() - page.created_at > SLOW_AFTER


def prepare(db: Session, gateway: Gateway, page_id: int, base_url: str) -> BillingPage | None:
    """Ask Stripe for the page's address. Safe to run twice: a page already ready or failed is left alone, and
    Stripe's idempotency key makes a repeated checkout the same checkout."""
    page = db.get(BillingPage, page_id)
    if page is None or page.status is not BillingPageStatus.WAITING:
        return page
    base = base_url.rstrip("/")
    if page.kind is BillingPageKind.CHECKOUT:
        organisation, lookup_key = page_organisation(db, page), page.price_lookup_key or ""
        plan, _ = chosen_price(db, organisation, lookup_key)
        email = db.get_one(User, page.requested_by_id).email
        customer = customer_for(db, gateway, organisation, email)
        page.url = gateway.create_checkout_session(
            customer_id=customer.stripe_customer_id,
            price_id=gateway.price_id(lookup_key),
            organisation_id=organisation.id,
            plan_key=plan.key,
            base_url=base,
            attempt=page.attempt or str(page.id),
        )
    else:
        existing = db.scalar(select(BillingCustomer).where(BillingCustomer.organisation_id == page.organisation_id))
        if existing is None:
            return fail(db, page_id, "Your organisation has no billing account yet: choose a plan first.")
        page.url = gateway.create_portal_session(
            customer_id=existing.stripe_customer_id, return_url=f"{base}/billing/{page.organisation_id}"
        )
    page.status = BillingPageStatus.READY
    db.flush()
    return page


def page_organisation(db: Session, page: BillingPage) -> Organisation:
    return db.get_one(Organisation, page.organisation_id)


def fail(db: Session, page_id: int, problem: str) -> BillingPage | None:
    """Stripe could not give the page (after the queue's retries, or at once when retrying cannot help)."""
    page = db.get(BillingPage, page_id)
    if page is not None and page.status is BillingPageStatus.WAITING:
        page.status = BillingPageStatus.FAILED
        page.problem = problem
        db.flush()
    return page
