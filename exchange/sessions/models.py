"""A matchmaking session: its time slots and tables, who registered, whom they want to meet, the meetings
the schedule holds, and what came of each meeting."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import Timestamped, UtcDateTime, enum_column
from exchange.organisations.models import Organisation


def new_calendar_key() -> str:
    return secrets.token_urlsafe(32)


class SessionStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    PROVISIONAL = "provisional"
    FINAL = "final"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    SessionStatus.DRAFT: "Draft",
    SessionStatus.OPEN: "Open for registration",
    SessionStatus.PROVISIONAL: "Provisional agenda published",
    SessionStatus.FINAL: "Final agenda published",
    SessionStatus.CANCELLED: "Cancelled",
}


class Side(enum.StrEnum):
    """Which side of the table: a meeting pairs one council-side participant with one supplier-side one."""

    COUNCIL = "council"
    SUPPLIER = "supplier"


class WishLevel(enum.StrEnum):
    MUST = "must"
    LIKE = "like"
    NO = "no"

    @property
    def label(self) -> str:
        return WISH_LABELS[self]


WISH_LABELS = {WishLevel.MUST: "Must meet", WishLevel.LIKE: "Would like to meet", WishLevel.NO: "No thanks"}


class FollowUpKind(enum.StrEnum):
    SEND_PROPOSAL = "send_proposal"
    ARRANGE_DEMO = "arrange_demo"
    KEEP_IN_TOUCH = "keep_in_touch"
    NOT_A_FIT = "not_a_fit"

    @property
    def label(self) -> str:
        return FOLLOW_UP_LABELS[self]


FOLLOW_UP_LABELS = {
    FollowUpKind.SEND_PROPOSAL: "Send a proposal",
    FollowUpKind.ARRANGE_DEMO: "Arrange a demo",
    FollowUpKind.KEEP_IN_TOUCH: "Keep in touch",
    FollowUpKind.NOT_A_FIT: "Not a fit",
}


class MatchmakingSession(Timestamped, Base):
    __tablename__ = "matchmaking_sessions"
    __table_args__ = (
        CheckConstraint("tables >= 1", name="tables"),
        CheckConstraint("max_meetings >= 1", name="max_meetings"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The organising organisation: its members run the session.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    held_on: Mapped[date] = mapped_column(Date)
    # The grid as the organiser gave it, and the slots it makes: [{"start": "09:30", "end": "09:50"}, ...].
    grid: Mapped[dict[str, Any]] = mapped_column(JSON)
    slots: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    tables: Mapped[int] = mapped_column(Integer)
    max_meetings: Mapped[int] = mapped_column(Integer)
    # Organisation kinds that may register (values of OrganisationKind).
    open_to: Mapped[list[str]] = mapped_column(JSON)
    exclusive_organisations: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    registration_closes_at: Mapped[datetime] = mapped_column(UtcDateTime())
    preferences_close_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[SessionStatus] = enum_column(SessionStatus, default=SessionStatus.DRAFT, index=True)
    # Figures of the last generated schedule (value, bound, gap...), shown beside the timetable.
    schedule_figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The status a cancelled session had before: restoring it (until its day) puts it back there.
    cancelled_from: Mapped[str | None] = mapped_column(String(20))
    # Calendar events' identity: meeting UIDs derive from it, so that they hold across regenerations and say
    # nothing about row numbers.
    calendar_key: Mapped[str] = mapped_column(String(64), default=new_calendar_key, server_default="")
    # Raised whenever an agenda, the day or the status changes, and written as every event's SEQUENCE: calendar
    # programs keep the event with the highest one, so the newest file always wins.
    calendar_sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # What registering organisations are asked (see ``questions``): [{"key", "text", "kind", "choices",
    # "required"}, ...]; None: nothing.
    questions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # Registrations wait for the organiser's approval before they count.
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The organiser's names for tables, by table number: {"1": "Room A, table 1"}; unnamed ones are "Table N".
    table_names: Mapped[dict[str, str] | None] = mapped_column(JSON)

    organisation: Mapped[Organisation] = relationship(lazy="raise")

    def table_name(self, number: int) -> str:
        return (self.table_names or {}).get(str(number)) or f"Table {number}"

    @property
    def slot_labels(self) -> list[str]:
        return [slot["start"] for slot in self.slots]


class Approval(enum.StrEnum):
    """Where a registration stands when the organiser approves registrations: only approved ones take part."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return APPROVAL_LABELS[self]


