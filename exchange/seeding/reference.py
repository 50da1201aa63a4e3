"""Loading the reference data: regions, councils (from mySociety's list) and the function list."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.text import slugify
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.reference import service as reference
from exchange.reference.models import Category, Region

REGION_NATIONS = {
    "Scotland": "Scotland",
    "Wales": "Wales",
    "Northern Ireland": "Northern Ireland",
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def load_regions_and_councils(db: Session, seed_dir: Path) -> tuple[int, int]:
    """Idempotent: existing rows (matched by slug or local-authority code) are updated, not duplicated."""
    authorities = [r for r in _rows(seed_dir / "uk_local_authorities.csv") if r["current-authority"] == "True"]
    regions = {r.slug: r for r in db.scalars(select(Region))}
    for name in sorted({row["region"] for row in authorities}):
        slug = slugify(name)
        if slug not in regions:
            regions[slug] = Region(slug=slug, name=name, nation=REGION_NATIONS.get(name, "England"))
            db.add(regions[slug])
    db.flush()

    existing = {
        o.local_authority_code: o
        for o in db.scalars(select(Organisation).where(Organisation.local_authority_code.is_not(None)))
    }
    taken_slugs = set(db.scalars(select(Organisation.slug)))
    for row in authorities:
        code = row["local-authority-code"]
        council = existing.get(code)
        if council is None:
            slug = slugify(row["nice-name"])
            if slug in taken_slugs:
                slug = slugify(f"{row['nice-name']} {row['local-authority-type-name']}")
            taken_slugs.add(slug)
            council = Organisation(kind=OrganisationKind.COUNCIL, slug=slug, local_authority_code=code, verified=True)
            db.add(council)
        council.name = row["official-name"]
        council.gss_code = row["gss-code"]
        council.region_id = regions[slugify(row["region"])].id
        council.description = council.description or f"{row['local-authority-type-name']} in {row['region']}."
    db.flush()
    reference.clear_cache()
    return len(regions), len(authorities)


def load_categories(db: Session, seed_dir: Path) -> int:
    rows = _rows(seed_dir / "lgsl_functions.csv")
    existing = {c.id: c for c in db.scalars(select(Category))}
    used_slugs: set[str] = set()
    # Parents first, so that the foreign key is always satisfied.
    for row in sorted(rows, key=lambda r: bool(r["Parent identifiers"])):
        identifier = int(row["Identifier"])
        category = existing.get(identifier)
        if category is None:
            category = Category(id=identifier)
            db.add(category)
        slug = slugify(row["Label"])
        if slug in used_slugs:
            slug = f"{slug}-{identifier}"
        used_slugs.add(slug)
        category.slug = slug
        category.label = row["Label"]
        category.description = row["Description"] or ""
        category.parent_id = int(row["Parent identifiers"]) if row["Parent identifiers"] else None
        db.flush()
    reference.clear_cache()
    return len(rows)
