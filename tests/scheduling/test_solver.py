"""The scheduler on random instances: every schedule obeys every rule, locked meetings stay, the bound is a true
upper bound (checked against a brute force on tiny instances), and the exact case reaches it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from exchange.scheduling import greedy, metrics, solver
from exchange.scheduling.generate import generate
from exchange.scheduling.model import Instance
from exchange.scheduling.problem import compile_instance
from tests.scheduling.instances import brute_force, instances

QUICK = settings(max_examples=150, deadline=None)


def held(schedule_meetings: list, instance: Instance) -> set[tuple[frozenset[str], str]]:
    return {(frozenset((m.a, m.b)), m.slot) for m in schedule_meetings}


@QUICK
@given(instances())
def test_every_schedule_obeys_every_rule(instance: Instance) -> None:
    for schedule in (solver.solve(instance, seconds=1), greedy.solve(instance)):
        assert metrics.check(instance, schedule) == []


@QUICK
@given(instances(max_participants=16, max_slots=4))
def test_locked_meetings_never_move(instance: Instance) -> None:
    schedule = solver.solve(instance, seconds=1)
    meetings = {(m.a, m.b, m.slot) for m in schedule.meetings}
    for locked in instance.locked:
        assert (locked.a, locked.b, locked.slot) in meetings


@QUICK
@given(instances(max_participants=7, max_slots=3))
def test_the_bound_is_never_below_the_best_schedule(instance: Instance) -> None:
    problem = compile_instance(instance)
    schedule = solver.solve(instance, seconds=1)
    assert schedule.upper_bound is not None
    assert schedule.value <= schedule.upper_bound + 1e-6
    if len(problem.value) <= 12:
        best = brute_force(problem)
        assert best <= schedule.upper_bound + 1e-6
        assert schedule.value <= best + 1e-6


@QUICK
@given(instances(max_participants=14, max_slots=5, everywhere=True))
def test_the_exact_case_reaches_the_bound(instance: Instance) -> None:
    schedule = solver.solve(instance, seconds=1, fairness_cost=0)
    assert metrics.check(instance, schedule) == []
    assert schedule.upper_bound is not None
    assert abs(schedule.value - schedule.upper_bound) < 1e-6


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6))
def test_the_exact_case_reaches_the_bound_under_tight_tables(seed: int) -> None:
    """Realistic sessions with everyone available all day: tables for a quarter still hold the optimum."""
    instance = generate(60, slots=6, table_share=0.25, seed=seed, locked=0, restricted=0.0)
    schedule = solver.solve(instance, seconds=1, fairness_cost=0)
    assert metrics.check(instance, schedule) == []
    assert schedule.upper_bound is not None and abs(schedule.value - schedule.upper_bound) < 1e-6


def test_a_realistic_session_is_near_the_bound_and_fairer_and_more_compact_than_greedy() -> None:
    instance = generate(200, slots=12, table_share=0.25, seed=7)
    schedule = solver.solve(instance, seconds=2)
    baseline = greedy.solve(instance)
    assert metrics.check(instance, schedule) == [] and metrics.check(instance, baseline) == []
    mine, theirs = metrics.measure(instance, schedule), metrics.measure(instance, baseline)
    assert schedule.upper_bound is not None and mine.value >= 0.98 * schedule.upper_bound
    assert mine.value >= theirs.value
    assert mine.no_meeting <= theirs.no_meeting / 4
    assert mine.idle_gaps <= theirs.idle_gaps / 2


def test_the_same_seed_gives_the_same_schedule() -> None:
    instance = generate(80, slots=8, table_share=0.5, seed=3)
    first, second = solver.solve(instance, seconds=5, seed=4), solver.solve(instance, seconds=5, seed=4)
    assert first.meetings == second.meetings
