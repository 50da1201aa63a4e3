"""After a meeting, each side says how useful it was (1 to 5) with an optional note, for the organiser.

Only the two sides of a meeting may give it (to anyone else the meeting does not exist), once the meeting's
time is over and until 14 days after the session's day; each side may change its answer until then. What one
side said is never shown to the other side: the organiser reads it, and reads it in aggregate (``reporting``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated

from pydantic import BeforeValidator, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core.errors import Conflict, NotFound
from exchange.core.forms import FormSchema
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.proposals.schemas import browser_text
from exchange.sessions import agenda, service
from exchange.sessions.models import (
    MatchmakingSession,
    MeetingFeedback,
    SessionMeeting,
    SessionParticipant,
    SessionStatus,
)
from exchange.sessions.slots import LONDON, end_of_day, moment

# The radios, most useful first, as the form shows them.
RATINGS = {5: "Very useful", 4: "Useful", 3: "Somewhat useful", 2: "Not very useful", 1: "Not useful"}
# How long after the session's day feedback may still be given or changed.
OPEN_DAYS_AFTER = 14
NOTE_LIMIT = 1000
CHOOSE_RATING = "Choose how useful the meeting was, from “Very useful” to “Not useful”"
LABELS = {"rating": "how useful the meeting was", "note": "the note"}


def _rating(value: object) -> int:
    """One of the radios' values, or the message asking for one (anything else a browser could send)."""
    text = str(value).strip() if value is not None else ""
    if text.isdigit() and int(text) in RATINGS:
        return int(text)
    raise ValueError(CHOOSE_RATING)


class FeedbackForm(FormSchema):
    rating: Annotated[int, BeforeValidator(_rating)] = Field(default=None, validate_default=True)
    note: Annotated[str, browser_text(NOTE_LIMIT, "The note")] = ""


def rating_label(rating: int) -> str:
    return RATINGS.get(rating, "")


@dataclass(frozen=True)
class Feedbackable:
    """A meeting as one of its sides sees it when giving feedback: its own answer only."""

    session: MatchmakingSession
    meeting: SessionMeeting
    side: SessionParticipant
    other: SessionParticipant
    start: str
    end: str
    given: MeetingFeedback | None
    # Why feedback cannot be given now, in words; None when it can.
    closed_because: str | None


def meeting_ends_at(session: MatchmakingSession, meeting: SessionMeeting) -> datetime:
    return moment(session.held_on, session.slots[meeting.slot]["end"])


def closes_at(session: MatchmakingSession) -> datetime:
    return end_of_day(session.held_on + timedelta(days=OPEN_DAYS_AFTER))


def _day(when: datetime) -> str:
    return when.astimezone(LONDON).strftime("%-d %B %Y")


def closed_because(session: MatchmakingSession, meeting: SessionMeeting, now: datetime) -> str | None:
    if session.status is SessionStatus.CANCELLED:
        return "This session was cancelled: there is no meeting to give feedback on."
    if meeting.cancelled_at is not None:
        return "This meeting was cancelled: there is nothing to give feedback on."
    ends = meeting_ends_at(session, meeting)
    if now < ends:
        return f"You can give feedback once the meeting is over: from {ends.strftime('%H:%M')} on {_day(ends)}."
    if now >= closes_at(session):
        last = closes_at(session) - timedelta(days=1)
        return f"Feedback closed at the end of {_day(last)}, {OPEN_DAYS_AFTER} days after the session."
    return None


def _own_side(
    db: Session, viewer: Viewer, session: MatchmakingSession, meeting_id: int
) -> tuple[SessionMeeting, int, int]:
    """The meeting, the viewer's side of it and the other side; a meeting the viewer is not at does not exist."""
    if not agenda.visible_to_participants(session) and session.status is not SessionStatus.CANCELLED:
        raise NotFound("meeting")
    own = {p.id for p in service.own_participants(db, viewer, session.id)}
    meeting = db.get(SessionMeeting, meeting_id)
    if meeting is None or meeting.session_id != session.id or not ({meeting.council_id, meeting.supplier_id} & own):
        raise NotFound("meeting")
    side = meeting.council_id if meeting.council_id in own else meeting.supplier_id
    other = meeting.supplier_id if side == meeting.council_id else meeting.council_id
    return meeting, side, other


def for_side(
    db: Session, viewer: Viewer, session_id: int, meeting_id: int, now: datetime | None = None
) -> Feedbackable:
    """The meeting as the viewer's side gives feedback on it: its own answer, and whether it may answer now."""
    session = service.get(db, viewer, session_id)
    meeting, side, other = _own_side(db, viewer, session, meeting_id)
    people = {p.id: p for p in service.participants(db, session.id, withdrawn=True)}
    given = db.scalar(
        select(MeetingFeedback).where(MeetingFeedback.meeting_id == meeting.id, MeetingFeedback.participant_id == side)
    )
    slot = session.slots[meeting.slot]
    return Feedbackable(
        session,
        meeting,
        people[side],
        people[other],
        slot["start"],
        slot["end"],
        given,
        closed_because(session, meeting, now or utcnow()),
    )


def give(
    db: Session, viewer: Viewer, session_id: int, meeting_id: int, form: FeedbackForm, now: datetime | None = None
) -> MeetingFeedback:
    """Record the viewer's side's feedback on the meeting, or change the answer it gave."""
    found = for_side(db, viewer, session_id, meeting_id, now)
    if found.closed_because is not None:
        raise Conflict(found.closed_because)
    assert viewer.user_id is not None
    feedback = found.given
    if feedback is None:
        feedback = MeetingFeedback(
            meeting_id=found.meeting.id, participant_id=found.side.id, given_by_id=viewer.user_id
        )
        db.add(feedback)
    feedback.rating = form.rating
    feedback.note = form.note
    feedback.given_by_id = viewer.user_id
    db.flush()
    audit.record(
        db,
        viewer.user_id,
        "session.feedback",
        "session",
        found.session.id,
        meeting=found.meeting.id,
        rating=form.rating,
    )
    return feedback


def open_for(session: MatchmakingSession, meetings: list[SessionMeeting], now: datetime | None = None) -> set[int]:
    """Which of these meetings take feedback now (for links on an agenda)."""
    now = now or utcnow()
    return {m.id for m in meetings if closed_because(session, m, now) is None}


def of_session(db: Session, session_id: int) -> list[MeetingFeedback]:
    query = (
        select(MeetingFeedback)
        .join(SessionMeeting, SessionMeeting.id == MeetingFeedback.meeting_id)
        .where(SessionMeeting.session_id == session_id)
        .order_by(MeetingFeedback.id)
    )
    return list(db.scalars(query))


def given_by(db: Session, participant_ids: set[int]) -> dict[tuple[int, int], MeetingFeedback]:
    """(meeting, participant) -> the feedback that side gave: a side's own answers only."""
    if not participant_ids:
        return {}
    query = select(MeetingFeedback).where(MeetingFeedback.participant_id.in_(participant_ids))
    return {(f.meeting_id, f.participant_id): f for f in db.scalars(query)}
