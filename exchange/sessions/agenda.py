"""Each participant's agenda: the page, the calendar file, and telling people when it is published or
changes (only those whose meetings changed), and when someone cancels a meeting with them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from exchange.accounts.models import User
from exchange.audit import service as audit
from exchange.core.errors import Conflict, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.organisations.service import active_members
from exchange.sessions import dropped, need_names, service
from exchange.sessions.models import MatchmakingSession, SessionMeeting, SessionParticipant, SessionStatus

# What a participant's agenda holds, to tell whether it changed: (slot, table, the other participant).
Signature = frozenset[tuple[int, int, int]]


@dataclass(frozen=True)
class AgendaItem:
    meeting: SessionMeeting
    other: SessionParticipant
    start: str
    end: str
    # Why the pair meets, as the reader may read it (see ``need_names``).
    reason: str


def signatures(meetings: Iterable[SessionMeeting]) -> dict[int, Signature]:
    held: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
    for m in meetings:
        if m.cancelled_at is None:
            held[m.council_id].add((m.slot, m.table_number, m.supplier_id))
            held[m.supplier_id].add((m.slot, m.table_number, m.council_id))
    return {participant: frozenset(items) for participant, items in held.items()}


def _members(db: Session, participants: Iterable[SessionParticipant]) -> list[User]:
    return active_members(db, {p.organisation_id for p in participants})


def tell_about_changes(
    db: Session,
    session: MatchmakingSession,
    people: Iterable[SessionParticipant],
    before: dict[int, Signature],
    after: dict[int, Signature],
) -> None:
    """Once the agenda is published, each participant whose meetings changed hears about it."""
    changed = [p for p in people if before.get(p.id, frozenset()) != after.get(p.id, frozenset())]
    if changed:
        service.calendars_changed(session)
    if session.status not in service.PUBLISHED:
        return
    dropped.record(changed, before, after)
    if changed:
        notifications.notify(
            db,
            _members(db, changed),
            NotificationKind.SESSION_AGENDA,
            f"Your agenda for {session.title} has changed",
            f"The organiser changed your meetings at {session.title} on {session.held_on:%-d %B %Y}. "
            "Check your agenda and update your calendar.",
            f"/sessions/{session.id}/agenda",
        )


def change_status(db: Session, viewer: Viewer, session_id: int, to: SessionStatus) -> MatchmakingSession:
    """Change the session's status and tell the participants when their agenda is published or it is off."""
    session = service.change_status(db, viewer, session_id, to)
    if to in service.PUBLISHED:
        tell_published(db, session)
    elif to is SessionStatus.CANCELLED:
        notifications.notify(
            db,
            _members(db, service.participants(db, session.id)),
            NotificationKind.SESSION_AGENDA,
            f"{session.title} is cancelled",
            f"The organiser cancelled {session.title}, planned for {session.held_on:%-d %B %Y}.",
            f"/sessions/{session.id}",
        )
    return session


def tell_published(db: Session, session: MatchmakingSession) -> None:
    which = "final" if session.status is SessionStatus.FINAL else "provisional"
    notifications.notify(
        db,
        _members(db, service.participants(db, session.id)),
        NotificationKind.SESSION_AGENDA,
        f"The {which} agenda for {session.title} is published",
        f"Your meetings at {session.title} on {session.held_on:%-d %B %Y} are on your agenda, "
        "with a calendar file to add them to your calendar.",
        f"/sessions/{session.id}/agenda",
    )


def meetings_of(
    db: Session, viewer: Viewer, session: MatchmakingSession, participant: SessionParticipant
) -> list[AgendaItem]:
    """A participant's meetings, their reasons worded for whoever reads them."""
    query = (
        select(SessionMeeting)
        .where(
            SessionMeeting.session_id == session.id,
            (SessionMeeting.council_id == participant.id) | (SessionMeeting.supplier_id == participant.id),
        )
        .options(
            selectinload(SessionMeeting.council).selectinload(SessionParticipant.organisation),
            selectinload(SessionMeeting.supplier).selectinload(SessionParticipant.organisation),
        )
        .order_by(SessionMeeting.slot, SessionMeeting.cancelled_at.is_not(None))
    )
    meetings = list(db.scalars(query))
    names = need_names.for_meetings(db, viewer, meetings)
    items = []
    for m in meetings:
        other = m.supplier if m.council_id == participant.id else m.council
        slot = session.slots[m.slot]
        items.append(AgendaItem(m, other, slot["start"], slot["end"], names.reason(m)))
    return items


