"""The rules for matchmaking sessions: who organises and who sees them, the guarded status changes, and
registration of participants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from exchange.audit import service as audit
from exchange.core.database import take_turns_on
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.organisations.models import Organisation
from exchange.payments import entitlements
from exchange.sessions.models import (
    Approval,
    MatchmakingSession,
    SessionMeeting,
    SessionParticipant,
    SessionStatus,
    Side,
)
from exchange.sessions.schemas import COUNCIL_KINDS, RegistrationForm, SessionForm
from exchange.sessions.slots import Grid, GridError, end_of_day, make_slots, today_in_london

S = SessionStatus
ALLOWED_TRANSITIONS: dict[SessionStatus, frozenset[SessionStatus]] = {
    S.DRAFT: frozenset({S.OPEN, S.CANCELLED}),
    S.OPEN: frozenset({S.PROVISIONAL, S.FINAL, S.CANCELLED}),
    S.PROVISIONAL: frozenset({S.FINAL, S.CANCELLED}),
    S.FINAL: frozenset({S.CANCELLED}),
    S.CANCELLED: frozenset(),
}
# Statuses in which the agenda has been published to the participants.
PUBLISHED = frozenset({S.PROVISIONAL, S.FINAL})
LISTED = frozenset({S.OPEN, S.PROVISIONAL, S.FINAL})


def is_organiser(viewer: Viewer, session: MatchmakingSession) -> bool:
    return viewer.is_member(session.organisation_id) or viewer.is_admin


def organising_organisations(db: Session, viewer: Viewer) -> list[Organisation]:
    """Any organisation a verified user belongs to can run a session (councils, networks, suppliers' groups)."""
    if not viewer.organisation_ids or not viewer.email_verified:
        return []
    query = select(Organisation).where(Organisation.id.in_(viewer.organisation_ids)).order_by(Organisation.name)
    return list(db.scalars(query))


def _load(db: Session, session_id: int) -> MatchmakingSession | None:
    query = (
        select(MatchmakingSession)
        .where(MatchmakingSession.id == session_id)
        .options(selectinload(MatchmakingSession.organisation))
    )
    return db.scalar(query)


def get(db: Session, viewer: Viewer, session_id: int) -> MatchmakingSession:
    """A session as its page shows it: drafts only to their organisers."""
    session = _load(db, session_id)
    if session is None or (session.status is S.DRAFT and not is_organiser(viewer, session)):
        raise NotFound("session")
    return session


def get_organised(db: Session, viewer: Viewer, session_id: int) -> MatchmakingSession:
    """A session for its organisers' pages; to anyone else it does not exist."""
    session = _load(db, session_id)
    if session is None or not is_organiser(viewer, session):
        raise NotFound("session")
    return session


def _grid(form: SessionForm) -> Grid:
    return Grid(
        form.starts_at, form.meeting_minutes, form.gap_minutes, form.meetings, form.break_at, form.break_minutes
    )


def _apply(session: MatchmakingSession, form: SessionForm) -> None:
    slots = proposed_slots(form)
    session.title = form.title
    session.description = form.description
    session.venue = form.venue
    session.online_link = form.online_link
    session.held_on = form.held_on
    session.grid = form.model_dump(
        mode="json", include={"starts_at", "meeting_minutes", "gap_minutes", "meetings", "break_at", "break_minutes"}
    )
    session.slots = slots
    session.tables = form.tables
    session.max_meetings = form.max_meetings
    session.open_to = sorted({kind.value for kind in form.open_to})
    session.exclusive_organisations = form.exclusive_organisations
    session.registration_closes_at = end_of_day(form.registration_closes_on)
    session.preferences_close_at = end_of_day(form.preferences_close_on)


def create(db: Session, viewer: Viewer, organisation_id: int, form: SessionForm) -> MatchmakingSession:
    if organisation_id not in {o.id for o in organising_organisations(db, viewer)}:
        raise Invalid("Check the answers and try again", field_errors={"organisation_id": "Choose your organisation"})
    assert viewer.user_id is not None
    session = MatchmakingSession(organisation_id=organisation_id, created_by_id=viewer.user_id)
    _apply(session, form)
    db.add(session)
    db.flush()
    audit.record(db, viewer.user_id, "session.created", "session", session.id, title=session.title)
    return session


def calendars_changed(session: MatchmakingSession) -> None:
    """Something a participant's calendar shows changed: its events are written with a higher SEQUENCE."""
    session.calendar_sequence = (session.calendar_sequence or 0) + 1


def _calendar_facts(session: MatchmakingSession) -> tuple[object, ...]:
    return (session.title, session.description, session.venue, session.online_link, session.held_on, session.slots)


def has_meetings(db: Session, session_id: int) -> bool:
    query = select(func.count()).where(SessionMeeting.session_id == session_id, SessionMeeting.cancelled_at.is_(None))
    return bool(db.scalar(query))


def proposed_slots(form: SessionForm) -> list[dict[str, str]]:
    """The slots a form's grid makes, or the form's own error about it."""
    try:
        return make_slots(_grid(form))
    except GridError as error:
        raise Invalid("Check the answers and try again", field_errors={"meetings": str(error)}) from None


def meetings_fit(db: Session, session_id: int, slot_count: int, tables: int) -> bool:
    """Whether every meeting on record (cancelled ones too: agendas still show them) has its slot and table in a
    grid of this size. Meetings keep their slot by its place in the day, so new times alone move them with it."""
    query = select(func.count()).where(
        SessionMeeting.session_id == session_id,
        (SessionMeeting.slot >= slot_count) | (SessionMeeting.table_number > tables),
    )
    return not db.scalar(query)


CLEAR_FIRST = "The schedule has meetings in slots or at tables this grid no longer has: clear the schedule first"


def update(db: Session, viewer: Viewer, session_id: int, form: SessionForm) -> MatchmakingSession:
    session = get_organised(db, viewer, session_id)
    if session.status is S.CANCELLED:
        raise Conflict("A cancelled session cannot be changed.")
    calendar_before = _calendar_facts(session)
    _apply(session, form)
    if not meetings_fit(db, session.id, len(session.slots), session.tables):
        raise Invalid("Check the answers and try again", field_errors={"meetings": CLEAR_FIRST})
    if _calendar_facts(session) != calendar_before:
        calendars_changed(session)
    audit.record(db, viewer.user_id, "session.updated", "session", session.id)
    db.flush()
    return session


def next_statuses(session: MatchmakingSession) -> list[SessionStatus]:
    return sorted(ALLOWED_TRANSITIONS[session.status], key=list(SessionStatus).index)


def change_status(db: Session, viewer: Viewer, session_id: int, to: SessionStatus) -> MatchmakingSession:
    """Open registration, publish the provisional or the final agenda, or cancel (agenda emails: see agenda)."""
    session = get_organised(db, viewer, session_id)
    if to not in ALLOWED_TRANSITIONS[session.status]:
        raise Conflict(f"A session that is “{session.status.label.lower()}” cannot become “{to.label.lower()}”.")
    if to in PUBLISHED and not has_meetings(db, session.id):
        raise Conflict("Generate the schedule before publishing the agenda.")
    before = session.status
    session.status = to
    if to is S.CANCELLED:
        session.cancelled_from = before.value
    calendars_changed(session)
    if to in PUBLISHED:
        session.published_at = utcnow()
    audit.record(db, viewer.user_id, "session.status_changed", "session", session.id, before=before, after=to)
    db.flush()
    return session


def listed(db: Session, viewer: Viewer) -> list[MatchmakingSession]:
    """Sessions still to come that anyone can see, and every session the viewer's organisations organise."""
    visible = MatchmakingSession.status.in_(LISTED) & (MatchmakingSession.held_on >= today_in_london())
    if viewer.organisation_ids:
        visible = visible | MatchmakingSession.organisation_id.in_(viewer.organisation_ids)
    query = (
        select(MatchmakingSession)
        .where(visible)
        .options(selectinload(MatchmakingSession.organisation))
        .order_by(MatchmakingSession.held_on, MatchmakingSession.id)
    )
    return list(db.scalars(query))


def taking_part(db: Session, organisation_ids: set[int]) -> list[MatchmakingSession]:
    """Sessions still to come that these organisations organise or have registered for."""
    if not organisation_ids:
        return []
    registered = select(SessionParticipant.session_id).where(
        SessionParticipant.organisation_id.in_(organisation_ids), SessionParticipant.withdrawn_at.is_(None)
    )
    query = (
        select(MatchmakingSession)
        .where(
            MatchmakingSession.held_on >= today_in_london(),
            MatchmakingSession.status != S.CANCELLED,
            MatchmakingSession.organisation_id.in_(organisation_ids) | MatchmakingSession.id.in_(registered),
        )
        .options(selectinload(MatchmakingSession.organisation))
        .order_by(MatchmakingSession.held_on, MatchmakingSession.id)
    )
    return list(db.scalars(query))


def participants(
    db: Session, session_id: int, *, withdrawn: bool = False, unapproved: bool = False
) -> list[SessionParticipant]:
    """Who takes part: approved registrations only, unless asked (a registration waiting for the organiser's
    approval, or declined, is neither scheduled, counted nor shown to the others)."""
    query = (
        select(SessionParticipant)
        .where(SessionParticipant.session_id == session_id)
        .options(selectinload(SessionParticipant.organisation))
        .order_by(SessionParticipant.side, SessionParticipant.id)
    )
    if not withdrawn:
        query = query.where(SessionParticipant.withdrawn_at.is_(None))
    if not unapproved:
        query = query.where(SessionParticipant.approval == Approval.APPROVED)
    return sorted(db.scalars(query), key=lambda p: (p.side, p.name.lower()))


def participant_counts(db: Session, session_ids: list[int]) -> dict[int, int]:
    """Session id -> how many take part (one query for a whole list)."""
    if not session_ids:
        return {}
    query = (
        select(SessionParticipant.session_id, func.count())
        .where(
            SessionParticipant.session_id.in_(session_ids),
            SessionParticipant.withdrawn_at.is_(None),
            SessionParticipant.approval == Approval.APPROVED,
        )
        .group_by(SessionParticipant.session_id)
    )
    return {session_id: count for session_id, count in db.execute(query)}


def own_participants(
    db: Session, viewer: Viewer, session_id: int, *, unapproved: bool = False
) -> list[SessionParticipant]:
    people = participants(db, session_id, unapproved=unapproved)
    return [p for p in people if viewer.is_member(p.organisation_id)]


def own_participant(db: Session, viewer: Viewer, session_id: int, participant_id: int) -> SessionParticipant:
    """One of the viewer's own registrations (approved or not); anyone else's does not exist for them."""
    for participant in own_participants(db, viewer, session_id, unapproved=True):
        if participant.id == participant_id:
            return participant
    raise NotFound("participant")


def side_of(organisation: Organisation) -> Side:
    return Side.COUNCIL if organisation.kind.value in COUNCIL_KINDS else Side.SUPPLIER


def registrable_organisations(db: Session, viewer: Viewer, session: MatchmakingSession) -> list[Organisation]:
    return [o for o in organising_organisations(db, viewer) if o.kind.value in session.open_to]


def registration_open(session: MatchmakingSession, now: datetime | None = None) -> bool:
    return session.status is S.OPEN and (now or utcnow()) < session.registration_closes_at


def refuse_when_full(db: Session, session: MatchmakingSession) -> None:
    """How many may register comes from the organising organisation's plan (when payments are on)."""
    limit = entitlements.participant_limit(db, session.organisation_id)
    if limit is None:
        return
    # Parallel registrations take turns at the count.
    take_turns_on(db, MatchmakingSession.id, session.id)
    if len(participants(db, session.id)) < limit:
        return
    upgrade = entitlements.catalogue(db).plan_offering(entitlements.SESSION_PARTICIPANTS)
    more = (
        f" {upgrade.name} lets its officers run sessions with more participants."
        if upgrade is not None and entitlements.plan_for(db, session.organisation_id).key != upgrade.key
        else ""
    )
    raise Conflict(f"This session is full: it takes {limit} participants.{more}")


def _check_registration(session: MatchmakingSession, form: RegistrationForm) -> None:
    errors: dict[str, str] = {}
    if any(not 0 <= slot < len(session.slots) for slot in form.available):
        errors["available"] = "Choose slots from the list"
    if form.max_meetings > session.max_meetings:
        errors["max_meetings"] = f"The organiser allows at most {session.max_meetings} meetings each"
    if errors:
        raise Invalid("Check the answers and try again", field_errors=errors)


def register(
    db: Session, viewer: Viewer, session_id: int, form: RegistrationForm, answers: dict[str, str] | None = None
) -> SessionParticipant:
    """Register, answering the organiser's questions (checked by ``questions.check_answers`` first); where the
    organiser approves registrations, the new one waits as pending."""
    session = get(db, viewer, session_id)
    if not registration_open(session):
        raise Conflict("Registration for this session is closed.")
    organisation = next(
        (o for o in registrable_organisations(db, viewer, session) if o.id == form.organisation_id), None
    )
    if organisation is None:
        raise Invalid(
            "Check the answers and try again",
            field_errors={"organisation_id": "Choose an organisation of yours that this session is open to"},
        )
    _check_registration(session, form)
    taken = db.scalar(
        select(SessionParticipant).where(
            SessionParticipant.session_id == session.id,
            SessionParticipant.organisation_id == organisation.id,
            SessionParticipant.team == form.team,
        )
    )
    if taken is not None:
        message = "This team is already registered" if form.team else "Your organisation is already registered"
        raise Invalid(
            "Check the answers and try again",
            field_errors={"team": message + ": give another team a name of its own"},
        )
    refuse_when_full(db, session)
    assert viewer.user_id is not None
    participant = SessionParticipant(
        session_id=session.id,
        organisation_id=organisation.id,
        registered_by_id=viewer.user_id,
        team=form.team,
        attendees=form.attendees,
        side=side_of(organisation),
        available=_availability(session, form.available),
        max_meetings=form.max_meetings,
        answers=answers or None,
        approval=Approval.PENDING if session.requires_approval else Approval.APPROVED,
    )
    participant.organisation = organisation
    db.add(participant)
    db.flush()
    audit.record(db, viewer.user_id, "session.registered", "session", session.id, participant=participant.id)
    return participant


def _availability(session: MatchmakingSession, chosen: list[int]) -> list[int] | None:
    slots = sorted(set(chosen))
    return None if len(slots) == len(session.slots) else slots


def update_registration(
    db: Session, viewer: Viewer, session_id: int, participant_id: int, form: RegistrationForm
) -> SessionParticipant:
    """Availability, attendees and how many meetings; while preferences are still open."""
    session = get(db, viewer, session_id)
    participant = own_participant(db, viewer, session_id, participant_id)
    if session.status not in LISTED or utcnow() >= session.preferences_close_at:
        raise Conflict("Registrations can no longer be changed: ask the organiser.")
    _check_registration(session, form)
    participant.attendees = form.attendees
    participant.available = _availability(session, form.available)
    participant.max_meetings = form.max_meetings
    audit.record(db, viewer.user_id, "session.registration_changed", "session", session.id, participant=participant.id)
    db.flush()
    return participant


def withdraw(db: Session, viewer: Viewer, session_id: int, participant_id: int) -> list[SessionMeeting]:
    """Leave the session: the participant's meetings are cancelled (returned), which frees their tables."""
    session = get(db, viewer, session_id)
    participant = own_participant(db, viewer, session_id, participant_id)
    return _take_out(db, viewer, session, participant, "session.withdrawn")


def remove_participant(db: Session, viewer: Viewer, session_id: int, participant_id: int) -> list[SessionMeeting]:
    """The organiser takes a participant out of the session, with its meetings (returned)."""
    session = get_organised(db, viewer, session_id)
    participant = next((p for p in participants(db, session.id) if p.id == participant_id), None)
    if participant is None:
        raise NotFound("participant")
    return _take_out(db, viewer, session, participant, "session.participant_removed")


def live_meetings_of(db: Session, session_id: int, participant_id: int) -> list[SessionMeeting]:
    query = (
        select(SessionMeeting)
        .where(
            SessionMeeting.session_id == session_id,
            SessionMeeting.cancelled_at.is_(None),
            (SessionMeeting.council_id == participant_id) | (SessionMeeting.supplier_id == participant_id),
        )
        .options(
            selectinload(SessionMeeting.council).selectinload(SessionParticipant.organisation),
            selectinload(SessionMeeting.supplier).selectinload(SessionParticipant.organisation),
        )
        .order_by(SessionMeeting.slot)
    )
    return list(db.scalars(query))


def _take_out(
    db: Session, viewer: Viewer, session: MatchmakingSession, participant: SessionParticipant, action: str
) -> list[SessionMeeting]:
    if session.status is S.CANCELLED:
        raise Conflict("This session is cancelled.")
    now = utcnow()
    participant.withdrawn_at = now
    meetings = live_meetings_of(db, session.id, participant.id)
    for meeting in meetings:
        meeting.cancelled_at = now
        meeting.cancelled_by_id = participant.id
    calendars_changed(session)
    audit.record(db, viewer.user_id, action, "session", session.id, participant=participant.id)
    db.flush()
    return meetings
