"""Meetings taken off a published agenda (the schedule made again without them, or removed by the organiser).
Calendars that imported the agenda still hold their events, and a file cannot delete an event: so each
participant's calendar goes on listing a dropped meeting, cancelled, under the same UID, until the pair is
scheduled again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from exchange.sessions.models import MatchmakingSession, SessionMeeting, SessionParticipant, Side

# What a participant's agenda holds, as ``agenda.signatures`` gives it: (slot, table, the other participant).
Signature = frozenset[tuple[int, int, int]]


@dataclass(frozen=True)
class DroppedMeeting:
    council_id: int
    supplier_id: int
    other: SessionParticipant
    start: str
    end: str


def record(people: Iterable[SessionParticipant], before: dict[int, Signature], after: dict[int, Signature]) -> None:
    """Note, for each participant, the meetings that left its published agenda (a pair met again is forgotten)."""
    for person in people:
        meeting_now = {other for _, _, other in after.get(person.id, frozenset())}
        kept = [entry for entry in person.calendar_dropped or [] if entry["with"] not in meeting_now]
        noted = {entry["with"] for entry in kept}
        for slot, _, other in sorted(before.get(person.id, frozenset())):
            if other not in meeting_now and other not in noted:
                kept.append({"with": other, "slot": slot})
                noted.add(other)
        if kept != (person.calendar_dropped or []):
            person.calendar_dropped = kept


def of(
    db: Session, session: MatchmakingSession, participant: SessionParticipant, shown: Sequence[SessionMeeting]
) -> list[DroppedMeeting]:
    """The participant's dropped meetings that its calendar does not show otherwise."""
    pairs = {(m.council_id, m.supplier_id) for m in shown}
    entries = [e for e in participant.calendar_dropped or [] if 0 <= e["slot"] < len(session.slots)]
    if not entries:
        return []
    query = (
        select(SessionParticipant)
        .where(SessionParticipant.id.in_({e["with"] for e in entries}))
        .options(selectinload(SessionParticipant.organisation))
    )
    others = {p.id: p for p in db.scalars(query)}
    found = []
    for entry in entries:
        other = others.get(entry["with"])
        if other is None:
            continue
        council, supplier = (participant, other) if participant.side is Side.COUNCIL else (other, participant)
        if (council.id, supplier.id) in pairs:
            continue
        slot = session.slots[entry["slot"]]
        found.append(DroppedMeeting(council.id, supplier.id, other, slot["start"], slot["end"]))
    return found
