"""Maximum-weight flow by successive shortest paths, and the dual bound that proves it optimal.

Why this algorithm: the networks here are small (a node per participant, an arc per pair that may meet) but the
answer must be exact and come with a certificate, in pure Python. Successive shortest paths keeps node
potentials that make every residual arc's reduced cost non-negative, so each round is one Dijkstra (stopped once
past the sink), after which paths of that shortest length are augmented, as many as one depth-first search over
the zero-reduced-cost arcs finds. The path costs never decrease, so stopping when the next path
would cost nothing (or when the flow reaches its limit) leaves a maximum-weight flow.

The potentials are also a dual solution: for *any* potentials p and a circulation x with 0 <= x <= u,
sum(c x) = sum((c + p(tail) - p(head)) x) >= sum(u * min(0, reduced cost)), so
``bound`` = sum over arcs of u * max(0, -reduced cost) is an upper bound on the weight of every flow, whatever
the potentials, and it equals the optimum at the end of the algorithm (up to the rounding of costs to integers,
which is why the bound is evaluated with the real, unrounded weights).
"""

from __future__ import annotations

import time
from collections import deque
from heapq import heappop, heappush

INFINITE: float = float("inf")


class Network:
    """A directed graph with integer capacities and costs; arc ``a`` and its residual twin ``a ^ 1``."""

    def __init__(self, nodes: int = 0) -> None:
        self.out: list[list[int]] = [[] for _ in range(nodes)]
        self.head: list[int] = []
        self.capacity: list[int] = []
        self.cost: list[int] = []

    @property
    def nodes(self) -> int:
        return len(self.out)

    def add_node(self) -> int:
        self.out.append([])
        return len(self.out) - 1

    def add_arc(self, tail: int, head: int, capacity: int, cost: int) -> int:
        arc = len(self.head)
        self.head += (head, tail)
        self.capacity += (capacity, 0)
        self.cost += (cost, -cost)
        self.out[tail].append(arc)
        self.out[head].append(arc + 1)
        return arc

    def flow(self, arc: int) -> int:
        return self.capacity[arc ^ 1]

    def truncate(self, arcs: int, nodes: int) -> None:
        """Forgets the arcs and nodes added since there were ``arcs`` arcs and ``nodes`` nodes."""
        for arc in range(len(self.head) - 1, arcs - 1, -1):
            self.out[self.head[arc ^ 1]].remove(arc)
        del self.head[arcs:], self.capacity[arcs:], self.cost[arcs:], self.out[nodes:]

    def tail(self, arc: int) -> int:
        return self.head[arc ^ 1]


def _initial_potentials(net: Network) -> list[float]:
    """Potentials that make every arc with capacity cost at least nothing: shortest distances from a virtual node
    joined to every node at no cost (Bellman-Ford with a queue; the networks built here are acyclic). Nodes the
    source never reaches get potentials too, which keeps the bound tight around them."""
    distance: list[float] = [0] * net.nodes
    queue = deque(range(net.nodes))
    queued = [True] * net.nodes
    head, capacity, cost = net.head, net.capacity, net.cost
    while queue:
        node = queue.popleft()
        queued[node] = False
        here = distance[node]
        for arc in net.out[node]:
            if capacity[arc] > 0:
                to = head[arc]
                if here + cost[arc] < distance[to]:
                    distance[to] = here + cost[arc]
                    if not queued[to]:
                        queued[to] = True
                        queue.append(to)
    return distance


