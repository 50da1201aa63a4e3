"""Queue email in the caller's transaction; deliver it from a job, each message at most once.

Delivery claims one message at a time in its own committed transaction before handing it to SMTP, so a
worker that dies mid-batch never sends a message twice: what it had claimed but not confirmed is set aside
for an administrator (``set_aside_interrupted``) instead of being sent again blindly. A message that keeps
failing is set aside after ``Settings.email_attempts`` and never holds up the ones behind it; a server that cannot be
reached fails the whole batch, which the queue retries, without counting against any message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from exchange.core import events
from exchange.core.database import Database, rows_changed
from exchange.core.models import utcnow
from exchange.core.settings import Settings
from exchange.outbox.mail import MailServerUnavailable, MessageRefused, SmtpBatch, body_text, header_text
from exchange.outbox.models import OutboxMessage

log = logging.getLogger("exchange.outbox")
# A claim older than this was lost with its worker: the message may or may not have gone.
INTERRUPTED_AFTER = timedelta(minutes=10)
BATCH = 200

__all__ = ["EmailQueued", "MailServerUnavailable", "deliver_pending", "queue_email"]


@dataclass(frozen=True)
class EmailQueued(events.DomainEvent):
    """Something waits in the outbox: delivery is enqueued once the transaction commits."""


def queue_email(db: Session, to: str, subject: str, body: str, unsubscribe_url: str | None = None) -> OutboxMessage:
    message = OutboxMessage(
        to_address=header_text(to, 320),
        subject=header_text(subject),
        body_text=body_text(body),
        unsubscribe_url=unsubscribe_url,
    )
    db.add(message)
    events.record(db, EmailQueued())
    return message


def _claim_next(database: Database, skip: set[int]) -> int | None:
    """Take the oldest message that is due, committed, so no other worker sends it too."""
    now = utcnow()
    with database.transaction() as db:
        while True:
            due = (
                select(OutboxMessage.id)
                .where(
                    OutboxMessage.sent_at.is_(None),
                    OutboxMessage.claimed_at.is_(None),
                    OutboxMessage.failed_at.is_(None),
                    or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
                )
                .order_by(OutboxMessage.id)
                .limit(1)
            )
            message_id = db.scalar(due.where(OutboxMessage.id.not_in(skip)) if skip else due)
            if message_id is None:
                return None
            claimed = db.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.claimed_at.is_(None))
                .values(claimed_at=now)
            )
            if rows_changed(claimed) == 1:
                return message_id
            skip.add(message_id)  # another worker took it first


def _record_refusal(message: OutboxMessage, error: Exception, settings: Settings) -> None:
    message.claimed_at = None
    message.attempts += 1
    message.last_error = str(error)[:2000]
    if message.attempts >= settings.email_attempts:
        message.failed_at = utcnow()
        log.error("email %s set aside after %d attempts: %s", message.id, message.attempts, error)
    else:
        wait = timedelta(seconds=settings.email_retry_delay_seconds * 2 ** (message.attempts - 1))
        message.next_attempt_at = utcnow() + wait
        log.warning("email %s refused (attempt %d): %s", message.id, message.attempts, error)


def deliver_pending(database: Database, settings: Settings, limit: int = BATCH) -> int:
    """Send what is due over one SMTP connection; how many were sent. MailServerUnavailable if the server
    cannot be reached (the message in hand is released untouched)."""
    sent = 0
    tried: set[int] = set()
    with SmtpBatch(settings) as batch:
        while sent < limit:
            message_id = _claim_next(database, tried)
            if message_id is None:
                break
            tried.add(message_id)
            with database.transaction() as db:
                message = db.get_one(OutboxMessage, message_id)
                try:
                    batch.send(message)
                except MessageRefused as error:
                    _record_refusal(message, error, settings)
                    continue
                except MailServerUnavailable as error:
                    message.claimed_at = None
                    message.last_error = str(error)[:2000]
                    db.commit()
                    raise
                message.sent_at = utcnow()
                message.attempts += 1
                message.last_error = None
                sent += 1
    return sent


def next_retry_at(db: Session) -> datetime | None:
    """When the earliest message waiting out a refusal is due again (perhaps already: a batch does not try a
    message twice, so one that fell due while the batch went on waits for the next)."""
    return db.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.claimed_at.is_(None),
            OutboxMessage.failed_at.is_(None),
        )
    )


def set_aside_interrupted(db: Session) -> int:
    """Messages claimed by a worker that never confirmed them: set aside, since they may have gone."""
    before = utcnow() - INTERRUPTED_AFTER
    result = db.execute(
        update(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None), OutboxMessage.claimed_at < before)
        .values(failed_at=utcnow(), last_error="Delivery was interrupted: it may or may not have been sent.")
    )
    return rows_changed(result)


def set_aside(db: Session, limit: int = 200) -> list[OutboxMessage]:
    return list(
        db.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.failed_at.is_not(None), OutboxMessage.sent_at.is_(None))
            .order_by(OutboxMessage.failed_at.desc())
            .limit(limit)
        )
    )


def retry(db: Session, message_id: int) -> bool:
    """Send a set-aside message again (an administrator's choice)."""
    message = db.get(OutboxMessage, message_id)
    if message is None or message.failed_at is None or message.sent_at is not None:
        return False
    message.failed_at = message.claimed_at = message.next_attempt_at = None
    message.attempts = 0
    events.record(db, EmailQueued())
    return True


def drop(db: Session, message_id: int) -> bool:
    message = db.get(OutboxMessage, message_id)
    if message is None or message.failed_at is None or message.sent_at is not None:
        return False
    db.delete(message)
    return True
