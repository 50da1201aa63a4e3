"""Ranked full-text search with facets, over SQLite FTS5 or PostgreSQL full-text search.

Both engines stem English words and match prefixes, so "consult" finds "consultation". Each facet is
counted with every other filter applied but its own, so the counts show what choosing an option would give.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal_column, or_, select, text, true
from sqlalchemy.orm import Session

from exchange.core.viewer import Viewer
from exchange.needs.models import NeedStage
from exchange.organisations.models import ORGANISATION_KIND_LABELS
from exchange.profiles.completeness import today as uk_today
from exchange.reference import service as reference
from exchange.search import cache, facets, need_filters
from exchange.search.models import SearchDocument as Doc
from exchange.search.schemas import KIND_LABELS, Facet, FacetOption, Hit, SearchQuery, SearchResults

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


def query_terms(text_query: str) -> list[str]:
    return WORD.findall(text_query.lower())[:MAX_TERMS]


def visible_to(viewer: Viewer) -> ColumnElement[bool]:
    """Public documents for everyone; public-sector-only needs for verified officers; private ones for members.

    Administrators see everything, in search as on the pages (needs.service.can_see), to moderate it.
    """
    if viewer.is_admin:
        return true()
    clauses: list[ColumnElement[bool]] = [Doc.visibility == "public"]
    if viewer.public_sector_verified:
        clauses.append(Doc.visibility == "public_sector")
    if viewer.organisation_ids:
        clauses.append(Doc.organisation_id.in_(sorted(viewer.organisation_ids)))
    return or_(*clauses)


class _TextMatch:
    """The dialect-specific part: which documents match the words, and how well."""

    def __init__(self, db: Session, terms: list[str]) -> None:
        self.terms = terms
        self.dialect = db.get_bind().dialect.name

    def subquery(self) -> Any:
        if self.dialect == "sqlite":
            match = " ".join(f'"{term}"*' for term in self.terms)
            return (
                select(
                    literal_column("search_fts.rowid").label("doc_id"),
                    literal_column("bm25(search_fts, 10.0, 3.0, 4.0, 1.0)").label("rank"),
                )
                .select_from(text("search_fts"))
                .where(text("search_fts MATCH :match").bindparams(match=match))
                .subquery("matched")
            )
        tsquery = " & ".join(f"{term}:*" for term in self.terms)
        query = func.to_tsquery(literal_column("'english'::regconfig"), tsquery)
        tsv: Any = literal_column("search_documents.tsv")
        # Negated so that, as with bm25, a lower rank is a better match.
        return (
            select(Doc.id.label("doc_id"), (-func.ts_rank_cd(tsv, query)).label("rank"))
            .where(tsv.op("@@")(query))
            .subquery("matched")
        )


def _filters(query: SearchQuery) -> dict[str, ColumnElement[bool]]:
    filters: dict[str, ColumnElement[bool]] = {}
    if query.kind:
        filters["kind"] = Doc.kind.in_(query.kind)
    if query.category:
        filters["category"] = Doc.category_top_id.in_(query.category)
    if query.region:
        filters["region"] = Doc.region_id.in_(query.region)
    if query.price and len(set(query.price)) == 1:
        filters["price"] = Doc.is_free.is_(query.price[0] == "free")
    if query.stage:
        filters["stage"] = Doc.stage.in_(query.stage)
    elif need_filters.hides_ended(query):
        filters["stage"] = need_filters.not_ended()
    if query.organisation_kind:
        filters["organisation_kind"] = Doc.organisation_kind.in_(query.organisation_kind)
    return filters


def visibility_key(viewer: Viewer) -> tuple[Any, ...]:
    """What decides which documents a viewer may see: viewers with the same key share cached counts."""
    if viewer.is_admin:
        return ("everything",)
    return (viewer.public_sector_verified, tuple(sorted(viewer.organisation_ids)))


def search(db: Session, viewer: Viewer, query: SearchQuery) -> SearchResults:
    """Results, facets and counts, computed once per index version for everyone who may see the same.

    The closing dates and budgets on the page's needs are read afresh for every request, in one query.
    """
    version = (*cache.index_version(db), *need_filters.cache_part(db, query))
    key = ("results", *version, visibility_key(viewer), query)
    return need_filters.with_facts(db, cache.cached(key, lambda: _search(db, viewer, query, version)))


def _search(db: Session, viewer: Viewer, query: SearchQuery, version: tuple[Any, ...]) -> SearchResults:
    terms = query_terms(query.q)
    matched = _TextMatch(db, terms).subquery() if terms else None
    filters = _filters(query)
    # Not facets: they narrow every count alike, as the words do.
    need_conditions = need_filters.conditions(query, uk_today())
    if query.visibility:
        need_conditions.append(Doc.visibility.in_(query.visibility))

    def restrict(statement: Any, with_filters: bool = True) -> Any:
        if matched is not None:
            statement = statement.join(matched, matched.c.doc_id == Doc.id)
        conditions = [visible_to(viewer), *need_conditions, *(filters.values() if with_filters else ())]
        return statement.where(and_(*conditions))

    need_key = (
        query.open_now,
        query.closes_within,
        query.closes_after,
        query.value_min,
        query.value_max,
        query.visibility,
    )
    words_key = (*version, visibility_key(viewer), tuple(terms), need_key)
    total, counts = facets.facet_counts(db, words_key, lambda s: restrict(s, False), query)
    order: list[Any] = []
    if matched is not None and query.sort == "relevance":
        order.append(matched.c.rank)
    order.extend([Doc.updated_at.desc(), Doc.id.desc()])
    rows = db.execute(
        restrict(select(*HIT_COLUMNS).select_from(Doc))
        .order_by(*order)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
    ).all()
    hits = [Hit(**row._mapping) for row in rows]
    facet_list = [_facet(db, name, counts[name], query) for name in facets.FACET_NAMES]
    return SearchResults(query=query, hits=hits, total=total, facets=facet_list, version=version)


HIT_COLUMNS = (
    Doc.kind,
    Doc.item_id,
    Doc.title,
    Doc.summary,
    Doc.organisation_id,
    Doc.organisation_name,
    Doc.organisation_kind,
    Doc.category_top_id,
    Doc.region_id,
    Doc.stage,
    Doc.is_free,
    Doc.updated_at,
)


def _options(
    labels: Sequence[tuple[Any, str]],
    counts: dict[Any, int],
    selected: Sequence[Any],
    keep_empty: bool = False,
) -> list[FacetOption]:
    return [
        FacetOption(str(value), label, counts.get(value, 0), value in selected)
        for value, label in labels
        if keep_empty or counts.get(value, 0) or value in selected
    ]


def _facet(db: Session, name: str, counts: dict[Any, int], query: SearchQuery) -> Facet:
    labels: list[tuple[Any, str]]
    if name == "kind":
        return Facet(name, "Type", _options(list(KIND_LABELS.items()), counts, query.kind, keep_empty=True))
    if name == "category":
        labels = [(c.id, c.label) for c in reference.top_categories(db)]
        return Facet(name, "Category", _options(labels, counts, query.category))
    if name == "region":
        labels = [(r.id, r.name) for r in reference.regions(db)]
        return Facet(name, "Region", _options(labels, counts, query.region))
    if name == "price":
        price_counts = {"free": counts.get(True, 0), "paid": counts.get(False, 0)}
        return Facet(name, "Price (offers)", _options([("free", "Free"), ("paid", "Paid")], price_counts, query.price))
    if name == "stage":
        labels = [(stage.value, stage.label) for stage in NeedStage]
        return Facet(name, "Stage (needs)", _options(labels, counts, query.stage))
    labels = [(kind.value, label) for kind, label in ORGANISATION_KIND_LABELS.items()]
    return Facet(name, "Organisation", _options(labels, counts, query.organisation_kind))


def latest(db: Session, viewer: Viewer, kind: str, limit: int = 5) -> list[Hit]:
    """The newest items of a kind; for needs, those taking proposals lead and ended ones come last."""
    order: list[Any] = []
    if kind == "need":
        order.append(
            case(
                (Doc.stage == NeedStage.OPEN_FOR_PROPOSALS.value, 0),
                (Doc.stage.in_(sorted(need_filters.ENDED_STAGES)), 2),
                else_=1,
            )
        )
    rows = db.execute(
        select(*HIT_COLUMNS)
        .where(Doc.kind == kind, visible_to(viewer))
        .order_by(*order, Doc.updated_at.desc(), Doc.id.desc())
        .limit(limit)
    ).all()
    return [Hit(**row._mapping) for row in rows]


def counts_by_kind(db: Session, viewer: Viewer) -> dict[str, int]:
    rows = db.execute(select(Doc.kind, func.count()).where(visible_to(viewer)).group_by(Doc.kind)).all()
    return {kind: count for kind, count in rows}
