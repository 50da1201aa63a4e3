"""The session's schedule: the scheduling instance made from the database, the schedule the solver returns
stored as meetings with their reasons, and the organiser's changes (lock, move, remove), each checked
against every rule of the scheduler before anything is written."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.viewer import Viewer
from exchange.scheduling import metrics, solver
from exchange.scheduling import model as scheduling
from exchange.sessions import agenda, meeting_requests, move_rules, need_names, preferences, service
from exchange.sessions.models import (
    MatchmakingSession,
    MeetingFeedback,
    MeetingFollowUp,
    SessionMeeting,
    SessionParticipant,
    Side,
    WishLevel,
)

# Long enough for a few thousand participants (see `exchange bench schedule`), short enough to wait for.
SOLVE_SECONDS = 5.0


def pid(participant_id: int) -> str:
    return f"p{participant_id}"


@dataclass
class Plan:
    """A session as the scheduler sees it, with what is needed to explain and store its meetings."""

    session: MatchmakingSession
    instance: scheduling.Instance
    people: dict[int, SessionParticipant]
    wishes: dict[tuple[int, int], WishLevel]
    suggested: dict[tuple[int, int], preferences.Suggestion]

    def readable(self, problem: str) -> str:
        """A rule the scheduler reports, with names instead of ids."""
        return re.sub(r"\bp(\d+)\b", lambda m: self._name(int(m.group(1))), problem)

    def _name(self, participant_id: int) -> str:
        person = self.people.get(participant_id)
        return person.name if person else f"participant {participant_id}"

    def reason(self, council: int, supplier: int) -> str:
        """Why the pair meets, in words that name no need (see ``suggestion_for`` and ``need_names``)."""
        said = [
            (who, level)
            for who, level in (
                (council, self.wishes.get((council, supplier))),
                (supplier, self.wishes.get((supplier, council))),
            )
            if level is not None and level is not WishLevel.NO
        ]
        if len(said) == 2 and said[0][1] is said[1][1] is WishLevel.MUST:
            return "Both must meet"
        if said:
            return "; ".join(f"{self._name(who)}: {level.label.lower()}" for who, level in said)
        return need_names.SUGGESTED_UNNAMED if self.suggestion_for(council, supplier) else "Suggested by the organiser"

    def suggestion_for(self, council: int, supplier: int) -> preferences.Suggestion | None:
        """The need-based suggestion a meeting stands on, when nobody asked for it."""
        if any(
            self.wishes.get(pair) not in (None, WishLevel.NO) for pair in ((council, supplier), (supplier, council))
        ):
            return None
        return self.suggested.get((council, supplier))

    def value(self, council: int, supplier: int) -> float:
        worth = sum(
            scheduling.WISH_VALUE.get(level.value, 0.0)
            for level in (self.wishes.get((council, supplier)), self.wishes.get((supplier, council)))
            if level is not None
        )
        if worth:
            return worth
        suggestion = self.suggested.get((council, supplier))
        return suggestion.score if suggestion else 0.0


def live_meetings(db: Session, session_id: int) -> list[SessionMeeting]:
    query = (
        select(SessionMeeting)
        .where(SessionMeeting.session_id == session_id, SessionMeeting.cancelled_at.is_(None))
        .options(
            selectinload(SessionMeeting.council).selectinload(SessionParticipant.organisation),
            selectinload(SessionMeeting.supplier).selectinload(SessionParticipant.organisation),
        )
        .order_by(SessionMeeting.slot, SessionMeeting.table_number)
    )
    return list(db.scalars(query))


def _cancelled_pairs(db: Session, session_id: int) -> list[tuple[int, int]]:
    """Meetings a participant cancelled: (who cancelled, the other side), never scheduled again."""
    query = select(SessionMeeting).where(
        SessionMeeting.session_id == session_id,
        SessionMeeting.cancelled_at.is_not(None),
        SessionMeeting.cancelled_by_id.is_not(None),
    )
    pairs = []
    for meeting in db.scalars(query):
        other = meeting.supplier_id if meeting.cancelled_by_id == meeting.council_id else meeting.council_id
        assert meeting.cancelled_by_id is not None
        pairs.append((meeting.cancelled_by_id, other))
    return pairs


def _available(
    participant: SessionParticipant, labels: list[str], locked: list[SessionMeeting]
) -> tuple[str, ...] | None:
    """The slots a participant can meet in; someone who did not turn up keeps only the meetings already kept."""
    if participant.no_show:
        return tuple(labels[m.slot] for m in locked if participant.id in (m.council_id, m.supplier_id))
    if participant.available is None:
        return None
    return tuple(labels[s] for s in participant.available if s < len(labels))


def plan(db: Session, session: MatchmakingSession, locked: list[SessionMeeting] | None = None) -> Plan:
    people = {p.id: p for p in service.participants(db, session.id)}
    labels = session.slot_labels
    wishes = {
        (w.participant_id, w.target_id): w.level
        for w in preferences.wishes(db, session.id)
        if w.participant_id in people and w.target_id in people
    }
    # An accepted meeting request is a must for both, whatever their preferences say; a meeting one of them
    # cancelled since still is not made again (below).
    for requester, target in meeting_requests.accepted_pairs(db, session.id):
        if requester in people and target in people:
            wishes[(requester, target)] = wishes[(target, requester)] = WishLevel.MUST
    for source, target in _cancelled_pairs(db, session.id):
        if source in people and target in people:
            wishes[(source, target)] = WishLevel.NO
    suggested = preferences.suggestions(db, session.id)
    instance = scheduling.Instance(
        slots=tuple(labels),
        tables=session.tables,
        participants=tuple(
            scheduling.Participant(
                pid(p.id),
                p.side.value,
                f"o{p.organisation_id}",
                _available(p, labels, locked or []),
                p.max_meetings,
            )
            for p in people.values()
        ),
        wishes=tuple(scheduling.Wish(pid(a), pid(b), level.value) for (a, b), level in wishes.items()),
        suggestions=tuple(
            scheduling.Suggestion(pid(a), pid(b), s.score)
            for (a, b), s in suggested.items()
            if (a, b) not in wishes and (b, a) not in wishes
        ),
        locked=tuple(scheduling.Locked(pid(m.council_id), pid(m.supplier_id), labels[m.slot]) for m in (locked or [])),
        exclusive_organisations=session.exclusive_organisations,
    )
    return Plan(session, instance, people, wishes, suggested)


def as_schedule(plan_: Plan, meetings: list[SessionMeeting]) -> list[scheduling.Meeting]:
    labels = plan_.session.slot_labels
    return [scheduling.Meeting(pid(m.council_id), pid(m.supplier_id), labels[m.slot], m.table_number) for m in meetings]


def _refuse(plan_: Plan, problems: list[str], field: str = "schedule") -> Invalid:
    shown = [plan_.readable(p) for p in problems[:10]]
    return Invalid("The schedule would break the session's rules", field_errors={field: "; ".join(shown)})


def has_follow_ups(db: Session, session_id: int) -> bool:
    """Whether what came of the meetings is on record (follow-ups or feedback), which replacing them would lose."""
    for model in (MeetingFollowUp, MeetingFeedback):
        query = (
            select(func.count())
            .select_from(model)
            .join(SessionMeeting, SessionMeeting.id == model.meeting_id)
            .where(SessionMeeting.session_id == session_id)
        )
        if db.scalar(query):
            return True
    return False


def _no_follow_ups(db: Session, session_id: int) -> None:
    if has_follow_ups(db, session_id):
        raise Conflict(
            "Follow-ups or feedback are recorded against these meetings: the schedule can no longer be replaced."
        )


def generate(
    db: Session, viewer: Viewer, session_id: int, keep_all: bool = False, seconds: float = SOLVE_SECONDS
) -> Plan:
    """Make the schedule again around the locked meetings (or around every current one, filling the gaps), in
    this transaction: for the demo set and the command line. Organisers' requests run as jobs (``schedule_runs``)."""
    session = service.get_organised(db, viewer, session_id)
    prepared = prepare(db, session, keep_all)
    made = solve(prepared, seconds)
    apply(db, prepared, made, viewer.user_id)
    return prepared.plan


