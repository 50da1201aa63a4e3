"""Reading the reference data. It changes only when seeded, so each process keeps a copy."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.reference.models import Category, Region


@dataclass(frozen=True)
class RegionRow:
    id: int
    slug: str
    name: str


@dataclass(frozen=True)
class CategoryRow:
    id: int
    slug: str
    label: str
    parent_id: int | None


_cache: dict[tuple[str, str], list[RegionRow] | list[CategoryRow]] = {}


def clear_cache() -> None:
    _cache.clear()


def _key(db: Session, name: str) -> tuple[str, str]:
    return (str(db.get_bind().engine.url), name)


def regions(db: Session) -> list[RegionRow]:
    key = _key(db, "regions")
    if key not in _cache:
        rows = db.scalars(select(Region).order_by(Region.name))
        _cache[key] = [RegionRow(r.id, r.slug, r.name) for r in rows]
    return _cache[key]  # type: ignore[return-value]


def categories(db: Session) -> list[CategoryRow]:
    key = _key(db, "categories")
    if key not in _cache:
        rows = db.scalars(select(Category).order_by(Category.label))
        _cache[key] = [CategoryRow(c.id, c.slug, c.label, c.parent_id) for c in rows]
    return _cache[key]  # type: ignore[return-value]


def top_categories(db: Session) -> list[CategoryRow]:
    return [c for c in categories(db) if c.parent_id is None]


def category_choices(db: Session) -> list[tuple[str, list[CategoryRow]]]:
    """Second-level functions grouped under their top-level function, for select boxes."""
    children: dict[int, list[CategoryRow]] = {}
    for category in categories(db):
        if category.parent_id is not None:
            children.setdefault(category.parent_id, []).append(category)
    return [(top.label, children.get(top.id, [])) for top in top_categories(db)]


def valid_region(db: Session, region_id: int | None) -> bool:
    return region_id is None or any(r.id == region_id for r in regions(db))


def valid_category(db: Session, category_id: int | None) -> bool:
    return category_id is None or any(c.id == category_id for c in categories(db))
