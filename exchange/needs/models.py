"""A council's need: a problem to solve, with its stage, budget and who may see it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ColumnElement, ForeignKey, Integer, String, Text, false
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import Timestamped, UtcDateTime, enum_column, utcnow
from exchange.organisations.models import Organisation
from exchange.reference.models import Category, Region


class NeedStage(enum.StrEnum):
    IDEA = "idea"
    EARLY_MARKET_ENGAGEMENT = "early_market_engagement"
    OPEN_FOR_PROPOSALS = "open_for_proposals"
    CLOSED = "closed"
    AWARDED = "awarded"
    NO_SUITABLE_SUPPLIER = "no_suitable_supplier"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return NEED_STAGE_LABELS[self]

    @property
    def is_final(self) -> bool:
        return self in FINAL_STAGES


NEED_STAGE_LABELS = {
    NeedStage.IDEA: "Idea",
    NeedStage.EARLY_MARKET_ENGAGEMENT: "Early market engagement",
    NeedStage.OPEN_FOR_PROPOSALS: "Open for proposals",
    NeedStage.CLOSED: "Closed",
    NeedStage.AWARDED: "Awarded",
    NeedStage.NO_SUITABLE_SUPPLIER: "No suitable supplier",
    NeedStage.CANCELLED: "Cancelled",
}

FINAL_STAGES = frozenset({NeedStage.AWARDED, NeedStage.NO_SUITABLE_SUPPLIER, NeedStage.CANCELLED})


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    PUBLIC_SECTOR = "public_sector"
    ORGANISATION = "organisation"

    @property
    def label(self) -> str:
        return VISIBILITY_LABELS[self]


VISIBILITY_LABELS = {
    Visibility.PUBLIC: "Everyone",
    Visibility.PUBLIC_SECTOR: "Verified public sector only",
    Visibility.ORGANISATION: "Our organisation only",
}


class Need(Timestamped, Base):
    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400))
    problem_statement: Mapped[str] = mapped_column(Text)
    users: Mapped[str] = mapped_column(Text, default="")
    tried_so_far: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[NeedStage] = enum_column(NeedStage, default=NeedStage.IDEA, index=True)
    visibility: Mapped[Visibility] = enum_column(Visibility, default=Visibility.PUBLIC)
    # Whole pounds.
    budget_min: Mapped[int | None] = mapped_column(Integer)
    budget_max: Mapped[int | None] = mapped_column(Integer)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Hard requirements for matching: certification keys a supplier must hold (see matching.core), and
    # whether the supplier must work in the need's region. Suppliers failing them are never ranked in.
    required_certifications: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    region_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Who the council says the work suits ("sme", "vcse"), shown to suppliers deciding whether to bid; empty
    # when it does not say.
    suitable_for: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # Set by a moderator (who did it is in the audit log): hidden from everyone but the council's members and
    # the administrators; the members see why.
    hidden_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    hidden_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # None while the need is a draft that only its council sees (needs.service.create makes one from the form);
    # set when the council publishes it. Needs made any other way (imports, demo data) are published as made.
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), default=utcnow, index=True)

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    category: Mapped[Category | None] = relationship(lazy="raise")
    region: Mapped[Region | None] = relationship(lazy="raise")

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    @hybrid_property
    def open_to_everyone(self) -> bool:
        """Anyone may see it, signed in or not: published, public and not hidden by a moderator (feeds, exports,
        trends, alerts). In a query, ``Need.open_to_everyone`` is the same condition in SQL."""
        return self.published_at is not None and self.visibility is Visibility.PUBLIC and self.hidden_at is None

    @open_to_everyone.inplace.expression
    @classmethod
    def _open_to_everyone_condition(cls) -> ColumnElement[bool]:
        return cls.published_at.is_not(None) & (cls.visibility == Visibility.PUBLIC) & cls.hidden_at.is_(None)
