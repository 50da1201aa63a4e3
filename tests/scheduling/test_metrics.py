"""The validator names every rule a schedule breaks; the figures count value, fairness and idle gaps."""

from __future__ import annotations

from typing import Any

import pytest

from exchange.scheduling import metrics
from exchange.scheduling.model import Meeting, Schedule, parse_instance
from exchange.scheduling.timetable import idle_gaps

INSTANCE: dict[str, Any] = {
    "slots": ["s1", "s2", "s3", "s4"],
    "tables": 2,
    "participants": [
        {"id": "c1", "side": "council", "organisation": "north"},
        {"id": "c2", "side": "council", "organisation": "south", "available": ["s1", "s2"], "max_meetings": 1},
        {"id": "c3", "side": "council", "organisation": "east"},
        {"id": "v1", "side": "supplier", "organisation": "acme"},
        {"id": "v2", "side": "supplier", "organisation": "acme"},
        {"id": "v3", "side": "supplier", "organisation": "bolt"},
    ],
    "wishes": [
        {"from": "c1", "to": "v1", "level": "must"},
        {"from": "c1", "to": "v2", "level": "like"},
        {"from": "c2", "to": "v3", "level": "like"},
        {"from": "c3", "to": "v3", "level": "no"},
        {"from": "v3", "to": "c1", "level": "must"},
    ],
    "suggestions": [{"a": "c2", "b": "v1", "score": 0.5}],
    "locked": [{"a": "c1", "b": "v1", "slot": "s1"}],
    "exclusive_organisations": True,
}
VALID = [Meeting("c1", "v1", "s1", 1), Meeting("c2", "v3", "s2", 1), Meeting("c1", "v3", "s4", 1)]


def broken(*meetings: Meeting) -> list[str]:
    return metrics.check(parse_instance(INSTANCE), list(meetings))


def test_a_valid_schedule_breaks_nothing() -> None:
    assert broken(*VALID) == []


@pytest.mark.parametrize(
    ("meetings", "named"),
    [
        ([*VALID, Meeting("c1", "c2", "s3", 1)], "does not pair a council with a supplier"),
        ([*VALID, Meeting("c1", "v1", "s3", 1)], "meet more than once"),
        ([*VALID, Meeting("c1", "v2", "s4", 2)], "c1 has two meetings at s4"),
        ([VALID[0], Meeting("c2", "v3", "s3", 1)], "c2 is not available at s3"),
        ([*VALID, Meeting("c2", "v1", "s1", 2)], "more than max_meetings (1)"),
        ([*VALID, Meeting("c3", "v3", "s3", 1)], "the pair may not meet"),
        ([*VALID, Meeting("c3", "v2", "s3", 1)], "the pair may not meet"),
        ([*VALID, Meeting("c1", "v2", "s2", 2)], "c1 meets two participants of acme"),
        ([*VALID, Meeting("c3", "v1", "s2", 3)], "there is no table 3"),
        ([*VALID, Meeting("c3", "v1", "s2", 1)], "table 1 has two meetings at s2"),
        ([VALID[1], VALID[2]], "locked meeting of c1 and v1 at s1 is not kept"),
        ([Meeting("c1", "v1", "s2", 1), *VALID[1:]], "locked meeting of c1 and v1 at s1 is not kept"),
        ([*VALID, Meeting("c1", "x9", "s2", 2)], "unknown 'x9'"),
        ([*VALID, Meeting("c3", "v1", "s9", 2)], "unknown s9"),
    ],
)
def test_each_broken_rule_is_named(meetings: list[Meeting], named: str) -> None:
    problems = broken(*meetings)
    assert any(named in problem for problem in problems), problems


def test_too_many_meetings_in_a_slot_is_named() -> None:
    instance = parse_instance({**INSTANCE, "tables": 1})
    problems = metrics.check(instance, [*VALID, Meeting("c2", "v1", "s1", 1)])
    assert any("more meetings at s1 than tables (1)" in p for p in problems), problems


def test_a_wrong_value_or_a_bound_below_it_is_named() -> None:
    instance = parse_instance(INSTANCE)
    assert metrics.check(instance, Schedule(VALID, 12.0, 12.0)) == []
    assert any("worth 12.0" in p for p in metrics.check(instance, Schedule(VALID, 20.0, 25.0)))
    assert any("below the value" in p for p in metrics.check(instance, Schedule(VALID, 12.0, 11.0)))


def test_figures_count_value_fairness_and_idle_gaps() -> None:
    instance = parse_instance(INSTANCE)
    figures = metrics.measure(instance, Schedule(VALID, 12.0, 20.0))
    # c1 must meet v1 (5), c2 would like v3 (2), v3 must meet c1 (5).
    assert figures.meetings == 3
    assert figures.value == pytest.approx(5 + 2 + 5)
    assert figures.gap_percent == pytest.approx(100 * (20 - 12) / 20)
    # c1 meets in s1 and s4: two idle slots between. v3 meets in s2 and s4: one.
    assert figures.idle_gaps == 3
    # Made a wish: c1, c2, v3 (c3's only wish is a "no"); all have a meeting.
    assert figures.no_meeting == 0
    assert metrics.measure(instance, Schedule(VALID[:1], 5.0)).no_meeting == 2


def test_idle_gaps_are_the_empty_slots_between_the_first_and_the_last_meeting() -> None:
    assert [idle_gaps(m) for m in (0, 0b1, 0b101, 0b1001, 0b110110, 0b1111)] == [0, 0, 1, 2, 1, 0]
