"""Each organisation's Stripe customer and subscriptions, the billing pages asked of Stripe, the webhook events
received, and profile analytics."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import Timestamped, UtcDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from exchange.organisations.models import Organisation

# Stripe subscription statuses under which the plan's extras apply (past_due: within the grace period).
ENTITLING_STATUSES = frozenset({"active", "trialing", "past_due"})


class BillingCustomer(Timestamped, Base):
    """The one Stripe customer of an organisation, made on its first checkout and reused after."""

    __tablename__ = "billing_customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    stripe_customer_id: Mapped[str] = mapped_column(String(255), unique=True)


class BillingPageKind(enum.StrEnum):
    CHECKOUT = "checkout"
    PORTAL = "portal"


class BillingPageStatus(enum.StrEnum):
    WAITING = "waiting"
    READY = "ready"
    FAILED = "failed"


class BillingPage(Timestamped, Base):
    """A Stripe Checkout or billing-portal page an administrator asked for. A job asks Stripe for its address
    (never the web request); the page the administrator waits on sends them there once it is ready."""

    __tablename__ = "billing_pages"
    # The pricing form's one-time token with the price chosen: the same form sent twice is one checkout.
    __table_args__ = (UniqueConstraint("attempt", "price_lookup_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[BillingPageKind] = enum_column(BillingPageKind)
    price_lookup_key: Mapped[str | None] = mapped_column(String(100))
    attempt: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[BillingPageStatus] = enum_column(BillingPageStatus, default=BillingPageStatus.WAITING)
    url: Mapped[str | None] = mapped_column(Text)
    problem: Mapped[str] = mapped_column(Text, default="")


class Subscription(Timestamped, Base):
    """A Stripe subscription as last read from Stripe itself (never as an event claimed it to be)."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    stripe_subscription_id: Mapped[str] = mapped_column(String(255), unique=True)
    plan_key: Mapped[str] = mapped_column(String(60))
    price_lookup_key: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(40))
    current_period_end: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancel_at_period_end: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by a failed renewal payment, cleared by a paid invoice: the plan is kept until then.
    payment_failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    grace_until: Mapped[datetime | None] = mapped_column(UtcDateTime())

    organisation: Mapped[Organisation] = relationship(lazy="raise")

    def entitles(self, now: datetime) -> bool:
        if self.status not in ENTITLING_STATUSES:
            return False
        if self.status == "past_due" or self.payment_failed_at is not None:
            return self.grace_until is not None and now < self.grace_until
        return True


class WebhookStatus(enum.StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    IGNORED = "ignored"
    FAILED = "failed"


class WebhookEvent(Base):
    """Each verified Stripe event, recorded once by its id: retries and concurrent deliveries find it here."""

    __tablename__ = "stripe_webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(120))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[WebhookStatus] = enum_column(WebhookStatus, default=WebhookStatus.RECEIVED, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ProfileView(Base):
    """Views of a supplier's pages, counted per day (not per person: no visitor is tracked)."""

    __tablename__ = "profile_view_days"
    __table_args__ = (UniqueConstraint("organisation_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    views: Mapped[int] = mapped_column(Integer, default=0)
