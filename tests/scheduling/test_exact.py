"""The integer program for small sessions with restricted availability: it keeps every rule, reaches the true
optimum (checked against a brute force on tiny instances), tightens the flow's bound where the flow cannot see
the slots, buys fairness at no more than its price, and the scheduler still works without the optional extra."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from hypothesis import given, settings

from exchange.scheduling import exact, metrics, solver
from exchange.scheduling.generate import generate
from exchange.scheduling.model import Instance, Schedule
from exchange.scheduling.problem import compile_instance
from exchange.scheduling.timetable import Timetable
from tests.scheduling.instances import brute_force, instances
from tests.scheduling.test_tradeoffs import meets, popular_supplier_session


def as_schedule(instance: Instance, result: exact.Result) -> Schedule:
    table = Timetable(compile_instance(instance))
    for council, supplier, slot in result.meetings:
        if (council, supplier) not in table.locked:
            table.place(council, supplier, slot)
    return Schedule(table.meetings(), table.value, result.bound)


@settings(max_examples=150, deadline=None)
@given(instances(max_participants=7, max_slots=3))
def test_the_integer_program_keeps_every_rule_and_finds_the_best_value(instance: Instance) -> None:
    problem = compile_instance(instance)
    result = exact.solve(problem, time.perf_counter() + 5)
    if result is None:  # nothing may meet at all
        assert exact.variables_needed(problem) == 0
        return
    schedule = as_schedule(instance, result)
    assert metrics.check(instance, schedule) == []
    assert result.optimal
    assert abs(schedule.value - result.value) < 1e-6
    if len(problem.value) <= 12:
        assert abs(result.value - brute_force(problem)) < 1e-6


@settings(max_examples=100, deadline=None)
@given(instances(max_participants=7, max_slots=3))
def test_the_scheduler_reaches_the_optimum_of_tiny_restricted_sessions(instance: Instance) -> None:
    problem = compile_instance(instance)
    schedule = solver.solve(instance, seconds=2, fairness_cost=0)
    assert metrics.check(instance, schedule) == []
    if len(problem.value) <= 12:
        best = brute_force(problem)
        assert abs(schedule.value - best) < 1e-6
        assert schedule.upper_bound is not None and abs(schedule.upper_bound - best) < 1e-6


def test_where_the_flow_overestimates_the_integer_program_proves_the_true_bound() -> None:
    instance = generate(60, slots=12, table_share=0.25, seed=2, restricted=0.8)
    schedule = solver.solve(instance, seconds=5)
    assert metrics.check(instance, schedule) == []
    assert schedule.stats["exact"] == "optimal"
    assert schedule.upper_bound is not None
    assert schedule.upper_bound < schedule.stats["relaxation_value"]
    assert schedule.value == pytest.approx(schedule.upper_bound)


def restricted_popular_supplier_session() -> Instance:
    """The popular supplier session, with the popular supplier available in the first slot only."""
    instance = popular_supplier_session()
    people = tuple(replace(p, available=("09:00",)) if p.id == "star" else p for p in instance.participants)
    return replace(instance, participants=people)


def test_fairness_is_bought_within_its_price_and_not_above_it() -> None:
    instance = restricted_popular_supplier_session()
    problem = compile_instance(instance)
    strict = exact.solve(problem, time.perf_counter() + 5)
    assert strict is not None and strict.optimal and strict.value == 300 + 10 + 5
    assert not meets(as_schedule(instance, strict), "shy")
    fair = exact.solve(problem, time.perf_counter() + 5, fairness_cost=solver.FAIRNESS_COST)
    assert fair is not None and fair.value == 300 + 10 + 2
    assert meets(as_schedule(instance, fair), "shy")
    assert fair.bound == strict.bound
    too_dear = exact.solve(problem, time.perf_counter() + 5, fairness_cost=0.005)
    assert too_dear is not None and too_dear.value == 300 + 10 + 5


def test_locked_meetings_stay_in_the_integer_programs_schedule() -> None:
    instance = generate(40, slots=6, table_share=0.25, seed=3, restricted=0.5, locked=3)
    result = exact.solve(compile_instance(instance), time.perf_counter() + 5)
    assert result is not None
    schedule = as_schedule(instance, result)
    assert metrics.check(instance, schedule) == []
    held = {(m.a, m.b, m.slot) for m in schedule.meetings}
    assert instance.locked and all((m.a, m.b, m.slot) in held for m in instance.locked)


def test_sessions_too_large_for_it_are_left_to_the_heuristic(monkeypatch: pytest.MonkeyPatch) -> None:
    instance = generate(60, slots=12, table_share=0.25, seed=2, restricted=0.8)
    monkeypatch.setattr(exact, "MAX_VARIABLES", 10)
    schedule = solver.solve(instance, seconds=1)
    assert schedule.stats["exact"] == "too large"
    assert metrics.check(instance, schedule) == []


def test_without_the_extra_the_heuristic_schedules_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # Stands in for an install without SciPy: the same code path as a failed import.
    monkeypatch.setattr(exact, "AVAILABLE", False)
    instance = generate(60, slots=12, table_share=0.25, seed=2, restricted=0.8)
    schedule = solver.solve(instance, seconds=1)
    assert schedule.stats["exact"] == "not installed"
    assert metrics.check(instance, schedule) == []
    assert schedule.upper_bound is not None and schedule.value <= schedule.upper_bound
