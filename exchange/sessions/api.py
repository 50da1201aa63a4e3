"""JSON API for sessions: the sessions anyone can see, one session, and the viewer's own agenda."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.core.api_errors import API_ERRORS
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.viewer import Viewer
from exchange.sessions import agenda, service
from exchange.sessions.models import MatchmakingSession
from exchange.sessions.schemas import AgendaMeetingOut, AgendaOut, SessionOut, SlotOut

router = APIRouter(route_class=TransactionalRoute, tags=["sessions"], responses=API_ERRORS)


def _out(session: MatchmakingSession, participants: int) -> SessionOut:
    return SessionOut(
        id=session.id,
        title=session.title,
        description=session.description,
        organiser=session.organisation.name,
        venue=session.venue,
        online_link=session.online_link,
        held_on=session.held_on,
        slots=[SlotOut(**slot) for slot in session.slots],
        tables=session.tables,
        status=session.status.value,
        registration_closes_at=session.registration_closes_at,
        preferences_close_at=session.preferences_close_at,
        participants=participants,
    )


@router.get("/sessions", response_model=list[SessionOut])
def list_sessions(db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)) -> list[SessionOut]:
    """Matchmaking sessions still to come, and those the viewer's organisations organise."""
    sessions = service.listed(db, viewer)
    counts = service.participant_counts(db, [s.id for s in sessions])
    return [_out(session, counts.get(session.id, 0)) for session in sessions]


@router.get("/sessions/{session_id}", response_model=SessionOut)
def get_session(
    session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> SessionOut:
    session = service.get(db, viewer, session_id)
    return _out(session, service.participant_counts(db, [session.id]).get(session.id, 0))


@router.get("/sessions/{session_id}/agenda", response_model=list[AgendaOut])
def get_agenda(
    session_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> list[AgendaOut]:
    """The viewer's registrations for the session, each with its meetings once the agenda is published."""
    session, agendas = agenda.own_agendas(db, viewer, session_id)
    return [
        AgendaOut(
            session_id=session.id,
            participant=participant.name,
            published=agenda.visible_to_participants(session),
            meetings=[
                AgendaMeetingOut(
                    slot_start=item.start,
                    slot_end=item.end,
                    table=item.meeting.table_number,
                    table_name=session.table_name(item.meeting.table_number),
                    video_link=item.meeting.video_link or session.online_link,
                    with_organisation=item.other.name,
                    reason=item.reason,
                    cancelled=item.meeting.cancelled_at is not None,
                )
                for item in items
            ],
        )
        for participant, items in agendas
    ]
