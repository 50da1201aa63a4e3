"""Organisations (councils, public bodies, suppliers, VCSEs) and council email domains (members are accounts')."""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.accounts.models import Member
from exchange.core.database import Base
from exchange.core.models import Timestamped, enum_column
from exchange.reference.models import Region


class OrganisationKind(enum.StrEnum):
    COUNCIL = "council"
    PUBLIC_BODY = "public_body"
    SUPPLIER = "supplier"
    VCSE = "vcse"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ORGANISATION_KIND_LABELS[self]

    @property
    def is_public_sector(self) -> bool:
        return self in (OrganisationKind.COUNCIL, OrganisationKind.PUBLIC_BODY)


ORGANISATION_KIND_LABELS = {
    OrganisationKind.COUNCIL: "Council",
    OrganisationKind.PUBLIC_BODY: "Public body",
    OrganisationKind.SUPPLIER: "Supplier",
    OrganisationKind.VCSE: "Voluntary, community or social enterprise",
    OrganisationKind.OTHER: "Other group",
}


# Organisations that sell or give: the side of the exchange that needs are matched with.
SUPPLIER_SIDE = frozenset({OrganisationKind.SUPPLIER, OrganisationKind.VCSE, OrganisationKind.OTHER})


class Organisation(Timestamped, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrganisationKind] = enum_column(OrganisationKind, index=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220), unique=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    local_authority_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    gss_code: Mapped[str | None] = mapped_column(String(12))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)

    region: Mapped[Region | None] = relationship(lazy="raise")
    members: Mapped[list[Member]] = relationship(back_populates="organisation", lazy="raise")
    email_domains: Mapped[list[CouncilEmailDomain]] = relationship(
        back_populates="organisation", lazy="raise", cascade="all, delete-orphan"
    )

    @property
    def is_public_sector(self) -> bool:
        return self.kind.is_public_sector


class CouncilEmailDomain(Base):
    """An email domain whose verified owners may join the council (the buyer allow-list)."""

    __tablename__ = "council_email_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(200), unique=True)

    organisation: Mapped[Organisation] = relationship(back_populates="email_domains", lazy="raise")
