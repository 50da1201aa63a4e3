"""The destructive changes to a session, each said out loud before it is made and told to the people it affects
after: cancelling the session, leaving it, cancelling a meeting, and the organiser removing a participant.

Each ``*_confirmation`` reads only, and returns what the confirmation page says (who is affected and who will be
told); the action itself then goes through the service and notifies (in-app and by email)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from exchange.core.errors import Conflict, NotFound
from exchange.core.viewer import Viewer
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.organisations.service import active_members
from exchange.sessions import agenda, service
from exchange.sessions.models import MatchmakingSession, SessionMeeting, SessionParticipant, SessionStatus


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation page says before a destructive change."""

    session: MatchmakingSession
    heading: str
    consequence: str
    button: str
    back: str
    # One line per participant affected, and what happens to each.
    affected: list[str] = field(default_factory=list)
    told: str = ""
    # A change that takes something away has a red button; one that gives it back, a green one.
    warning: bool = True


def _when(session: MatchmakingSession, meeting: SessionMeeting) -> str:
    return f"{session.slots[meeting.slot]['start']} (table {meeting.table_number})"


def _other(meeting: SessionMeeting, participant_id: int) -> SessionParticipant:
    return meeting.supplier if meeting.council_id == participant_id else meeting.council


def _and_meetings(meetings: list[SessionMeeting]) -> str:
    count = len(meetings)
    return f", and its {count} meeting{'s are' if count != 1 else ' is'} cancelled" if count else ""


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


# --- cancelling the session -------------------------------------------------------------------------------


def session_cancellation(db: Session, viewer: Viewer, session_id: int) -> Confirmation:
    session = service.get_organised(db, viewer, session_id)
    if SessionStatus.CANCELLED not in service.ALLOWED_TRANSITIONS[session.status]:
        raise Conflict("This session is already cancelled.")
    people = service.participants(db, session.id)
    members = active_members(db, {p.organisation_id for p in people})
    return Confirmation(
        session,
        heading=f"Cancel {session.title}?",
        consequence="Every participant's meetings are called off. "
        "Until its day you can restore it, and everyone is told again.",
        button="Yes, cancel the session",
        back=f"/sessions/{session.id}",
        affected=[
            f"{p.name}: registered{', with meetings on its agenda' if _has_agenda(session) else ''}" for p in people
        ],
        told=(
            f"{_people(len(members))} in {len(people)} registered organisation{'s' if len(people) != 1 else ''} "
            "will get an email and a notification that the session is cancelled."
            if people
            else "Nobody has registered yet, so nobody needs telling."
        ),
    )


def _has_agenda(session: MatchmakingSession) -> bool:
    return session.status in service.PUBLISHED


def cancel_session(db: Session, viewer: Viewer, session_id: int) -> MatchmakingSession:
    session_cancellation(db, viewer, session_id)
    return agenda.change_status(db, viewer, session_id, SessionStatus.CANCELLED)


# --- leaving, or being removed by the organiser ------------------------------------------------------------


def _departure(
    session: MatchmakingSession, participant: SessionParticipant, meetings: list[SessionMeeting], *, by_organiser: bool
) -> tuple[list[str], str]:
    """Who loses a meeting, and the sentence saying who will be told."""
    affected = [f"{_other(m, participant.id).name}: meeting at {_when(session, m)} is cancelled" for m in meetings]
    told = [participant.name] if by_organiser else []
    if meetings and _has_agenda(session):
        told.append("the other side of each meeting")
    told.append("the organisers")
    sentence = f"{', '.join(told[:-1])} and {told[-1]}" if len(told) > 1 else told[0]
    return affected, f"{sentence[:1].upper()}{sentence[1:]} will get an email and a notification."


def leaving(db: Session, viewer: Viewer, session_id: int, participant_id: int) -> Confirmation:
    session = service.get(db, viewer, session_id)
    participant = service.own_participant(db, viewer, session_id, participant_id)
    _refuse_if_cancelled(session)
    meetings = service.live_meetings_of(db, session.id, participant.id)
    affected, told = _departure(session, participant, meetings, by_organiser=False)
    return Confirmation(
        session,
        heading=f"Leave {session.title} as {participant.name}?",
        consequence=f"{participant.name} leaves the session{_and_meetings(meetings)}. "
        "To take part again, register again while registration is open.",
        button="Yes, leave the session",
        back=f"/sessions/{session.id}",
        affected=affected,
        told=told,
    )


