"""A participant's agenda as an iCalendar file (RFC 5545), written by the ``icalendar`` library, so that it
lands in any calendar program and updates the events already there.

- Each meeting's UID comes from the session's calendar key and the pair that meets, so it holds when the
  schedule is made again or the meeting moves; the session itself is one more event with a UID of its own.
- STATUS is TENTATIVE while the agenda is provisional, CONFIRMED once final, CANCELLED for a cancelled
  meeting or session, and for a meeting taken off the agenda (see ``dropped``); SEQUENCE is the session's
  calendar sequence, raised by every change.
- Times are written in UTC: every calendar converts them to its own zone, and no time zone definition has to
  travel in the file.
- Names come from people (organisation names, titles): control characters are taken out, since a lone
  carriage return breaks the file's lines."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC

import icalendar

from exchange.core.models import utcnow
from exchange.sessions.agenda import AgendaItem
from exchange.sessions.dropped import DroppedMeeting
from exchange.sessions.models import MatchmakingSession, SessionStatus
from exchange.sessions.slots import moment

PRODUCT = "-//Open Innovation Exchange//Matchmaking sessions//EN"
# Every control character but the line feed, which a description may hold (the library escapes it).
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def one_line(text: str) -> str:
    """A name or title: no control characters, no line breaks."""
    return " ".join(CONTROL.sub(" ", LINE_BREAKS.sub(" ", text)).split())


def paragraph(text: str) -> str:
    """A description: line breaks kept (as line feeds), every other control character taken out."""
    lines = (" ".join(CONTROL.sub(" ", line).split()) for line in re.split(r"\r\n|\r|\n|\u2028|\u2029", text))
    return "\n".join(lines).strip()


def meeting_uid(session: MatchmakingSession, council_id: int, supplier_id: int, host: str) -> str:
    digest = hashlib.sha256(f"{session.calendar_key}:{council_id}:{supplier_id}".encode()).hexdigest()[:32]
    return f"meeting-{digest}@{host}"


def session_uid(session: MatchmakingSession, host: str) -> str:
    digest = hashlib.sha256(f"{session.calendar_key}:session".encode()).hexdigest()[:32]
    return f"session-{digest}@{host}"


def _status(session: MatchmakingSession, cancelled: bool = False) -> str:
    if cancelled or session.status is SessionStatus.CANCELLED:
        return "CANCELLED"
    return "CONFIRMED" if session.status is SessionStatus.FINAL else "TENTATIVE"


def _event(session: MatchmakingSession, uid: str, start: str, end: str, summary: str) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", utcnow().astimezone(UTC))
    event.add("dtstart", moment(session.held_on, start).astimezone(UTC))
    event.add("dtend", moment(session.held_on, end).astimezone(UTC))
    event.add("summary", one_line(summary))
    event.add("sequence", session.calendar_sequence)
    where = one_line(session.venue or session.online_link)
    if where:
        event.add("location", where)
    return event


def _session_event(session: MatchmakingSession, host: str) -> icalendar.Event:
    """The whole session, first meeting to last: marked free, since the meetings themselves take the time."""
    first, last = session.slots[0], session.slots[-1]
    event = _event(session, session_uid(session, host), first["start"], last["end"], session.title)
    event.add("description", paragraph(f"Organised by {session.organisation.name}.\n{session.description}"))
    event.add("status", _status(session))
    event.add("transp", "TRANSPARENT")
    return event


def calendar(
    session: MatchmakingSession,
    who: str,
    items: Sequence[AgendaItem],
    host: str,
    dropped: Sequence[DroppedMeeting] = (),
) -> str:
    """The session and one participant's meetings (each reason as its reader may read it, see ``need_names``),
    and the meetings taken off its agenda, cancelled."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{one_line(session.title)}: {one_line(who)}")
    cal.add_component(_session_event(session, host))
    for item in items:
        meeting = item.meeting
        table = session.table_name(meeting.table_number)
        event = _event(
            session,
            meeting_uid(session, meeting.council_id, meeting.supplier_id, host),
            item.start,
            item.end,
            f"Meeting with {one_line(item.other.name)} ({one_line(table)})",
        )
        # A table (or room) the organiser named is where to go: the meeting's LOCATION, with the venue after it.
        if str(meeting.table_number) in (session.table_names or {}):
            event["location"] = ", ".join(one_line(part) for part in (table, session.venue) if part)
        description = f"{table}. {item.reason}"
        link = meeting.video_link or session.online_link
        if link:
            description += f"\nJoin: {link}"
            event.add("url", link)
        event.add("description", paragraph(description))
        event.add("status", _status(session, cancelled=meeting.cancelled_at is not None))
        cal.add_component(event)
    for gone in dropped:
        uid = meeting_uid(session, gone.council_id, gone.supplier_id, host)
        event = _event(session, uid, gone.start, gone.end, f"Meeting with {one_line(gone.other.name)} (cancelled)")
        event.add("status", "CANCELLED")
        cal.add_component(event)
    return cal.to_ical().decode()
