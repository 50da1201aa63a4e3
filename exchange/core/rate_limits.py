"""Rate limits that hold under parallel requests, in every worker, on both databases.

Hits are counted in the database, one row per key and fixed window, by one atomic statement
(INSERT ... ON CONFLICT DO UPDATE ... RETURNING): two requests can never both read the last free place, and
every app worker shares the count. Over the sliding period the previous window counts in proportion to how
much of it the period still covers (the "sliding window counter" of rate-limit libraries), so a burst at a
window's edge does not get twice the allowance.

A hit that would pass the limit is taken back at once: the limit is the number allowed, and refused
attempts do not extend the wait. A caller that only counts failures gives a hit back on success.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, Integer, String, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from exchange.core.database import Base, rows_changed
from exchange.core.models import utcnow


class RateLimitHits(Base):
    __tablename__ = "rate_limit_hits"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    # The window's start, in seconds since the epoch (a multiple of the limit's period).
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    # After this (seconds since the epoch) the window no longer counts for anything: clean-ups delete it.
    expires: Mapped[int] = mapped_column(BigInteger, index=True)


@dataclass(frozen=True)
class Limit:
    name: str
    allowed: int
    period: timedelta


@dataclass(frozen=True)
class Ticket:
    """One hit counted against a key, which its taker may give back."""

    key: str
    window_start: int


def _key(limit: Limit, subject: str) -> str:
    # Subjects are email addresses and network addresses: hashed, so the table holds neither.
    return f"{limit.name}:{hashlib.sha256(subject.encode()).hexdigest()[:40]}"


def _count_one(db: Session, key: str, window_start: int, expires: int) -> int:
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(RateLimitHits)
        .values(key=key, window_start=window_start, hits=1, expires=expires)
        .on_conflict_do_update(
            index_elements=[RateLimitHits.key, RateLimitHits.window_start], set_={"hits": RateLimitHits.hits + 1}
        )
        .returning(RateLimitHits.hits)
    )
    return int(db.scalar(statement) or 0)


def take(db: Session, limit: Limit, subject: str, now: datetime | None = None) -> Ticket | None:
    """Count one hit for subject; None when the limit is reached (and then nothing is counted)."""
    moment = (now or utcnow()).timestamp()
    period = int(limit.period.total_seconds())
    window_start = int(moment // period) * period
    key = _key(limit, subject)
    current = _count_one(db, key, window_start, window_start + 2 * period)
    previous = (
        db.scalar(
            select(RateLimitHits.hits).where(
                RateLimitHits.key == key, RateLimitHits.window_start == window_start - period
            )
        )
        or 0
    )
    still_covered = 1 - (moment - window_start) / period
    ticket = Ticket(key, window_start)
    if current + previous * still_covered > limit.allowed:
        give_back(db, ticket)
        return None
    return ticket


def take_all(db: Session, wanted: list[tuple[Limit, str]], now: datetime | None = None) -> list[Ticket] | None:
    """A hit on each (limit, subject), or none at all when any limit is reached. Keys are taken in one order
    in every request, so two requests never wait on each other's rows crosswise (PostgreSQL)."""
    taken: list[Ticket] = []
    for limit, subject in sorted(wanted, key=lambda pair: _key(*pair)):
        ticket = take(db, limit, subject, now)
        if ticket is None:
            for earlier in taken:
                give_back(db, earlier)
            return None
        taken.append(ticket)
    return taken


def give_back(db: Session, ticket: Ticket) -> None:
    db.execute(
        update(RateLimitHits)
        .where(
            RateLimitHits.key == ticket.key,
            RateLimitHits.window_start == ticket.window_start,
            RateLimitHits.hits > 0,
        )
        .values(hits=RateLimitHits.hits - 1)
    )


def forget_expired(db: Session, now: datetime | None = None) -> int:
    moment = int((now or utcnow()).timestamp())
    return rows_changed(db.execute(delete(RateLimitHits).where(RateLimitHits.expires < moment)))
