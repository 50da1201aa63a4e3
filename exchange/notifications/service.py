"""Telling users things: a row in their in-app list always, an email when they keep that kind switched on.

Every email carries a plain-text body, a link to the page it is about and a link that switches that kind
of email off without signing in (a signed token naming the user and the kind).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.core.database import settings_of
from exchange.core.models import utcnow
from exchange.core.security import make_token, read_token
from exchange.notifications.models import Notification, NotificationKind, NotificationSetting
from exchange.outbox.service import queue_email

UNSUBSCRIBE_PURPOSE = "unsubscribe"
# Unsubscribe links keep working for a long time: old emails are where people look for them.
UNSUBSCRIBE_MAX_AGE = 5 * 365 * 24 * 3600


def email_choices(db: Session, user_id: int) -> dict[NotificationKind, bool]:
    """Each kind -> whether this user gets it by email."""
    chosen = {
        row.kind: row.email
        for row in db.scalars(select(NotificationSetting).where(NotificationSetting.user_id == user_id))
    }
    return {kind: chosen.get(kind.value, kind.about.email_by_default) for kind in NotificationKind}


def users_emailed(db: Session, user_ids: Iterable[int], kind: NotificationKind) -> set[int]:
    ids = set(user_ids)
    if not ids:
        return set()
    chosen = dict(
        (row.user_id, row.email)
        for row in db.scalars(
            select(NotificationSetting).where(NotificationSetting.user_id.in_(ids), NotificationSetting.kind == kind)
        )
    )
    return {user_id for user_id in ids if chosen.get(user_id, kind.about.email_by_default)}


def set_email(db: Session, user_id: int, kind: NotificationKind, email: bool) -> NotificationSetting:
    setting = db.scalar(
        select(NotificationSetting).where(NotificationSetting.user_id == user_id, NotificationSetting.kind == kind)
    )
    if setting is None:
        setting = NotificationSetting(user_id=user_id, kind=kind.value, email=email)
        db.add(setting)
    else:
        setting.email = email
    db.flush()
    return setting


def unsubscribe_token(user_id: int, kind: NotificationKind) -> str:
    return make_token(UNSUBSCRIBE_PURPOSE, {"user": user_id, "kind": kind.value})


def read_unsubscribe_token(token: str) -> tuple[int, NotificationKind] | None:
    payload = read_token(UNSUBSCRIBE_PURPOSE, token, UNSUBSCRIBE_MAX_AGE)
    if payload is None or payload.get("kind") not in {k.value for k in NotificationKind}:
        return None
    user_id = payload.get("user")
    return (user_id, NotificationKind(payload["kind"])) if isinstance(user_id, int) else None


def base_url(db: Session) -> str:
    """The exchange's address, for links in email (the unit of work's settings)."""
    return settings_of(db).base_url.rstrip("/")


def email_text(db: Session, user: User, kind: NotificationKind, body: str, link: str) -> tuple[str, str]:
    """The plain-text body of a notification email and its unsubscribe address."""
    base = base_url(db)
    unsubscribe = f"{base}/notifications/unsubscribe?token={unsubscribe_token(user.id, kind)}"
    parts = [f"Hello {user.name},", body]
    if link:
        parts.append(f"See it on the exchange: {base}{link}")
    parts.append(
        f"You get this email because “{kind.about.label}” emails are on for {user.email}.\n"
        f"Stop these emails: {unsubscribe}\n"
        f"Choose which emails you get: {base}/account/notifications"
    )
    return "\n\n".join(parts), unsubscribe


def notify(
    db: Session, users: Sequence[User], kind: NotificationKind, title: str, body: str = "", link: str = ""
) -> None:
    """Add to each user's list, and email those who keep this kind on (and have a confirmed address)."""
    emailed = users_emailed(db, (u.id for u in users), kind)
    for user in users:
        db.add(Notification(user_id=user.id, kind=kind.value, title=title, body=body, link=link))
        if user.id in emailed and user.email_verified_at is not None:
            text, unsubscribe = email_text(db, user, kind, body, link)
            queue_email(db, user.email, title, text, unsubscribe_url=unsubscribe)
    db.flush()


def notify_once(
    db: Session, users: Sequence[User], kind: NotificationKind, title: str, body: str = "", link: str = ""
) -> list[User]:
    """Notify only those not yet told this same thing (same kind, title and link): doing something again,
    or undoing and redoing it, tells nobody twice. Returns who was told."""
    title = title[:300]
    ids = {user.id for user in users}
    told = (
        set(
            db.scalars(
                select(Notification.user_id).where(
                    Notification.user_id.in_(ids),
                    Notification.kind == kind.value,
                    Notification.title == title,
                    Notification.link == link,
                )
            )
        )
        if ids
        else set()
    )
    untold = [user for user in users if user.id not in told]
    if untold:
        notify(db, untold, kind, title, body, link)
    return untold


def recent(db: Session, user_id: int, limit: int = 50) -> list[Notification]:
    return list(
        db.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def unread_count(db: Session, user_id: int) -> int:
    return db.scalar(select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def mark_all_read(db: Session, user_id: int) -> None:
    db.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
