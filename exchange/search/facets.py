"""Facet counts from one grouped query, cached until the index changes.

One query groups the matching documents by every facet column at once (a few thousand combinations at
most). Each facet is then counted in Python over the combinations that pass every *other* filter, and
the total over those that pass all of them: one scan of the index instead of one per facet.

The grouped rows depend only on the words and on what the viewer may see, so they are kept in the search
cache (see cache.py) until the index changes: browsing without words then costs no scan at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.search.cache import cached
from exchange.search.models import SearchDocument as Doc
from exchange.search.need_filters import ENDED_STAGES, hides_ended
from exchange.search.schemas import SearchQuery

FACET_NAMES = ("kind", "category", "region", "price", "stage", "organisation_kind")
FACET_COLUMNS = (Doc.kind, Doc.category_top_id, Doc.region_id, Doc.is_free, Doc.stage, Doc.organisation_kind)
Combination = tuple[Any, ...]  # the six facet values, then the count


def facet_counts(
    db: Session, cache_key: tuple[Any, ...], restrict: Callable[[Any], Any], query: SearchQuery
) -> tuple[int, dict[str, dict[Any, int]]]:
    """The total and every facet's counts for a search, from the cache while the index is unchanged.

    ``cache_key`` names what the grouped rows depend on (the index version, the words, what the viewer
    may see); ``restrict`` adds the same words and visibility to the grouped query.
    """
    rows_key = ("rows", *cache_key)

    def grouped_rows() -> list[Combination]:
        statement = restrict(select(*FACET_COLUMNS, func.count()).select_from(Doc)).group_by(*FACET_COLUMNS)
        return [tuple(row) for row in db.execute(statement).all()]

    filters = (
        query.kind,
        query.category,
        query.region,
        query.price,
        query.stage,
        query.organisation_kind,
        query.include_ended,
    )
    return cached(("counts", *cache_key, filters), lambda: count(cached(rows_key, grouped_rows), query))


def _accepts(query: SearchQuery) -> dict[str, Callable[[Any], bool]]:
    """The same filters as the SQL ones in the search service, as tests on one facet value."""
    tests: dict[str, Callable[[Any], bool]] = {}
    if query.kind:
        tests["kind"] = set(query.kind).__contains__
    if query.category:
        tests["category"] = set(query.category).__contains__
    if query.region:
        tests["region"] = set(query.region).__contains__
    if query.price and len(set(query.price)) == 1:
        wanted = query.price[0] == "free"
        tests["price"] = lambda value: value is wanted
    if query.stage:
        tests["stage"] = set(query.stage).__contains__
    elif hides_ended(query):
        tests["stage"] = lambda value: value not in ENDED_STAGES
    if query.organisation_kind:
        tests["organisation_kind"] = set(query.organisation_kind).__contains__
    return tests


def count(rows: list[Combination], query: SearchQuery) -> tuple[int, dict[str, dict[Any, int]]]:
    """The total under every filter, and for each facet its counts under the other filters."""
    tests = _accepts(query)
    total = 0
    counts: dict[str, dict[Any, int]] = {name: {} for name in FACET_NAMES}
    for row in rows:
        failing = [name for index, name in enumerate(FACET_NAMES) if name in tests and not tests[name](row[index])]
        if not failing:
            total += row[-1]
        if len(failing) > 1:
            continue
        for index, name in enumerate(FACET_NAMES):
            if not failing or failing == [name]:
                bucket = counts[name]
                bucket[row[index]] = bucket.get(row[index], 0) + row[-1]
    return total, counts
