"""What visitors write to the administrators: kept so that they can read it in the admin area."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.database import Base
from exchange.core.models import UtcDateTime, enum_column, utcnow


class MessageKind(enum.StrEnum):
    FEEDBACK = "feedback"
    COUNCIL_DOMAIN = "council_domain"

    @property
    def label(self) -> str:
        return MESSAGE_KIND_LABELS[self]


MESSAGE_KIND_LABELS = {
    MessageKind.FEEDBACK: "Feedback or question",
    MessageKind.COUNCIL_DOMAIN: "Request to add a council email domain",
}


class ContactMessage(Base):
    __tablename__ = "contact_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MessageKind] = enum_column(MessageKind)
    name: Mapped[str] = mapped_column(String(200), default="")
    # Empty when someone leaves feedback without asking for a reply.
    email: Mapped[str] = mapped_column(String(320), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    # For a domain request: the council and the domain its officers' addresses end with.
    council_name: Mapped[str] = mapped_column(String(200), default="")
    email_domain: Mapped[str] = mapped_column(String(253), default="")
    # Whoever was signed in when writing (kept if the account is deleted later, without the link).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    # When an administrator added the requested domain (and the person who asked was told).
    domain_added_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