APPROVAL_LABELS = {
    Approval.PENDING: "Waiting for approval",
    Approval.APPROVED: "Approved",
    Approval.DECLINED: "Declined",
}


class SessionParticipant(Timestamped, Base):
    """An organisation (or one team of it) taking part: its members share one calendar."""

    __tablename__ = "session_participants"
    __table_args__ = (
        UniqueConstraint("session_id", "organisation_id", "team"),
        Index("uq_session_participants_calendar_token", "calendar_token", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    registered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # Empty for an organisation's only team; a name for each when a company sends several.
    team: Mapped[str] = mapped_column(String(100), default="", server_default="")
    attendees: Mapped[str] = mapped_column(String(400), default="", server_default="")
    side: Mapped[Side] = enum_column(Side)
    # Slot indexes this participant can meet in; None: every slot.
    available: Mapped[list[int] | None] = mapped_column(JSON)
    max_meetings: Mapped[int] = mapped_column(Integer)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    no_show: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The secret in the address of this participant's calendar feed: whoever holds it reads the agenda.
    calendar_token: Mapped[str] = mapped_column(String(64), default=new_calendar_key, server_default="")
    # Meetings taken off this participant's published agenda, still shown cancelled in its calendar (see
    # ``dropped``): [{"with": other participant id, "slot": slot index}, ...].
    calendar_dropped: Mapped[list[dict[str, int]] | None] = mapped_column(JSON)
    approval: Mapped[Approval] = enum_column(Approval, default=Approval.APPROVED, server_default="approved")
    decline_reason: Mapped[str] = mapped_column(String(400), default="", server_default="")
    # Answers to the session's registration questions, by question key.
    answers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # When the agenda reminder before the first meeting went: it goes once.
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    organisation: Mapped[Organisation] = relationship(lazy="raise")

    @property
    def name(self) -> str:
        return f"{self.organisation.name} ({self.team})" if self.team else self.organisation.name


class SessionPreference(Timestamped, Base):
    __tablename__ = "session_preferences"
    __table_args__ = (UniqueConstraint("participant_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("session_participants.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("session_participants.id", ondelete="CASCADE"))
    level: Mapped[WishLevel] = enum_column(WishLevel)


class SessionMeeting(Timestamped, Base):
    __tablename__ = "session_meetings"
    __table_args__ = (
        # A table holds one meeting per slot; cancelled meetings stay on record but free their table.
        Index(
            "uq_session_meetings_place",
            "session_id",
            "slot",
            "table_number",
            unique=True,
            sqlite_where=text("cancelled_at IS NULL"),
            postgresql_where=text("cancelled_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("session_participants.id", ondelete="CASCADE"))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("session_participants.id", ondelete="CASCADE"))
    # Index into the session's slots; tables count from 1.
    slot: Mapped[int] = mapped_column(Integer)
    table_number: Mapped[int] = mapped_column(Integer)
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    value: Mapped[float] = mapped_column(Float, default=0.0)
    # Why the pair meets, in words anyone at the meeting may read: never a need's title or words.
    reason: Mapped[str] = mapped_column(String(400), default="")
    # A meeting the exchange suggested from one of the council's needs: which need, and the match's words
    # (taken from the need, so private to whoever may see it). Read them through ``need_names`` only, which names
    # a need that is gone as it names one the reader may not see: so no foreign key is needed, and none would let
    # SQLite add the column without rebuilding the table (whose cascades would delete the follow-ups).
    need_id: Mapped[int | None] = mapped_column(Integer)
    need_detail: Mapped[str] = mapped_column(String(400), default="", server_default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("session_participants.id", ondelete="SET NULL"))
    # Where to join this meeting online; empty: the session's own link, if any.
    video_link: Mapped[str] = mapped_column(String(500), default="", server_default="")

    council: Mapped[SessionParticipant] = relationship(foreign_keys=[council_id], lazy="raise")
    supplier: Mapped[SessionParticipant] = relationship(foreign_keys=[supplier_id], lazy="raise")


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        return REQUEST_LABELS[self]


REQUEST_LABELS = {
    RequestStatus.PENDING: "Waiting for an answer",
    RequestStatus.ACCEPTED: "Accepted",
    RequestStatus.DECLINED: "Declined",
}


class MeetingRequest(Timestamped, Base):
    """One participant asking one on the other side for a meeting; once accepted, both must meet."""

    __tablename__ = "session_meeting_requests"
    __table_args__ = (UniqueConstraint("requester_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_sessions.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("session_participants.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("session_participants.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(String(500), default="", server_default="")
    status: Mapped[RequestStatus] = enum_column(RequestStatus, default=RequestStatus.PENDING)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    requester: Mapped[SessionParticipant] = relationship(foreign_keys=[requester_id], lazy="raise")
    target: Mapped[SessionParticipant] = relationship(foreign_keys=[target_id], lazy="raise")


class MeetingFollowUp(Timestamped, Base):
    """What one side of a meeting means to do next; one per side of each meeting."""

    __tablename__ = "meeting_follow_ups"
    __table_args__ = (UniqueConstraint("meeting_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("session_meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("session_participants.id", ondelete="CASCADE"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[FollowUpKind] = enum_column(FollowUpKind)
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")


class MeetingFeedback(Timestamped, Base):
    """How useful one side found a meeting, for the organiser only: the other side never reads it."""

    __tablename__ = "meeting_feedback"
    __table_args__ = (
        UniqueConstraint("meeting_id", "participant_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("session_meetings.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("session_participants.id", ondelete="CASCADE"))
    given_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # 5 "Very useful" down to 1 "Not useful" (see ``feedback.RATINGS``).
    rating: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="", server_default="")


class RunStage(enum.StrEnum):
    QUEUED = "queued"
    PLANNING = "planning"
    SOLVING = "solving"
    SAVING = "saving"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return RUN_STAGE_LABELS[self]


RUN_STAGE_LABELS = {
    RunStage.QUEUED: "Waiting for a worker",
    RunStage.PLANNING: "Reading the registrations and requests",
    RunStage.SOLVING: "Finding the best schedule",
    RunStage.SAVING: "Saving the meetings and telling participants",
    RunStage.DONE: "Done",
    RunStage.FAILED: "Could not be made",
}


class ScheduleRun(Timestamped, Base):
    """One request to make a session's schedule, solved by a background job; at most one unfinished per session,
    so that a second click joins the run under way instead of starting another solve."""

    __tablename__ = "schedule_runs"
    __table_args__ = (
        Index(
            "uq_schedule_runs_one_unfinished",
            "session_id",
            unique=True,
            sqlite_where=text("finished_at IS NULL"),
            postgresql_where=text("finished_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("matchmaking_sessions.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    keep_all: Mapped[bool] = mapped_column(Boolean, default=False)
    stage: Mapped[RunStage] = enum_column(RunStage, default=RunStage.QUEUED)
    solve_seconds: Mapped[float] = mapped_column(Float)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    solving_since: Mapped[datetime | None] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Why it could not be made, in the organiser's words (a rule the locked meetings break, a change meanwhile).
    error: Mapped[str | None] = mapped_column(Text)
