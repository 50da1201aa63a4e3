"""The check-in code on each participant's printed agenda: a QR code of an address holding a signed token that
names the participant. Only the session's organisers can act on it (signed in, they open it and the participant
is checked in); to anyone else it opens nothing, so a lost agenda gives nothing away."""

from __future__ import annotations

import segno
from markupsafe import Markup
from sqlalchemy.orm import Session, selectinload

from exchange.core.errors import NotFound
from exchange.core.security import make_token, read_token
from exchange.core.viewer import Viewer
from exchange.sessions import day, service
from exchange.sessions.models import SessionParticipant

PURPOSE = "session-check-in"
# Agendas are printed weeks before the day, and a session may move: the code holds for over a year.
MAX_AGE = 400 * 24 * 3600


def token_for(participant: SessionParticipant) -> str:
    return make_token(PURPOSE, {"session": participant.session_id, "participant": participant.id})


def path_for(participant: SessionParticipant) -> str:
    return f"/sessions/{participant.session_id}/check-in/{token_for(participant)}"


def qr_svg(address: str, label: str) -> Markup:
    """An inline SVG QR code of the address (the label is its accessible name)."""
    code = segno.make(address, error="m")
    svg = code.svg_inline(scale=3, border=2, title=label, svgclass="exchange-qr", omitsize=False)
    return Markup(svg)


def check_in_by_token(db: Session, viewer: Viewer, session_id: int, token: str) -> tuple[SessionParticipant, bool]:
    """Check in whoever the code names (already checked in: left as it was). Returns the participant and whether
    this opening checked it in."""
    service.get_organised(db, viewer, session_id)
    payload = read_token(PURPOSE, token, MAX_AGE) if len(token) <= 200 else None
    if payload is None or payload.get("session") != session_id or not isinstance(payload.get("participant"), int):
        raise NotFound("participant")
    participant = db.get(
        SessionParticipant, payload["participant"], options=[selectinload(SessionParticipant.organisation)]
    )
    if participant is None or participant.session_id != session_id or participant.withdrawn_at is not None:
        raise NotFound("participant")
    if participant.checked_in_at is not None:
        return participant, False
    return day.set_checked_in(db, viewer, session_id, participant.id, True), True