@dataclass
class Prepared:
    """What the solver is asked, with the meetings it was made around (to store, and to notice changes)."""

    plan: Plan
    current: list[SessionMeeting]
    kept: list[SessionMeeting]
    keep_all: bool

    @property
    def layout(self) -> set[tuple[int, int, int, bool]]:
        return meeting_layout(self.current)


def meeting_layout(meetings: list[SessionMeeting]) -> set[tuple[int, int, int, bool]]:
    """Each meeting where it stands: if this changes, a schedule made around the old one must not be stored."""
    return {(m.id, m.slot, m.table_number, m.locked) for m in meetings}


def prepare(db: Session, session: MatchmakingSession, keep_all: bool) -> Prepared:
    """Check the schedule may be made now, and read what the solver needs (reads only)."""
    check_can_generate(db, session)
    current = live_meetings(db, session.id)
    kept = current if keep_all else [m for m in current if m.locked]
    return Prepared(plan(db, session, kept), current, kept, keep_all)


def check_can_generate(db: Session, session: MatchmakingSession) -> None:
    if session.status not in service.LISTED:
        raise Conflict("Open the session for registration before making its schedule.")
    _no_follow_ups(db, session.id)


def solve(prepared: Prepared, seconds: float) -> scheduling.Schedule:
    """The solver's schedule (no database: the slow part, run outside any transaction by the job)."""
    try:
        return solver.solve(prepared.plan.instance, seconds=seconds)
    except scheduling.InstanceError as error:
        raise _refuse(prepared.plan, error.problems) from None


