"""The hourly clean-up forgets ended sessions, spent rate-limit counts and old sign-in records, and keeps
what still counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from exchange.accounts import sessions, tasks
from exchange.accounts.models import SignInAttempt, UserSession
from exchange.core import rate_limits
from exchange.core.models import utcnow
from exchange.core.rate_limits import Limit, RateLimitHits
from tests import factories


def test_the_clean_up_keeps_only_what_still_counts(db: Session) -> None:
    person = factories.user(db)
    sessions.start(db, person.id, "Firefox", "192.0.2.1")
    expired = sessions.start(db, person.id, "Chrome", "192.0.2.2")
    db.query(UserSession).filter(UserSession.token_hash == sessions.token_hash(expired)).update(
        {"started_at": utcnow() - sessions.SESSION_LIFETIME - timedelta(minutes=1)}
    )
    limit = Limit("test", 3, timedelta(minutes=15))
    rate_limits.take(db, limit, "old", now=utcnow() - timedelta(hours=1))
    rate_limits.take(db, limit, "recent")
    db.add(SignInAttempt(email="a@b.example", ip_address="192.0.2.1", attempted_at=utcnow() - timedelta(days=91)))
    db.add(SignInAttempt(email="a@b.example", ip_address="192.0.2.1"))
    db.flush()

    tasks.clean_up()

    assert [row.user_agent for row in db.query(UserSession).all()] == ["Firefox"]
    assert factories.count(db, RateLimitHits) == 1
    assert factories.count(db, SignInAttempt) == 1


def test_a_limit_counts_the_previous_window_in_proportion(db: Session) -> None:
    limit = Limit("test", 4, timedelta(minutes=10))
    start = utcnow().replace(microsecond=0)
    window_start = start - timedelta(seconds=int(start.timestamp()) % 600)
    for _ in range(4):
        assert rate_limits.take(db, limit, "someone", now=window_start + timedelta(minutes=9))
    assert rate_limits.take(db, limit, "someone", now=window_start + timedelta(minutes=9)) is None

    # Halfway through the next window, half of the previous one's four still count: two places are free.
    halfway = window_start + timedelta(minutes=15)
    assert rate_limits.take(db, limit, "someone", now=halfway)
    assert rate_limits.take(db, limit, "someone", now=halfway)
    assert rate_limits.take(db, limit, "someone", now=halfway) is None
    assert rate_limits.take(db, limit, "someone else", now=halfway)
