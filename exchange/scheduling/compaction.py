"""Fewer idle gaps, by swapping two slots along Kempe chains (the meetings stay; only their slots change).

Take two slots a and b. The meetings held in them form paths and even cycles (each participant has at most one
meeting in each). Swapping a and b on one whole path or cycle keeps every rule but availability and the tables,
which are checked, and it changes the day of only the path's two ends: everyone inside it meets in both slots
before and after. So each path's effect on the idle gaps is known from its two ends alone, and the paths of one
pair of slots are independent of one another.

A pass looks at every pair of slots and every path in them. Swaps that close gaps are always made, swaps that
change nothing always too (they let the search drift along plateaus), and swaps that open gaps now and then,
less and less often as the passes go on (simulated annealing, ending with a few passes that only improve). The
best timetable seen is the one kept. The schedule of "heat" follows the passes, or the clock when the time
allowed runs out first, so with enough time the result depends only on the seed.
"""

from __future__ import annotations

import math
import random
import time

from exchange.scheduling.timetable import Timetable, idle_gaps

PASSES = 300
# Heat at the start and at the end of annealing (in idle gaps), and the share of passes that only improve.
HOT, COLD, FINISH = 1.0, 0.1, 0.15


def path_from(table: Timetable, end: int, a: int, b: int) -> tuple[list[tuple[int, int]], int] | None:
    """The path of meetings in slots a and b that starts at ``end`` (who meets in only one of them), and its other
    end; None if a meeting on it is locked or cannot be held in the other slot."""
    both = (1 << a) | (1 << b)
    partner, available, locked = table.partner, table.problem.available, table.locked
    side = table.problem.side
    slot = a if partner[end][a] >= 0 else b
    node = end
    path: list[tuple[int, int]] = []
    while True:
        other = partner[node][slot]
        if other < 0:
            return path, node
        pair = (node, other) if side[node] == 0 else (other, node)
        if pair in locked or available[node] & available[other] & both != both:
            return None
        path.append(pair)
        node, slot = other, (b if slot == a else a)


def gap_table(slots: int) -> list[int] | None:
    """Idle gaps of every mask, when there are few enough slots for a table to be quicker than arithmetic."""
    if slots > 16:
        return None
    if slots not in _GAP_TABLES:
        _GAP_TABLES[slots] = [idle_gaps(mask) for mask in range(1 << slots)]
    return _GAP_TABLES[slots]


_GAP_TABLES: dict[int, list[int]] = {}


def improve_pair(table: Timetable, a: int, b: int, rng: random.Random, heat: float = 0.0) -> int:
    """Swaps a and b on the paths where it pays (or, with ``heat``, sometimes where it costs a little);
    returns how much the idle gaps went down. (The hot loop of the search: paths are walked without building
    them, and built only to be swapped.)"""
    busy, partner, available = table.busy, table.partner, table.problem.available
    locked, in_slot = table.locked, table.in_slot
    bit_a, bit_b = 1 << a, 1 << b
    both = bit_a | bit_b
    tables = table.problem.tables
    gaps = gap_table(table.slots)
    gap = gaps.__getitem__ if gaps is not None else idle_gaps
    gained = 0
    seen: set[int] = set()
    ends = [p for p, mask in enumerate(busy) if mask & both == bit_a or mask & both == bit_b]
    # Start anywhere: the order matters only through the tables, and through the heat's dice.
    start = rng.randrange(len(ends)) if ends else 0
    for end in ends[start:] + ends[:start]:
        if end in seen:
            continue
        node, slot, length, from_a, feasible = end, a if busy[end] & bit_a else b, 0, 0, True
        while True:
            other = partner[node][slot]
            if other < 0:
                break
            if available[node] & available[other] & both != both or (locked and table.pair(node, other) in locked):
                feasible = False
                break
            length += 1
            from_a += slot == a
            node, slot = other, (b if slot == a else a)
        if not feasible:
            seen.add(end)
            continue
        seen.add(node)
        change = gap(busy[end] ^ both) + gap(busy[node] ^ both) - gap(busy[end]) - gap(busy[node])
        if change > 0 and (not heat or rng.random() >= math.exp(-change / heat)):
            continue
        # After the swap, a holds what b held on the path, and the other way round.
        if in_slot[a] - 2 * from_a + length > tables or in_slot[b] + 2 * from_a - length > tables:
            continue
        found = path_from(table, end, a, b)
        assert found is not None, "the path was just walked"
        table.flip(found[0], a, b)
        gained -= change
    return gained


def _snapshot(table: Timetable) -> dict[tuple[int, int], int]:
    return dict(table.slot_of)


def _restore(table: Timetable, slots: dict[tuple[int, int], int]) -> None:
    moving = [pair for pair, slot in table.slot_of.items() if slots[pair] != slot]
    for pair in moving:
        table.remove(*pair)
    for pair in moving:
        table.place(*pair, slots[pair])


def compact(table: Timetable, deadline: float, seed: int = 0, passes: int = PASSES) -> int:
    """Anneals the slots for ``passes`` passes or until ``deadline`` (perf_counter); keeps the best timetable.
    Returns the fall in idle gaps."""
    rng = random.Random(seed)
    pairs = [(a, b) for a in range(table.slots) for b in range(a + 1, table.slots)]
    started = time.perf_counter()
    first = best = gaps = table.gaps()
    kept = _snapshot(table)
    for done in range(passes):
        now = time.perf_counter()
        if now >= deadline or not gaps:
            break
        progress = max(done / passes, (now - started) / max(deadline - started, 1e-9))
        heat = 0.0 if progress >= 1 - FINISH else HOT * (COLD / HOT) ** (progress / (1 - FINISH))
        rng.shuffle(pairs)
        for a, b in pairs:
            gaps -= improve_pair(table, a, b, rng, heat)
        if gaps < best:
            best, kept = gaps, _snapshot(table)
    if gaps > best:
        _restore(table, kept)
    return first - best
