"""The proven best schedule of a small session with restricted availability, by integer programming.

When some participants are available in only some slots (or meetings are locked), choosing and placing the
meetings is NP-hard in general, and the flow's bound can sit above every schedule. For a session small enough,
an integer program settles it: one 0/1 variable per (pair that may meet, slot both can make), and the rules as
rows, exactly as in ``../shared/bench/SCHEDULING.md``:

- a participant is in at most one meeting per slot, and in at most ``max_meetings``;
- a pair meets at most once; no slot holds more meetings than there are tables;
- with ``exclusive_organisations``, a participant meets at most one participant of each other organisation;
- a locked meeting's variable is fixed to 1.

It is solved twice, like the flow: first for the highest value, whose optimum (or, stopped by the time limit,
the solver's dual bound) is a proven upper bound; then, if that left participants with a wish and no meeting,
for the fewest such participants among schedules within ``fairness_cost`` of that value (each first meeting
worth ``FIRST_MEETING`` points on top of the value, as the flow's last fairness step). Idle gaps are left to
``compaction``, which never changes who meets whom.

This needs the optional ``exact`` extra (SciPy, whose ``milp`` is the HiGHS solver); without it ``AVAILABLE`` is
False and the scheduler relies on its heuristic and the flow's bound, which the core install always has.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from exchange.scheduling.problem import Problem

try:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array
except ImportError:  # the optional extra is not installed: the heuristic alone schedules
    AVAILABLE = False
else:
    AVAILABLE = True

# The largest model tried. Measured on generated sessions: a few thousand variables solve in well under a
# second; beyond about 20,000 HiGHS rarely proves optimality in the seconds an organiser waits, while the
# heuristic is then within a fraction of a percent of the flow's bound anyway.
MAX_VARIABLES = 20_000
# What a participant with a wish gains, in points, from a first meeting in the second solve: a one-sided "must".
FIRST_MEETING = 5.0
TOLERANCE = 1e-6


@dataclass(frozen=True)
class Result:
    # (council, supplier, slot) of every meeting, the locked ones included.
    meetings: list[tuple[int, int, int]]
    value: float
    # Proven upper bound on the value of every schedule.
    bound: float
    # True when both solves finished: no schedule is worth more, and none within the fairness cost of that value
    # leaves fewer participants with a wish out.
    optimal: bool


@dataclass
class _Model:
    variables: list[tuple[int, int, int]]
    value: list[float]
    rows: list[list[int]]
    upper: list[float]
    fixed: list[int]
    # Participant -> the variables of their meetings.
    by_person: dict[int, list[int]]

    def value_of(self, chosen: list[float]) -> float:
        return sum(v for v, x in zip(self.value, chosen, strict=True) if x)


def variables_needed(problem: Problem) -> int:
    """How many 0/1 variables the model of ``problem`` has: pairs that may meet times the slots both can make."""
    available = problem.available
    return sum((available[c] & available[s]).bit_count() for c, s in problem.value)


def worth_trying(problem: Problem) -> bool:
    return AVAILABLE and 0 < variables_needed(problem) <= MAX_VARIABLES


def _model(problem: Problem) -> _Model:
    locked = {(c, s): slot for c, s, slot in problem.locked}
    variables: list[tuple[int, int, int]] = []
    for council, supplier in sorted(problem.value):
        if (council, supplier) in locked:
            variables.append((council, supplier, locked[(council, supplier)]))
            continue
        both = problem.available[council] & problem.available[supplier]
        variables.extend((council, supplier, slot) for slot in range(problem.slots) if both >> slot & 1)
    by_person_slot: dict[tuple[int, int], list[int]] = {}
    by_pair: dict[tuple[int, int], list[int]] = {}
    by_slot: dict[int, list[int]] = {}
    by_person: dict[int, list[int]] = {}
    by_person_organisation: dict[tuple[int, int], list[int]] = {}
    for n, (council, supplier, slot) in enumerate(variables):
        for p, other in ((council, supplier), (supplier, council)):
            by_person_slot.setdefault((p, slot), []).append(n)
            by_person.setdefault(p, []).append(n)
            by_person_organisation.setdefault((p, problem.organisation[other]), []).append(n)
        by_pair.setdefault((council, supplier), []).append(n)
        by_slot.setdefault(slot, []).append(n)
    rows: list[list[int]] = []
    upper: list[float] = []

    def at_most(limit: int, columns: list[int]) -> None:
        if len(columns) > limit:
            rows.append(columns)
            upper.append(limit)

    for columns in by_person_slot.values():
        at_most(1, columns)
    for columns in by_pair.values():
        at_most(1, columns)
    for columns in by_slot.values():
        at_most(problem.tables, columns)
    participants = problem.instance.participants
    for p, columns in by_person.items():
        limit = participants[p].max_meetings
        if limit is not None:
            at_most(limit, columns)
    if problem.exclusive:
        for (p, _organisation), columns in by_person_organisation.items():
            if len({variables[n][0] + variables[n][1] - p for n in columns}) > 1:
                at_most(1, columns)
    value = [problem.value[(c, s)] for c, s, _ in variables]
    fixed = [n for n, (c, s, slot) in enumerate(variables) if locked.get((c, s)) == slot]
    return _Model(variables, value, rows, upper, fixed, by_person)


def _matrix(rows: list[list[int]], coefficients: list[list[float]] | None, width: int) -> csr_array:
    data, indices, pointers = [], [], [0]
    for n, columns in enumerate(rows):
        indices.extend(columns)
        data.extend(coefficients[n] if coefficients is not None else [1.0] * len(columns))
        pointers.append(len(indices))
    return csr_array((np.array(data, dtype=float), np.array(indices), np.array(pointers)), shape=(len(rows), width))


def _solve(
    objective: list[float],
    rows: list[list[int]],
    coefficients: list[list[float]] | None,
    lower: list[float],
    upper: list[float],
    fixed: list[int],
    seconds: float,
) -> tuple[list[float] | None, float, bool]:
    """Maximises ``objective`` over 0/1 variables: the solution (None if none was found in time), the proven
    bound on the objective, and whether it is optimal."""
    width = len(objective)
    low = np.zeros(width)
    low[fixed] = 1.0
    constraints = []
    if rows:
        constraints.append(LinearConstraint(_matrix(rows, coefficients, width), np.array(lower), np.array(upper)))
    result = milp(
        -np.array(objective),
        integrality=np.ones(width),
        bounds=Bounds(low, np.ones(width)),
        constraints=constraints,
        options={"time_limit": max(seconds, 0.05), "mip_rel_gap": 1e-9},
    )
    if result.x is None:
        return None, float("inf"), False
    bound = -result.mip_dual_bound if result.mip_dual_bound is not None else float("inf")
    return [round(x) for x in result.x], bound, result.status == 0


def solve(problem: Problem, deadline: float, fairness_cost: float = 0.0) -> Result | None:
    """The best schedule the integer program finds by ``deadline`` (a ``time.perf_counter`` time), with its
    proven bound; None if the extra is missing, the model too large, or no schedule was found in time."""
    if not worth_trying(problem):
        return None
    model = _model(problem)
    width = len(model.variables)
    zeros = [0.0] * len(model.rows)
    half = (deadline - time.perf_counter()) / 2
    chosen, bound, optimal = _solve(model.value, model.rows, None, zeros, model.upper, model.fixed, half)
    if chosen is None:
        return None
    value = model.value_of(chosen)
    bound = max(min(bound, sum(model.value)), value)
    left_out = _left_out(problem, model, chosen)
    if fairness_cost > 0 and left_out:
        fairer = _fairer(problem, model, (1 - fairness_cost) * value, deadline)
        # Stopped by the time limit, the second solve may not have found a fairer schedule than the first.
        if fairer is not None and len(_left_out(problem, model, fairer[0])) < len(left_out):
            chosen, optimal = fairer[0], optimal and fairer[1]
            value = model.value_of(chosen)
    meetings = [model.variables[n] for n in range(width) if chosen[n]]
    return Result(meetings, value, bound, optimal)


def _left_out(problem: Problem, model: _Model, chosen: list[float]) -> list[int]:
    """Participants with a wish and a possible meeting, but none in ``chosen``."""
    return [
        p for p, columns in sorted(model.by_person.items()) if problem.wishes[p] and not any(chosen[n] for n in columns)
    ]


def _fairer(problem: Problem, model: _Model, floor: float, deadline: float) -> tuple[list[float], bool] | None:
    """Among schedules worth at least ``floor``, one giving the most participants with a wish a first meeting
    (each worth ``FIRST_MEETING`` on top of the value): the first solve's variables, then one "has a meeting"
    variable per participant with a wish, at most the sum of their meetings."""
    width = len(model.variables)
    wishing = [p for p in sorted(model.by_person) if problem.wishes[p]]
    rows = list(model.rows)
    coefficients: list[list[float]] = [[1.0] * len(columns) for columns in rows]
    lower = [0.0] * len(rows)
    upper = list(model.upper)
    for k, p in enumerate(wishing):
        # has_meeting[p] - (its meetings) <= 0
        rows.append([width + k, *model.by_person[p]])
        coefficients.append([1.0] + [-1.0] * len(model.by_person[p]))
        lower.append(-float("inf"))
        upper.append(0.0)
    rows.append(list(range(width)))
    coefficients.append(list(model.value))
    lower.append(floor - TOLERANCE)
    upper.append(float("inf"))
    objective = list(model.value) + [FIRST_MEETING] * len(wishing)
    chosen, _bound, optimal = _solve(
        objective, rows, coefficients, lower, upper, model.fixed, deadline - time.perf_counter()
    )
    if chosen is None:
        return None
    return chosen[:width], optimal
