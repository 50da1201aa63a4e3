"""The daily email of what is new from the organisations and in the categories a user follows.

Sent by ``exchange send-digests`` beside the saved-search emails; at most one a day per user, listing needs,
pitches and offers created since the last one that the user may see. Nothing new, no email.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.accounts.service import load_viewer
from exchange.core.models import utcnow
from exchange.knowledge import saved_searches
from exchange.knowledge.models import Follow, FollowKind
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind, NotificationSetting
from exchange.outbox.service import queue_email
from exchange.search.models import SearchDocument as Doc
from exchange.search.schemas import Hit
from exchange.search.service import HIT_COLUMNS, visible_to

KIND = NotificationKind.FOLLOWING_DIGEST
EVERY = timedelta(days=1)
KIND_NAMES = {"need": "Need", "pitch": "Pitch", "offer": "Offer"}


def _followed(db: Session) -> dict[int, dict[str, set[int]]]:
    """User id -> the organisations and categories they follow."""
    query = select(Follow.user_id, Follow.target_kind, Follow.target_id).where(
        Follow.target_kind.in_((FollowKind.ORGANISATION.value, FollowKind.CATEGORY.value))
    )
    found: dict[int, dict[str, set[int]]] = defaultdict(lambda: {"organisation": set(), "category": set()})
    for user_id, kind, target_id in db.execute(query):
        found[user_id][kind].add(target_id)
    return dict(found)


def new_items(db: Session, user: User, followed: dict[str, set[int]], since: datetime) -> list[Hit]:
    viewer = load_viewer(db, user.id)
    query = (
        select(*HIT_COLUMNS)
        .where(
            visible_to(viewer),
            Doc.updated_at > since,
            or_(
                Doc.organisation_id.in_(sorted(followed["organisation"])),
                Doc.category_top_id.in_(sorted(followed["category"])),
            ),
        )
        .order_by(Doc.updated_at.desc(), Doc.id.desc())
        .limit(saved_searches.DIGEST_SIZE)
    )
    hits = [Hit(**row._mapping) for row in db.execute(query)]
    # Not the user's own organisations' items: they know those already.
    hits = [hit for hit in hits if not viewer.is_member(hit.organisation_id)]
    return saved_searches.created_since(db, hits, since)


def _body(hits: list[Hit], base_url: str) -> str:
    lines = ["New on the exchange from what you follow:"]
    for hit in hits[: saved_searches.SHOWN_IN_EMAIL]:
        lines.append(f"\n- {KIND_NAMES[hit.kind]}: {hit.title} ({hit.organisation_name})")
        lines.append(f"  {base_url}{hit.url}")
    more = len(hits) - saved_searches.SHOWN_IN_EMAIL
    if more > 0:
        lines.append(f"\nAnd {more} more.")
    lines.append(f"\nWhat you follow: {base_url}/following")
    return "\n".join(lines)


def send_following_digests(db: Session, now: datetime | None = None) -> saved_searches.DigestRun:
    now = now or utcnow()
    followed = _followed(db)
    settings = {
        s.user_id: s
        for s in db.scalars(
            select(NotificationSetting).where(
                NotificationSetting.kind == KIND.value, NotificationSetting.user_id.in_(sorted(followed))
            )
        )
    }
    emailed = notifications.users_emailed(db, followed, KIND)
    queued = 0
    for user_id in sorted(followed):
        setting = settings.get(user_id)
        if setting is None:
            # A row to remember when the last one went; the email choice stays the kind's default.
            setting = NotificationSetting(user_id=user_id, kind=KIND.value, email=KIND.about.email_by_default)
            db.add(setting)
        since = setting.last_sent_at or now - EVERY
        if now - since < EVERY - saved_searches.SLACK:
            continue
        setting.last_sent_at = now
        user = db.get(User, user_id)
        if user is None or user_id not in emailed or user.email_verified_at is None:
            continue
        hits = new_items(db, user, followed[user_id], since)
        if not hits:
            continue
        text, unsubscribe = notifications.email_text(
            db, user, KIND, _body(hits, notifications.base_url(db)), "/following"
        )
        subject = f"{len(hits)} new from what you follow"
        queue_email(db, user.email, subject, text, unsubscribe_url=unsubscribe)
        queued += 1
    db.flush()
    return saved_searches.DigestRun(len(followed), queued)
