"""Generated sessions look like the ones the issue describes, and are valid instances of the format."""

from __future__ import annotations

from collections import Counter

from exchange.scheduling.generate import generate
from exchange.scheduling.model import instance_to_dict, parse_instance
from exchange.scheduling.problem import compile_instance


def test_a_generated_session_is_a_valid_instance_with_the_described_shape() -> None:
    instance = generate(400, slots=12, table_share=0.25, seed=9)
    problem = compile_instance(instance)
    # Read back from JSON, the same session (a pair suggested from both sides is kept once, at the higher score).
    again = compile_instance(parse_instance(instance_to_dict(instance)))
    assert again.value == problem.value and again.available == problem.available and again.locked == problem.locked
    assert len(instance.slots) == 12 and instance.tables == 50
    restricted = sum(1 for p in instance.participants if p.available is not None)
    assert 0.12 < restricted / 400 < 0.28
    assert len(instance.locked) == 2 and instance.exclusive_organisations
    assert sum(problem.wishes) > 0.7 * 400 and any(w.level == "no" for w in instance.wishes)
    assert instance.suggestions and all(0 <= s.score <= 1 for s in instance.suggestions)
    # Popular suppliers: the most wanted are wanted many times more than most.
    wanted = Counter(w.target for w in instance.wishes if w.level != "no" and w.target.startswith("s"))
    counts = sorted(wanted.values(), reverse=True)
    assert counts[0] >= 5 * counts[len(counts) // 2]


def test_the_same_seed_makes_the_same_session() -> None:
    assert generate(50, seed=3) == generate(50, seed=3)
    assert generate(50, seed=3) != generate(50, seed=4)