def removal(db: Session, viewer: Viewer, session_id: int, participant_id: int) -> Confirmation:
    session = service.get_organised(db, viewer, session_id)
    _refuse_if_cancelled(session)
    participant = next((p for p in service.participants(db, session.id) if p.id == participant_id), None)
    if participant is None:
        raise NotFound("participant")
    meetings = service.live_meetings_of(db, session.id, participant.id)
    affected, told = _departure(session, participant, meetings, by_organiser=True)
    return Confirmation(
        session,
        heading=f"Remove {participant.name} from {session.title}?",
        consequence=f"{participant.name} is taken out of the session{_and_meetings(meetings)}.",
        button="Yes, remove the participant",
        back=f"/sessions/{session.id}",
        affected=[f"{participant.name}: removed from the session", *affected],
        told=told,
    )


def _refuse_if_cancelled(session: MatchmakingSession) -> None:
    if session.status is SessionStatus.CANCELLED:
        raise Conflict("This session is cancelled.")


def leave(db: Session, viewer: Viewer, session_id: int, participant_id: int) -> SessionParticipant:
    participant = service.own_participant(db, viewer, session_id, participant_id)
    meetings = service.withdraw(db, viewer, session_id, participant_id)
    session = service.get(db, viewer, session_id)
    _tell_about_departure(db, session, participant, meetings, f"{participant.name} has left {session.title}")
    return participant


def remove(db: Session, viewer: Viewer, session_id: int, participant_id: int) -> SessionParticipant:
    confirmation = removal(db, viewer, session_id, participant_id)
    session = confirmation.session
    participant = next(p for p in service.participants(db, session.id) if p.id == participant_id)
    meetings = service.remove_participant(db, viewer, session_id, participant_id)
    notifications.notify(
        db,
        active_members(db, {participant.organisation_id}),
        NotificationKind.SESSION_AGENDA,
        f"{participant.name} was removed from {session.title}",
        f"The organiser of {session.title} on {session.held_on:%-d %B %Y} removed {participant.name} from the "
        "session"
        + (", and its meetings are cancelled." if meetings else ".")
        + " Ask the organiser if this is a mistake.",
        f"/sessions/{session.id}",
    )
    _tell_about_departure(db, session, participant, meetings, f"{participant.name} was removed from {session.title}")
    return participant


def _tell_about_departure(
    db: Session,
    session: MatchmakingSession,
    participant: SessionParticipant,
    meetings: list[SessionMeeting],
    headline: str,
) -> None:
    """The other side of each cancelled meeting (once the agenda is published), and the organisers."""
    if _has_agenda(session):
        for meeting in meetings:
            other = _other(meeting, participant.id)
            notifications.notify(
                db,
                active_members(db, {other.organisation_id}),
                NotificationKind.SESSION_AGENDA,
                f"Your meeting with {participant.name} at {session.title} is cancelled",
                f"{headline}, so your meeting at {_when(session, meeting)} is cancelled. "
                "The organiser may fill the gap with another meeting.",
                f"/sessions/{session.id}/agenda",
            )
    notifications.notify(
        db,
        active_members(db, {session.organisation_id}),
        NotificationKind.SESSION_AGENDA,
        headline,
        f"{headline}"
        + (f"; {len(meetings)} meeting{'s are' if len(meetings) != 1 else ' is'} cancelled." if meetings else ".")
        + (" You can fill the gaps from the timetable." if meetings else ""),
        f"/sessions/{session.id}/schedule" if meetings else f"/sessions/{session.id}",
    )


# --- cancelling one meeting -----------------------------------------------------------------------------


def meeting_cancellation(db: Session, viewer: Viewer, session_id: int, meeting_id: int) -> Confirmation:
    session = service.get(db, viewer, session_id)
    if not agenda.visible_to_participants(session):
        raise NotFound("meeting")
    own = {p.id for p in service.own_participants(db, viewer, session.id)}
    meeting = next(
        (m for p in own for m in service.live_meetings_of(db, session.id, p) if m.id == meeting_id),
        None,
    )
    if meeting is None:
        raise NotFound("meeting")
    mine = meeting.council_id if meeting.council_id in own else meeting.supplier_id
    other = _other(meeting, mine)
    return Confirmation(
        session,
        heading=f"Cancel your meeting with {other.name}?",
        consequence=f"The meeting at {_when(session, meeting)} is called off; the schedule will not pair you again.",
        button="Yes, cancel the meeting",
        back=f"/sessions/{session.id}/agenda#meeting-{meeting.id}",
        affected=[f"{other.name}: meeting at {_when(session, meeting)} is cancelled"],
        told=f"{other.name} and the organisers will get an email and a notification.",
    )
