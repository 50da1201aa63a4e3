"""Early alerts, a Supplier Plus extra: when a need opens to suppliers, the subscribers it matches well hear
about it at once, instead of in the weekly digest."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.templating import format_date
from exchange.matching import service
from exchange.needs.models import Need, NeedStage
from exchange.notifications import service as notifications
from exchange.notifications.models import Notification, NotificationKind
from exchange.organisations.service import active_members
from exchange.payments import entitlements
from exchange.payments.models import Subscription
from exchange.proposals import procurement

# Early alerts go to the best matches only: a need is worth an interruption when it fits well. (The best possible
# score includes a track record with the buyer, which a newcomer cannot have: 15% is a strong text match.)
ALERT_FROM_PERCENT = 15
CANDIDATES = 20
EARLY_ALERTS = "early_alerts"
# The stages at which a supplier can act on a need.
ALERTING_STAGES = (NeedStage.EARLY_MARKET_ENGAGEMENT, NeedStage.OPEN_FOR_PROPOSALS)


def _anyone_subscribed(db: Session) -> bool:
    """Whether any organisation has early alerts now: without one, no need is worth ranking here."""
    keys = [key for key, plan in entitlements.catalogue(db).plans.items() if EARLY_ALERTS in plan.features]
    subscribed = db.scalars(select(Subscription.organisation_id).where(Subscription.plan_key.in_(keys)))
    return bool(entitlements.organisations_with(db, set(subscribed), EARLY_ALERTS))


def alert_subscribers(db: Session, need: Need) -> int:
    """Tell the members of well-matching Supplier Plus organisations about this need, once each; how many."""
    if not need.open_to_everyone or need.stage not in ALERTING_STAGES:
        return 0
    if not _anyone_subscribed(db):
        return 0
    ranking = service.rank_suppliers(db, need, CANDIDATES)
    strong = {m.key: m for m in ranking.matches if m.percent >= ALERT_FROM_PERCENT}
    subscribers = entitlements.organisations_with(db, strong, EARLY_ALERTS)
    link = f"/needs/{need.id}"
    already = set(
        db.scalars(
            select(Notification.user_id).where(
                Notification.kind == NotificationKind.OPPORTUNITY_ALERT, Notification.link == link
            )
        )
    )
    closes_on = procurement.closing_dates(db, {need.id}).get(need.id)
    closes = f" Proposals close at the end of {format_date(closes_on)}." if closes_on else ""
    told = 0
    for organisation_id in sorted(subscribers):
        match = strong[organisation_id]
        users = [u for u in active_members(db, {organisation_id}) if u.id not in already]
        reasons = "; ".join(c.reason for c in match.reasons[:3])
        notifications.notify(
            db,
            users,
            NotificationKind.OPPORTUNITY_ALERT,
            f"A new need matches you: {need.title}",
            f"{need.title} ({match.percent}% match). Why: {reasons}.{closes}",
            link,
        )
        already |= {u.id for u in users}
        told += len(users)
    return told
