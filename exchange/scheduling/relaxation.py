"""Which meetings to hold, forgetting the slots: a maximum-weight b-matching, solved as a flow, with its bound.

The network: source -> council (capacity: meetings it can still have) -> supplier (capacity 1 per pair that
may meet and shares a free slot, cost minus the pair's value) -> sink (capacity likewise), and all the flow
through one arc of capacity "meetings the tables can hold", which is the sum over slots of the smallest of the
free tables, the councils and the suppliers free in that slot. With ``exclusive_organisations``, a pair's arc
passes through a node per (participant, other organisation) with capacity 1, on both sides, wherever that
organisation has two or more candidates for the participant.

Every schedule's meetings (less the locked ones, which are taken out first with everything they use) form a
flow in this network, so its optimum, and the weak-duality bound of ``flow.bound``, is an upper bound on the
value of every schedule. When everyone is available in every slot and nothing is locked, it is exact: König's
theorem places any such set of meetings into as many slots as the busiest participant has meetings
(``colouring``), balanced so that no slot needs more tables than there are.

Among the sets of meetings of the highest value, the flow takes one that leaves the fewest participants who
made a wish with no meeting: each one's first meeting earns a bonus too small to outweigh any value (value first,
fairness second, exactly). The bound is computed without the bonus. Then, optionally, a first meeting is made
worth a point or more (``FAIRNESS_STEPS``), and the flow re-optimised from where it is (``flow.cheapen``), as
long as the value stays within a given share of the bound: an organiser would rather everyone who asked met
someone than have one more "like" for someone who already has five meetings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from exchange.scheduling import flow
from exchange.scheduling.problem import Problem

# Costs are integers, so that "zero reduced cost" is exact: thousandths of a point of value, or hundredths on
# large instances, where it makes the flow about three times quicker (successive shortest paths takes a round
# per distinct path length, and suggestion scores make many). Values and the bound are always computed with the
# real values, so the bound stays proven; measured on 2,000 participants, the value lost is under 0.001%.
FINE, COARSE = 1000, 100
COARSE_FROM_PAIRS = 5000

# What a first meeting for a participant who made a wish may be worth, in points, tried in turn while the value
# stays within the fairness cost allowed: up to a one-sided "must" (5).
FAIRNESS_STEPS = (1.0, 2.0, 3.0, 5.0)


@dataclass
class Residual:
    """What is left for the solver once the locked meetings are in: capacities, free slots, tables, pairs."""

    capacity: list[int]
    free: list[int]
    tables: list[int]
    # (council, supplier) -> value, for pairs that may still meet: allowed, not locked, a free slot in common.
    pairs: dict[tuple[int, int], float]
    locked_value: float
    locked_participants: set[int]


def scale(rest: Residual) -> int:
    """Cost units per point of value."""
    return FINE if len(rest.pairs) <= COARSE_FROM_PAIRS else COARSE


def residual(problem: Problem) -> Residual:
    n = problem.size
    free = list(problem.available)
    count = [0] * n
    tables = [problem.tables] * problem.slots
    met: set[tuple[int, int]] = set()
    locked_pairs = set()
    locked_value = 0.0
    for council, supplier, slot in problem.locked:
        for p in (council, supplier):
            free[p] &= ~(1 << slot)
            count[p] += 1
        tables[slot] -= 1
        met.update(((council, problem.organisation[supplier]), (supplier, problem.organisation[council])))
        locked_pairs.add((council, supplier))
        locked_value += problem.value[(council, supplier)]
    capacity = []
    for p in range(n):
        limit = problem.instance.participants[p].max_meetings
        left = problem.slots if limit is None else limit - count[p]
        capacity.append(max(0, min(left, free[p].bit_count())))
    open_slots = sum(1 << s for s in range(problem.slots) if tables[s] > 0)
    pairs: dict[tuple[int, int], float] = {}
    organisation = problem.organisation
    for (council, supplier), value in problem.value.items():
        if (council, supplier) in locked_pairs or not capacity[council] or not capacity[supplier]:
            continue
        if not free[council] & free[supplier] & open_slots:
            continue
        if problem.exclusive and ((council, organisation[supplier]) in met or (supplier, organisation[council]) in met):
            continue
        pairs[(council, supplier)] = value
    locked_participants = {p for pair in locked_pairs for p in pair}
    return Residual(capacity, free, tables, pairs, locked_value, locked_participants)


def meeting_limit(problem: Problem, rest: Residual) -> int:
    """Meetings the slots can hold: per slot, free tables, councils free then, suppliers free then."""
    total = 0
    for slot in range(problem.slots):
        bit = 1 << slot
        councils = sum(
            1 for p in range(problem.size) if problem.side[p] == 0 and rest.capacity[p] and rest.free[p] & bit
        )
        suppliers = sum(
            1 for p in range(problem.size) if problem.side[p] == 1 and rest.capacity[p] and rest.free[p] & bit
        )
        total += max(0, min(rest.tables[slot], councils, suppliers))
    return total


@dataclass
class Relaxation:
    # The pairs chosen by the flow (without the locked meetings).
    pairs: list[tuple[int, int]]
    # Value of those pairs plus the locked meetings.
    value: float
    # Proven upper bound on the value of any schedule (locked meetings included).
    bound: float
    # False if the time ran out before the flow was optimal (the bound is then looser).
    optimal: bool = True
    # The most valuable choice, before any value was given up for fairness (``pairs`` when none was).
    value_first: list[tuple[int, int]] = field(default_factory=list)


def relax(problem: Problem, rest: Residual, deadline: float = float("inf"), fairness_cost: float = 0.0) -> Relaxation:
    """The most valuable set of meetings under the relaxation and, among those, one that gives a meeting to as
    many participants with a wish as it can; with the bound that proves its value optimal. With
    ``fairness_cost`` (a share of the bound), more participants with a wish get a meeting for at most that loss of
    value (see ``FAIRNESS_STEPS``)."""
    net = flow.Network(2)
    source, sink = 0, 1
    hub = net.add_node()
    # The smallest step of value is worth more than every participant's first-meeting bonus together, so the
    # bonus only chooses among the most valuable sets: value first, fairness second.
    unit = scale(rest)
    point = unit * (problem.size + 1)
    # Real weights per arc, for the bound; the bonus arcs weigh nothing there (it is a tie-break, not value).
    weight: list[float] = []

    def arc(tail: int, head: int, capacity: int, value: float, bonus: int = 0) -> int:
        index = net.add_arc(tail, head, capacity, -round(value * unit) * (problem.size + 1) - bonus)
        weight.extend((value, -value))
        return index

    limit = meeting_limit(problem, rest)
    arc(source, hub, limit, 0.0)
    # The way round all meetings: the search always reaches the sink, so it ends on a path worth nothing (or at
    # the limit), which leaves potentials that prove the optimum; it never carries flow (that would gain nothing).
    arc(hub, sink, limit, 0.0)
    node = {}
    bonus_arcs = []
    for p in range(problem.size):
        if not rest.capacity[p]:
            continue
        node[p] = net.add_node()
        ends = (hub, node[p]) if problem.side[p] == 0 else (node[p], sink)
        # A participant with a locked meeting has one already.
        if problem.wishes[p] and p not in rest.locked_participants:
            bonus_arcs.append(arc(*ends, 1, 0.0, bonus=1))
            if rest.capacity[p] > 1:
                arc(*ends, rest.capacity[p] - 1, 0.0)
        else:
            arc(*ends, rest.capacity[p], 0.0)
    # Group nodes only where an organisation offers a participant two or more candidates.
    candidates: dict[tuple[int, int], int] = defaultdict(int)
    if problem.exclusive:
        for council, supplier in rest.pairs:
            candidates[(council, problem.organisation[supplier])] += 1
            candidates[(supplier, problem.organisation[council])] += 1
    group: dict[tuple[int, int], int] = {}

    def via(person: int, organisation: int, outgoing: bool) -> int:
        if candidates.get((person, organisation), 0) < 2:
            return node[person]
        key = (person, organisation)
        if key not in group:
            group[key] = net.add_node()
            if outgoing:
                arc(node[person], group[key], 1, 0.0)
            else:
                arc(group[key], node[person], 1, 0.0)
        return group[key]

    pair_arcs: list[tuple[int, tuple[int, int]]] = []
    for (council, supplier), value in sorted(rest.pairs.items(), key=lambda item: -item[1]):
        tail = via(council, problem.organisation[supplier], True)
        head = via(supplier, problem.organisation[council], False)
        pair_arcs.append((arc(tail, head, 1, value), (council, supplier)))
    carried, potential, optimal = flow.max_weight_flow(net, source, sink, limit, deadline)
    chosen = [pair for index, pair in pair_arcs if net.flow(index)]
    value = rest.locked_value + sum(rest.pairs[pair] for pair in chosen)
    bound = rest.locked_value + _bound(net, weight, potential, bonus_arcs, optimal, carried, limit, point)
    if not optimal:
        bound = min(bound, rest.locked_value + simple_bound(problem, rest, limit))
    # The meetings chosen are a schedule's worth of value under the relaxation, so never above its optimum:
    # a bound below them can only be rounding.
    relaxation = Relaxation(chosen, value, max(bound, value), optimal, chosen)
    if optimal and fairness_cost > 0:
        # Closed into a circulation, so that a participant's first meeting may also be a new one.
        flow.close(net, source, sink, limit, carried)
        floor = (1 - fairness_cost) * relaxation.bound
        _trade_for_fairness(problem, rest, net, pair_arcs, bonus_arcs, potential, relaxation, floor)
    return relaxation


def simple_bound(problem: Problem, rest: Residual, limit: int) -> float:
    """A quick bound for when the flow was stopped early: no participant has more meetings than their capacity,
    nor the slots more than ``limit``, so the value is at most the best values each side could pick alone, and
    at most the ``limit`` best values of all."""
    values = sorted(rest.pairs.values(), reverse=True)
    overall = sum(values[:limit])
    per_person: list[list[float]] = [[] for _ in range(problem.size)]
    for (council, supplier), value in rest.pairs.items():
        per_person[council].append(value)
        per_person[supplier].append(value)
    sides = [0.0, 0.0]
    for p, options in enumerate(per_person):
        sides[problem.side[p]] += sum(sorted(options, reverse=True)[: rest.capacity[p]])
    return min(overall, *sides)


def _bound(
    net: flow.Network,
    weight: list[float],
    potential: list[float],
    bonus_arcs: list[int],
    optimal: bool,
    carried: int,
    limit: int,
    point: int,
) -> float:
    """The weak-duality bound of the potentials, made exact when the flow is optimal (leaving the network and the
    potentials as they were)."""
    source, sink = 0, 1
    if not optimal:
        return flow.bound(net, weight, potential, point, source, sink)
    # The flow is also the most valuable without the bonus: take the bonus out and correct the potentials (a
    # little: the bonus is tiny), so that they prove the value exactly. The arc back from the sink closes the flow
    # into a circulation, so the bound needs no other adjustment at the source.
    arcs, nodes = len(net.head), net.nodes
    costs = [net.cost[arc] for arc in bonus_arcs]
    for arc in bonus_arcs:
        net.cost[arc] = net.cost[arc ^ 1] = 0
    flow.close(net, source, sink, limit, carried)
    proof = list(potential)
    if not flow.settle_potentials(net, proof):
        raise AssertionError("an optimal flow has no negative cycle")  # pragma: no cover
    bound = flow.bound(net, [*weight, 0.0, 0.0], proof, point, source, sink)
    net.truncate(arcs, nodes)
    for arc, cost in zip(bonus_arcs, costs, strict=True):
        net.cost[arc], net.cost[arc ^ 1] = cost, -cost
    return bound


def _trade_for_fairness(
    problem: Problem,
    rest: Residual,
    net: flow.Network,
    pair_arcs: list[tuple[int, tuple[int, int]]],
    bonus_arcs: list[int],
    potential: list[float],
    relaxation: Relaxation,
    floor: float,
) -> None:
    """Raises the worth of a first meeting step by step while participants with a wish are left without one and
    the value stays at or above ``floor``; keeps the last choice of meetings that did."""
    # Those who made a wish, have no locked meeting, and someone they may meet.
    candidates = {p for pair in rest.pairs for p in pair}
    wanting = [p for p in candidates if problem.wishes[p] and p not in rest.locked_participants]
    worth = 0.0
    for step in FAIRNESS_STEPS:
        met = {p for pair in relaxation.pairs for p in pair}
        if all(p in met for p in wanting):
            return
        flow.cheapen(net, bonus_arcs, round((step - worth) * scale(rest)) * (problem.size + 1), potential)
        worth = step
        chosen = [pair for index, pair in pair_arcs if net.flow(index)]
        value = rest.locked_value + sum(rest.pairs[pair] for pair in chosen)
        if value < floor:
            return
        relaxation.pairs, relaxation.value = chosen, value
