"""The min-cost flow on small b-matchings: optimal (against every subset of edges), its bound equal to the
optimum, and still optimal after costs change (``cheapen``) or when the time runs out (valid bound)."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from exchange.scheduling import flow

Graph = tuple[list[int], list[int], list[tuple[int, int, int]], int]


@st.composite
def b_matchings(draw: st.DrawFn) -> Graph:
    """Capacities of a few left and right nodes, weighted edges between them, and a limit on the total."""
    left = draw(st.lists(st.integers(0, 3), min_size=1, max_size=4))
    right = draw(st.lists(st.integers(0, 3), min_size=1, max_size=4))
    pairs = [(i, j) for i in range(len(left)) for j in range(len(right))]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=8))
    edges = [(i, j, draw(st.integers(0, 12))) for i, j in chosen]
    return left, right, edges, draw(st.integers(0, 8))


def build(graph: Graph) -> tuple[flow.Network, list[int], list[float]]:
    left, right, edges, limit = graph
    net = flow.Network(3)  # source, sink, hub
    weight: list[float] = []

    def arc(tail: int, head: int, capacity: int, value: int) -> int:
        weight.extend((value, -value))
        return net.add_arc(tail, head, capacity, -value)

    arc(0, 2, limit, 0)
    arc(2, 1, limit, 0)
    nodes_left = [net.add_node() for _ in left]
    nodes_right = [net.add_node() for _ in right]
    for node, capacity in zip(nodes_left, left, strict=True):
        arc(2, node, capacity, 0)
    for node, capacity in zip(nodes_right, right, strict=True):
        arc(node, 1, capacity, 0)
    edge_arcs = [arc(nodes_left[i], nodes_right[j], 1, w) for i, j, w in edges]
    return net, edge_arcs, weight


def best(graph: Graph) -> int:
    left, right, edges, limit = graph
    top = 0
    for size in range(min(limit, len(edges)) + 1):
        for subset in combinations(edges, size):
            if all(sum(1 for e in subset if e[0] == i) <= c for i, c in enumerate(left)) and all(
                sum(1 for e in subset if e[1] == j) <= c for j, c in enumerate(right)
            ):
                top = max(top, sum(e[2] for e in subset))
    return top


@settings(max_examples=200, deadline=None)
@given(b_matchings())
def test_the_flow_is_optimal_and_its_bound_proves_it(graph: Graph) -> None:
    net, edge_arcs, weight = build(graph)
    _, potential, optimal = flow.max_weight_flow(net, 0, 1, graph[3])
    value = sum(edge[2] for edge, arc in zip(graph[2], edge_arcs, strict=True) if net.flow(arc))
    assert optimal and value == best(graph)
    assert abs(flow.bound(net, weight, potential, 1, 0, 1) - value) < 1e-9


@settings(max_examples=200, deadline=None)
@given(b_matchings(), st.data())
def test_a_flow_made_cheaper_is_optimal_again(graph: Graph, data: st.DataObject) -> None:
    left, right, edges, limit = graph
    net, edge_arcs, _ = build(graph)
    carried, potential, _ = flow.max_weight_flow(net, 0, 1, limit)
    flow.close(net, 0, 1, limit, carried)
    raised = data.draw(st.lists(st.sampled_from(range(len(edges))), unique=True)) if edges else []
    flow.cheapen(net, [edge_arcs[k] for k in raised], 5, potential)
    bumped = [(i, j, w + 5 if k in raised else w) for k, (i, j, w) in enumerate(edges)]
    value = sum(edge[2] for edge, arc in zip(bumped, edge_arcs, strict=True) if net.flow(arc))
    assert value == best((left, right, bumped, limit))


def test_stopped_early_the_flow_still_gives_a_bound() -> None:
    graph: Graph = ([2, 2, 2], [2, 2, 2], [(i, j, 1 + i + 2 * j) for i in range(3) for j in range(3)], 6)
    net, _, weight = build(graph)
    _, potential, optimal = flow.max_weight_flow(net, 0, 1, graph[3], deadline=0.0)
    assert not optimal
    assert flow.bound(net, weight, potential, 1, 0, 1) >= best(graph)
