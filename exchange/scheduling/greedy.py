"""The plain greedy baseline of SCHEDULING.md: pairs in value order, each put in the first slot that fits.

Locked meetings go in first. Pairs of equal value keep the order of their participants in the instance, so the
baseline is deterministic. It is what the solver is measured against, not a starting point for it.
"""

from __future__ import annotations

from exchange.scheduling.model import Instance, Schedule
from exchange.scheduling.problem import Problem, compile_instance
from exchange.scheduling.timetable import Timetable


def fill(problem: Problem) -> Timetable:
    table = Timetable(problem)
    for (council, supplier), _ in sorted(problem.value.items(), key=lambda item: (-item[1], item[0])):
        if not table.may_meet(council, supplier):
            continue
        slots = table.free_slots(council, supplier)
        if slots:
            table.place(council, supplier, (slots & -slots).bit_length() - 1)
    return table


def solve(instance: Instance) -> Schedule:
    table = fill(compile_instance(instance))
    return Schedule(table.meetings(), table.value)
