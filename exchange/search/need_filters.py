"""What a supplier deciding whether to bid filters needs by: taking proposals today, the closing date, the value.

The closing date lives with the need's procurement settings, not in the search index, so these filters are
sub-queries over ``need_procurements`` and ``needs``, and the facts shown on results are read in one batched
query per page. Cached results that used them are keyed by the day and by the procurement table's state too,
because a council can move a closing date without changing the need's search document.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from exchange.needs.models import Need, NeedStage
from exchange.profiles.completeness import today as uk_today
from exchange.proposals.models import NeedProcurement
from exchange.search.models import SearchDocument as Doc
from exchange.search.schemas import Hit, SearchQuery, SearchResults

# Needs no longer taking part in a procurement: left out of results unless asked for.
ENDED_STAGES = frozenset(
    stage.value for stage in (NeedStage.CLOSED, NeedStage.AWARDED, NeedStage.NO_SUITABLE_SUPPLIER, NeedStage.CANCELLED)
)


def uses_procurement(query: SearchQuery) -> bool:
    return query.open_now or query.closes_within is not None or query.closes_after is not None


def uses_need_facts(query: SearchQuery) -> bool:
    return uses_procurement(query) or query.value_min is not None or query.value_max is not None


def hides_ended(query: SearchQuery) -> bool:
    """Ended needs are hidden unless the searcher includes them or picks stages by hand."""
    return not query.include_ended and not query.stage


def not_ended() -> ColumnElement[bool]:
    return or_(Doc.stage.is_(None), Doc.stage.not_in(sorted(ENDED_STAGES)))


def conditions(query: SearchQuery, today: date) -> list[ColumnElement[bool]]:
    """SQL conditions on search documents for the need filters asked for (each also limits results to needs)."""
    found: list[ColumnElement[bool]] = []
    if query.open_now:
        blocked = select(NeedProcurement.need_id).where(
            or_(
                NeedProcurement.opens_on > today,
                NeedProcurement.closes_on < today,
                NeedProcurement.closed_early_at.is_not(None),
            )
        )
        found.append(and_(Doc.stage == NeedStage.OPEN_FOR_PROPOSALS.value, Doc.item_id.not_in(blocked)))
    if query.closes_within is not None:
        last_day = today + timedelta(days=query.closes_within)
        found.append(_closing(NeedProcurement.closes_on.between(today, last_day)))
    if query.closes_after is not None:
        found.append(_closing(NeedProcurement.closes_on > query.closes_after))
    if query.value_min is not None or query.value_max is not None:
        found.append(_value(query.value_min, query.value_max))
    return [and_(Doc.kind == "need", condition) for condition in found]


def _closing(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return Doc.item_id.in_(select(NeedProcurement.need_id).where(condition))


def _value(low: int | None, high: int | None) -> ColumnElement[bool]:
    """Needs whose budget range overlaps the range asked for; a need that gives no budget never does."""
    top = func.coalesce(Need.budget_max, Need.budget_min)
    bottom = func.coalesce(Need.budget_min, Need.budget_max)
    wanted: list[ColumnElement[bool]] = [top.is_not(None)]
    if low is not None:
        wanted.append(top >= low)
    if high is not None:
        wanted.append(bottom <= high)
    return Doc.item_id.in_(select(Need.id).where(*wanted))


def cache_part(db: Session, query: SearchQuery) -> tuple[Any, ...]:
    """What results under these filters depend on beyond the search index: the day and the procurement rows."""
    if not uses_procurement(query):
        return ()
    state = db.execute(select(func.count(), func.max(NeedProcurement.updated_at))).one()
    return (uk_today(), *state)


def with_facts(db: Session, results: SearchResults) -> SearchResults:
    """The results with each need's closing date, budget and who it suits, read in one query for the page."""
    need_ids = {hit.item_id for hit in results.hits if hit.kind == "need"}
    if not need_ids:
        return results
    rows = db.execute(
        select(Need.id, Need.budget_min, Need.budget_max, Need.suitable_for, NeedProcurement.closes_on)
        .outerjoin(NeedProcurement, NeedProcurement.need_id == Need.id)
        .where(Need.id.in_(sorted(need_ids)))
    ).all()
    facts = {row.id: row for row in rows}

    def filled(hit: Hit) -> Hit:
        row = facts.get(hit.item_id) if hit.kind == "need" else None
        if row is None:
            return hit
        return dataclasses.replace(
            hit,
            closes_on=row.closes_on,
            budget_min=row.budget_min,
            budget_max=row.budget_max,
            suitable_for=tuple(row.suitable_for or ()),
        )

    return dataclasses.replace(results, hits=[filled(hit) for hit in results.hits])
