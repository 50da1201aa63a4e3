"""What each user has been told, and which kinds of email each user has switched off (or on)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from exchange.core.database import Base
from exchange.core.models import UtcDateTime, utcnow


class NotificationKind(enum.StrEnum):
    CLARIFICATION_ANSWERED = "clarification_answered"
    PROPOSAL_RECEIVED = "proposal_received"
    PROPOSAL_RECEIPT = "proposal_receipt"
    INVITED_TO_RESPOND = "invited_to_respond"
    OUTCOME = "outcome"
    OPPORTUNITY_DIGEST = "opportunity_digest"
    SAVED_SEARCH_DIGEST = "saved_search_digest"
    FOLLOWING_DIGEST = "following_digest"
    SESSION_AGENDA = "session_agenda"
    OPPORTUNITY_ALERT = "opportunity_alert"
    QUESTION_ASKED = "question_asked"
    QUESTION_ANSWERED = "question_answered"
    CONTENT_MODERATED = "content_moderated"
    CASE_STUDY_INTEREST = "case_study_interest"
    ENDORSED = "endorsed"
    NAMED_IN_CASE_STUDY = "named_in_case_study"
    GROUP_MEMBERSHIP = "group_membership"
    EVALUATION_ASSIGNED = "evaluation_assigned"

    @property
    def about(self) -> KindDescription:
        return KIND_DESCRIPTIONS[self]


@dataclass(frozen=True)
class KindDescription:
    label: str
    hint: str
    # Email unless the user says otherwise; the digest is the one people opt into.
    email_by_default: bool = True


KIND_DESCRIPTIONS = {
    NotificationKind.CLARIFICATION_ANSWERED: KindDescription(
        "Answers to clarification questions", "On needs you follow or have responded to."
    ),
    NotificationKind.PROPOSAL_RECEIVED: KindDescription(
        "Proposals received", "When a supplier submits a proposal to one of your council's needs."
    ),
    NotificationKind.PROPOSAL_RECEIPT: KindDescription(
        "Receipts for your proposals",
        "When your organisation submits or withdraws a proposal: what was sent, and when.",
    ),
    # Never about the shortlist: that is the council's private working set, and tells the supplier nothing.
    NotificationKind.INVITED_TO_RESPOND: KindDescription(
        "Invitations to respond", "When a council invites your organisation to send a proposal for one of its needs."
    ),
    NotificationKind.OUTCOME: KindDescription(
        "Outcomes", "When a need you responded to is awarded, closed or cancelled."
    ),
    NotificationKind.OPPORTUNITY_DIGEST: KindDescription(
        "New opportunities (weekly)",
        "A weekly email of new open needs that match your organisation.",
        email_by_default=False,
    ),
    # On by default: saving a search and choosing how often is itself asking for these emails.
    NotificationKind.SAVED_SEARCH_DIGEST: KindDescription(
        "New results for your saved searches",
        "A daily or weekly email, as you chose for each search, of new needs, pitches and offers it finds.",
    ),
    NotificationKind.FOLLOWING_DIGEST: KindDescription(
        "New from what you follow (daily)",
        "New needs, pitches and offers from the organisations and in the categories you follow.",
    ),
    NotificationKind.SESSION_AGENDA: KindDescription(
        "Matchmaking session agendas",
        "When the agenda of a session you registered for is published or changes, or a meeting is cancelled.",
    ),
    NotificationKind.OPPORTUNITY_ALERT: KindDescription(
        "Early alerts of matching needs (Supplier Plus)",
        "As soon as a need that matches your organisation well opens to suppliers.",
    ),
    NotificationKind.QUESTION_ASKED: KindDescription(
        "Public questions to your organisation",
        "When someone asks a question about one of your pitches, offers or case studies.",
    ),
    NotificationKind.QUESTION_ANSWERED: KindDescription(
        "Replies to your questions", "When a question you asked, or said you have too, gets an answer or a reply."
    ),
    NotificationKind.CONTENT_MODERATED: KindDescription(
        "Moderation of what you wrote", "When a moderator approves or hides something you wrote, and why."
    ),
    NotificationKind.CASE_STUDY_INTEREST: KindDescription(
        "Interest in your case studies",
        "When another organisation says it wants to try what a case study about your organisation describes.",
    ),
    NotificationKind.ENDORSED: KindDescription(
        "Endorsements", "When a council endorses your organisation or one of its offers."
    ),
    NotificationKind.NAMED_IN_CASE_STUDY: KindDescription(
        "Case studies about your work", "When a council publishes a case study that names your organisation."
    ),
    NotificationKind.GROUP_MEMBERSHIP: KindDescription(
        "Closed group membership",
        "Invitations to closed groups, answers to your requests to join, and requests you can answer as a facilitator.",
    ),
    NotificationKind.EVALUATION_ASSIGNED: KindDescription(
        "Evaluations you are assigned to",
        "When a colleague asks you to evaluate or moderate the proposals for one of your council's needs.",
    ),
}


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_created", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # A NotificationKind value; a plain string so new kinds need no migration.
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # A path on the exchange ("/needs/12"), never an address elsewhere.
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class NotificationSetting(Base):
    """A user's choice for one kind of email; without a row, the kind's default applies."""

    __tablename__ = "notification_settings"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    email: Mapped[bool] = mapped_column(Boolean)
    # For digests: when the last one was sent, so the next lists only what is new since.
    last_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
