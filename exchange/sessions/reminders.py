"""Each participant's agenda by email some hours before its first meeting (``Settings.session_reminder_hours``),
once: the participant's ``reminded_at`` records it, claimed by a conditional update so that two runs of the job
at once still send one reminder."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from exchange.core.database import rows_changed, settings_of
from exchange.core.models import utcnow
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.organisations.service import active_members
from exchange.sessions import service
from exchange.sessions.models import MatchmakingSession, SessionMeeting, SessionParticipant
from exchange.sessions.slots import moment


def _agenda_text(session: MatchmakingSession, participant: SessionParticipant, meetings: list[SessionMeeting]) -> str:
    lines = []
    for m in sorted(meetings, key=lambda m: m.slot):
        other = m.supplier if m.council_id == participant.id else m.council
        slot = session.slots[m.slot]
        line = f"{slot['start']} to {slot['end']}, {session.table_name(m.table_number)}: {other.name}"
        link = m.video_link or session.online_link
        lines.append(f"{line} (join: {link})" if link else line)
    where = session.venue or "Online"
    return f"Your meetings at {session.title} on {session.held_on:%-d %B %Y} ({where}):\n\n" + "\n".join(lines)


def send_due(db: Session, now: datetime | None = None) -> int:
    """Remind every participant whose first meeting is less than the set hours away (and not yet begun), once.
    Returns how many participants were reminded."""
    now = now or utcnow()
    ahead = timedelta(hours=settings_of(db).session_reminder_hours)
    # Sessions on a day within reach (a day either side: London time against UTC).
    days = {(now + timedelta(days=d)).date() for d in range(-1, ahead.days + 2)}
    sessions = db.scalars(
        select(MatchmakingSession).where(
            MatchmakingSession.status.in_(service.PUBLISHED), MatchmakingSession.held_on.in_(days)
        )
    )
    reminded = 0
    for session in sessions:
        meetings = db.scalars(
            select(SessionMeeting)
            .where(SessionMeeting.session_id == session.id, SessionMeeting.cancelled_at.is_(None))
            .options(
                selectinload(SessionMeeting.council).selectinload(SessionParticipant.organisation),
                selectinload(SessionMeeting.supplier).selectinload(SessionParticipant.organisation),
            )
        )
        of: dict[int, list[SessionMeeting]] = defaultdict(list)
        for m in meetings:
            of[m.council_id].append(m)
            of[m.supplier_id].append(m)
        for participant in service.participants(db, session.id):
            held = of.get(participant.id)
            if not held or participant.reminded_at is not None:
                continue
            first = moment(session.held_on, session.slots[min(m.slot for m in held)]["start"])
            if not first - ahead <= now < first:
                continue
            if _claim(db, participant.id, now):
                _remind(db, session, participant, held)
                reminded += 1
    return reminded


def _claim(db: Session, participant_id: int, now: datetime) -> bool:
    claimed = db.execute(
        update(SessionParticipant)
        .where(SessionParticipant.id == participant_id, SessionParticipant.reminded_at.is_(None))
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    return rows_changed(claimed) == 1


def _remind(
    db: Session, session: MatchmakingSession, participant: SessionParticipant, meetings: list[SessionMeeting]
) -> None:
    notifications.notify(
        db,
        active_members(db, {participant.organisation_id}),
        NotificationKind.SESSION_AGENDA,
        f"Your meetings at {session.title}",
        _agenda_text(session, participant, meetings),
        f"/sessions/{session.id}/agenda",
    )
