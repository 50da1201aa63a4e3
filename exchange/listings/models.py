"""What suppliers put on the exchange: pitches (ideas, propositions) and offers (products, services)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import Timestamped, UtcDateTime, enum_column
from exchange.organisations.models import Organisation
from exchange.reference.models import Category, Region


class ListingStatus(enum.StrEnum):
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class PriceModel(enum.StrEnum):
    FREE = "free"
    ONE_OFF = "one_off"
    PER_USER = "per_user"
    SUBSCRIPTION = "subscription"
    DAY_RATE = "day_rate"
    QUOTE = "quote"

    @property
    def label(self) -> str:
        return PRICE_MODEL_LABELS[self]


PRICE_MODEL_LABELS = {
    PriceModel.FREE: "Free",
    PriceModel.ONE_OFF: "One-off price",
    PriceModel.PER_USER: "Price per user",
    PriceModel.SUBSCRIPTION: "Subscription",
    PriceModel.DAY_RATE: "Day rate",
    PriceModel.QUOTE: "Priced on request (quote)",
}


class ListingBase(Timestamped):
    """Columns a pitch and an offer share."""

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[ListingStatus] = enum_column(ListingStatus, default=ListingStatus.PUBLISHED)
    # Set by a moderator (who did it is in the audit log): hidden from everyone but the publisher, who sees why.
    hidden_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    hidden_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")

    @property
    def is_public(self) -> bool:
        return self.status is ListingStatus.PUBLISHED and self.hidden_at is None


class Pitch(ListingBase, Base):
    __tablename__ = "pitches"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    category: Mapped[Category | None] = relationship(lazy="raise")
    region: Mapped[Region | None] = relationship(lazy="raise")


class Offer(ListingBase, Base):
    __tablename__ = "offers"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    price_model: Mapped[PriceModel] = enum_column(PriceModel, default=PriceModel.FREE)
    # Whole pounds; None for free offers and quotes.
    price_amount: Mapped[int | None] = mapped_column(Integer)

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    category: Mapped[Category | None] = relationship(lazy="raise")
    region: Mapped[Region | None] = relationship(lazy="raise")

    @property
    def is_free(self) -> bool:
        return self.price_model is PriceModel.FREE
