"""A case study: what a council did, with which supplier, what came of it, and how another council can repeat it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ColumnElement, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import Timestamped, UtcDateTime, enum_column, utcnow
from exchange.organisations.models import Organisation
from exchange.reference.models import Category, Region


class CaseStudyStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return "Published" if self is CaseStudyStatus.PUBLISHED else "Draft"


class CaseStudy(Timestamped, Base):
    __tablename__ = "case_studies"
    __table_args__ = (Index("ix_case_studies_status_published", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The council that writes it up; its members edit it.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    supplier_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id", ondelete="SET NULL"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("need_outcomes.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400))
    problem: Mapped[str] = mapped_column(Text)
    what_we_used: Mapped[str] = mapped_column(Text, default="")
    # Published pitches and offers of the supplier that the council used.
    pitch_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    offer_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Whole pounds and whole weeks, so that listings can compare them; the notes say what they cover.
    cost: Mapped[int | None] = mapped_column(Integer)
    duration_weeks: Mapped[int | None] = mapped_column(Integer)
    cost_and_time: Mapped[str] = mapped_column(Text, default="")
    outcomes: Mapped[str] = mapped_column(Text)
    # Headline figures, one short line each ("1,380 responses, up from 412").
    key_figures: Mapped[list[str]] = mapped_column(JSON, default=list)
    went_wrong: Mapped[str] = mapped_column(Text, default="")
    # How to replicate it: the steps one per line, then what must be in place and whom to ask.
    steps: Mapped[list[str]] = mapped_column(JSON, default=list)
    prerequisites: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    status: Mapped[CaseStudyStatus] = enum_column(CaseStudyStatus, default=CaseStudyStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set by moderation: a hidden case study is shown only to its council's members and administrators.
    hidden_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    hidden_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id], lazy="raise")
    supplier: Mapped[Organisation | None] = relationship(foreign_keys=[supplier_organisation_id], lazy="raise")
    category: Mapped[Category | None] = relationship(lazy="raise")
    region: Mapped[Region | None] = relationship(lazy="raise")

    @property
    def is_published(self) -> bool:
        return self.status is CaseStudyStatus.PUBLISHED

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


def listed() -> ColumnElement[bool]:
    """What lists and matching show everyone: published and not hidden (drafts stay with their council)."""
    return (CaseStudy.status == CaseStudyStatus.PUBLISHED) & CaseStudy.hidden_at.is_(None)


class CaseStudyInterest(Base):
    """An organisation saying "we want to try this": once per organisation, withdrawn by deleting it."""

    __tablename__ = "case_study_interests"
    __table_args__ = (UniqueConstraint("case_study_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_study_id: Mapped[int] = mapped_column(ForeignKey("case_studies.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="raise")


class CaseStudyTerm(Base):
    """The words of a case study, for search that works the same on SQLite and PostgreSQL.

    Terms are matching's stems (exchange.core.terms); a search word finds every term it begins, by a range
    on the ``term`` index, and ``weight`` ranks: a word in the title counts more than one in the body.
    """

    __tablename__ = "case_study_terms"
    __table_args__ = (Index("ix_case_study_terms_term", "term", "case_study_id"),)

    case_study_id: Mapped[int] = mapped_column(
        ForeignKey("case_studies.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    term: Mapped[str] = mapped_column(String(40), primary_key=True)
    weight: Mapped[int] = mapped_column(Integer)
