"""Keeps one search document per pitch, offer and need, written in the same transaction as the item.

Withdrawn pitches and offers leave the index; needs stay at every stage, with their visibility, so that
search can show each viewer exactly what they may see.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.needs.models import Need
from exchange.organisations.models import Organisation
from exchange.reference.models import Category, Region
from exchange.search.models import SearchDocument


def _context_words(db: Session, category_id: int | None, region_id: int | None) -> tuple[list[str], int | None]:
    words: list[str] = []
    top_id: int | None = None
    if category_id is not None:
        category = db.get(Category, category_id)
        if category is not None:
            words.append(category.label)
            top_id = category.top_id
            if category.parent_id is not None:
                parent = db.get(Category, category.parent_id)
                if parent is not None:
                    words.append(parent.label)
    if region_id is not None:
        region = db.get(Region, region_id)
        if region is not None:
            words.append(region.name)
    return words, top_id


def _upsert(db: Session, kind: str, item_id: int, values: dict[str, Any]) -> None:
    document = db.scalar(select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.item_id == item_id))
    if document is None:
        db.add(SearchDocument(kind=kind, item_id=item_id, **values))
    else:
        for key, value in values.items():
            setattr(document, key, value)
    db.flush()


def _common(db: Session, item: Pitch | Offer | Need, extra_text: list[str]) -> dict[str, Any]:
    organisation = db.get_one(Organisation, item.organisation_id)
    words, top_id = _context_words(db, item.category_id, item.region_id)
    body = "\n".join(part for part in [*extra_text, " ".join(item.tags or []), *words] if part)
    return {
        "organisation_id": organisation.id,
        "organisation_name": organisation.name,
        "organisation_kind": organisation.kind.value,
        "title": item.title,
        "summary": item.summary,
        "body": body,
        "category_id": item.category_id,
        "category_top_id": top_id,
        "region_id": item.region_id,
        "updated_at": item.updated_at or utcnow(),
    }


def index_pitch(db: Session, pitch: Pitch) -> None:
    if pitch.status is not ListingStatus.PUBLISHED:
        remove(db, "pitch", pitch.id)
        return
    values = _common(db, pitch, [pitch.description])
    _upsert(db, "pitch", pitch.id, {**values, "is_free": None, "stage": None, "visibility": "public"})


def index_offer(db: Session, offer: Offer) -> None:
    if offer.status is not ListingStatus.PUBLISHED:
        remove(db, "offer", offer.id)
        return
    values = _common(db, offer, [offer.description, offer.price_model.label])
    _upsert(db, "offer", offer.id, {**values, "is_free": offer.is_free, "stage": None, "visibility": "public"})


def index_need(db: Session, need: Need) -> None:
    values = _common(db, need, [need.problem_statement, need.users, need.tried_so_far])
    _upsert(
        db,
        "need",
        need.id,
        {**values, "is_free": None, "stage": need.stage.value, "visibility": need.visibility.value},
    )


def remove(db: Session, kind: str, item_id: int) -> None:
    db.execute(delete(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.item_id == item_id))


def reindex_organisation(db: Session, organisation: Organisation) -> None:
    db.execute(
        update(SearchDocument)
        .where(SearchDocument.organisation_id == organisation.id)
        .values(organisation_name=organisation.name, organisation_kind=organisation.kind.value)
    )


def rebuild(db: Session) -> int:
    """Index every item again (after a bulk import, or to repair the index)."""
    count = 0
    for pitch in db.scalars(select(Pitch)):
        index_pitch(db, pitch)
        count += 1
    for offer in db.scalars(select(Offer)):
        index_offer(db, offer)
        count += 1
    for need in db.scalars(select(Need)):
        index_need(db, need)
        count += 1
    return count
