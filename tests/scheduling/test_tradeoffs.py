"""Fairness for a bounded price, heavily restricted sessions, and short time limits."""

from __future__ import annotations

from exchange.scheduling import greedy, metrics, solver
from exchange.scheduling.generate import generate
from exchange.scheduling.model import Instance, Participant, Wish


def popular_supplier_session() -> Instance:
    """A supplier with room for one meeting, wanted by a council that meets others anyway ("must") and by one
    that wants no one else ("like"); thirty mutual "must" pairs besides."""
    people = [
        Participant("star", "supplier", "star", max_meetings=1),
        Participant("busy", "council", "busy"),
        Participant("other", "supplier", "other"),
        Participant("shy", "council", "shy"),
    ]
    wishes = [
        Wish("busy", "star", "must"),
        Wish("busy", "other", "must"),
        Wish("other", "busy", "must"),
        Wish("shy", "star", "like"),
    ]
    for n in range(30):
        people += [Participant(f"c{n}", "council", f"c{n}"), Participant(f"s{n}", "supplier", f"s{n}")]
        wishes += [Wish(f"c{n}", f"s{n}", "must"), Wish(f"s{n}", f"c{n}", "must")]
    return Instance(("09:00", "09:20"), 40, tuple(people), tuple(wishes))


def meets(schedule: object, person: str) -> bool:
    return any(person in (m.a, m.b) for m in schedule.meetings)  # type: ignore[attr-defined]


def test_value_alone_leaves_someone_out_that_a_little_value_brings_in() -> None:
    instance = popular_supplier_session()
    strict = solver.solve(instance, seconds=1, fairness_cost=0)
    assert strict.value == strict.upper_bound == 300 + 10 + 5
    assert not meets(strict, "shy")
    fair = solver.solve(instance, seconds=1)
    assert metrics.check(instance, fair) == []
    assert meets(fair, "shy") and fair.value == 300 + 10 + 2
    assert fair.upper_bound == strict.upper_bound
    assert fair.value >= (1 - solver.FAIRNESS_COST) * fair.upper_bound


def test_fairness_is_not_bought_above_its_price() -> None:
    instance = popular_supplier_session()
    schedule = solver.solve(instance, seconds=1, fairness_cost=0.005)
    assert not meets(schedule, "shy") and schedule.value == schedule.upper_bound


def test_heavily_restricted_sessions_keep_every_rule_and_beat_greedy() -> None:
    for share in (0.25, 0.5):
        instance = generate(150, slots=8, table_share=share, seed=11, restricted=0.9)
        schedule = solver.solve(instance, seconds=1)
        baseline = greedy.solve(instance)
        assert metrics.check(instance, schedule) == []
        assert schedule.upper_bound is not None and schedule.value >= 0.95 * schedule.upper_bound
        assert schedule.value >= baseline.value


def test_a_very_short_time_limit_still_gives_a_valid_schedule_and_a_true_bound() -> None:
    instance = generate(400, slots=12, table_share=0.5, seed=4)
    rushed = solver.solve(instance, seconds=0.01)
    unhurried = solver.solve(instance, seconds=3)
    assert metrics.check(instance, rushed) == []
    assert rushed.upper_bound is not None and unhurried.upper_bound is not None
    assert rushed.value <= rushed.upper_bound
    assert rushed.upper_bound >= unhurried.upper_bound - 1e-6
