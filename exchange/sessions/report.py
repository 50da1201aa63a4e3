"""What the organiser sees about a schedule and, afterwards, about the meetings: meetings per participant,
requests satisfied, idle slots, and the follow-ups both sides recorded."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.scheduling.timetable import idle_gaps
from exchange.sessions.models import FollowUpKind, MeetingFollowUp, SessionMeeting, SessionParticipant, WishLevel
from exchange.sessions.preferences import wishes


@dataclass
class Statistics:
    participants: int = 0
    meetings: int = 0
    # How many participants have n meetings, for n = 0, 1, 2...
    per_participant: list[int] = field(default_factory=list)
    no_meeting: int = 0
    must_asked: int = 0
    must_met: int = 0
    like_asked: int = 0
    like_met: int = 0
    idle_gaps: int = 0
    table_slots: int = 0
    # The "must meet" requests the schedule does not meet, in words ("Burnley asked to meet Civic Voice").
    must_missed: list[str] = field(default_factory=list)

    @property
    def average(self) -> float:
        return 2 * self.meetings / self.participants if self.participants else 0.0

    @property
    def tables_used_percent(self) -> int:
        return round(100 * self.meetings / self.table_slots) if self.table_slots else 0


def statistics(
    db: Session,
    session_id: int,
    people: list[SessionParticipant],
    meetings: list[SessionMeeting],
    slots: int,
    tables: int,
) -> Statistics:
    count: Counter[int] = Counter()
    busy: Counter[int] = Counter()
    pairs = set()
    for m in meetings:
        for p in (m.council_id, m.supplier_id):
            count[p] += 1
            busy[p] |= 1 << m.slot
        pairs.add(frozenset((m.council_id, m.supplier_id)))
    stats = Statistics(participants=len(people), meetings=len(meetings), table_slots=slots * tables)
    most = max(count.values(), default=0)
    stats.per_participant = [sum(1 for p in people if count[p.id] == n) for n in range(most + 1)]
    stats.no_meeting = sum(1 for p in people if count[p.id] == 0)
    stats.idle_gaps = sum(idle_gaps(busy[p.id]) for p in people)
    present = {p.id: p for p in people}
    missed: dict[frozenset[int], list[int]] = {}
    for wish in wishes(db, session_id):
        if wish.participant_id not in present or wish.target_id not in present or wish.level is WishLevel.NO:
            continue
        pair = frozenset((wish.participant_id, wish.target_id))
        met = pair in pairs
        if wish.level is WishLevel.MUST:
            stats.must_asked += 1
            stats.must_met += met
            if not met:
                missed.setdefault(pair, []).append(wish.participant_id)
        else:
            stats.like_asked += 1
            stats.like_met += met
    stats.must_missed = sorted(_missed_in_words(present, pair, askers) for pair, askers in missed.items())
    return stats


def _missed_in_words(people: dict[int, SessionParticipant], pair: frozenset[int], askers: list[int]) -> str:
    if len(askers) == 2:
        first, second = sorted(people[p].name for p in pair)
        return f"{first} and {second} (both asked)"
    (asker,) = askers
    (other,) = pair - {asker}
    return f"{people[asker].name} asked to meet {people[other].name}"


@dataclass(frozen=True)
class Outcomes:
    by_kind: dict[FollowUpKind, int]
    rows: list[tuple[SessionMeeting, MeetingFollowUp | None, MeetingFollowUp | None]]


def outcomes(db: Session, meetings: list[SessionMeeting]) -> Outcomes:
    ids = [m.id for m in meetings]
    found = list(db.scalars(select(MeetingFollowUp).where(MeetingFollowUp.meeting_id.in_(ids)))) if ids else []
    by_side = {(f.meeting_id, f.participant_id): f for f in found}
    by_kind = Counter(f.kind for f in found)
    rows = [(m, by_side.get((m.id, m.council_id)), by_side.get((m.id, m.supplier_id))) for m in meetings]
    return Outcomes({kind: by_kind.get(kind, 0) for kind in FollowUpKind}, rows)
