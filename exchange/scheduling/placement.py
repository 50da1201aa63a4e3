"""Putting chosen meetings into slots: direct, by a Kempe chain, or by moving another meeting out of the way.

The chosen meetings form a bipartite graph and slots are its edge colours. König's proof gives the tool: if the
council is free in slot a and the supplier in slot b, swapping a and b along the path that starts at the supplier
and alternates a, b, a, ... frees the supplier in a without ever reaching the council, so the meeting fits in a.
With everyone available everywhere this never fails while both have fewer meetings than there are slots; with
restricted availability a path may run into someone who cannot make the other slot, and another pair of slots
is tried. When the slot they could share is full, a meeting in it that can move to a slot with a free table
makes room.

Where several slots fit, the one that adds the fewest idle gaps to the two participants' days is taken (then the
emptiest, which keeps room everywhere for what comes next).
"""

from __future__ import annotations

import time

from exchange.scheduling.timetable import Timetable, idle_gaps

# A longer Kempe chain than this is not worth following: another pair of slots will do, or the meeting waits.
LONGEST_CHAIN = 60


def bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def added_gaps(table: Timetable, council: int, supplier: int, slot: int) -> int:
    bit = 1 << slot
    busy = table.busy
    return (
        idle_gaps(busy[council] | bit)
        - idle_gaps(busy[council])
        + idle_gaps(busy[supplier] | bit)
        - idle_gaps(busy[supplier])
    )


def best_slot(table: Timetable, council: int, supplier: int, mask: int) -> int:
    return min(bits(mask), key=lambda s: (added_gaps(table, council, supplier, s), table.in_slot[s], s))


def insert(table: Timetable, council: int, supplier: int, direct_only: bool = False) -> bool:
    """Places the meeting somewhere if it can (changing other meetings' slots, never dropping any)."""
    free = table.free_slots(council, supplier)
    if free:
        table.place(council, supplier, best_slot(table, council, supplier, free))
        return True
    if direct_only:
        return False
    return _by_kempe_chain(table, council, supplier) or _by_making_room(table, council, supplier)


def _by_kempe_chain(table: Timetable, council: int, supplier: int) -> bool:
    allowed = table.allowed(council, supplier)
    busy = table.busy
    tables = table.problem.tables
    # first: the council is free, the supplier busy; second: the other way round.
    firsts = bits(allowed & ~busy[council] & busy[supplier])
    seconds = bits(allowed & ~busy[supplier] & busy[council])
    best: tuple[int, int, int, int, list[tuple[int, int]]] | None = None
    for first in firsts:
        for second in seconds:
            for start, into, other in ((supplier, first, second), (council, second, first)):
                path = table.chain(start, into, other)
                if path is None or len(path) > LONGEST_CHAIN:
                    continue
                # Slot sizes after the swap, with the new meeting in ``into``.
                leaving = sum(1 for i in range(len(path)) if i % 2 == 0)
                joining = len(path) - leaving
                if table.in_slot[into] - leaving + joining + 1 > tables:
                    continue
                if table.in_slot[other] - joining + leaving > tables:
                    continue
                if best is None or len(path) < best[0]:
                    best = (len(path), start, into, other, path)
    if best is None:
        return False
    _, _, into, other, path = best
    table.flip(path, into, other)
    table.place(council, supplier, into)
    return True


def _by_making_room(table: Timetable, council: int, supplier: int) -> bool:
    """Both are free in a full slot: move one of its meetings to a slot with a free table."""
    allowed = table.allowed(council, supplier)
    full = allowed & ~(table.busy[council] | table.busy[supplier]) & ~table.open_slots()
    for slot in bits(full):
        for pair in table.members[slot]:
            if pair in table.locked:
                continue
            elsewhere = table.free_slots(*pair)
            if elsewhere:
                table.move(*pair, best_slot(table, *pair, elsewhere))
                table.place(council, supplier, slot)
                return True
    return False


def place_all(table: Timetable, pairs: list[tuple[int, int]], deadline: float = float("inf")) -> list[tuple[int, int]]:
    """Places the pairs, hardest first (fewest slots in common, then busiest participants, then most valuable);
    returns those that found no slot (after ``deadline``, only direct placements are tried)."""
    degree = [0] * table.problem.size
    for council, supplier in pairs:
        degree[council] += 1
        degree[supplier] += 1
    value = table.problem.value

    def hardness(pair: tuple[int, int]) -> tuple[int, int, float]:
        council, supplier = pair
        slots = table.allowed(council, supplier).bit_count()
        return (slots, -max(degree[council], degree[supplier]), -value[pair])

    left = []
    hurry = False
    for count, (council, supplier) in enumerate(sorted(pairs, key=hardness)):
        hurry = hurry or (count % 64 == 0 and time.perf_counter() > deadline)
        if not table.may_meet(council, supplier) or not insert(table, council, supplier, hurry):
            left.append((council, supplier))
    return left
