"""The instance format: read and written as SCHEDULING.md says, and malformed instances refused with every
problem named."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from exchange.scheduling.model import InstanceError, instance_to_dict, parse_instance
from exchange.scheduling.problem import compile_instance

EXAMPLE: dict[str, Any] = {
    "slots": ["09:00", "09:20", "09:40"],
    "tables": 40,
    "participants": [
        {"id": "p1", "side": "council", "organisation": "o1", "available": ["09:00", "09:40"], "max_meetings": 8},
        {"id": "p2", "side": "supplier", "organisation": "o2", "available": ["09:00", "09:20", "09:40"]},
        {"id": "p3", "side": "supplier", "organisation": "o2", "max_meetings": 12},
        {"id": "p4", "side": "council", "organisation": "o3"},
    ],
    "wishes": [
        {"from": "p1", "to": "p2", "level": "must"},
        {"from": "p2", "to": "p1", "level": "must"},
        {"from": "p3", "to": "p1", "level": "like"},
        {"from": "p4", "to": "p3", "level": "no"},
    ],
    "suggestions": [{"a": "p1", "b": "p2", "score": 0.42}, {"a": "p4", "b": "p2", "score": 0.3}],
    "locked": [{"a": "p1", "b": "p2", "slot": "09:00"}],
    "exclusive_organisations": True,
}


def problems_of(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InstanceError) as caught:
        compile_instance(parse_instance(data))
    return caught.value.problems


def changed(**fields: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    data.update(fields)
    return data


def test_the_example_of_the_format_is_read_with_the_values_it_defines() -> None:
    problem = compile_instance(parse_instance(EXAMPLE))
    p1, p2, p3, p4 = (problem.index[p] for p in ("p1", "p2", "p3", "p4"))
    # A mutual "must" is worth 10; a one-sided "like" 2; a suggestion alone its score; a "no" forbids.
    assert problem.value == {(p1, p2): 10.0, (p1, p3): 2.0, (p4, p2): 0.3}
    assert problem.available[p1] == 0b101 and problem.available[p4] == 0b111
    assert problem.capacity == [2, 3, 3, 3]
    assert problem.wishes == [True, True, True, False]
    assert problem.locked == [(p1, p2, 0)]


def test_an_instance_survives_being_written_and_read_again() -> None:
    instance = parse_instance(EXAMPLE)
    assert parse_instance(instance_to_dict(instance)) == instance


def test_omitted_fields_take_their_defaults() -> None:
    instance = parse_instance(
        {"slots": ["a"], "tables": 1, "participants": [{"id": "x", "side": "council", "organisation": "o"}]}
    )
    assert instance.wishes == () and instance.locked == () and not instance.exclusive_organisations
    assert instance.participants[0].available is None and instance.participants[0].max_meetings is None


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (changed(slots=[]), "'slots' must be a non-empty list"),
        (changed(slots=["09:00", "09:00"]), "lists a slot twice: 09:00"),
        (changed(tables=-1), "'tables' is -1"),
        (changed(tables="40"), "'tables' is '40'"),
        (changed(participants="everyone"), "'participants' must be a list"),
        (changed(participants=[{"side": "council"}]), "participant 1 has no 'id'"),
        (changed(participants=[*EXAMPLE["participants"], {"id": "p1", "side": "council"}]), "'p1' is listed twice"),
        (changed(participants=[{"id": "x", "side": "vcse", "organisation": "o"}]), "side 'vcse'"),
        (
            changed(participants=[{"id": "x", "side": "council", "organisation": "o", "available": ["10:00"]}]),
            "available in '10:00', not in 'slots'",
        ),
        (changed(participants=[{"id": "x", "side": "council", "max_meetings": -2}]), "max_meetings -2"),
        (changed(wishes=[{"from": "p1", "to": "p9", "level": "must"}]), "unknown participant 'p9'"),
        (changed(wishes=[{"from": "p1", "to": "p2", "level": "maybe"}]), "level 'maybe'"),
        (
            changed(wishes=[{"from": "p1", "to": "p2", "level": "must"}, {"from": "p1", "to": "p2", "level": "no"}]),
            "already wished 'must'",
        ),
        (changed(wishes=[{"from": "p1", "to": "p4", "level": "like"}]), "both are councils"),
        (changed(suggestions=[{"a": "p1", "b": "p2", "score": 1.5}]), "score 1.5 is not a number from 0 to 1"),
        (changed(suggestions=[{"a": "p2", "b": "p3", "score": 0.5}]), "both are suppliers"),
        (changed(locked=[{"a": "p1", "b": "p2", "slot": "12:00"}]), "slot '12:00' is not in 'slots'"),
        (changed(locked=[{"a": "p1", "b": "p7", "slot": "09:00"}]), "unknown participant 'p7'"),
        (changed(locked=[{"a": "p4", "b": "p3", "slot": "09:00"}]), "the pair may not meet"),
        (changed(locked=[{"a": "p1", "b": "p2", "slot": "09:20"}]), "'p1' is not available then"),
        (
            changed(locked=[{"a": "p1", "b": "p2", "slot": "09:00"}, {"a": "p1", "b": "p3", "slot": "09:00"}]),
            "'p1' has another locked meeting then",
        ),
        (
            changed(locked=[{"a": "p1", "b": "p2", "slot": "09:00"}, {"a": "p1", "b": "p3", "slot": "09:40"}]),
            "'p1' meets two participants of 'o2'",
        ),
        (
            changed(
                tables=1, locked=[{"a": "p1", "b": "p2", "slot": "09:00"}, {"a": "p4", "b": "p2", "slot": "09:00"}]
            ),
            "more meetings are locked at '09:00' than there are tables (1)",
        ),
        (changed(locked=[{"a": "p1", "b": "p4", "slot": "09:00"}]), "a meeting pairs a council with a supplier"),
        (changed(colour="blue"), "unknown field(s): colour"),
        (changed(exclusive_organisations="yes"), "'exclusive_organisations' must be true or false"),
    ],
)
def test_a_malformed_instance_is_refused_naming_what_is_wrong(data: dict[str, Any], named: str) -> None:
    problems = problems_of(data)
    assert any(named in problem for problem in problems), problems


def test_max_meetings_below_the_locked_meetings_is_refused() -> None:
    data = changed(
        participants=[
            {"id": "p1", "side": "council", "organisation": "o1", "max_meetings": 0},
            {"id": "p2", "side": "supplier", "organisation": "o2"},
        ],
        wishes=[{"from": "p1", "to": "p2", "level": "like"}],
        suggestions=[],
    )
    assert any("more locked meetings than max_meetings (0)" in p for p in problems_of(data))


def test_every_problem_is_listed_at_once() -> None:
    data = changed(
        tables=-1,
        wishes=[{"from": "p1", "to": "p9", "level": "must"}],
        locked=[{"a": "p1", "b": "p2", "slot": "noon"}],
    )
    assert len(problems_of(data)) == 3
    with pytest.raises(InstanceError, match="the instance is not valid"):
        parse_instance(data)


def test_a_suggestion_made_from_both_sides_keeps_the_higher_score() -> None:
    data = changed(
        wishes=[], locked=[], suggestions=[{"a": "p4", "b": "p2", "score": 0.3}, {"a": "p2", "b": "p4", "score": 0.6}]
    )
    problem = compile_instance(parse_instance(data))
    assert problem.value == {(problem.index["p4"], problem.index["p2"]): 0.6}
