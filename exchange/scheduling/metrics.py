"""Judging a schedule: ``check`` lists every rule it breaks, ``measure`` gives the figures it is compared on.

Both work from the instance and the meetings as written in the file (ids and slot names), independently of how
the schedule was made, so they can judge any schedule, the greedy baseline's and hand-edited ones included.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from exchange.scheduling.model import Instance, Meeting, Schedule
from exchange.scheduling.problem import compile_instance
from exchange.scheduling.timetable import idle_gaps

# Reported values and bounds are rounded to six decimals; differences below this are rounding.
TOLERANCE = 1e-6


def check(instance: Instance, schedule: Schedule | list[Meeting]) -> list[str]:
    """Every rule of SCHEDULING.md the schedule breaks, one line each (empty when it obeys them all)."""
    meetings = schedule.meetings if isinstance(schedule, Schedule) else schedule
    problem = compile_instance(instance)
    slot_index = {slot: n for n, slot in enumerate(instance.slots)}
    people = {p.id: p for p in instance.participants}
    broken: list[str] = []
    pairs: Counter[frozenset[str]] = Counter()
    busy: dict[tuple[str, str], int] = defaultdict(int)
    tables: dict[tuple[str, int], int] = defaultdict(int)
    per_slot: Counter[str] = Counter()
    count: Counter[str] = Counter()
    organisations: dict[tuple[str, str], set[str]] = defaultdict(set)
    value = 0.0
    for n, m in enumerate(meetings, start=1):
        where = f"meeting {n} ({m.a} and {m.b} at {m.slot}, table {m.table})"
        unknown = [p for p in (m.a, m.b) if p not in people]
        if unknown or m.slot not in slot_index:
            broken.append(
                f"{where}: unknown " + ", ".join([*map(repr, unknown), *([] if m.slot in slot_index else [m.slot])])
            )
            continue
        a, b = people[m.a], people[m.b]
        if {a.side, b.side} != {"council", "supplier"}:
            broken.append(f"{where}: does not pair a council with a supplier")
            continue
        key = problem.pair(problem.index[m.a], problem.index[m.b])
        if key in problem.value:
            value += problem.value[key]
        else:
            broken.append(f"{where}: the pair may not meet (a 'no', or no wish and no suggestion)")
        pairs[frozenset((m.a, m.b))] += 1
        if pairs[frozenset((m.a, m.b))] == 2:
            broken.append(f"{where}: {m.a} and {m.b} meet more than once")
        for p in (a, b):
            if p.available is not None and m.slot not in p.available:
                broken.append(f"{where}: {p.id} is not available at {m.slot}")
            busy[(p.id, m.slot)] += 1
            if busy[(p.id, m.slot)] == 2:
                broken.append(f"{where}: {p.id} has two meetings at {m.slot}")
            count[p.id] += 1
            if p.max_meetings is not None and count[p.id] == p.max_meetings + 1:
                broken.append(f"{where}: {p.id} has more than max_meetings ({p.max_meetings})")
        if instance.exclusive_organisations:
            for p, other in ((a, b), (b, a)):
                met = organisations[(p.id, other.organisation)]
                met.add(other.id)
                if len(met) == 2:
                    broken.append(f"{where}: {p.id} meets two participants of {other.organisation}")
        if not 1 <= m.table <= instance.tables:
            broken.append(f"{where}: there is no table {m.table} (tables are 1 to {instance.tables})")
        tables[(m.slot, m.table)] += 1
        if tables[(m.slot, m.table)] == 2:
            broken.append(f"{where}: table {m.table} has two meetings at {m.slot}")
        per_slot[m.slot] += 1
        if per_slot[m.slot] == instance.tables + 1:
            broken.append(f"{where}: more meetings at {m.slot} than tables ({instance.tables})")
    held = {(frozenset((m.a, m.b)), m.slot) for m in meetings}
    for locked in instance.locked:
        if (frozenset((locked.a, locked.b)), locked.slot) not in held:
            broken.append(f"locked meeting of {locked.a} and {locked.b} at {locked.slot} is not kept")
    if isinstance(schedule, Schedule):
        if abs(schedule.value - value) > TOLERANCE * max(1.0, value):
            broken.append(f"the value is given as {schedule.value}, but the meetings are worth {value}")
        if schedule.upper_bound is not None and schedule.upper_bound < value - TOLERANCE * max(1.0, value):
            broken.append(f"the upper bound {schedule.upper_bound} is below the value {value}")
    return broken


@dataclass(frozen=True)
class Figures:
    meetings: int
    value: float
    upper_bound: float | None
    # Participants who made a wish and have no meeting at all.
    no_meeting: int
    # Empty slots between a participant's first and last meeting, summed over participants.
    idle_gaps: int

    @property
    def gap_percent(self) -> float | None:
        if self.upper_bound is None:
            return None
        return 0.0 if self.upper_bound <= 0 else 100 * (self.upper_bound - self.value) / self.upper_bound


def measure(instance: Instance, schedule: Schedule) -> Figures:
    problem = compile_instance(instance)
    slot_index = {slot: n for n, slot in enumerate(instance.slots)}
    busy = [0] * problem.size
    value = 0.0
    for m in schedule.meetings:
        a, b = problem.index[m.a], problem.index[m.b]
        value += problem.value.get(problem.pair(a, b), 0.0)
        for p in (a, b):
            busy[p] |= 1 << slot_index[m.slot]
    no_meeting = sum(1 for p in range(problem.size) if problem.wishes[p] and not busy[p])
    gaps = sum(idle_gaps(mask) for mask in busy)
    return Figures(len(schedule.meetings), value, schedule.upper_bound, no_meeting, gaps)
