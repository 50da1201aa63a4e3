"""The organiser approving registrations: when the session asks for it, each new registration waits until the
organiser approves it (then it counts toward the session's cap and gets meetings) or declines it, with a reason
if they like; the organisation is told either way."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.viewer import Viewer
from exchange.notifications import service as notifications
from exchange.notifications.models import NotificationKind
from exchange.organisations.service import active_members
from exchange.sessions import service
from exchange.sessions.models import Approval, MatchmakingSession, SessionParticipant, SessionStatus

REASON_LENGTH = 400


def set_required(db: Session, viewer: Viewer, session_id: int, required: bool) -> MatchmakingSession:
    """Registrations made before keep the approval they have: only new ones wait."""
    session = service.get_organised(db, viewer, session_id)
    if session.status is SessionStatus.CANCELLED:
        raise Conflict("A cancelled session cannot be changed.")
    session.requires_approval = required
    audit.record(db, viewer.user_id, "session.approval_set", "session", session.id, required=required)
    db.flush()
    return session


def registrations(db: Session, viewer: Viewer, session_id: int) -> list[SessionParticipant]:
    """Every registration still in, for the organiser: waiting ones first."""
    service.get_organised(db, viewer, session_id)
    order = {Approval.PENDING: 0, Approval.APPROVED: 1, Approval.DECLINED: 2}
    people = service.participants(db, session_id, unapproved=True)
    return sorted(people, key=lambda p: order[p.approval])


def waiting(db: Session, session_id: int) -> list[SessionParticipant]:
    return [p for p in service.participants(db, session_id, unapproved=True) if p.approval is Approval.PENDING]


def _pending(db: Session, viewer: Viewer, session_id: int, participant_id: int) -> SessionParticipant:
    session = service.get_organised(db, viewer, session_id)
    if session.status is SessionStatus.CANCELLED:
        raise Conflict("This session is cancelled.")
    found = next((p for p in service.participants(db, session_id, unapproved=True) if p.id == participant_id), None)
    if found is None:
        raise NotFound("participant")
    if found.approval is not Approval.PENDING:
        raise Conflict(f"This registration is already {found.approval.label.lower()}.")
    return found


def approve(db: Session, viewer: Viewer, session_id: int, participant_id: int) -> SessionParticipant:
    participant = _pending(db, viewer, session_id, participant_id)
    session = service.get_organised(db, viewer, session_id)
    # Approval is where a registration starts to count toward the cap.
    service.refuse_when_full(db, session)
    participant.approval = Approval.APPROVED
    audit.record(db, viewer.user_id, "session.registration_approved", "session", session_id, participant=participant.id)
    _tell(
        db,
        session,
        participant,
        f"Your registration for {session.title} is approved",
        f"{participant.name} takes part in {session.title} on {session.held_on:%-d %B %Y}. "
        "Say whom you want to meet before preferences close.",
        f"/sessions/{session.id}/participants/{participant.id}/preferences",
    )
    db.flush()
    return participant


def decline(db: Session, viewer: Viewer, session_id: int, participant_id: int, reason: str) -> SessionParticipant:
    reason = reason.strip()
    if len(reason) > REASON_LENGTH:
        message = f"The reason must be {REASON_LENGTH} characters or fewer"
        raise Invalid(message, field_errors={"reason": message})
    participant = _pending(db, viewer, session_id, participant_id)
    session = service.get_organised(db, viewer, session_id)
    participant.approval = Approval.DECLINED
    participant.decline_reason = reason
    audit.record(db, viewer.user_id, "session.registration_declined", "session", session_id, participant=participant.id)
    because = f" The organiser says: {reason}" if reason else ""
    _tell(
        db,
        session,
        participant,
        f"Your registration for {session.title} is declined",
        f"The organiser of {session.title} declined the registration of {participant.name}.{because}",
        f"/sessions/{session.id}",
    )
    db.flush()
    return participant


def tell_organisers_waiting(db: Session, session: MatchmakingSession, participant: SessionParticipant) -> None:
    """A new registration waits: the organising organisation's people hear of it, to approve or decline it."""
    notifications.notify(
        db,
        active_members(db, {session.organisation_id}),
        NotificationKind.SESSION_AGENDA,
        f"{participant.name} waits for your approval for {session.title}",
        f"{participant.name} registered for {session.title}. Approve or decline the registration.",
        f"/sessions/{session.id}/registrations",
    )


def _tell(
    db: Session, session: MatchmakingSession, participant: SessionParticipant, title: str, body: str, link: str
) -> None:
    notifications.notify(
        db, active_members(db, {participant.organisation_id}), NotificationKind.SESSION_AGENDA, title, body, link
    )