def _shortest_paths(net: Network, source: int, sink: int, potential: list[float]) -> list[int]:
    """Dijkstra on reduced costs, stopped once past the sink; updates the potentials. Returns the nodes it
    settled (those no farther than the sink), or nothing if the sink cannot be reached."""
    head, capacity, cost, out = net.head, net.capacity, net.cost, net.out
    distance = [INFINITE] * len(out)
    distance[source] = 0
    done = [False] * len(out)
    settled: list[int] = []
    heap: list[tuple[float, int]] = [(0, source)]
    while heap:
        d, node = heappop(heap)
        if done[node]:
            continue
        if d > distance[sink]:
            break
        # Many reduced costs are zero: nodes as close as this one are taken from a plain list, not the heap.
        level = [node]
        while level:
            node = level.pop()
            if done[node]:
                continue
            done[node] = True
            settled.append(node)
            if node == sink:
                # Nodes as close as the sink may still lie on a shortest path: settle them too, then stop.
                continue
            base = d + potential[node]
            for arc in out[node]:
                if capacity[arc] > 0:
                    to = head[arc]
                    nd = base + cost[arc] - potential[to]
                    if nd < distance[to]:
                        distance[to] = nd
                        if nd == d:
                            level.append(to)
                        else:
                            heappush(heap, (nd, to))
    if not done[sink]:
        return []
    # Settled nodes move by their distance less the sink's; the others stay, which keeps every reduced cost >= 0.
    to_sink = distance[sink]
    for node in settled:
        potential[node] += distance[node] - to_sink
    return settled


def _augment(net: Network, source: int, sink: int, potential: list[float], settled: list[int], limit: int) -> int:
    """Augments along shortest paths (arcs of zero reduced cost) found by one depth-first search, or until
    ``limit`` units moved; returns the units moved.

    Only nodes Dijkstra settled are used: they are all the nodes no farther than the sink, which is where every
    shortest path runs. A node found to lead nowhere stays out for the round, and each node remembers the arc
    it got to, so the round costs about one look at each arc. Paths it misses (a zero-cost cycle can hide one)
    are found in the next round, at the same cost: only speed depends on finding them all."""
    head, capacity, cost, out = net.head, net.capacity, net.cost, net.out
    # 0: not seen, 1: on the current path, 2: leads nowhere; nodes Dijkstra did not settle start at 2.
    state = [2] * len(out)
    for node in settled:
        state[node] = 0
    position = dict.fromkeys(settled, 0)
    pushed = 0
    stack = [source]
    path: list[int] = []
    state[source] = 1
    while stack and pushed < limit:
        node = stack[-1]
        if node == sink:
            amount = min(min(capacity[arc] for arc in path), limit - pushed)
            for arc in path:
                capacity[arc] -= amount
                capacity[arc ^ 1] += amount
            pushed += amount
            for node in stack:
                state[node] = 0
            stack, path = [source], []
            state[source] = 1
            continue
        arcs = out[node]
        i = position[node]
        here = potential[node]
        while i < len(arcs):
            arc = arcs[i]
            to = head[arc]
            if capacity[arc] > 0 and state[to] == 0 and cost[arc] + here == potential[to]:
                break
            i += 1
        position[node] = i
        if i < len(arcs):
            path.append(arcs[i])
            stack.append(head[arcs[i]])
            state[stack[-1]] = 1
        else:
            state[node] = 2
            stack.pop()
            if path:
                path.pop()
                position[stack[-1]] += 1
    return pushed


def max_weight_flow(
    net: Network, source: int, sink: int, limit: int, deadline: float = INFINITE
) -> tuple[int, list[float], bool]:
    """Sends at most ``limit`` units from ``source`` to ``sink`` at the least total cost (costs are negated weights;
    only paths that lower the cost are used). Returns the flow value, the final potentials, and whether the flow
    is optimal.

    Past ``deadline`` (``time.perf_counter``) it stops early. The flow is then the best of its size, and the
    potentials still give a valid bound, looser by at most the units left times the last path's gain."""
    potential = _initial_potentials(net)
    flow = 0
    while flow < limit:
        if time.perf_counter() >= deadline:
            return flow, potential, False
        settled = _shortest_paths(net, source, sink, potential)
        if not settled or potential[sink] - potential[source] >= 0:
            break
        moved = _augment(net, source, sink, potential, settled, limit - flow)
        if moved == 0:
            break
        flow += moved
    return flow, potential, True


