"""Sessions kept on the server: a signed-in browser holds a random token, the database holds its hash.

Ending a session deletes its row, so a copy of the cookie taken before sign-out opens nothing. Changing or
resetting a password and an administrator's suspension end every session of the account; a user can see
where they are signed in and end any of those sessions.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from exchange.accounts.models import UserSession
from exchange.core.database import rows_changed
from exchange.core.models import utcnow
from exchange.core.security import SESSION_MAX_AGE_DAYS

# A session ends this long after sign-in, used or not (the cookie lasts as long).
SESSION_LIFETIME = timedelta(days=SESSION_MAX_AGE_DAYS)
# How stale "last seen" may get before a writing request refreshes it (a write on every request would cost more).
LAST_SEEN_STEP = timedelta(hours=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(db: Session, user_id: int, user_agent: str, ip_address: str) -> str:
    """A new session for the user; returns the token for the cookie. The user's expired sessions go too."""
    forget_expired(db, user_id)
    token = secrets.token_urlsafe(32)
    db.add(
        UserSession(
            user_id=user_id, token_hash=token_hash(token), user_agent=user_agent[:300], ip_address=ip_address[:64]
        )
    )
    db.flush()
    return token


def started_after(now: datetime | None = None) -> datetime:
    """Sessions started before this have ended."""
    return (now or utcnow()) - SESSION_LIFETIME


def touch(db: Session, session: UserSession) -> None:
    now = utcnow()
    if now - session.last_seen_at > LAST_SEEN_STEP:
        db.execute(update(UserSession).where(UserSession.id == session.id).values(last_seen_at=now))


def end(db: Session, token: str) -> None:
    db.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))


def end_one(db: Session, user_id: int, session_id: int) -> bool:
    """End one of the user's own sessions (another user's session id ends nothing)."""
    ended = db.execute(delete(UserSession).where(UserSession.id == session_id, UserSession.user_id == user_id))
    return rows_changed(ended) == 1


def end_all(db: Session, user_id: int, except_token: str | None = None) -> int:
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if except_token is not None:
        query = query.where(UserSession.token_hash != token_hash(except_token))
    return rows_changed(db.execute(query))


def of_user(db: Session, user_id: int) -> list[UserSession]:
    query = (
        select(UserSession)
        .where(UserSession.user_id == user_id, UserSession.started_at > started_after())
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(db.scalars(query))


def forget_expired(db: Session, user_id: int | None = None) -> int:
    query = delete(UserSession).where(UserSession.started_at <= started_after())
    if user_id is not None:
        query = query.where(UserSession.user_id == user_id)
    return rows_changed(db.execute(query))
