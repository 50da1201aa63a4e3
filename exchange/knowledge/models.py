"""Endorsements by councils, follows of anything on the exchange, and saved searches with their digests."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import UtcDateTime, enum_column, utcnow
from exchange.organisations.models import Organisation


class EndorsedKind(enum.StrEnum):
    ORGANISATION = "organisation"
    OFFER = "offer"


class Endorsement(Base):
    """A verified council vouching for a supplier (or one of its offers) it has worked with; one per item."""

    __tablename__ = "endorsements"
    __table_args__ = (UniqueConstraint("endorser_organisation_id", "item_kind", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    endorser_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    # The supplier vouched for, also for an offer's endorsement: matching counts endorsements per supplier.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    item_kind: Mapped[EndorsedKind] = enum_column(EndorsedKind)
    item_id: Mapped[int] = mapped_column(Integer)
    statement: Mapped[str] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    endorser: Mapped[Organisation] = relationship(foreign_keys=[endorser_organisation_id], lazy="raise")


class FollowKind(enum.StrEnum):
    ORGANISATION = "organisation"
    NEED = "need"
    PITCH = "pitch"
    OFFER = "offer"
    CATEGORY = "category"
    # Case studies are followed the same way once they exist: a (kind, id) pair needs no new column.
    CASE_STUDY = "case_study"


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "target_kind", "target_id"),
        Index("ix_follows_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # A FollowKind value, kept as a plain string so that new kinds of target need no migration.
    target_kind: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Frequency(enum.StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"

    @property
    def label(self) -> str:
        return "Every day" if self is Frequency.DAILY else "Every week"


class SavedSearch(Base):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    # The search page's query string (words and facets), as the page itself writes it.
    query: Mapped[str] = mapped_column(String(2000), default="")
    frequency: Mapped[Frequency] = enum_column(Frequency, default=Frequency.WEEKLY)
    # A secret in the Atom feed's address: feed readers cannot sign in.
    feed_token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
