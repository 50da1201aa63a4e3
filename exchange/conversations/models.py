"""Public conversations: questions on pitches, offers and case studies (answered in public by their owners),
discussions on needs at early market engagement, and closed groups where only the verified public sector
reads and writes."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.accounts.models import User
from exchange.core.database import Base
from exchange.core.models import Timestamped, UtcDateTime, enum_column, utcnow


class SubjectKind(enum.StrEnum):
    PITCH = "pitch"
    OFFER = "offer"
    NEED = "need"
    CASE_STUDY = "case_study"
    GROUP = "group"


class PostStatus(enum.StrEnum):
    VISIBLE = "visible"
    # A first post by a new, unverified account: shown to its author and the moderators only.
    PENDING = "pending"
    HIDDEN = "hidden"


class Post(Timestamped, Base):
    """A question or a contribution to a discussion (no parent), or an answer or reply to one."""

    __tablename__ = "posts"
    __table_args__ = (Index("ix_posts_subject", "subject_kind", "subject_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_kind: Mapped[SubjectKind] = enum_column(SubjectKind)
    subject_id: Mapped[int] = mapped_column()
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Set when the author speaks for the organisation that owns the subject: its official answer.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[PostStatus] = enum_column(PostStatus, default=PostStatus.VISIBLE, index=True)
    hidden_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="raise")


class PostSupport(Base):
    """ "I have this question too": one per person per question."""

    __tablename__ = "post_supports"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Group(Timestamped, Base):
    """A closed space: only verified council and public-body members can read or write in it."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class GroupFacilitator(Base):
    __tablename__ = "group_facilitators"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    user: Mapped[User] = relationship(lazy="raise")


class MembershipStatus(enum.StrEnum):
    # A facilitator asked the officer in; the officer has not accepted yet.
    INVITED = "invited"
    # The officer asked to join; a facilitator has not answered yet.
    REQUESTED = "requested"
    MEMBER = "member"


class GroupMembership(Base):
    """Who belongs to a closed group, or has been invited or asked to: one row per person and group.

    A declined request or invitation is deleted (the audit trail keeps it), so the person may ask again later.
    Facilitators and administrators read a group without a row.
    """

    __tablename__ = "group_memberships"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[MembershipStatus] = enum_column(MembershipStatus)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")
