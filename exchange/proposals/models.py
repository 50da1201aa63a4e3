"""What a need asks of those who respond (requirements, weighted criteria, dates), the clarification questions
asked about it, and the proposals suppliers send.

Requirements and criteria are rows keyed by the need, in the order the council gave them, so that each
proposal answer can point at the requirement it answers.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import Timestamped, UtcDateTime, enum_column
from exchange.organisations.models import Organisation


class RequirementKind(enum.StrEnum):
    ESSENTIAL = "essential"
    NICE_TO_HAVE = "nice_to_have"

    @property
    def label(self) -> str:
        return "Essential requirement" if self is RequirementKind.ESSENTIAL else "Nice-to-have"


class ProposalStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return PROPOSAL_STATUS_LABELS[self]


PROPOSAL_STATUS_LABELS = {
    ProposalStatus.DRAFT: "Draft",
    ProposalStatus.SUBMITTED: "Submitted",
    ProposalStatus.WITHDRAWN: "Withdrawn",
}


class NeedProcurement(Timestamped, Base):
    """How a need takes proposals: when they open and close, the question deadline, and the shortlist size."""

    __tablename__ = "need_procurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), unique=True)
    shortlist_size: Mapped[int | None] = mapped_column(Integer)
    # Whole days in UK time: proposals are taken from the start of opens_on to the end of closes_on.
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    questions_close_on: Mapped[date | None] = mapped_column(Date)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Proposals stay sealed to the council until they are opened: once, after closes_on, or when the council
    # closed proposals early (with its reason). Who did each is in the audit log.
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_early_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_early_reason: Mapped[str] = mapped_column(String(500), default="", server_default="")


class Requirement(Base):
    __tablename__ = "need_requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RequirementKind] = enum_column(RequirementKind)
    # From 1 within its kind: "essential requirement 2" is how councils and suppliers refer to it.
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))

    @property
    def title(self) -> str:
        return f"{self.kind.label} {self.position}"


class EvaluationCriterion(Base):
    __tablename__ = "evaluation_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    # A whole percentage; a need's weights add up to 100.
    weight: Mapped[int] = mapped_column(Integer)


class Clarification(Timestamped, Base):
    """A question about a need. Published with its answer for everyone, never with who asked."""

    __tablename__ = "clarifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    # Kept so that the asker sees their own question before it is answered and is told of the answer.
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The council may reword a question (to take out who asked, say) and correct a published answer. A
    # correction is shown as one, beside the answer it replaced; each change is audited.
    question_edited_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    corrected_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    earlier_answer: Mapped[str | None] = mapped_column(Text)

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def corrected(self) -> bool:
        return self.corrected_at is not None


class Proposal(Timestamped, Base):
    """A supplier organisation's response to a need: one per organisation and need."""

    __tablename__ = "proposals"
    __table_args__ = (UniqueConstraint("need_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique constraint (need_id, organisation_id) also serves lookups by need.
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    status: Mapped[ProposalStatus] = enum_column(ProposalStatus, default=ProposalStatus.DRAFT)
    # Whole pounds.
    price: Mapped[int | None] = mapped_column(Integer)
    price_note: Mapped[str] = mapped_column(String(300), default="")
    approach: Mapped[str] = mapped_column(Text, default="")
    attach_profile: Mapped[bool] = mapped_column(Boolean, default=False)
    # The supplier profile's completeness (per cent) when the proposal was submitted with it attached.
    profile_completeness: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    answers: Mapped[list[ProposalAnswer]] = relationship(
        lazy="raise", cascade="all, delete-orphan", back_populates="proposal"
    )


class ProposalAnswer(Base):
    """A proposal's answer to one requirement: whether the supplier meets it, and its evidence."""

    __tablename__ = "proposal_answers"
    __table_args__ = (UniqueConstraint("proposal_id", "requirement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    requirement_id: Mapped[int] = mapped_column(ForeignKey("need_requirements.id", ondelete="CASCADE"), index=True)
    # None until the supplier has said.
    meets: Mapped[bool | None] = mapped_column(Boolean)
    evidence: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship(back_populates="answers", lazy="raise")


class ProposalInvitation(Timestamped, Base):
    """A council's invitation to one supplier to respond to one of its needs: sent once, told once.

    Unlike the shortlist (private to the council), an invitation is what the supplier is told about.
    """

    __tablename__ = "proposal_invitations"
    __table_args__ = (UniqueConstraint("need_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unique constraint (need_id, organisation_id) also serves lookups by need.
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(lazy="raise")