def cheapen(net: Network, arcs: list[int], amount: int, potential: list[float]) -> None:
    """Lowers the cost of each arc in ``arcs`` by ``amount`` and makes the circulation a cheapest one again:
    arcs that became worth using are filled, and the excess this leaves is routed back by shortest paths (from a
    node added before the excess to one added after the deficits), which restores optimality as successive
    shortest paths do. Little work when few arcs change. For a flow from a source to a sink whose size may
    change, first close it with an arc from the sink back to the source (``close``)."""
    head, capacity, cost = net.head, net.capacity, net.cost
    excess: dict[int, int] = {}
    for arc in arcs:
        cost[arc] -= amount
        cost[arc ^ 1] += amount
        tail, to = head[arc ^ 1], head[arc]
        if capacity[arc] > 0 and cost[arc] + potential[tail] - potential[to] < 0:
            moved = capacity[arc]
            capacity[arc], capacity[arc ^ 1] = 0, capacity[arc ^ 1] + moved
            excess[to] = excess.get(to, 0) + moved
            excess[tail] = excess.get(tail, 0) - moved
    total = sum(units for units in excess.values() if units > 0)
    if not total:
        return
    arcs_before, nodes_before = len(head), net.nodes
    start, end = net.add_node(), net.add_node()
    potential.append(max(potential[node] for node, units in excess.items() if units > 0))
    potential.append(min(potential[node] for node, units in excess.items() if units < 0))
    for node, units in excess.items():
        if units > 0:
            net.add_arc(start, node, units, 0)
        elif units < 0:
            net.add_arc(node, end, -units, 0)
    routed = 0
    while routed < total:
        # Undoing what was just filled is always a way, so the deficits can always be reached.
        settled = _shortest_paths(net, start, end, potential)
        moved = _augment(net, start, end, potential, settled, total - routed) if settled else 0
        if not moved:  # pragma: no cover - impossible, by the way back above
            raise AssertionError("excess left with no way to a deficit")
        routed += moved
    net.truncate(arcs_before, nodes_before)
    del potential[nodes_before:]


def close(net: Network, source: int, sink: int, limit: int, carried: int) -> int:
    """Adds the arc from the sink back to the source that makes a flow of ``carried`` units (at most ``limit``) a
    circulation, with that flow on it; its reduced cost is right for the potentials ``max_weight_flow`` leaves."""
    back = net.add_arc(sink, source, limit, 0)
    net.capacity[back], net.capacity[back ^ 1] = limit - carried, carried
    return back


def settle_potentials(net: Network, potential: list[float], patience: int = 50) -> bool:
    """Lowers potentials until every residual arc has a non-negative reduced cost again, after costs changed
    (label-correcting, started from the old potentials, so a small change takes little work). Gives up, returning
    False with the potentials unusable, after ``patience`` relabellings per node: the residual graph then has a
    negative cycle, i.e. the flow is not optimal for the new costs."""
    head, capacity, cost, out = net.head, net.capacity, net.cost, net.out
    queue = deque(range(len(out)))
    queued = [True] * len(out)
    budget = patience * len(out)
    while queue:
        node = queue.popleft()
        queued[node] = False
        here = potential[node]
        for arc in out[node]:
            if capacity[arc] > 0:
                to = head[arc]
                if here + cost[arc] < potential[to]:
                    potential[to] = here + cost[arc]
                    budget -= 1
                    if budget < 0:
                        return False
                    if not queued[to]:
                        queued[to] = True
                        queue.append(to)
    return True


def bound(net: Network, weight: list[float], potential: list[float], scale: float, source: int, sink: int) -> float:
    """Weak-duality bound on the weight of any flow from source to sink: sum of u * max(0, -reduced cost).

    ``weight[a]`` is arc ``a``'s real weight (minus its cost, unrounded); potentials are divided by ``scale``.
    Closing the flow into a circulation takes an uncapacitated arc sink -> source, whose term is finite only if
    p(sink) >= p(source): lowering p(source) to p(sink) when needed is allowed, as any potentials are.
    """
    p = [x / scale for x in potential]
    p[source] = min(p[source], p[sink])
    total = 0.0
    for arc in range(0, len(net.head), 2):
        gain = weight[arc] + p[net.head[arc]] - p[net.head[arc + 1]]
        if gain > 0:
            total += gain * (net.capacity[arc] + net.capacity[arc + 1])
    return total