def apply(db: Session, prepared: Prepared, made: scheduling.Schedule, user_id: int | None) -> dict[str, Any]:
    """Store the schedule as the session's meetings, tell participants what changed, and audit it."""
    plan_ = prepared.plan
    session = plan_.session
    figures = metrics.measure(plan_.instance, made)
    # Meetings kept keep their own lock: keeping them all (filling the gaps) must not lock them all.
    still_locked = {(m.council_id, m.supplier_id) for m in prepared.kept if m.locked}
    _store(db, plan_, prepared.current, still_locked, made.meetings)
    session.schedule_figures = {
        "meetings": figures.meetings,
        "value": round(figures.value, 4),
        "upper_bound": round(figures.upper_bound or 0.0, 4),
        "gap_percent": round(figures.gap_percent or 0.0, 2),
        "no_meeting": figures.no_meeting,
        "idle_gaps": figures.idle_gaps,
    }
    audit.record(
        db,
        user_id,
        "session.schedule_generated",
        "session",
        session.id,
        keep_all=prepared.keep_all,
        **session.schedule_figures,
    )
    return session.schedule_figures


def _tables_for(
    made: list[scheduling.Meeting], previous: dict[tuple[int, int], SessionMeeting], labels: list[str]
) -> list[tuple[int, int, int, int]]:
    """(council, supplier, slot, table): meetings that stay in their slot keep their table where they can."""
    by_slot: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for m in made:
        by_slot[labels.index(m.slot)].append((int(m.a[1:]), int(m.b[1:])))
    placed = []
    for slot, pairs in by_slot.items():
        taken: set[int] = set()
        waiting = []
        for council, supplier in pairs:
            before = previous.get((council, supplier))
            if before is not None and before.slot == slot and before.table_number not in taken:
                taken.add(before.table_number)
                placed.append((council, supplier, slot, before.table_number))
            else:
                waiting.append((council, supplier))
        free = (n for n in range(1, 10_000) if n not in taken)
        placed += [(council, supplier, slot, next(free)) for council, supplier in waiting]
    return placed


def _store(
    db: Session,
    plan_: Plan,
    current: list[SessionMeeting],
    locked: set[tuple[int, int]],
    made: list[scheduling.Meeting],
) -> None:
    before = agenda.signatures(current)
    oriented = [
        m if plan_.people[int(m.a[1:])].side is Side.COUNCIL else scheduling.Meeting(m.b, m.a, m.slot, m.table)
        for m in made
    ]
    previous = {(m.council_id, m.supplier_id): m for m in current}
    db.execute(delete(SessionMeeting).where(SessionMeeting.id.in_([m.id for m in current])))
    stored = []
    for council, supplier, slot, table in _tables_for(oriented, previous, plan_.session.slot_labels):
        meeting = SessionMeeting(
            session_id=plan_.session.id,
            council_id=council,
            supplier_id=supplier,
            slot=slot,
            table_number=table,
            locked=(council, supplier) in locked,
            value=plan_.value(council, supplier),
            reason=plan_.reason(council, supplier)[:400],
        )
        suggestion = plan_.suggestion_for(council, supplier)
        if suggestion is not None:
            meeting.need_id, meeting.need_detail = suggestion.need_id, suggestion.detail[:400]
        meeting.council, meeting.supplier = plan_.people[council], plan_.people[supplier]
        stored.append(meeting)
    db.add_all(stored)
    db.flush()
    agenda.tell_about_changes(db, plan_.session, plan_.people.values(), before, agenda.signatures(stored))


@dataclass
class Placed:
    """A session as its organiser changes it: the session, its live meetings, and the one being changed."""

    session: MatchmakingSession
    meetings: list[SessionMeeting]
    meeting: SessionMeeting


def organised_meeting(db: Session, viewer: Viewer, session_id: int, meeting_id: int) -> Placed:
    session = service.get_organised(db, viewer, session_id)
    meetings = live_meetings(db, session.id)
    meeting = next((m for m in meetings if m.id == meeting_id), None)
    if meeting is None:
        raise NotFound("meeting")
    return Placed(session, meetings, meeting)


