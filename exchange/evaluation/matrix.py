"""The evaluation matrix from plain data: each evaluator's scores, their spread, weighted totals and the
ranking by agreed weighted total. No database: the service loads the rows, the pages and exports read this."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Criterion:
    id: int
    name: str
    weight: int


@dataclass(frozen=True)
class Evaluator:
    id: int
    name: str


@dataclass(frozen=True)
class Score:
    proposal_id: int
    criterion_id: int
    evaluator_id: int
    score: int


@dataclass(frozen=True)
class Supplier:
    proposal_id: int
    organisation_id: int
    name: str


@dataclass
class Cell:
    """One proposal against one criterion: each evaluator's score and the agreed one."""

    criterion: Criterion
    by_evaluator: dict[int, int] = field(default_factory=dict)
    agreed: int | None = None

    @property
    def spread(self) -> tuple[int, int] | None:
        """The lowest and highest of the evaluators' scores."""
        scores = self.by_evaluator.values()
        return (min(scores), max(scores)) if scores else None


@dataclass
class Row:
    supplier: Supplier
    cells: list[Cell]
    evaluator_totals: dict[int, float | None]
    agreed_total: float | None
    rank: int | None = None

    @property
    def fully_moderated(self) -> bool:
        return self.agreed_total is not None


@dataclass
class Matrix:
    criteria: list[Criterion]
    evaluators: list[Evaluator]
    # Ranked: the highest agreed weighted total first; rows not yet moderated last, by supplier name.
    rows: list[Row]

    def row(self, proposal_id: int) -> Row | None:
        return next((row for row in self.rows if row.supplier.proposal_id == proposal_id), None)


def weighted_total(scores: Mapping[int, int], criteria: list[Criterion]) -> float | None:
    """Out of 100: each criterion's score times its weight. None until every criterion has a score."""
    total_weight = sum(c.weight for c in criteria)
    if not criteria or total_weight == 0 or any(c.id not in scores for c in criteria):
        return None
    return round(sum(scores[c.id] * c.weight for c in criteria) / total_weight, 2)


def _rank(rows: list[Row]) -> list[Row]:
    """Equal totals share a rank and the next rank skips (1, 1, 3), as procurement reports count them."""
    ranked = sorted(
        rows,
        key=lambda row: (row.agreed_total is None, -(row.agreed_total or 0), row.supplier.name.lower()),
    )
    previous: float | None = None
    for position, row in enumerate(ranked, start=1):
        if row.agreed_total is None:
            break
        row.rank = ranked[position - 2].rank if row.agreed_total == previous else position
        previous = row.agreed_total
    return ranked


def build(
    criteria: list[Criterion],
    evaluators: list[Evaluator],
    suppliers: list[Supplier],
    scores: Iterable[Score],
    agreed: Mapping[tuple[int, int], int],
) -> Matrix:
    """``agreed`` maps (proposal id, criterion id) to the agreed score."""
    by_proposal: dict[int, dict[int, dict[int, int]]] = {}
    for score in scores:
        by_proposal.setdefault(score.proposal_id, {}).setdefault(score.criterion_id, {})[score.evaluator_id] = (
            score.score
        )
    rows = []
    for supplier in suppliers:
        given = by_proposal.get(supplier.proposal_id, {})
        cells = [
            Cell(criterion, dict(given.get(criterion.id, {})), agreed.get((supplier.proposal_id, criterion.id)))
            for criterion in criteria
        ]
        evaluator_totals = {
            evaluator.id: weighted_total(
                {
                    cell.criterion.id: cell.by_evaluator[evaluator.id]
                    for cell in cells
                    if evaluator.id in cell.by_evaluator
                },
                criteria,
            )
            for evaluator in evaluators
        }
        agreed_scores = {cell.criterion.id: cell.agreed for cell in cells if cell.agreed is not None}
        rows.append(Row(supplier, cells, evaluator_totals, weighted_total(agreed_scores, criteria)))
    return Matrix(criteria, evaluators, _rank(rows))
