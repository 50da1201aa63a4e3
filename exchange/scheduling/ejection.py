"""More value where placement fell short: a pair that is not meeting takes a slot from meetings worth less.

For a pair (c, s) and a slot both can make, the meetings in the way are: c's and s's meetings in that slot, the
cheapest meeting of the slot if its tables are all taken, one of c's (or s's) meetings if they are at their
maximum, and, with exclusive organisations, a meeting with someone of the other's organisation. If together they
are worth less than the pair, they make way, and each then tries to find another slot (placement's ``insert``),
so the value only goes up. Meetings that are locked, or whose loss would leave a participant with a wish and no
meeting, never make way. This matters only under restricted availability, where the flow's meetings could not
all be placed: elsewhere the schedule already has the relaxation's value and this step is skipped.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from exchange.scheduling.placement import bits, insert
from exchange.scheduling.timetable import Timetable

# Gains smaller than this are rounding, not gains.
EPSILON = 1e-9


def _movable(table: Timetable, pair: tuple[int, int]) -> bool:
    if pair in table.locked:
        return False
    wishes, count = table.problem.wishes, table.count
    return all(count[p] >= 2 or not wishes[p] for p in pair)


def _cheapest(
    table: Timetable, pairs: Iterable[tuple[int, int]], avoid: set[tuple[int, int]]
) -> tuple[int, int] | None:
    value = table.problem.value
    best = None
    for pair in pairs:
        if pair not in avoid and _movable(table, pair) and (best is None or value[pair] < value[best]):
            best = pair
    return best


def _in_the_way(table: Timetable, council: int, supplier: int, slot: int) -> set[tuple[int, int]] | None:
    """The meetings that must go for the pair to meet in ``slot``, or None if one of them cannot go."""
    problem = table.problem
    out: set[tuple[int, int]] = set()
    for p in (council, supplier):
        other = table.partner[p][slot]
        if other >= 0:
            out.add(table.pair(p, other))
    if problem.exclusive:
        for p, organisation in ((council, problem.organisation[supplier]), (supplier, problem.organisation[council])):
            if table.with_organisation.get((p, organisation), 0):
                out.update(
                    table.pair(p, q) for q in table.partner[p] if q >= 0 and problem.organisation[q] == organisation
                )
    if any(not _movable(table, pair) for pair in out):
        return None
    for p in (council, supplier):
        if table.count[p] - sum(1 for pair in out if p in pair) >= table.limit[p]:
            mine = (table.pair(p, q) for q in table.partner[p] if q >= 0)
            cheapest = _cheapest(table, mine, out)
            if cheapest is None:
                return None
            out.add(cheapest)
    if table.in_slot[slot] - sum(1 for pair in out if table.slot_of[pair] == slot) >= problem.tables:
        cheapest = _cheapest(table, table.members[slot], out)
        if cheapest is None:
            return None
        out.add(cheapest)
    return out


def eject_for_value(table: Timetable, pairs: dict[tuple[int, int], float], deadline: float) -> float:
    """One pass over the pairs not meeting, most valuable first; returns the value gained."""
    started = table.value
    value = table.problem.value
    for n, ((council, supplier), worth) in enumerate(sorted(pairs.items(), key=lambda item: (-item[1], item[0]))):
        if n % 64 == 0 and time.perf_counter() > deadline:
            break
        if (council, supplier) in table.slot_of or worth <= 0:
            continue
        best: tuple[float, int, set[tuple[int, int]]] | None = None
        for slot in bits(table.allowed(council, supplier)):
            out = _in_the_way(table, council, supplier, slot)
            if out is None:
                continue
            loss = sum(value[pair] for pair in out)
            if loss < worth - EPSILON and (best is None or loss < best[0]):
                best = (loss, slot, out)
        if best is None:
            continue
        _, slot, out = best
        for pair in out:
            table.remove(*pair)
        if not table.may_meet(council, supplier) or not table.free_slots(council, supplier) >> slot & 1:
            raise AssertionError("the meetings in the way were all taken out")  # pragma: no cover
        table.place(council, supplier, slot)
        for pair in sorted(out, key=lambda pair: -value[pair]):
            if table.may_meet(*pair):
                insert(table, *pair)
    return table.value - started
