"""The weekly email of new opportunities, for users who switch it on (``exchange send-digests``, run daily).

Each user is sent at most one digest a week, listing the open needs posted since their last digest that
match one of their supplier organisations, best first, with the reasons. Nothing new: no email.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.accounts.service import load_viewer
from exchange.core.models import utcnow
from exchange.core.templating import format_date
from exchange.matching import service
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind, NotificationSetting
from exchange.organisations import service as organisations
from exchange.outbox.service import queue_email

EVERY = timedelta(days=7)
PER_ORGANISATION = 5


@dataclass(frozen=True)
class DigestRun:
    users_considered: int
    emails_queued: int


def _due(setting: NotificationSetting, now: datetime) -> bool:
    return setting.last_sent_at is None or now - setting.last_sent_at >= EVERY


def _new_opportunities(db: Session, user: User, since: datetime) -> list[tuple[str, list[service.Opportunity]]]:
    viewer = load_viewer(db, user.id)
    sections = []
    for organisation in organisations.supplier_side_memberships(db, viewer):
        # New to suppliers since it was published: a need drafted long ago and published today is fresh.
        opportunities = service.opportunities(db, viewer, organisation.id, 20)
        fresh = [o for o in opportunities if (o.need.published_at or o.need.created_at) >= since]
        if fresh:
            sections.append((organisation.name, fresh[:PER_ORGANISATION]))
    return sections


def _body(sections: list[tuple[str, list[service.Opportunity]]], base_url: str) -> str:
    lines = ["New needs that match you on the exchange:"]
    for name, found in sections:
        lines.append(f"\nFor {name}:")
        for opportunity in found:
            need = opportunity.need
            closes = f", closes {format_date(opportunity.closes_on)}" if opportunity.closes_on else ""
            lines.append(f"\n- {need.title} ({opportunity.buyer}), {opportunity.match.percent}% match{closes}")
            lines.extend(f"  {reason.reason}" for reason in opportunity.match.reasons[:3])
            lines.append(f"  {base_url}/needs/{need.id}")
    lines.append(f"\nAll your opportunities: {base_url}/opportunities")
    return "\n".join(lines)


def send_digests(db: Session, now: datetime | None = None) -> DigestRun:
    now = now or utcnow()
    settings = db.scalars(
        select(NotificationSetting).where(
            NotificationSetting.kind == NotificationKind.OPPORTUNITY_DIGEST.value, NotificationSetting.email.is_(True)
        )
    ).all()
    queued = 0
    for setting in settings:
        user = db.get(User, setting.user_id)
        if user is None or user.email_verified_at is None or not _due(setting, now):
            continue
        sections = _new_opportunities(db, user, setting.last_sent_at or now - EVERY)
        setting.last_sent_at = now
        if not sections:
            continue
        text, unsubscribe = notifications.email_text(
            db, user, NotificationKind.OPPORTUNITY_DIGEST, _body(sections, notifications.base_url(db)), "/opportunities"
        )
        count = sum(len(found) for _, found in sections)
        subject = f"{count} new need that matches you" if count == 1 else f"{count} new needs that match you"
        queue_email(db, user.email, subject, text, unsubscribe_url=unsubscribe)
        queued += 1
    db.flush()
    return DigestRun(len(settings), queued)
