"""Participants asking each other for a meeting: one side asks someone on the other side (with a short message),
who accepts or declines; both are told. An accepted request is a "must meet" for both when the schedule is made
(see ``accepted_pairs`` and the planner), whatever either said in their preferences."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.organisations.service import active_members
from exchange.sessions import preferences, service
from exchange.sessions.models import (
    Approval,
    MatchmakingSession,
    MeetingRequest,
    RequestStatus,
    SessionParticipant,
)

MESSAGE_LENGTH = 500


@dataclass(frozen=True)
class Requests:
    """One participant's requests: those it made, and those made to it."""

    sent: list[MeetingRequest]
    received: list[MeetingRequest]


def _query(session_id: int) -> Select[MeetingRequest]:
    return (
        select(MeetingRequest)
        .where(MeetingRequest.session_id == session_id)
        .options(
            selectinload(MeetingRequest.requester).selectinload(SessionParticipant.organisation),
            selectinload(MeetingRequest.target).selectinload(SessionParticipant.organisation),
        )
        .order_by(MeetingRequest.id)
    )


def of_participant(db: Session, participant: SessionParticipant) -> Requests:
    found = list(
        db.scalars(
            _query(participant.session_id).where(
                (MeetingRequest.requester_id == participant.id) | (MeetingRequest.target_id == participant.id)
            )
        )
    )
    return Requests(
        [r for r in found if r.requester_id == participant.id], [r for r in found if r.target_id == participant.id]
    )


def accepted_pairs(db: Session, session_id: int) -> list[tuple[int, int]]:
    """(requester, target) of every accepted request: both must meet."""
    query = select(MeetingRequest.requester_id, MeetingRequest.target_id).where(
        MeetingRequest.session_id == session_id, MeetingRequest.status == RequestStatus.ACCEPTED
    )
    return [(a, b) for a, b in db.execute(query)]


def _open_for_requests(session: MatchmakingSession) -> None:
    if not preferences.preferences_open(session):
        raise Conflict("Meeting requests for this session are closed.")


def _taking_part(participant: SessionParticipant) -> None:
    if participant.approval is not Approval.APPROVED:
        raise Conflict("Your registration is waiting for the organiser's approval: ask for meetings once approved.")


def send(
    db: Session, viewer: Viewer, session_id: int, participant_id: int, target_id: int | None, message: str
) -> MeetingRequest:
    session = service.get(db, viewer, session_id)
    participant = service.own_participant(db, viewer, session_id, participant_id)
    _open_for_requests(session)
    _taking_part(participant)
    errors: dict[str, str] = {}
    others = {p.id: p for p in service.participants(db, session_id) if p.side is not participant.side}
    target = others.get(target_id) if target_id is not None else None
    if target is None:
        errors["target_id"] = "Choose whom you want to meet from the list"
    message = message.strip()
    if len(message) > MESSAGE_LENGTH:
        errors["message"] = f"The message must be {MESSAGE_LENGTH} characters or fewer"
    if errors:
        raise Invalid("Check the answers and try again", field_errors=errors)
    assert target is not None and viewer.user_id is not None
    already = db.scalar(
        select(MeetingRequest).where(
            ((MeetingRequest.requester_id == participant.id) & (MeetingRequest.target_id == target.id))
            | ((MeetingRequest.requester_id == target.id) & (MeetingRequest.target_id == participant.id))
        )
    )
    if already is not None:
        raise Invalid(
            "Check the answers and try again",
            field_errors={"target_id": f"There is already a meeting request between you and {target.name}"},
        )
    request = MeetingRequest(
        session_id=session.id,
        requester_id=participant.id,
        target_id=target.id,
        requested_by_id=viewer.user_id,
        message=message,
    )
    request.requester, request.target = participant, target
    db.add(request)
    db.flush()
    audit.record(db, viewer.user_id, "session.meeting_requested", "session", session.id, request=request.id)
    said = f" Their message: {message}" if message else ""
    _tell(
        db,
        target,
        f"{participant.name} asks to meet you at {session.title}",
        f"{participant.name} would like a meeting with {target.name} at {session.title} on "
        f"{session.held_on:%-d %B %Y}.{said} Accept or decline the request on your preferences page.",
        f"/sessions/{session.id}/participants/{target.id}/preferences#requests",
    )
    return request


def answer(
    db: Session, viewer: Viewer, session_id: int, participant_id: int, request_id: int, accept: bool
) -> MeetingRequest:
    """The participant asked accepts or declines; the one who asked is told."""
    session = service.get(db, viewer, session_id)
    participant = service.own_participant(db, viewer, session_id, participant_id)
    request = db.scalar(_query(session_id).where(MeetingRequest.id == request_id))
    if request is None or request.target_id != participant.id:
        raise NotFound("meeting request")
    _open_for_requests(session)
    if request.status is not RequestStatus.PENDING:
        raise Conflict(f"This request is already {request.status.label.lower()}.")
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.answered_by_id = viewer.user_id
    request.answered_at = utcnow()
    audit.record(
        db, viewer.user_id, "session.meeting_request_answered", "session", session.id, request=request.id, accept=accept
    )
    what = "accepted" if accept else "declined"
    then = " You will both get a meeting when the organiser makes the schedule." if accept else ""
    _tell(
        db,
        request.requester,
        f"{participant.name} {what} your meeting request",
        f"{participant.name} {what} your request to meet at {session.title}.{then}",
        f"/sessions/{session.id}/participants/{request.requester_id}/preferences#requests",
    )
    db.flush()
    return request


def _tell(db: Session, participant: SessionParticipant, title: str, body: str, link: str) -> None:
    notifications.notify(
        db, active_members(db, {participant.organisation_id}), NotificationKind.SESSION_AGENDA, title, body, link
    )
