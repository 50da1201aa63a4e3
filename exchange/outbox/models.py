"""Emails waiting to be sent: written in the request's transaction, sent by a job after it commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.database import Base
from exchange.core.models import UtcDateTime, utcnow


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    # Sent as the List-Unsubscribe header of notification emails (account emails have none).
    unsubscribe_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    # Taken by a delivery job (committed before the message is handed to SMTP, so it is never sent twice).
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # After a failure the message waits, longer each time, while the others go on.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Set aside for an administrator: it failed too often, or its delivery was interrupted mid-way.
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
