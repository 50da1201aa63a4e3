"""Why a meeting cannot go where the organiser is moving it, in the organiser's words: who is already busy, whose
table is taken, who cannot make that time. Moving keeps the pair, so only these rules can newly break; the
scheduler's own check (``scheduling.metrics``) still runs after, as a safety net, and anything it finds is told
with names instead of its internal numbering."""

from __future__ import annotations

import re
from collections.abc import Sequence

from exchange.sessions.models import MatchmakingSession, SessionMeeting, SessionParticipant

# The scheduler's own wording: "meeting 8 (p3 and p7 at 10:20, table 2): ..." and its field names.
SCHEDULER_PREFIX = re.compile(r"^meeting \d+ \([^)]*\): ")


def _pair(meeting: SessionMeeting) -> str:
    return f"{meeting.council.name} with {meeting.supplier.name}"


def _can_make(participant: SessionParticipant, slot: int) -> bool:
    return participant.available is None or slot in participant.available


def problems(
    session: MatchmakingSession, meetings: Sequence[SessionMeeting], moving: SessionMeeting, slot: int, table: int
) -> list[str]:
    """What stops ``moving`` going to (slot, table), given the session's other live meetings."""
    at = session.slots[slot]["start"]
    found = []
    others = [m for m in meetings if m.id != moving.id and m.slot == slot]
    taken = next((m for m in others if m.table_number == table), None)
    if taken is not None:
        found.append(f"Table {table} is taken at {at}: {_pair(taken)} meet there.")
    for person in (moving.council, moving.supplier):
        busy = next((m for m in others if person.id in (m.council_id, m.supplier_id)), None)
        if busy is not None:
            other = busy.supplier if busy.council_id == person.id else busy.council
            found.append(f"{person.name} already meets {other.name} at {at} (table {busy.table_number}).")
        if person.no_show:
            found.append(f"{person.name} is marked as not having turned up, so gets no meeting at another time.")
        elif not _can_make(person, slot):
            found.append(f"{person.name} cannot make {at}: they said so when registering.")
    return found


def in_words(readable: str) -> str:
    """A rule the scheduler reports (its participant ids already replaced by names, see ``Plan.readable``),
    without its meeting numbers."""
    text = SCHEDULER_PREFIX.sub("", readable)
    text = text.replace("max_meetings", "the most meetings they accept")
    return f"{text[:1].upper()}{text[1:]}."
