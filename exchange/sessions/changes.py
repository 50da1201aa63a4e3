"""Changing a session people already count on: a new date, times, place or grid is first shown as what will
change and who will be told; once confirmed it is saved, every participant gets an email and a notification,
and the calendars' SEQUENCE rises so that agendas, .ics files and feeds carry the change under the same UIDs.

Also here: clearing the schedule (so that a grid the meetings no longer fit can be saved), and restoring a
cancelled session until its day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core.errors import Conflict
from exchange.core.viewer import Viewer
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.organisations.service import active_members
from exchange.sessions import agenda, planner, service
from exchange.sessions.departures import Confirmation
from exchange.sessions.models import (
    MatchmakingSession,
    SessionMeeting,
    SessionParticipant,
    SessionPreference,
    SessionStatus,
    WishLevel,
)
from exchange.sessions.schemas import SessionForm
from exchange.sessions.slots import today_in_london


@dataclass(frozen=True)
class Change:
    """One fact participants see, before and after."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Told:
    """A participant who will hear about the change, and how many of its people."""

    name: str
    people: int


@dataclass(frozen=True)
class ChangePreview:
    session: MatchmakingSession
    changes: list[Change]
    told: list[Told]
    # The new grid has no room for some meetings: the schedule must be cleared (and made again) to save it.
    schedule_breaks: bool
    meetings: int
    # Follow-ups recorded against the meetings stop the schedule being cleared.
    can_clear: bool

    @property
    def asks_first(self) -> bool:
        """Participants count on the session as it is: the change is shown to the organiser before it is made."""
        return bool(self.told) and (bool(self.changes) or self.schedule_breaks)

    @property
    def people(self) -> int:
        return sum(t.people for t in self.told)

    def summary(self) -> str:
        return "; ".join(f"{c.label}: {c.before} → {c.after}" for c in self.changes)


def _day(day: date) -> str:
    return f"{day:%A %-d %B %Y}"


def _times(slots: list[dict[str, str]]) -> str:
    if not slots:
        return "no meetings"
    count = len(slots)
    return f"{count} meeting{'s' if count != 1 else ''}, {slots[0]['start']} to {slots[-1]['end']}"


def _each(slots: list[dict[str, str]]) -> str:
    return ", ".join(f"{s['start']} to {s['end']}" for s in slots)


def _compare(session: MatchmakingSession, form: SessionForm, slots: list[dict[str, str]]) -> list[Change]:
    facts = [
        ("Title", session.title, form.title),
        ("Date", _day(session.held_on), _day(form.held_on)),
        ("Meetings", _times(session.slots), _times(slots)),
        ("Venue", session.venue or "none", form.venue or "none"),
        ("Online link", session.online_link or "none", form.online_link or "none"),
        ("Tables", str(session.tables), str(form.tables)),
    ]
    changes = [Change(label, before, after) for label, before, after in facts if before != after]
    if _times(session.slots) == _times(slots) and session.slots != slots:
        changes.append(Change("Meeting times", _each(session.slots), _each(slots)))
    return changes


def _told(db: Session, people: list[SessionParticipant]) -> list[Told]:
    counts = {org: len(active_members(db, {org})) for org in {p.organisation_id for p in people}}
    return [Told(p.name, counts[p.organisation_id]) for p in people]


def preview(db: Session, viewer: Viewer, session_id: int, form: SessionForm) -> ChangePreview:
    """What saving the form would change for participants, and who would be told (reads only)."""
    session = service.get_organised(db, viewer, session_id)
    if session.status is SessionStatus.CANCELLED:
        raise Conflict("A cancelled session cannot be changed.")
    slots = service.proposed_slots(form)
    people = service.participants(db, session.id) if session.status is not SessionStatus.DRAFT else []
    return ChangePreview(
        session,
        _compare(session, form, slots),
        _told(db, people),
        schedule_breaks=not service.meetings_fit(db, session.id, len(slots), form.tables),
        meetings=len(planner.live_meetings(db, session.id)),
        can_clear=not planner.has_follow_ups(db, session.id),
    )


def save(db: Session, viewer: Viewer, session_id: int, form: SessionForm, *, clear: bool = False) -> ChangePreview:
    """Save the form; with ``clear``, clear the schedule first when the new grid has no room for it. Everyone
    taking part is told what changed."""
    shown = preview(db, viewer, session_id, form)
    if shown.schedule_breaks and clear:
        clear_schedule(db, viewer, session_id)
    session = service.update(db, viewer, session_id, form)
    if shown.changes and shown.told:
        _tell(db, session, shown)
    return shown


def _tell(db: Session, session: MatchmakingSession, shown: ChangePreview) -> None:
    published = agenda.visible_to_participants(session)
    notifications.notify(
        db,
        active_members(db, {p.organisation_id for p in service.participants(db, session.id)}),
        NotificationKind.SESSION_AGENDA,
        f"{session.title} has changed: now {_day(session.held_on)}",
        f"The organiser changed {session.title}. {shown.summary()}. "
        + (
            "Your agenda and calendar feed show the new details; download the calendar file again if you imported it."
            if published
            else "The session page shows the new details."
        ),
        f"/sessions/{session.id}/agenda" if published else f"/sessions/{session.id}",
    )
    audit.record(db, None, "session.change_told", "session", session.id, changes=len(shown.changes))


# --- clearing the schedule -----------------------------------------------------------------------------------


