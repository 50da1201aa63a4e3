"""After placement: use the free tables (value), then give a meeting to whoever made a wish and has none.

The relaxation already chose meetings that leave as few people with a wish empty-handed as its fairness allows,
so these steps only mop up what placement could not do under restricted availability: other pairs take the
tables that meetings left unplaced would have used, and a participant with a wish and no meeting may take the
place of a meeting worth no more than theirs (so the value never goes down) whose participants keep another.
"""

from __future__ import annotations

import time

from exchange.scheduling.placement import bits, insert
from exchange.scheduling.timetable import Timetable


def fill(table: Timetable, pairs: dict[tuple[int, int], float], deadline: float = float("inf")) -> int:
    """Inserts pairs, most valuable first, while some slot has a free table; returns how many. Past
    ``deadline`` only the slots both are free in are tried (as the greedy baseline does), which is quick."""
    added = tried = 0
    hurry = False
    count, limit = table.count, table.limit
    for (council, supplier), _ in sorted(pairs.items(), key=lambda item: (-item[1], item[0])):
        if count[council] >= limit[council] or count[supplier] >= limit[supplier]:
            continue
        tried += 1
        if tried % 32 == 1:
            if not table.open_slots():
                break
            hurry = hurry or time.perf_counter() > deadline
        if table.may_meet(council, supplier) and insert(table, council, supplier, direct_only=hurry):
            added += 1
    return added


def _keeps_a_meeting(table: Timetable, p: int) -> bool:
    """Losing one meeting leaves p with another, or p made no wish (and so is not counted)."""
    return table.count[p] >= 2 or not table.problem.wishes[p]


def _cheapest_in(table: Timetable, slot: int, worth: float) -> tuple[int, int] | None:
    """The least valuable meeting in ``slot`` worth no more than ``worth`` whose participants keep a meeting."""
    value = table.problem.value
    best = None
    for pair in table.members[slot]:
        if value[pair] > worth or pair in table.locked or (best is not None and value[pair] >= value[best]):
            continue
        if all(_keeps_a_meeting(table, p) for p in pair):
            best = pair
    return best


def _swap_in(table: Timetable, council: int, supplier: int, out: tuple[int, int], slot: int) -> bool:
    """Replaces meeting ``out`` by (council, supplier) in ``slot`` if the rules allow; undoes it otherwise."""
    old = table.remove(*out)
    if table.may_meet(council, supplier) and table.free_slots(council, supplier) >> slot & 1:
        table.place(council, supplier, slot)
        # The meeting taken out may fit somewhere else.
        if table.may_meet(*out):
            insert(table, *out)
        return True
    table.place(*out, old)
    return False


def give_everyone_a_meeting(table: Timetable, partners: list[list[int]], deadline: float = float("inf")) -> int:
    """For each participant with a wish and no meeting, the best meeting they can join without lowering the
    value; returns how many got one."""
    problem = table.problem
    value = problem.value
    helped = 0
    for p in range(problem.size):
        if not problem.wishes[p] or table.count[p] or not problem.capacity[p]:
            continue
        if time.perf_counter() > deadline:
            break
        for q in sorted(partners[p], key=lambda q: -value[table.pair(p, q)]):
            council, supplier = table.pair(p, q)
            worth = value[(council, supplier)]
            if table.may_meet(council, supplier) and insert(table, council, supplier):
                helped += 1
                break
            if _replace(table, council, supplier, p, q, worth):
                helped += 1
                break
    return helped


def _replace(table: Timetable, council: int, supplier: int, p: int, q: int, worth: float) -> bool:
    """p (no meeting yet) meets q instead of a meeting worth no more, in a slot p can make."""
    value = table.problem.value
    for slot in bits(table.allowed(council, supplier) & ~table.busy[p]):
        other = table.partner[q][slot]
        if other >= 0:
            out = table.pair(q, other)
            # q keeps the slot (now with p); the one q met instead must keep a meeting.
            if value[out] > worth or out in table.locked or not _keeps_a_meeting(table, other):
                continue
        else:
            found = _cheapest_in(table, slot, worth)
            if found is None or table.in_slot[slot] < table.problem.tables:
                continue
            out = found
        if _swap_in(table, council, supplier, out, slot):
            return True
    return False
