"""User accounts, their memberships of organisations, and the record of sign-in attempts used for throttling."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Protocol

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import Timestamped, UtcDateTime, enum_column, utcnow


class MembersOrganisation(Protocol):
    """What accounts reads of a member's organisation (the model is organisations.models.Organisation, which
    imports this module: accounts names it only by its mapped name, so the two never import each other)."""

    id: int
    name: str
    verified: bool

    @property
    def is_public_sector(self) -> bool: ...


class MemberRole(enum.StrEnum):
    MEMBER = "member"
    ADMIN = "admin"


class MemberStatus(enum.StrEnum):
    PENDING = "pending"
    ACTIVE = "active"


class User(Timestamped, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    email_verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped on password change or reset: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # A suspended account cannot sign in, and its sessions end (see moderation).
    suspended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    suspended_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")

    memberships: Mapped[list[Member]] = relationship(back_populates="user", lazy="raise")

    @property
    def email_domain(self) -> str:
        return self.email.rsplit("@", 1)[-1].lower()

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None


class UserSession(Base):
    """One signed-in browser. The cookie holds a random token; only its hash is stored, and deleting the row
    ends that session at once (sign-out, password change, suspension, or the user ending it elsewhere)."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # What the user sees on their list of sessions, to tell their browsers apart.
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ip_address: Mapped[str] = mapped_column(String(64), default="")


class SignInAttempt(Base):
    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    ip_address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class Member(Timestamped, Base):
    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = enum_column(MemberRole, default=MemberRole.MEMBER)
    status: Mapped[MemberStatus] = enum_column(MemberStatus, default=MemberStatus.ACTIVE)

    user: Mapped[User] = relationship(back_populates="memberships", lazy="raise")
    organisation: Mapped[MembersOrganisation] = relationship("Organisation", back_populates="members", lazy="raise")
