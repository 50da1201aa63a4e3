"""Walk-ins: on the day the organiser registers someone who turns up unannounced. Their organisation is found
by its name on the exchange or added (unverified, with no members: the organiser speaks for it); they are
checked in at once, free in every slot, so the gaps can be filled with them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.organisations.models import Organisation
from exchange.organisations.service import unique_slug
from exchange.sessions import service
from exchange.sessions.models import MatchmakingSession, SessionParticipant, SessionStatus
from exchange.sessions.schemas import WalkInForm


def can_take_walk_ins(session: MatchmakingSession) -> bool:
    return session.status in service.LISTED


def _organisation(db: Session, session: MatchmakingSession, form: WalkInForm) -> Organisation:
    name = " ".join(form.organisation_name.split())
    found = db.scalar(select(Organisation).where(func.lower(Organisation.name) == name.lower()).limit(1))
    if found is not None:
        if found.kind.value not in session.open_to:
            raise Invalid(
                "Check the answers and try again",
                field_errors={
                    "organisation_name": f"{found.name} is a {found.kind.label.lower()}, and this session is not "
                    "open to that kind of organisation"
                },
            )
        return found
    if form.kind is None:
        raise Invalid(
            "Check the answers and try again",
            field_errors={"kind": f"{name} is new to the exchange: choose what kind of organisation it is"},
        )
    if form.kind.value not in session.open_to:
        raise Invalid(
            "Check the answers and try again",
            field_errors={"kind": "Choose a kind of organisation this session is open to"},
        )
    organisation = Organisation(kind=form.kind, name=name, slug=unique_slug(db, name), verified=False)
    db.add(organisation)
    db.flush()
    return organisation


def register_walk_in(db: Session, viewer: Viewer, session_id: int, form: WalkInForm) -> SessionParticipant:
    session = service.get_organised(db, viewer, session_id)
    if not can_take_walk_ins(session):
        raise Conflict(
            "This session is cancelled." if session.status is SessionStatus.CANCELLED else "Open the session first."
        )
    organisation = _organisation(db, session, form)
    taken = db.scalar(
        select(SessionParticipant).where(
            SessionParticipant.session_id == session.id,
            SessionParticipant.organisation_id == organisation.id,
            SessionParticipant.team == "",
        )
    )
    if taken is not None and taken.withdrawn_at is None:
        raise Invalid(
            "Check the answers and try again",
            field_errors={
                "organisation_name": f"{organisation.name} is already taking part: check it in from the list"
            },
        )
    assert viewer.user_id is not None
    participant = taken or SessionParticipant(
        session_id=session.id, organisation_id=organisation.id, registered_by_id=viewer.user_id, team=""
    )
    participant.attendees = form.attendees
    participant.side = service.side_of(organisation)
    participant.available = None
    participant.max_meetings = session.max_meetings
    participant.withdrawn_at = None
    participant.no_show = False
    participant.checked_in_at = utcnow()
    participant.organisation = organisation
    db.add(participant)
    db.flush()
    audit.record(db, viewer.user_id, "session.walk_in", "session", session.id, participant=participant.id)
    return participant
