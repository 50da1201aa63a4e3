"""What an organisation's plan lets it do. Other domains ask here; nothing here asks Stripe.

Entitlements come only from subscription rows, and those are written only by verified webhook events
(re-read from Stripe), so with payments off every organisation is on the free plan and its limits, apart from the
size of a matchmaking session, which then has no cap (see ``participant_limit``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.database import settings_of
from exchange.core.errors import LimitReached
from exchange.core.models import utcnow
from exchange.payments.models import ENTITLING_STATUSES, Subscription
from exchange.payments.plans import Plan, catalogue

ACTIVE_PITCHES = "active_pitches"
ACTIVE_OFFERS = "active_offers"
SESSION_PARTICIPANTS = "session_participants"
FEATURED = "featured"
ANALYTICS = "analytics"
EARLY_ALERTS = "early_alerts"
SUPPORTER_BADGE = "supporter_badge"


def _entitling(subscription: Subscription, now: datetime, grace: timedelta) -> bool:
    if not subscription.entitles(now):
        return False
    # Missed webhooks (or payments switched off since) must not keep a plan forever: a period long over ends it.
    end = subscription.current_period_end
    return end is None or now < end + grace


def current_subscriptions(db: Session, organisation_ids: Iterable[int]) -> dict[int, Subscription]:
    """Each organisation's entitling subscription (the latest, should there be two)."""
    ids = set(organisation_ids)
    if not ids:
        return {}
    now = utcnow()
    grace = timedelta(days=settings_of(db).payment_grace_days)
    rows = db.scalars(
        select(Subscription)
        .where(Subscription.organisation_id.in_(ids), Subscription.status.in_(ENTITLING_STATUSES))
        .order_by(Subscription.id)
    )
    found: dict[int, Subscription] = {}
    for row in rows:
        if _entitling(row, now, grace) and catalogue(db).plans.get(row.plan_key):
            found[row.organisation_id] = row
    return found


def plan_for(db: Session, organisation_id: int) -> Plan:
    subscription = current_subscriptions(db, [organisation_id]).get(organisation_id)
    return catalogue(db).plans[subscription.plan_key] if subscription else catalogue(db).free


def limit(db: Session, organisation_id: int, name: str) -> int | None:
    """The plan's limit called ``name`` (e.g. "active_offers"); None when no plan or free limit names it."""
    plan = plan_for(db, organisation_id)
    value = plan.limits.get(name, catalogue(db).free.limits.get(name))
    return None if value is None else max(value, catalogue(db).free.limits.get(name, 0))


def participant_limit(db: Session, organisation_id: int) -> int | None:
    """How many participants a session run by this organisation's officers may have (None: no limit).

    With payments off no plan can be bought to lift a cap, so sessions take everyone; with payments on, the
    organisation's plan (or the free plan) says."""
    if not settings_of(db).payments_enabled:
        return None
    return limit(db, organisation_id, SESSION_PARTICIPANTS)


def has_feature(db: Session, organisation_id: int, feature: str) -> bool:
    return feature in plan_for(db, organisation_id).features


def organisations_with(db: Session, organisation_ids: Iterable[int], feature: str) -> set[int]:
    """Of these organisations, those whose plan has ``feature`` (one query, for lists of results)."""
    return {organisation_id for organisation_id, has in features_of(db, organisation_ids).items() if feature in has}


def features_of(db: Session, organisation_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """The paid features of each of these organisations that has any (one query)."""
    plans = catalogue(db).plans
    return {
        organisation_id: frozenset(plans[subscription.plan_key].features)
        for organisation_id, subscription in current_subscriptions(db, organisation_ids).items()
    }


def check_limit(db: Session, organisation_id: int, name: str, current: int, noun: str) -> None:
    """Refuse one more of ``noun`` when ``current`` already reaches the limit, saying which plan allows more."""
    allowed = limit(db, organisation_id, name)
    if allowed is None or current < allowed:
        return
    upgrade = catalogue(db).plan_offering(name)
    if upgrade is not None and plan_for(db, organisation_id).key != upgrade.key:
        message = (
            f"You already have {current} active {noun}, the most the free plan allows. "
            f"{upgrade.name} lets you publish more than {allowed} {noun}; or withdraw one first."
        )
    else:
        message = f"You already have {current} active {noun}, the most your plan allows. Withdraw one first."
    raise LimitReached(message)
