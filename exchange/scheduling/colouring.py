"""The exact case: everyone available in every slot and nothing locked. Placing any set of meetings in which
nobody has more meetings than there are slots never fails (König's edge-colouring theorem, by Kempe chains), and
the slots can then be balanced so none needs more tables than the busiest allows: in two slots a and b, a path
of the chain graph with one more meeting in a than in b exists while a holds more than b, and swapping its slots
moves one meeting from a to b (de Werra's balanced colourings). Since the relaxation's limit on meetings is
``tables x slots`` in this case, every set of meetings it chooses fits: the schedule's value is the bound.
"""

from __future__ import annotations

from exchange.scheduling.compaction import path_from
from exchange.scheduling.placement import best_slot, bits
from exchange.scheduling.timetable import Timetable


def is_exact_case(table: Timetable) -> bool:
    problem = table.problem
    everywhere = (1 << problem.slots) - 1
    return not problem.locked and all(mask == everywhere for mask in problem.available)


def colour(table: Timetable, pairs: list[tuple[int, int]]) -> None:
    """Places every pair, ignoring the number of tables (see ``balance``). Each participant must have fewer
    meetings than slots before their pair is placed, which the relaxation's capacities guarantee."""
    everywhere = (1 << table.slots) - 1
    busy = table.busy
    for council, supplier in pairs:
        common = everywhere & ~busy[council] & ~busy[supplier]
        if common:
            table.place(council, supplier, best_slot(table, council, supplier, common))
            continue
        first = bits(everywhere & ~busy[council])[0]  # the council is free, the supplier busy
        second = bits(everywhere & ~busy[supplier])[0]  # the other way round
        path = table.chain(supplier, first, second)
        assert path is not None, "everyone is available everywhere and nothing is locked"
        table.flip(path, first, second)
        table.place(council, supplier, first)


def balance(table: Timetable) -> None:
    """Moves meetings out of slots with more meetings than tables, one chain at a time."""
    tables = table.problem.tables
    while True:
        crowded = max(range(table.slots), key=lambda s: table.in_slot[s])
        if table.in_slot[crowded] <= tables:
            return
        quiet = min(range(table.slots), key=lambda s: table.in_slot[s])
        both = (1 << crowded) | (1 << quiet)
        for end in range(table.problem.size):
            if table.busy[end] & both == 1 << crowded:
                found = path_from(table, end, crowded, quiet)
                # An odd path starting in the crowded slot ends in it too: one more meeting there than in the other.
                if found is not None and len(found[0]) % 2 == 1:
                    table.flip(found[0], crowded, quiet)
                    break
        else:  # pragma: no cover - impossible by the counting argument above
            raise AssertionError("no chain to balance the slots")
