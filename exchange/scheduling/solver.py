"""The scheduler: choose the meetings by a flow, place them into slots, mop up, then close idle gaps.

1. ``relaxation.relax``: the most valuable set of meetings when slots are forgotten (a maximum-weight
   b-matching, as a min-cost flow), among those one that leaves the fewest participants with a wish and no
   meeting, and the flow's dual, which proves an upper bound on the value of every schedule. Then, if people
   with a wish are still left out, a first meeting is made worth more, step by step, as long as the value stays
   within ``fairness_cost`` (1%) of that bound.
2. Placing them: in the exact case (everyone available everywhere, nothing locked) by König edge colouring and
   balancing, which always succeeds, so the value is the flow's; otherwise by ``placement`` (direct, Kempe
   chains, moves that make room), hardest meetings first.
3. ``repair`` and ``ejection``: where a chosen meeting found no slot, other pairs take the free tables, or the
   place of meetings worth less; a participant with a wish still without a meeting takes the place of one worth
   no more. If, placed, the fairer choice of step 1 lost more than fairness may cost (the relaxation is only a
   guide when availability is restricted), the most valuable choice is placed too and the better kept.
4. ``exact``: if the value is still short of the bound with availability restricted or meetings locked, and the
   session is small enough (and the optional ``exact`` extra is installed), an integer program finds the proven
   best schedule, or a tighter bound; the better of the two schedules is kept.
5. ``compaction``: Kempe-chain swaps of slots (annealed) that lower idle gaps, until the time is up.

Steps 3 to 5 never lower the value. The time limit covers everything: the flow may use half of it (stopped
early, its bound is still proven, a little looser), placement, repair and the integer program stop trying hard
past 85% of it, and compaction takes what is left.
"""

from __future__ import annotations

import time
from typing import Any

from exchange.scheduling import colouring, compaction, ejection, exact, placement, repair
from exchange.scheduling.model import Instance, Schedule
from exchange.scheduling.problem import Problem, compile_instance
from exchange.scheduling.relaxation import Relaxation, Residual, relax, residual
from exchange.scheduling.timetable import Timetable

DEFAULT_SECONDS = 5.0
# The share of the best value the solver may give up so that more participants with a wish get a meeting.
FAIRNESS_COST = 0.01
# Shares of the time limit by which the flow, then placement and repair, should be done.
FLOW_SHARE, PLACEMENT_SHARE = 0.5, 0.85
EJECTION_PASSES = 3
TOLERANCE = 1e-9


def partners_of(problem: Problem) -> list[list[int]]:
    partners: list[list[int]] = [[] for _ in range(problem.size)]
    for council, supplier in problem.value:
        partners[council].append(supplier)
        partners[supplier].append(council)
    return partners


