"""The matrix arithmetic on plain data: weighted totals, spreads and the ranking by agreed total."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from exchange.evaluation.matrix import Criterion, Evaluator, Score, Supplier, build, weighted_total

CRITERIA = [Criterion(1, "Technical quality", 50), Criterion(2, "Social value", 30), Criterion(3, "Price", 20)]
ANN, BEN = Evaluator(10, "Ann"), Evaluator(11, "Ben")


def supplier(n: int, name: str) -> Supplier:
    return Supplier(proposal_id=n, organisation_id=100 + n, name=name)


def scores(proposal_id: int, evaluator: Evaluator, values: list[int]) -> list[Score]:
    return [Score(proposal_id, c.id, evaluator.id, v) for c, v in zip(CRITERIA, values, strict=True)]


def test_the_weighted_total_is_out_of_100_and_waits_for_every_criterion() -> None:
    assert weighted_total({1: 80, 2: 70, 3: 60}, CRITERIA) == 73.0  # 40 + 21 + 12
    assert weighted_total({1: 80, 2: 70}, CRITERIA) is None
    assert weighted_total({}, []) is None


def test_each_cell_has_every_evaluators_score_its_spread_and_the_agreed_score() -> None:
    matrix = build(
        CRITERIA,
        [ANN, BEN],
        [supplier(1, "Pennine")],
        [*scores(1, ANN, [80, 70, 60]), *scores(1, BEN, [60, 70, 85])],
        {(1, 1): 70, (1, 2): 70, (1, 3): 75},
    )

    row = matrix.rows[0]
    assert row.cells[0].by_evaluator == {10: 80, 11: 60}
    assert [cell.spread for cell in row.cells] == [(60, 80), (70, 70), (60, 85)]
    assert row.evaluator_totals == {10: 73.0, 11: 68.0}
    assert row.agreed_total == 71.0 and row.rank == 1 and row.fully_moderated


def test_rows_rank_by_agreed_total_ties_share_a_rank_and_unmoderated_rows_come_last() -> None:
    agreed = {(p, c.id): v for p, v in ((1, 60), (2, 80), (3, 60)) for c in CRITERIA}
    agreed[(4, 1)] = 99  # only one criterion agreed: not ranked yet
    matrix = build(
        CRITERIA,
        [ANN],
        [
            supplier(1, "Beta"),
            supplier(2, "Gamma"),
            supplier(3, "Alpha"),
            supplier(4, "Delta"),
            supplier(5, "Aardvark"),
        ],
        [],
        agreed,
    )

    assert [(row.supplier.name, row.rank) for row in matrix.rows] == [
        ("Gamma", 1),
        ("Alpha", 2),
        ("Beta", 2),
        ("Aardvark", None),
        ("Delta", None),
    ]
    assert matrix.row(4) is not None and matrix.row(4).agreed_total is None  # type: ignore[union-attr]
    assert matrix.row(99) is None


def test_a_cell_nobody_scored_has_no_spread() -> None:
    matrix = build(CRITERIA, [ANN], [supplier(1, "Pennine")], scores(1, ANN, [1, 2, 3])[:1], {})
    assert matrix.rows[0].cells[1].spread is None
    assert matrix.rows[0].evaluator_totals == {10: None}


@given(st.lists(st.integers(0, 100), min_size=3, max_size=3), st.lists(st.integers(1, 100), min_size=3, max_size=3))
def test_a_weighted_total_lies_between_the_lowest_and_highest_score(values: list[int], weights: list[int]) -> None:
    criteria = [Criterion(n, f"C{n}", w) for n, w in enumerate(weights, start=1)]
    total = weighted_total({c.id: v for c, v in zip(criteria, values, strict=True)}, criteria)
    assert total is not None and min(values) - 0.01 <= total <= max(values) + 0.01
