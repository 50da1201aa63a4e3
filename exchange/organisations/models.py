"""Organisations (councils, public bodies, suppliers, VCSEs), their members and council email domains."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import Timestamped, enum_column
from exchange.reference.models import Region

if TYPE_CHECKING:
    from exchange.accounts.models import User


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


class MemberRole(enum.StrEnum):
    MEMBER = "member"
    ADMIN = "admin"


class MemberStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"


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


class Member(Timestamped, Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = enum_column(MemberRole, default=MemberRole.MEMBER)
    status: Mapped[MemberStatus] = enum_column(MemberStatus, default=MemberStatus.ACTIVE)

    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")
    organisation: Mapped[Organisation] = relationship(back_populates="members", lazy="raise")


class CouncilEmailDomain(Base):
    """An email domain whose verified owners may join the council (the buyer allow-list)."""

    __tablename__ = "council_email_domains"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(200), unique=True)

    organisation: Mapped[Organisation] = relationship(back_populates="email_domains", lazy="raise")