def _around(left: list[tuple[int, int]], pairs: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """The pairs with a participant of a pair in ``left``."""
    touched = {p for pair in left for p in pair}
    return {pair: value for pair, value in pairs.items() if pair[0] in touched or pair[1] in touched}


def build(
    problem: Problem, rest: Residual, pairs: list[tuple[int, int]], relaxed: Relaxation, deadline: float
) -> tuple[Timetable, int]:
    """A timetable holding ``pairs`` (as many as fit) and what repair adds; and how many pairs found no slot."""
    table = Timetable(problem)
    if colouring.is_exact_case(table):
        colouring.colour(table, pairs)
        colouring.balance(table)
        left: list[tuple[int, int]] = []
    else:
        left = placement.place_all(table, pairs, deadline)
    if left or not relaxed.optimal:
        # The flow's choice is optimal, so another pair can only add value where a chosen one found no slot:
        # around those participants (anywhere, if the time ran out before the flow was done).
        focus = _around(left, rest.pairs) if relaxed.optimal else rest.pairs
        repair.fill(table, focus, deadline)
        for _ in range(EJECTION_PASSES):
            if table.value >= relaxed.value - TOLERANCE:
                break
            if not ejection.eject_for_value(table, focus, deadline):
                break
    repair.give_everyone_a_meeting(table, partners_of(problem), deadline)
    return table, len(left)


def schedule(
    problem: Problem,
    seconds: float = DEFAULT_SECONDS,
    seed: int = 0,
    fairness_cost: float = FAIRNESS_COST,
    passes: int = compaction.PASSES,
) -> tuple[Timetable, float, dict[str, Any]]:
    """The timetable, the proven upper bound on any schedule's value, and figures on how it was made."""
    started = time.perf_counter()
    stats: dict[str, Any] = {}
    rest = residual(problem)
    relaxed = relax(problem, rest, started + FLOW_SHARE * seconds, fairness_cost)
    stats["relaxation"] = time.perf_counter() - started
    stats["relaxation_value"] = relaxed.value
    mark = time.perf_counter()
    deadline = started + PLACEMENT_SHARE * seconds
    table, stats["unplaced"] = build(problem, rest, relaxed.pairs, relaxed, deadline)
    if relaxed.pairs != relaxed.value_first and table.value < (1 - fairness_cost) * relaxed.bound:
        # Placed, the fairer choice lost more than fairness may cost: the most valuable choice may do better.
        other, unplaced = build(problem, rest, relaxed.value_first, relaxed, deadline)
        if other.value > table.value:
            table, stats["unplaced"] = other, unplaced
    stats["placement"] = time.perf_counter() - mark
    bound = max(relaxed.bound, table.value)
    if table.value < bound - TOLERANCE and not colouring.is_exact_case(table):
        mark = time.perf_counter()
        table, bound, stats["exact"] = _try_exact(problem, table, bound, deadline, fairness_cost)
        stats["exact_seconds"] = time.perf_counter() - mark
    mark = time.perf_counter()
    stats["idle_gaps_before_compaction"] = table.gaps()
    compaction.compact(table, started + seconds, seed, passes)
    stats["compaction"] = time.perf_counter() - mark
    return table, bound, stats


def _try_exact(
    problem: Problem, table: Timetable, bound: float, deadline: float, fairness_cost: float
) -> tuple[Timetable, float, str]:
    """The integer program's schedule if it is better than ``table``, the tighter of the two bounds, and what
    happened, for the figures."""
    if not exact.AVAILABLE:
        return table, bound, "not installed"
    if not exact.worth_trying(problem):
        return table, bound, "too large"
    result = exact.solve(problem, deadline, fairness_cost)
    if result is None:
        return table, bound, "no schedule in time"
    bound = max(min(bound, result.bound), table.value, result.value)
    candidate = Timetable(problem)
    for council, supplier, slot in result.meetings:
        if (council, supplier) not in candidate.locked:
            candidate.place(council, supplier, slot)
    best = max(table.value, candidate.value)
    if _preference(candidate, best, fairness_cost) > _preference(table, best, fairness_cost):
        table = candidate
    return table, bound, "optimal" if result.optimal else "stopped at the time limit"


def _preference(table: Timetable, best: float, fairness_cost: float) -> tuple[bool, int, float]:
    """Schedules within the fairness cost of the best value first, then fewer participants with a wish and no
    meeting, then the value."""
    left_out = sum(1 for p in range(table.problem.size) if table.problem.wishes[p] and not table.count[p])
    return (table.value >= (1 - fairness_cost) * best - TOLERANCE, -left_out, table.value)


def solve(
    instance: Instance, seconds: float = DEFAULT_SECONDS, seed: int = 0, fairness_cost: float = FAIRNESS_COST
) -> Schedule:
    """A schedule for ``instance`` obeying every rule, with a proven upper bound on the best possible value.

    ``seconds`` limits the time taken; ``seed`` makes the local search repeatable; ``fairness_cost`` is the share
    of value it may give up for participants with a wish who would get no meeting (0: value alone, and then in
    the exact case the value is the bound). Raises ``InstanceError`` if the instance is malformed."""
    table, bound, stats = schedule(compile_instance(instance), seconds, seed, fairness_cost)
    return Schedule(table.meetings(), table.value, bound, stats=stats)
