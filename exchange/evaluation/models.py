"""Evaluation of a need's shortlisted proposals, and the need's outcome: all private to the need's council
until the outcome is recorded, when each supplier may read its own agreed scores and feedback.

Each evaluator's score is a row of its own, unique on (proposal, criterion, evaluator), so that colleagues
saving at the same moment never overwrite each other. Moderation then records one agreed score per
proposal and criterion.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.accounts.models import User
from exchange.core.database import Base
from exchange.core.models import Timestamped, UtcDateTime, enum_column, utcnow
from exchange.organisations.models import Organisation

SCORE_RANGE = "score >= 0 AND score <= 100"


class EvaluationScore(Timestamped, Base):
    """One evaluator's score of one proposal against one criterion, with the reason for it."""

    __tablename__ = "evaluation_scores"
    __table_args__ = (
        UniqueConstraint("proposal_id", "criterion_id", "evaluator_id"),
        CheckConstraint(SCORE_RANGE, name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique constraint (proposal_id, criterion_id, evaluator_id) also serves lookups by proposal.
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("evaluation_criteria.id", ondelete="CASCADE"), index=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    justification: Mapped[str] = mapped_column(Text)

    evaluator: Mapped[User] = relationship(lazy="raise")


class PanelMember(Base):
    """An officer of the need's council assigned to its evaluation, as an evaluator, its moderator or both, and
    their declaration of interests: nobody on the panel reads a proposal before declaring, and a declared
    conflict takes them off the evaluation."""

    __tablename__ = "evaluation_panel_members"
    __table_args__ = (
        UniqueConstraint("need_id", "user_id"),
        # One moderator per need, whatever two assigners do at the same moment.
        Index(
            "uq_evaluation_panel_members_moderator",
            "need_id",
            unique=True,
            sqlite_where=text("is_moderator"),
            postgresql_where=text("is_moderator"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_evaluator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_moderator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Until declared: None. Then whether they have a conflict of interest with the suppliers, and what it is.
    declared_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    has_conflict: Mapped[bool | None] = mapped_column(Boolean)
    conflict_description: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User] = relationship(lazy="raise", foreign_keys=[user_id])

    @property
    def declared(self) -> bool:
        return self.declared_at is not None

    @property
    def cleared(self) -> bool:
        """Declared no conflict of interest: may read the proposals and take their part."""
        return self.declared_at is not None and self.has_conflict is False


class Moderation(Base):
    """When a need's moderation started: individual scores are fixed from then on, and shown to the council."""

    __tablename__ = "moderations"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AgreedScore(Timestamped, Base):
    """The score the council agreed at moderation for one proposal and criterion, and why."""

    __tablename__ = "agreed_scores"
    __table_args__ = (
        UniqueConstraint("proposal_id", "criterion_id"),
        CheckConstraint(SCORE_RANGE, name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("evaluation_criteria.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ProposalFeedback(Timestamped, Base):
    """What the council tells the supplier about its proposal, written at moderation."""

    __tablename__ = "proposal_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class OutcomeKind(enum.StrEnum):
    # The same values as the need stages they lead to.
    AWARDED = "awarded"
    NO_SUITABLE_SUPPLIER = "no_suitable_supplier"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    OutcomeKind.AWARDED: "Awarded",
    OutcomeKind.NO_SUITABLE_SUPPLIER: "No suitable supplier",
    OutcomeKind.CANCELLED: "Cancelled",
}


class NeedOutcome(Base):
    """What happened to a need: recorded once, by a member of its council."""

    __tablename__ = "need_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[OutcomeKind] = enum_column(OutcomeKind)
    # Awarded only: the supplier, its proposal, the contract's value in whole pounds and its start date.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"))
    value: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation | None] = relationship(lazy="raise")
