"""The figures of the public trends page, each read with one GROUP BY query over the whole exchange.

Only what anyone may see is counted: needs visible to everyone and published pitches and offers. A need
shared with the public sector only stays out of the public figures, even as a count.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, literal_column, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.needs.models import Need, NeedStage
from exchange.proposals.models import Proposal, ProposalStatus
from exchange.reference import service as reference
from exchange.reference.models import Category

# Needs still looking for a solution: the demand a supplier could meet.
ACTIVE_STAGES = (NeedStage.IDEA, NeedStage.EARLY_MARKET_ENGAGEMENT, NeedStage.OPEN_FOR_PROPOSALS)
MONTHS = 12
UNMET_SHOWN = 8
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # "demand" (needs) or "supply" (pitches and offers): the heat map shades each side in its own colour.
    side: str


COLUMNS: tuple[Column, ...] = (
    Column("idea", "Needs: idea", "demand"),
    Column("early_market_engagement", "Needs: early market engagement", "demand"),
    Column("open_for_proposals", "Needs: open for proposals", "demand"),
    Column("decided", "Needs: closed or decided", "demand"),
    Column("pitch", "Pitches", "supply"),
    Column("offer", "Offers", "supply"),
)
_STAGE_COLUMN = {stage.value: stage.value for stage in ACTIVE_STAGES}


@dataclass(frozen=True)
class HeatMap:
    """Demand and supply for each row (a category or a region), in the order of ``COLUMNS``."""

    dimension: str
    rows: list[tuple[str, list[int]]]
    columns: tuple[Column, ...] = COLUMNS
    # The search filter each row stands for ("category" or "region"), and each row's id under it.
    key: str = "category"
    row_ids: tuple[int, ...] = ()

    def links(self) -> list[list[str]]:
        """For each cell, the search that lists exactly what the cell counts."""
        return [[cell_url(self.key, row_id, column) for column in self.columns] for row_id in self.row_ids]


# The stages each column counts: "decided" holds every stage past looking for a solution.
COLUMN_STAGES = {
    column.key: [column.key]
    if column.key in _STAGE_COLUMN
    else sorted(s.value for s in NeedStage if s not in ACTIVE_STAGES)
    for column in COLUMNS
    if column.side == "demand"
}


def cell_url(key: str, row_id: int, column: Column) -> str:
    """The search of what one heat-map cell counts: its row's category or region, its stage or kind, and only
    what everyone may see (as the counts are), so that the results number the same as the cell."""
    pairs: list[tuple[str, Any]] = [("kind", "need" if column.side == "demand" else column.key), (key, row_id)]
    pairs.extend(("stage", stage) for stage in COLUMN_STAGES.get(column.key, []))
    pairs.append(("visibility", "public"))
    return "/search?" + urlencode(pairs)


@dataclass(frozen=True)
class Unmet:
    category: str
    # Needs looking for a solution, those of them no supplier has sent a proposal for, and the supply.
    demand: int
    unanswered: int
    supply: int


@dataclass(frozen=True)
class Month:
    label: str  # "2026-11"
    needs: int
    pitches: int

    @property
    def name(self) -> str:
        year, number = self.label.split("-")
        return f"{MONTH_NAMES[int(number) - 1]} {year}"


@dataclass(frozen=True)
class SessionOutcomes:
    """Meeting follow-ups recorded at matchmaking sessions, by what came of them."""

    available: bool
    rows: list[tuple[str, int]]


@dataclass(frozen=True)
class Trends:
    by_category: HeatMap
    by_region: HeatMap
    unmet: list[Unmet]
    months: list[Month]
    sessions: SessionOutcomes


def _stage_column(stage: Any) -> str:
    value = stage.value if isinstance(stage, NeedStage) else str(stage)
    return _STAGE_COLUMN.get(value, "decided")


def _grid(db: Session, key: str, labels: Sequence[tuple[int, str]], dimension: str, keep_empty: bool) -> HeatMap:
    """Counts by (row key, column) from three grouped queries: needs by stage, pitches, offers."""
    positions = {column.key: index for index, column in enumerate(COLUMNS)}
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
    top = func.coalesce(Category.parent_id, Category.id)

    def row_key(model: Any) -> Any:
        return top if key == "category" else model.region_id

    need_query = select(row_key(Need), Need.stage, func.count()).select_from(Need).where(Need.open_to_everyone)
    if key == "category":
        need_query = need_query.join(Category, Category.id == Need.category_id)
    for row, stage, count in db.execute(need_query.group_by(row_key(Need), Need.stage)):
        if row is not None:
            counts[row][positions[_stage_column(stage)]] += count
    for name, model in (("pitch", Pitch), ("offer", Offer)):
        query = (
            select(row_key(model), func.count())
            .select_from(model)
            .where(model.status == ListingStatus.PUBLISHED, model.hidden_at.is_(None))
        )
        if key == "category":
            query = query.join(Category, Category.id == model.category_id)
        for row, count in db.execute(query.group_by(row_key(model))):
            if row is not None:
                counts[row][positions[name]] += count
    shown = [(row_id, label) for row_id, label in labels if keep_empty or row_id in counts]
    rows = [(label, list(counts[row_id])) for row_id, label in shown]
    return HeatMap(dimension, rows, key=key, row_ids=tuple(row_id for row_id, _ in shown))


def by_category(db: Session) -> HeatMap:
    labels = [(c.id, c.label) for c in sorted(reference.top_categories(db), key=lambda c: c.label)]
    return _grid(db, "category", labels, "Category", keep_empty=False)


def by_region(db: Session) -> HeatMap:
    return _grid(db, "region", [(r.id, r.name) for r in reference.regions(db)], "Region", keep_empty=True)


def unmet_demand(db: Session, heat: HeatMap, limit: int = UNMET_SHOWN) -> list[Unmet]:
    """Categories with the most needs looking for a solution that no supplier has answered with a proposal."""
    top = func.coalesce(Category.parent_id, Category.id)
    answered = select(Proposal.id).where(Proposal.need_id == Need.id, Proposal.status == ProposalStatus.SUBMITTED)
    query = (
        select(top, func.count())
        .select_from(Need)
        .join(Category, Category.id == Need.category_id)
        .where(Need.open_to_everyone, Need.stage.in_(ACTIVE_STAGES), ~answered.exists())
        .group_by(top)
    )
    unanswered = {category_id: count for category_id, count in db.execute(query)}
    labels = {c.id: c.label for c in reference.top_categories(db)}
    rows = dict(heat.rows)
    active = [i for i, column in enumerate(heat.columns) if column.key in _STAGE_COLUMN]
    supply = [i for i, column in enumerate(heat.columns) if column.side == "supply"]
    found = []
    for category_id, count in unanswered.items():
        values = rows.get(labels.get(category_id, ""), [0] * len(heat.columns))
        found.append(
            Unmet(labels.get(category_id, ""), sum(values[i] for i in active), count, sum(values[i] for i in supply))
        )
    found.sort(key=lambda u: (-u.unanswered, u.supply, u.category))
    return found[:limit]


def month_labels(today: date, months: int = MONTHS) -> list[str]:
    """The last ``months`` calendar months, oldest first, as "YYYY-MM"."""
    labels = []
    year, month = today.year, today.month
    for _ in range(months):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return labels[::-1]


def _month_of(db: Session, column: Any) -> Any:
    if db.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone(literal_column("'UTC'"), column), literal_column("'YYYY-MM'"))
    # Literal formats, not bound parameters: the GROUP BY must repeat the select's expression exactly.
    return func.strftime(literal_column("'%Y-%m'"), column)


def per_month(db: Session, today: date) -> list[Month]:
    labels = month_labels(today)
    start = datetime.fromisoformat(f"{labels[0]}-01").replace(tzinfo=UTC)
    found: dict[str, dict[str, int]] = {"needs": {}, "pitches": {}}
    for name, model, condition in (
        ("needs", Need, Need.open_to_everyone),
        ("pitches", Pitch, (Pitch.status == ListingStatus.PUBLISHED) & Pitch.hidden_at.is_(None)),
    ):
        month = _month_of(db, model.created_at)
        query = select(month, func.count()).where(condition, model.created_at >= start).group_by(month)
        found[name] = {str(label): count for label, count in db.execute(query)}
    return [Month(label, found["needs"].get(label, 0), found["pitches"].get(label, 0)) for label in labels]


def session_outcomes(db: Session) -> SessionOutcomes:
    """Meeting follow-ups by what each side means to do next, once the sessions domain records them.

    The sessions domain is built separately: its ``exchange.sessions.models.MeetingFollowUp`` rows are counted
    by their ``kind`` (or ``outcome``) column when the model and its table exist; until then the page says so.
    """
    try:
        module = importlib.import_module("exchange.sessions.models")
    except ImportError:
        return SessionOutcomes(False, [])
    model = getattr(module, "MeetingFollowUp", None)
    column = getattr(model, "kind", None) or getattr(model, "outcome", None)
    if model is None or column is None:
        return SessionOutcomes(False, [])
    query = select(column, func.count()).group_by(column).order_by(func.count().desc(), column)
    try:
        # A savepoint, so that a database not yet migrated that far leaves the page's transaction usable.
        with db.begin_nested():
            rows = db.execute(query).all()
    except SQLAlchemyError:
        return SessionOutcomes(False, [])
    return SessionOutcomes(True, [(str(getattr(kind, "label", kind)), count) for kind, count in rows])


def trends(db: Session, today: date) -> Trends:
    categories = by_category(db)
    return Trends(categories, by_region(db), unmet_demand(db, categories), per_month(db, today), session_outcomes(db))