def clearing(db: Session, viewer: Viewer, session_id: int) -> Confirmation:
    session = service.get_organised(db, viewer, session_id)
    if session.status is SessionStatus.CANCELLED:
        raise Conflict("This session is cancelled.")
    if planner.has_follow_ups(db, session.id):
        raise Conflict(
            "Follow-ups or feedback are recorded against these meetings: the schedule can no longer be cleared."
        )
    meetings = planner.live_meetings(db, session.id)
    names = sorted({p.name for m in meetings for p in (m.council, m.supplier)}, key=str.lower)
    published = agenda.visible_to_participants(session)
    count = len(meetings)
    return Confirmation(
        session,
        heading=f"Clear the schedule of {session.title}?",
        consequence=f"All {count} meeting{'s' if count != 1 else ''} come off the timetable"
        + (" and off participants' agendas" if published else "")
        + ". Make the schedule again afterwards; meetings a participant cancelled stay ruled out.",
        button="Yes, clear the schedule",
        back=f"/sessions/{session.id}/schedule",
        affected=[f"{name}: loses its meetings" for name in names],
        told=(
            "Every participant that had a meeting will get an email and a notification that its agenda changed."
            if published and names
            else "The agenda is not published, so nobody needs telling."
        ),
    )


def clear_schedule(db: Session, viewer: Viewer, session_id: int) -> int:
    """Delete every meeting of the session (how many were live is returned). A meeting a participant cancelled
    becomes that participant's "no thanks", so the schedule made next does not pair them again."""
    confirmation = clearing(db, viewer, session_id)
    session = confirmation.session
    live = planner.live_meetings(db, session.id)
    before = agenda.signatures(live)
    _keep_refusals(db, session.id)
    db.execute(delete(SessionMeeting).where(SessionMeeting.session_id == session.id))
    db.flush()
    # Once published, calendars that imported the agenda show the cleared meetings cancelled (see ``dropped``).
    agenda.tell_about_changes(db, session, service.participants(db, session.id), before, {})
    session.schedule_figures = None
    service.calendars_changed(session)
    audit.record(db, viewer.user_id, "session.schedule_cleared", "session", session.id, meetings=len(live))
    db.flush()
    return len(live)


def _keep_refusals(db: Session, session_id: int) -> None:
    cancelled = db.scalars(
        select(SessionMeeting).where(
            SessionMeeting.session_id == session_id,
            SessionMeeting.cancelled_at.is_not(None),
            SessionMeeting.cancelled_by_id.is_not(None),
        )
    )
    for meeting in cancelled:
        by = meeting.cancelled_by_id
        other = meeting.supplier_id if by == meeting.council_id else meeting.council_id
        wish = db.scalar(
            select(SessionPreference).where(
                SessionPreference.participant_id == by, SessionPreference.target_id == other
            )
        )
        if wish is None:
            db.add(SessionPreference(session_id=session_id, participant_id=by, target_id=other, level=WishLevel.NO))
        else:
            wish.level = WishLevel.NO
    db.flush()


# --- restoring a cancelled session ------------------------------------------------------------------------------


def _restores_to(session: MatchmakingSession) -> SessionStatus:
    if session.cancelled_from:
        return SessionStatus(session.cancelled_from)
    # Cancelled before sessions kept their earlier status: the safest guess that shows what was published.
    return SessionStatus.PROVISIONAL if session.published_at is not None else SessionStatus.OPEN


def can_restore(session: MatchmakingSession) -> bool:
    return session.status is SessionStatus.CANCELLED and session.held_on >= today_in_london()


def restoration(db: Session, viewer: Viewer, session_id: int) -> Confirmation:
    session = service.get_organised(db, viewer, session_id)
    if session.status is not SessionStatus.CANCELLED:
        raise Conflict("This session is not cancelled.")
    if not can_restore(session):
        raise Conflict("The day of this session has passed: it can no longer be restored.")
    people = service.participants(db, session.id)
    back = _restores_to(session)
    count = len(active_members(db, {p.organisation_id for p in people}))
    return Confirmation(
        session,
        heading=f"Restore {session.title}?",
        consequence=f"The session is on again for {_day(session.held_on)}, “{back.label.lower()}”, "
        "with its registrations and meetings as they were.",
        button="Yes, restore the session",
        back=f"/sessions/{session.id}",
        affected=[f"{p.name}: registered again" for p in people],
        told=(
            f"{count} {'person' if count == 1 else 'people'} in {len(people)} registered "
            f"organisation{'s' if len(people) != 1 else ''} will get an email and a notification that the "
            "session is on again."
            if people
            else "Nobody is registered, so nobody needs telling."
        ),
        warning=False,
    )


def restore(db: Session, viewer: Viewer, session_id: int) -> MatchmakingSession:
    confirmation = restoration(db, viewer, session_id)
    session = confirmation.session
    back = _restores_to(session)
    session.status = back
    session.cancelled_from = None
    service.calendars_changed(session)
    audit.record(db, viewer.user_id, "session.restored", "session", session.id, after=back)
    db.flush()
    published = agenda.visible_to_participants(session)
    notifications.notify(
        db,
        active_members(db, {p.organisation_id for p in service.participants(db, session.id)}),
        NotificationKind.SESSION_AGENDA,
        f"{session.title} is on again",
        f"The organiser restored {session.title} on {_day(session.held_on)}: it is no longer cancelled."
        + (" Your agenda and calendar feed show your meetings again." if published else ""),
        f"/sessions/{session.id}/agenda" if published else f"/sessions/{session.id}",
    )
    return session
