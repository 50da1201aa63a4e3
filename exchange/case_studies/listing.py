"""The list of published case studies: searched by words, filtered by category, region and council."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from exchange.case_studies import search, service
from exchange.case_studies.models import CaseStudy, listed
from exchange.core.ids import DbId
from exchange.organisations.models import Organisation
from exchange.reference import service as reference


class CaseStudyQuery(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    q: str = Field(default="", max_length=200)
    # A top-level function of the Local Government Function List: its case studies and its children's.
    category: DbId | None = None
    region: DbId | None = None
    council: DbId | None = None
    page: int = Field(default=1, ge=1, le=10_000)
    per_page: int = Field(default=20, ge=1, le=100)

    @field_validator("q")
    @classmethod
    def tidy(cls, value: str) -> str:
        return " ".join(value.replace("\x00", " ").split())

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.category or self.region or self.council)


@dataclass(frozen=True)
class Option:
    value: int
    label: str
    count: int


@dataclass(frozen=True)
class CaseStudyPage:
    query: CaseStudyQuery
    items: list[CaseStudy]
    total: int
    interest: dict[int, int]
    categories: list[Option] = field(default_factory=list)
    regions: list[Option] = field(default_factory=list)
    councils: list[Option] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


def _in_top_category(db: Session, top_id: int) -> ColumnElement[bool]:
    ids = [c.id for c in reference.categories(db) if c.id == top_id or c.parent_id == top_id]
    return CaseStudy.category_id.in_(ids)


def _options(db: Session) -> tuple[list[Option], list[Option], list[Option]]:
    """Every filter's choices with how many listed case studies each holds (a few grouped rows)."""
    by_category = dict(
        db.execute(select(CaseStudy.category_id, func.count()).where(listed()).group_by(CaseStudy.category_id)).all()
    )
    top_of = {c.id: (c.parent_id or c.id) for c in reference.categories(db)}
    top_counts: dict[int, int] = {}
    for category_id, count in by_category.items():
        if category_id in top_of:
            top_counts[top_of[category_id]] = top_counts.get(top_of[category_id], 0) + count
    categories = [Option(c.id, c.label, top_counts[c.id]) for c in reference.top_categories(db) if c.id in top_counts]
    by_region = dict(
        db.execute(select(CaseStudy.region_id, func.count()).where(listed()).group_by(CaseStudy.region_id)).all()
    )
    regions = [Option(r.id, r.name, by_region[r.id]) for r in reference.regions(db) if r.id in by_region]
    councils = [
        Option(organisation_id, name, count)
        for organisation_id, name, count in db.execute(
            select(Organisation.id, Organisation.name, func.count())
            .join(CaseStudy, CaseStudy.organisation_id == Organisation.id)
            .where(listed())
            .group_by(Organisation.id, Organisation.name)
            .order_by(Organisation.name)
        )
    ]
    return categories, regions, councils


def find(db: Session, query: CaseStudyQuery) -> CaseStudyPage:
    conditions: list[ColumnElement[bool]] = [listed()]
    if query.category is not None:
        conditions.append(_in_top_category(db, query.category))
    if query.region is not None:
        conditions.append(CaseStudy.region_id == query.region)
    if query.council is not None:
        conditions.append(CaseStudy.organisation_id == query.council)
    matched = search.matching(query.q) if query.q else None
    statement = select(CaseStudy)
    counting = select(func.count()).select_from(CaseStudy)
    order: list[Any] = [CaseStudy.published_at.desc(), CaseStudy.id.desc()]
    if matched is not None:
        statement = statement.join(matched, matched.c.id == CaseStudy.id)
        counting = counting.join(matched, matched.c.id == CaseStudy.id)
        order.insert(0, matched.c.score.desc())
    total = db.scalar(counting.where(*conditions)) or 0
    items = list(
        db.scalars(
            statement.where(*conditions)
            .options(*service.LOADED)
            .order_by(*order)
            .limit(query.per_page)
            .offset((query.page - 1) * query.per_page)
        )
    )
    categories, regions, councils = _options(db)
    interest = service.interest_counts(db, [item.id for item in items])
    return CaseStudyPage(query, items, total, interest, categories, regions, councils)