def toggle_lock(db: Session, viewer: Viewer, session_id: int, meeting_id: int) -> SessionMeeting:
    meeting = organised_meeting(db, viewer, session_id, meeting_id).meeting
    meeting.locked = not meeting.locked
    action = "session.meeting_locked" if meeting.locked else "session.meeting_unlocked"
    audit.record(db, viewer.user_id, action, "session", session_id, meeting=meeting.id)
    db.flush()
    return meeting


def move(db: Session, viewer: Viewer, session_id: int, meeting_id: int, slot: int, table: int) -> SessionMeeting:
    """Put a meeting in another slot or at another table, if every rule still holds; it is then locked."""
    placed = organised_meeting(db, viewer, session_id, meeting_id)
    session, current, meeting = placed.session, placed.meetings, placed.meeting
    if not 0 <= slot < len(session.slots) or not 1 <= table <= session.tables:
        raise Invalid(
            "Check the answers and try again", field_errors={"slot": "Choose a slot and a table from the lists"}
        )
    found = move_rules.problems(session, current, meeting, slot, table)
    if found:
        raise Invalid("The meeting cannot move there", field_errors={"slot": " ".join(found)})
    plan_ = plan(db, session)
    before = set(metrics.check(plan_.instance, as_schedule(plan_, current)))
    signatures = agenda.signatures(current)
    old = (meeting.slot, meeting.table_number)
    meeting.slot, meeting.table_number = slot, table
    after = metrics.check(plan_.instance, as_schedule(plan_, current))
    new_problems = [p for p in after if p not in before]
    if new_problems:
        meeting.slot, meeting.table_number = old
        said = " ".join(move_rules.in_words(plan_.readable(p)) for p in new_problems[:10])
        raise Invalid("The meeting cannot move there", field_errors={"slot": said})
    meeting.locked = True
    db.flush()
    audit.record(
        db, viewer.user_id, "session.meeting_moved", "session", session.id, meeting=meeting.id, slot=slot, table=table
    )
    agenda.tell_about_changes(db, session, plan_.people.values(), signatures, agenda.signatures(current))
    return meeting


def remove(db: Session, viewer: Viewer, session_id: int, meeting_id: int) -> None:
    """The organiser takes a meeting out of the schedule (the pair may be scheduled again)."""
    placed = organised_meeting(db, viewer, session_id, meeting_id)
    _no_follow_ups_for(db, placed.meeting)
    signatures = agenda.signatures(placed.meetings)
    db.delete(placed.meeting)
    db.flush()
    audit.record(db, viewer.user_id, "session.meeting_removed", "session", session_id, meeting=meeting_id)
    people = service.participants(db, session_id)
    remaining = [m for m in placed.meetings if m.id != meeting_id]
    agenda.tell_about_changes(db, placed.session, people, signatures, agenda.signatures(remaining))


def _no_follow_ups_for(db: Session, meeting: SessionMeeting) -> None:
    for model in (MeetingFollowUp, MeetingFeedback):
        if db.scalar(select(func.count()).where(model.meeting_id == meeting.id)):
            raise Conflict("Follow-ups or feedback are recorded against this meeting: it can no longer be removed.")


def export_instance(db: Session, viewer: Viewer, session_id: int) -> dict[str, Any]:
    """The session in the scheduling format, with its locked meetings, for `exchange schedule solve`."""
    session = service.get_organised(db, viewer, session_id)
    locked = [m for m in live_meetings(db, session.id) if m.locked]
    return scheduling.instance_to_dict(plan(db, session, locked).instance)


def import_schedule(db: Session, viewer: Viewer, session_id: int, data: object) -> int:
    """Replace the schedule by one made elsewhere (`exchange schedule solve`), after checking every rule."""
    session = service.get_organised(db, viewer, session_id)
    if session.status not in service.LISTED:
        raise Conflict("Open the session for registration before giving it a schedule.")
    _no_follow_ups(db, session.id)
    current = live_meetings(db, session.id)
    plan_ = plan(db, session)
    try:
        meetings = scheduling.parse_schedule(data)
    except ValueError as error:
        problems = error.problems if isinstance(error, scheduling.InstanceError) else [str(error)]
        raise Invalid("The file is not a schedule", field_errors={"schedule": "; ".join(problems[:10])}) from None
    problems = metrics.check(plan_.instance, meetings)
    if problems:
        raise _refuse(plan_, problems)
    _store(db, plan_, current, set(), meetings)
    audit.record(db, viewer.user_id, "session.schedule_imported", "session", session.id, meetings=len(meetings))
    return len(meetings)
