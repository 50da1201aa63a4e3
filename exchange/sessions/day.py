"""On the day: the organiser checks people in and flags no-shows; after each meeting both sides record
what happens next."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from exchange.audit import service as audit
from exchange.core.errors import Conflict, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.sessions import service
from exchange.sessions.models import MatchmakingSession, MeetingFollowUp, SessionMeeting, SessionParticipant
from exchange.sessions.schemas import FollowUpForm
from exchange.sessions.slots import today_in_london


def _participant(db: Session, viewer: Viewer, session_id: int, participant_id: int) -> SessionParticipant:
    service.get_organised(db, viewer, session_id)
    participant = db.get(SessionParticipant, participant_id, options=[selectinload(SessionParticipant.organisation)])
    if participant is None or participant.session_id != session_id or participant.withdrawn_at is not None:
        raise NotFound("participant")
    return participant


def matching(people: list[SessionParticipant], query: str) -> list[SessionParticipant]:
    """The participants whose name or attendees hold every word searched for (any case)."""
    words = query.lower().split()
    return [p for p in people if all(w in f"{p.name} {p.attendees}".lower() for w in words)]


def set_checked_in(db: Session, viewer: Viewer, session_id: int, participant_id: int, here: bool) -> SessionParticipant:
    participant = _participant(db, viewer, session_id, participant_id)
    participant.checked_in_at = utcnow() if here else None
    if here:
        participant.no_show = False
    action = "session.checked_in" if here else "session.check_in_undone"
    audit.record(db, viewer.user_id, action, "session", session_id, participant=participant.id)
    db.flush()
    return participant


def set_no_show(db: Session, viewer: Viewer, session_id: int, participant_id: int, absent: bool) -> SessionParticipant:
    participant = _participant(db, viewer, session_id, participant_id)
    participant.no_show = absent
    if absent:
        participant.checked_in_at = None
    audit.record(
        db, viewer.user_id, "session.no_show", "session", session_id, participant=participant.id, absent=absent
    )
    db.flush()
    return participant


def follow_ups_open(session: MatchmakingSession) -> bool:
    """From the day of the session, once the agenda is published."""
    return session.status in service.PUBLISHED and session.held_on <= today_in_london()


def follow_ups_of(db: Session, participant_ids: set[int]) -> dict[tuple[int, int], MeetingFollowUp]:
    """(meeting, participant) -> the follow-up that side recorded."""
    if not participant_ids:
        return {}
    query = select(MeetingFollowUp).where(MeetingFollowUp.participant_id.in_(participant_ids))
    return {(f.meeting_id, f.participant_id): f for f in db.scalars(query)}


def record_follow_up(
    db: Session, viewer: Viewer, session_id: int, meeting_id: int, form: FollowUpForm
) -> MeetingFollowUp:
    session = service.get(db, viewer, session_id)
    own = {p.id for p in service.own_participants(db, viewer, session.id)}
    meeting = db.get(SessionMeeting, meeting_id)
    if meeting is None or meeting.session_id != session.id or not ({meeting.council_id, meeting.supplier_id} & own):
        raise NotFound("meeting")
    if not follow_ups_open(session):
        raise Conflict("Follow-ups can be recorded from the day of the session, once its agenda is published.")
    if meeting.cancelled_at is not None:
        raise Conflict("This meeting was cancelled.")
    side = meeting.council_id if meeting.council_id in own else meeting.supplier_id
    follow_up = db.scalar(
        select(MeetingFollowUp).where(MeetingFollowUp.meeting_id == meeting.id, MeetingFollowUp.participant_id == side)
    )
    assert viewer.user_id is not None
    if follow_up is None:
        follow_up = MeetingFollowUp(meeting_id=meeting.id, participant_id=side, recorded_by_id=viewer.user_id)
        db.add(follow_up)
    follow_up.kind = form.kind
    follow_up.note = form.note
    follow_up.recorded_by_id = viewer.user_id
    db.flush()
    audit.record(db, viewer.user_id, "session.follow_up", "session", session.id, meeting=meeting.id, kind=form.kind)
    return follow_up
