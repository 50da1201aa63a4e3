"""What each user has been told, and which kinds of email each user has switched off (or on)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.database import Base
from exchange.core.models import UtcDateTime, utcnow


class NotificationKind(enum.StrEnum):
    CLARIFICATION_ANSWERED = "clarification_answered"
    PROPOSAL_RECEIVED = "proposal_received"
    SHORTLISTED = "shortlisted"
    OUTCOME = "outcome"
    OPPORTUNITY_DIGEST = "opportunity_digest"

    @property
    def about(self) -> KindDescription:
        return KIND_DESCRIPTIONS[self]


@dataclass(frozen=True)
class KindDescription:
    label: str
    hint: str
    # Email unless the user says otherwise; the digest is the one people opt into.
    email_by_default: bool = True


KIND_DESCRIPTIONS = {
    NotificationKind.CLARIFICATION_ANSWERED: KindDescription(
        "Answers to clarification questions", "On needs you follow or have responded to."
    ),
    NotificationKind.PROPOSAL_RECEIVED: KindDescription(
        "Proposals received", "When a supplier submits a proposal to one of your council's needs."
    ),
    NotificationKind.SHORTLISTED: KindDescription("Shortlisted", "When a council shortlists your organisation."),
    NotificationKind.OUTCOME: KindDescription(
        "Outcomes", "When a need you responded to is awarded, closed or cancelled."
    ),
    NotificationKind.OPPORTUNITY_DIGEST: KindDescription(
        "New opportunities (weekly)",
        "A weekly email of new open needs that match your organisation.",
        email_by_default=False,
    ),
}


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # A NotificationKind value; a plain string so new kinds need no migration.
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # A path on the exchange ("/needs/12"), never an address elsewhere.
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class NotificationSetting(Base):
    """A user's choice for one kind of email; without a row, the kind's default applies."""

    __tablename__ = "notification_settings"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    email: Mapped[bool] = mapped_column(Boolean)
    # For digests: when the last one was sent, so the next lists only what is new since.
    last_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
