"""Supplier profiles: the procurement-friendly facts about a supplier, and its track record of past contracts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import Timestamped
from exchange.organisations.models import Organisation


class SupplierProfile(Timestamped, Base):
    """One per supplier organisation ("tell us once")."""

    __tablename__ = "supplier_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    # As the supplier (or an import) gives it: 'micro', 'small', 'medium', 'large' or just 'sme'.
    size: Mapped[str | None] = mapped_column(String(20))
    # Region names as given, including ones outside the 12 UK regions (e.g. "Offsite").
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The supplier's identifier in the file it was imported from, so later runs can refer back to it.
    external_id: Mapped[str | None] = mapped_column(String(100), index=True)

    organisation: Mapped[Organisation] = relationship(lazy="raise")


class PastContract(Base):
    """A contract the supplier has delivered: its track record, and evidence for matching."""

    __tablename__ = "past_contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    buyer_name: Mapped[str] = mapped_column(String(300), default="")
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Whole pounds. 64-bit because national framework contracts can exceed 2^31 pounds, and spend
    # returns record refunds as negative amounts, which are kept as given.
    value: Mapped[int | None] = mapped_column(BigInteger)
    awarded_on: Mapped[date | None] = mapped_column(Date)

    organisation: Mapped[Organisation] = relationship(lazy="raise")
