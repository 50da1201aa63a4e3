"""A participant's meetings as an iCalendar file (RFC 5545), so they land in any calendar program.

Times are written in UTC: every calendar converts them to its own zone, and no time zone definition has to
travel in the file. Each meeting keeps its UID across changes, so a re-imported file updates the event."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from exchange.core.models import utcnow
from exchange.sessions.agenda import AgendaItem
from exchange.sessions.models import MatchmakingSession
from exchange.sessions.slots import moment

LINE_LIMIT = 75


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space (without splitting a character)."""
    out: list[str] = []
    current = ""
    for char in line:
        limit = LINE_LIMIT if not out else LINE_LIMIT - 1
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(session: MatchmakingSession, who: str, items: Sequence[AgendaItem], host: str) -> str:
    stamp = _utc(utcnow())
    where = session.venue or session.online_link
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Open Innovation Exchange//Matchmaking sessions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(f'{session.title}: {who}')}",
    ]
    for item in items:
        meeting = item.meeting
        status = "CANCELLED" if meeting.cancelled_at is not None else "CONFIRMED"
        description = f"Table {meeting.table_number}. {item.reason}"
        if session.online_link:
            description += f"\nJoin: {session.online_link}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:session-{session.id}-meeting-{meeting.id}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(moment(session.held_on, item.start))}",
            f"DTEND:{_utc(moment(session.held_on, item.end))}",
            f"SUMMARY:{escape(f'Meeting with {item.other.name} (table {meeting.table_number})')}",
            f"DESCRIPTION:{escape(description)}",
            f"LOCATION:{escape(where)}",
            f"STATUS:{status}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold(line))