def visible_to_participants(session: MatchmakingSession) -> bool:
    return session.status in service.PUBLISHED


def in_calendars(session: MatchmakingSession) -> bool:
    """Calendars carry the meetings once published, and after a cancellation too, so that they drop them."""
    return visible_to_participants(session) or (
        session.status is SessionStatus.CANCELLED and session.published_at is not None
    )


def by_calendar_token(db: Session, token: str) -> tuple[MatchmakingSession, SessionParticipant]:
    """The participant whose calendar feed this secret opens (a withdrawn one too: its calendar then shows its
    meetings cancelled); any other token opens nothing."""
    if not 20 <= len(token) <= 64:
        raise NotFound("calendar")
    participant = db.scalar(
        select(SessionParticipant)
        .where(SessionParticipant.calendar_token == token)
        .options(selectinload(SessionParticipant.organisation))
    )
    session = db.scalar(
        select(MatchmakingSession)
        .where(MatchmakingSession.id == (participant.session_id if participant else None))
        .options(selectinload(MatchmakingSession.organisation))
    )
    if participant is None or session is None or session.status is SessionStatus.DRAFT:
        raise NotFound("calendar")
    return session, participant


def own_agendas(
    db: Session, viewer: Viewer, session_id: int
) -> tuple[MatchmakingSession, list[tuple[SessionParticipant, list[AgendaItem]]]]:
    """The viewer's registrations for a session, each with its meetings once the agenda is published."""
    session = service.get(db, viewer, session_id)
    own = service.own_participants(db, viewer, session.id)
    if not own:
        raise NotFound("agenda")
    shown = visible_to_participants(session)
    return session, [(p, meetings_of(db, viewer, session, p) if shown else []) for p in own]


def cancel(db: Session, viewer: Viewer, session_id: int, meeting_id: int) -> SessionMeeting:
    """One side cancels a meeting: it stays on record, frees the table, and the other side is told."""
    session = service.get(db, viewer, session_id)
    if not visible_to_participants(session):
        raise NotFound("meeting")
    own = {p.id: p for p in service.own_participants(db, viewer, session.id)}
    meeting = db.get(SessionMeeting, meeting_id)
    if (
        meeting is None
        or meeting.session_id != session.id
        or not ({meeting.council_id, meeting.supplier_id} & own.keys())
    ):
        raise NotFound("meeting")
    if meeting.cancelled_at is not None:
        raise Conflict("This meeting is already cancelled.")
    mine = meeting.council_id if meeting.council_id in own else meeting.supplier_id
    other = db.get(SessionParticipant, meeting.supplier_id if mine == meeting.council_id else meeting.council_id)
    meeting.cancelled_at = utcnow()
    meeting.cancelled_by_id = mine
    service.calendars_changed(session)
    audit.record(db, viewer.user_id, "session.meeting_cancelled", "session", session.id, meeting=meeting.id)
    db.flush()
    slot = session.slots[meeting.slot]
    who = own[mine].name
    if other is not None:
        notifications.notify(
            db,
            active_members(db, {other.organisation_id}),
            NotificationKind.SESSION_AGENDA,
            f"{who} cancelled your meeting at {session.title}",
            f"{who} cancelled the meeting at {slot['start']} (table {meeting.table_number}). "
            "The organiser may fill the gap with another meeting.",
            f"/sessions/{session.id}/agenda",
        )
    notifications.notify(
        db,
        active_members(db, {session.organisation_id}),
        NotificationKind.SESSION_AGENDA,
        f"A meeting was cancelled at {session.title}",
        f"{who} cancelled a meeting at {slot['start']} (table {meeting.table_number}). "
        "You can fill the gap from the timetable.",
        f"/sessions/{session.id}/schedule",
    )
    return meeting
