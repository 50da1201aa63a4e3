"""Where meetings happen: the organiser's names for tables ("Room A, table 1") and a video link for a meeting
held online. Agendas, printed agendas and calendar files show both."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.viewer import Viewer
from exchange.sessions import service
from exchange.sessions.models import MatchmakingSession, SessionMeeting, SessionStatus

NAME_LENGTH = 100
LINK_LENGTH = 500
WEB_ADDRESS = re.compile(r"^https://\S+$")


def names_text(session: MatchmakingSession) -> str:
    """The names as the organiser's form shows them: one a line, in table order (empty lines for unnamed)."""
    names = session.table_names or {}
    return "\n".join(names.get(str(n), "") for n in range(1, session.tables + 1)).rstrip("\n")


def name_tables(db: Session, viewer: Viewer, session_id: int, text: str) -> MatchmakingSession:
    """Line N names table N; an empty line leaves that table as "Table N"."""
    session = service.get_organised(db, viewer, session_id)
    if session.status is SessionStatus.CANCELLED:
        raise Conflict("A cancelled session cannot be changed.")
    lines = [line.strip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    if len(lines) > session.tables:
        raise Invalid(
            "Check the answers and try again",
            field_errors={"table_names": f"The session has {session.tables} tables: enter at most one name for each"},
        )
    if any(len(line) > NAME_LENGTH for line in lines):
        raise Invalid(
            "Check the answers and try again",
            field_errors={"table_names": f"Each name must be {NAME_LENGTH} characters or fewer"},
        )
    names = {str(n): line for n, line in enumerate(lines, start=1) if line}
    if names != (session.table_names or {}):
        session.table_names = names or None
        service.calendars_changed(session)
    audit.record(db, viewer.user_id, "session.tables_named", "session", session.id)
    db.flush()
    return session


def check_link(link: str, field: str = "video_link") -> str:
    link = link.strip()
    if link and (len(link) > LINK_LENGTH or not WEB_ADDRESS.match(link)):
        message = "Enter the video link as a web address starting with https://"
        raise Invalid(message, field_errors={field: message})
    return link


def set_video_link(db: Session, viewer: Viewer, session_id: int, meeting_id: int, link: str) -> SessionMeeting:
    """A meeting's own link (an empty one: the session's online link, if it has one)."""
    session = service.get_organised(db, viewer, session_id)
    if session.status is SessionStatus.CANCELLED:
        raise Conflict("A cancelled session cannot be changed.")
    meeting = db.scalar(
        select(SessionMeeting).where(SessionMeeting.id == meeting_id, SessionMeeting.session_id == session.id)
    )
    if meeting is None or meeting.cancelled_at is not None:
        raise NotFound("meeting")
    link = check_link(link)
    if link != meeting.video_link:
        meeting.video_link = link
        service.calendars_changed(session)
    audit.record(db, viewer.user_id, "session.video_link_set", "session", session.id, meeting=meeting.id)
    db.flush()
    return meeting


def video_link(session: MatchmakingSession, meeting: SessionMeeting) -> str:
    return meeting.video_link or session.online_link
