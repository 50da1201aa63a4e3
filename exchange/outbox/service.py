"""Queue email in the caller's transaction; deliver queued email after commit (SMTP, or the log)."""

from __future__ import annotations

import logging
import smtplib
from email import policy
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exchange.core.database import Database
from exchange.core.models import utcnow
from exchange.core.settings import Settings
from exchange.outbox.models import OutboxMessage

log = logging.getLogger("exchange.outbox")
MAX_ATTEMPTS = 5
SMTP_POLICY = policy.SMTP.clone(max_line_length=998)


def queue_email(db: Session, to: str, subject: str, body: str, unsubscribe_url: str | None = None) -> OutboxMessage:
    message = OutboxMessage(to_address=to, subject=subject, body_text=body, unsubscribe_url=unsubscribe_url)
    db.add(message)
    return message


def deliver_pending(database: Database, settings: Settings, limit: int = 100) -> int:
    """Send what is waiting; each message is claimed first so several workers never send one twice."""
    sent = 0
    with database.transaction() as db:
        ids = list(
            db.scalars(
                select(OutboxMessage.id)
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < MAX_ATTEMPTS)
                .order_by(OutboxMessage.id)
                .limit(limit)
            )
        )
    for message_id in ids:
        with database.transaction() as db:
            claimed = db.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id, OutboxMessage.sent_at.is_(None))
                .values(sent_at=utcnow(), attempts=OutboxMessage.attempts + 1)
            )
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                continue
            message = db.get_one(OutboxMessage, message_id)
            try:
                send(message, settings)
                sent += 1
            except (OSError, smtplib.SMTPException) as error:
                log.warning("could not send email %s: %s", message_id, error)
                message.sent_at = None
                message.last_error = str(error)
    return sent


def send(message: OutboxMessage, settings: Settings) -> None:
    if not settings.smtp_url:
        log.info(
            "email (not sent: no SMTP configured) to=%s subject=%s\n%s",
            message.to_address,
            message.subject,
            message.body_text,
        )
        return
    # Long header lines are allowed (up to SMTP's 998): a folded List-Unsubscribe address would arrive
    # encoded, and mail clients would not offer it.
    email = EmailMessage(policy=SMTP_POLICY)
    email["From"] = settings.mail_from
    email["To"] = message.to_address
    email["Subject"] = message.subject
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
    email.set_content(message.body_text)
    url = urlsplit(settings.smtp_url)
    smtp_class = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
    with smtp_class(url.hostname or "127.0.0.1", url.port or 25, timeout=10) as smtp:
        if url.scheme == "smtp+starttls":
            smtp.starttls()
        if url.username:
            smtp.login(unquote(url.username), unquote(url.password or ""))
        smtp.send_message(email)
