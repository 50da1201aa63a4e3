"""The rules of billing: who may subscribe an organisation, to what, and how Stripe's state becomes ours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from exchange.audit import service as audit
from exchange.core.database import settings_of
from exchange.core.errors import Invalid, NotAllowed, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.organisations.models import Organisation
from exchange.payments import entitlements
from exchange.payments.gateway import Gateway, SubscriptionState
from exchange.payments.models import BillingCustomer, Subscription, WebhookEvent
from exchange.payments.plans import Plan, Price, catalogue

ATTEMPT = re.compile(r"^[0-9a-f]{32}$")
PAYMENT_PROBLEM_STATUSES = frozenset({"past_due", "unpaid"})


@dataclass(frozen=True)
class Billing:
    """One organisation's billing, as its members see it."""

    organisation: Organisation
    plan: Plan
    subscription: Subscription | None
    customer: BillingCustomer | None
    plans: list[Plan]


def billable_organisation(db: Session, viewer: Viewer, organisation_id: int) -> Organisation:
    """Members see their organisation's billing; to everyone else it does not exist."""
    organisation = db.get(Organisation, organisation_id)
    if organisation is None or not (viewer.is_member(organisation_id) or viewer.is_admin):
        raise NotFound()
    return organisation


def billing(db: Session, viewer: Viewer, organisation_id: int) -> Billing:
    organisation = billable_organisation(db, viewer, organisation_id)
    return Billing(
        organisation=organisation,
        plan=entitlements.plan_for(db, organisation_id),
        subscription=entitlements.current_subscriptions(db, [organisation_id]).get(organisation_id),
        customer=db.scalar(select(BillingCustomer).where(BillingCustomer.organisation_id == organisation_id)),
        plans=catalogue(db).for_kind(organisation.kind.value),
    )


def organisations_to_bill(db: Session, viewer: Viewer) -> list[Organisation]:
    """The organisations this viewer administers, for the pricing page's choice."""
    if not viewer.admin_of:
        return []
    return list(
        db.scalars(select(Organisation).where(Organisation.id.in_(viewer.admin_of)).order_by(Organisation.name))
    )


def admin_organisation(db: Session, viewer: Viewer, organisation_id: int) -> Organisation:
    organisation = billable_organisation(db, viewer, organisation_id)
    if organisation_id not in viewer.admin_of:
        raise NotAllowed("Only an administrator of the organisation can change its plan or billing.")
    return organisation


def chosen_price(db: Session, organisation: Organisation, lookup_key: str) -> tuple[Plan, Price]:
    plan = catalogue(db).by_lookup_key(lookup_key)
    price = plan.price(lookup_key) if plan else None
    if plan is None or price is None:
        raise Invalid("Check the answers and try again", field_errors={"price": "Choose a plan from the list"})
    if not plan.available_to(organisation.kind.value):
        raise Invalid(
            "Check the answers and try again",
            field_errors={"price": f"{plan.name} is not offered to a {organisation.kind.label.lower()}"},
        )
    return plan, price


def customer_for(db: Session, gateway: Gateway, organisation: Organisation, email: str) -> BillingCustomer:
    """The organisation's Stripe customer: reused when there is one, made (once) when there is not."""
    customer = db.scalar(select(BillingCustomer).where(BillingCustomer.organisation_id == organisation.id))
    if customer is None:
        stripe_id = gateway.create_customer(organisation.id, organisation.name, email)
        customer = BillingCustomer(organisation_id=organisation.id, stripe_customer_id=stripe_id)
        db.add(customer)
        db.flush()
    return customer


def organisation_for(db: Session, state: SubscriptionState) -> int | None:
    """The organisation a subscription belongs to, from our own customer record first, metadata second."""
    customer = db.scalar(select(BillingCustomer).where(BillingCustomer.stripe_customer_id == state.stripe_customer_id))
    if customer is not None:
        return customer.organisation_id
    if state.organisation_id is not None and db.get(Organisation, state.organisation_id) is not None:
        if state.stripe_customer_id:
            db.add(BillingCustomer(organisation_id=state.organisation_id, stripe_customer_id=state.stripe_customer_id))
        return state.organisation_id
    return None


def apply_state(db: Session, state: SubscriptionState, event: WebhookEvent | None = None) -> Subscription | None:
    """Make our row say what Stripe says now; an audit row for every change of plan or status."""
    plan = catalogue(db).by_lookup_key(state.lookup_key)
    row = db.scalar(select(Subscription).where(Subscription.stripe_subscription_id == state.stripe_subscription_id))
    organisation_id = row.organisation_id if row else organisation_for(db, state)
    if organisation_id is None or (plan is None and row is None):
        return None
    before = (row.plan_key, row.status) if row else None
    if row is None:
        row = Subscription(organisation_id=organisation_id, stripe_subscription_id=state.stripe_subscription_id)
        db.add(row)
    row.plan_key = plan.key if plan else row.plan_key
    row.price_lookup_key = state.lookup_key
    row.status = state.status
    row.current_period_end = state.current_period_end
    row.cancel_at_period_end = state.cancel_at_period_end
    _track_payment_problem(row, timedelta(days=settings_of(db).payment_grace_days))
    db.flush()
    if before != (row.plan_key, row.status):
        audit.record(
            db,
            None,
            "billing.plan_changed",
            "organisation",
            organisation_id,
            subscription=state.stripe_subscription_id,
            plan=row.plan_key,
            status=row.status,
            previous=list(before) if before else None,
            stripe_event=event.stripe_event_id if event else None,
        )
    return row


def _track_payment_problem(row: Subscription, grace: timedelta) -> None:
    """A failed renewal starts the grace period once; a paid invoice (status active again) ends it."""
    if row.status in PAYMENT_PROBLEM_STATUSES:
        if row.payment_failed_at is None:
            row.payment_failed_at = utcnow()
            row.grace_until = row.payment_failed_at + grace
    else:
        row.payment_failed_at = None
        row.grace_until = None


def payment_problems(db: Session, organisation_ids: frozenset[int]) -> list[Subscription]:
    """Subscriptions of these organisations whose last payment failed, for the banner."""
    if not organisation_ids:
        return []
    return list(
        db.scalars(
            select(Subscription)
            .where(
                Subscription.organisation_id.in_(organisation_ids),
                Subscription.status.in_(PAYMENT_PROBLEM_STATUSES),
            )
            .options(selectinload(Subscription.organisation))
        )
    )


def all_subscriptions(db: Session, limit: int = 200) -> list[Subscription]:
    return list(
        db.scalars(
            select(Subscription)
            .options(selectinload(Subscription.organisation))
            .order_by(Subscription.updated_at.desc(), Subscription.id.desc())
            .limit(limit)
        )
    )
