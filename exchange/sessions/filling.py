"""Gaps on the day and meetings by hand: a table left empty by a cancelled meeting or a participant who did not
turn up gets the best pair free for that slot (by the scheduler's own preference values), and the organiser may
put any two participants in a free slot. Nothing else moves and no lock changes; every placement is checked
against the scheduler's rules (``scheduling.metrics``) before it is written, and the people whose agendas change
are told."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.scheduling import metrics
from exchange.sessions import agenda, move_rules, planner, service
from exchange.sessions.models import MatchmakingSession, SessionMeeting, SessionParticipant, Side, WishLevel

# The scheduler's wording for a pair nobody asked for: the organiser may still put them together by hand.
UNASKED = "the pair may not meet (a 'no', or no wish and no suggestion)"


@dataclass(frozen=True)
class Gap:
    """A table left empty in a slot: by a cancelled meeting, or by a meeting with someone who did not turn up."""

    slot: int
    table: int
    why: str
    # The live meeting with a no-show, called off when the gap is filled.
    stale: SessionMeeting | None = None


@dataclass
class Filled:
    meetings: list[SessionMeeting]
    unfilled: list[Gap]


def _schedulable(session: MatchmakingSession) -> None:
    if session.status not in service.LISTED:
        raise Conflict("Open the session for registration before changing its schedule.")


def gaps(db: Session, session: MatchmakingSession, live: list[SessionMeeting]) -> list[Gap]:
    """Tables emptied by a cancelled meeting and not used since, and meetings with a no-show, in slot order."""
    used = {(m.slot, m.table_number) for m in live}
    cancelled = db.scalars(
        select(SessionMeeting).where(SessionMeeting.session_id == session.id, SessionMeeting.cancelled_at.is_not(None))
    )
    found = {
        (m.slot, m.table_number): Gap(m.slot, m.table_number, "a cancelled meeting")
        for m in cancelled
        if (m.slot, m.table_number) not in used and m.slot < len(session.slots) and m.table_number <= session.tables
    }
    for m in live:
        absent = next((p for p in (m.council, m.supplier) if p.no_show), None)
        if absent is not None:
            found[(m.slot, m.table_number)] = Gap(m.slot, m.table_number, f"{absent.name} did not turn up", m)
    return [found[key] for key in sorted(found)]


def _free_in(person: SessionParticipant, slot: int, live: list[SessionMeeting], held: Counter[int]) -> bool:
    return (
        not person.no_show
        and (person.available is None or slot in person.available)
        and held[person.id] < person.max_meetings
        and not any(m.slot == slot and person.id in (m.council_id, m.supplier_id) for m in live)
    )


def _broken(plan_: planner.Plan, live: list[SessionMeeting]) -> set[str]:
    return set(metrics.check(plan_.instance, planner.as_schedule(plan_, live)))


def _problems(
    plan_: planner.Plan,
    live: list[SessionMeeting],
    added: SessionMeeting,
    allow_unasked: bool,
    before: set[str] | None = None,
) -> list[str]:
    """Rules the added meeting newly breaks (ones already broken before it are not its doing)."""
    before = _broken(plan_, live) if before is None else before
    after = metrics.check(plan_.instance, planner.as_schedule(plan_, [*live, added]))
    return [p for p in after if p not in before and not (allow_unasked and UNASKED in p)]


def _meeting(
    plan_: planner.Plan, council: SessionParticipant, supplier: SessionParticipant, slot: int, table: int
) -> SessionMeeting:
    meeting = SessionMeeting(
        session_id=plan_.session.id,
        council_id=council.id,
        supplier_id=supplier.id,
        slot=slot,
        table_number=table,
        locked=False,
        value=plan_.value(council.id, supplier.id),
        reason=plan_.reason(council.id, supplier.id)[:400],
    )
    suggestion = plan_.suggestion_for(council.id, supplier.id)
    if suggestion is not None:
        meeting.need_id, meeting.need_detail = suggestion.need_id, suggestion.detail[:400]
    meeting.council, meeting.supplier = council, supplier
    return meeting


def _best_for(plan_: planner.Plan, live: list[SessionMeeting], slot: int, table: int) -> SessionMeeting | None:
    """The pair worth most to the scheduler that is free at the slot and breaks no rule; among equals, the
    pair with fewest meetings so far."""
    held: Counter[int] = Counter()
    met = set()
    for m in live:
        held[m.council_id] += 1
        held[m.supplier_id] += 1
        met.add((m.council_id, m.supplier_id))
    people = [p for p in plan_.people.values() if _free_in(p, slot, live, held)]
    councils = [p for p in people if p.side is Side.COUNCIL]
    suppliers = [p for p in people if p.side is Side.SUPPLIER]
    candidates = sorted(
        (
            (-plan_.value(c.id, s.id), held[c.id] + held[s.id], c.id, s.id, c, s)
            for c in councils
            for s in suppliers
            if (c.id, s.id) not in met and plan_.value(c.id, s.id) > 0 and not _refused(plan_, c.id, s.id)
        ),
        key=lambda row: row[:4],
    )
    # The cheap rules above leave few candidates the full check refuses; it runs once per candidate tried.
    before = _broken(plan_, live) if candidates else set()
    for *_, council, supplier in candidates:
        meeting = _meeting(plan_, council, supplier, slot, table)
        if not _problems(plan_, live, meeting, allow_unasked=False, before=before):
            return meeting
    return None


def _refused(plan_: planner.Plan, council: int, supplier: int) -> bool:
    return WishLevel.NO in (plan_.wishes.get((council, supplier)), plan_.wishes.get((supplier, council)))


def fill(db: Session, viewer: Viewer, session_id: int, slot: int | None = None, table: int | None = None) -> Filled:
    """Fill one gap (``slot`` and ``table``), or every gap, each with the best pair free then."""
    session = service.get_organised(db, viewer, session_id)
    _schedulable(session)
    live = planner.live_meetings(db, session.id)
    signatures = agenda.signatures(live)
    found = gaps(db, session, live)
    if slot is not None:
        found = [g for g in found if (g.slot, g.table) == (slot, table)]
        if not found:
            raise Invalid(
                "There is no gap there", field_errors={"fill": "Choose a table left empty by a cancelled meeting"}
            )
    plan_ = planner.plan(db, session)
    made, unfilled = [], []
    for gap in found:
        if gap.stale is not None:
            # The meeting with someone absent is called off; its other side may be paired again at once.
            gap.stale.cancelled_at = utcnow()
            live = [m for m in live if m.id != gap.stale.id]
            db.flush()
        meeting = _best_for(plan_, live, gap.slot, gap.table)
        if meeting is None:
            unfilled.append(gap)
            continue
        db.add(meeting)
        live.append(meeting)
        made.append(meeting)
    db.flush()
    audit.record(db, viewer.user_id, "session.gaps_filled", "session", session.id, filled=len(made))
    agenda.tell_about_changes(db, session, plan_.people.values(), signatures, agenda.signatures(live))
    return Filled(made, unfilled)


def add(db: Session, viewer: Viewer, session_id: int, council_id: int, supplier_id: int, slot: int) -> SessionMeeting:
    """The organiser puts two participants together in a slot, at its first free table; the meeting is locked
    (the organiser chose it: regenerating keeps it). A clash is refused in words."""
    session = service.get_organised(db, viewer, session_id)
    _schedulable(session)
    plan_ = planner.plan(db, session)
    council, supplier = plan_.people.get(council_id), plan_.people.get(supplier_id)
    if council is None or council.side is not Side.COUNCIL:
        raise Invalid(
            "Check the answers and try again", field_errors={"council_id": "Choose a council-side participant"}
        )
    if supplier is None or supplier.side is not Side.SUPPLIER:
        raise Invalid(
            "Check the answers and try again", field_errors={"supplier_id": "Choose a supplier-side participant"}
        )
    if not 0 <= slot < len(session.slots):
        raise Invalid("Check the answers and try again", field_errors={"slot": "Choose a slot from the list"})
    live = planner.live_meetings(db, session.id)
    at = session.slots[slot]["start"]
    clash = _clashes(plan_, live, council, supplier, slot)
    tables = {m.table_number for m in live if m.slot == slot}
    table = next((n for n in range(1, session.tables + 1) if n not in tables), None)
    if table is None:
        clash.append(f"Every table is taken at {at}.")
    if clash:
        raise Invalid("The meeting cannot go there", field_errors={"slot": " ".join(clash)})
    assert table is not None
    meeting = _meeting(plan_, council, supplier, slot, table)
    if not clash:
        clash = [move_rules.in_words(plan_.readable(p)) for p in _problems(plan_, live, meeting, allow_unasked=True)]
    if clash:
        raise Invalid("The meeting cannot go there", field_errors={"slot": " ".join(clash)})
    signatures = agenda.signatures(live)
    meeting.locked = True
    db.add(meeting)
    db.flush()
    audit.record(db, viewer.user_id, "session.meeting_added", "session", session.id, meeting=meeting.id, slot=slot)
    agenda.tell_about_changes(db, session, plan_.people.values(), signatures, agenda.signatures([*live, meeting]))
    return meeting


def _clashes(
    plan_: planner.Plan,
    live: list[SessionMeeting],
    council: SessionParticipant,
    supplier: SessionParticipant,
    slot: int,
) -> list[str]:
    """What stops the pair meeting at the slot, in the organiser's words."""
    at = plan_.session.slots[slot]["start"]
    found = []
    together = next((m for m in live if {m.council_id, m.supplier_id} == {council.id, supplier.id}), None)
    if together is not None:
        found.append(f"{council.name} already meets {supplier.name} at {plan_.session.slots[together.slot]['start']}.")
    for person, other in ((council, supplier), (supplier, council)):
        busy = next((m for m in live if m.slot == slot and person.id in (m.council_id, m.supplier_id)), None)
        if busy is not None:
            with_ = busy.supplier if busy.council_id == person.id else busy.council
            found.append(f"{person.name} already meets {with_.name} at {at} (table {busy.table_number}).")
        if person.no_show:
            found.append(f"{person.name} is marked as not having turned up.")
        elif person.available is not None and slot not in person.available:
            found.append(f"{person.name} cannot make {at}: they said so when registering.")
        if plan_.wishes.get((person.id, other.id)) is WishLevel.NO:
            found.append(f"{person.name} said “no thanks” to meeting {other.name}.")
        count = sum(1 for m in live if person.id in (m.council_id, m.supplier_id))
        if count >= person.max_meetings:
            found.append(f"{person.name} already has {count} meetings, the most it accepts.")
    return found
