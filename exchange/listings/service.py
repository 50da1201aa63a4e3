"""The rules for pitches and offers: who may publish, edit and withdraw them, and who may see them."""

from __future__ import annotations

from typing import Literal, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from exchange.audit import service as audit
from exchange.core import events
from exchange.core.errors import Invalid, LimitReached, NotAllowed, NotFound
from exchange.core.viewer import Viewer
from exchange.listings.events import ListingChanged, ListingPublished
from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.listings.schemas import ListingForm
from exchange.organisations.models import Organisation
from exchange.reference import service as reference

ListingT = TypeVar("ListingT", bound=Pitch | Offer)
KIND: dict[type, Literal["pitch", "offer"]] = {Pitch: "pitch", Offer: "offer"}


def _published(db: Session, model: type[ListingT], organisation_id: int) -> None:
    """Say a listing was published; a plan's limit on published listings may refuse it (see payments.limits)."""
    db.flush()
    events.record(db, ListingPublished(KIND[model], organisation_id))


def _changed(db: Session, listing: Pitch | Offer) -> None:
    db.flush()
    events.record(db, ListingChanged.of(listing))


def _check_references(db: Session, form: ListingForm) -> None:
    errors = {}
    if not reference.valid_category(db, form.category_id):
        errors["category_id"] = "Choose a category from the list"
    if not reference.valid_region(db, form.region_id):
        errors["region_id"] = "Choose a region from the list"
    if errors:
        raise Invalid("Check the answers and try again", field_errors=errors)


def _apply(listing: Pitch | Offer, form: ListingForm) -> None:
    for field, value in form.model_dump(exclude={"organisation_id"}).items():
        setattr(listing, field, value)


def publishing_organisations(db: Session, viewer: Viewer) -> list[Organisation]:
    """The organisations this viewer may publish pitches and offers for."""
    if not viewer.organisation_ids:
        return []
    rows = db.scalars(select(Organisation).where(Organisation.id.in_(viewer.organisation_ids)))
    return [o for o in rows if not o.is_public_sector]


def create(db: Session, viewer: Viewer, model: type[ListingT], organisation_id: int, form: ListingForm) -> ListingT:
    if not viewer.email_verified:
        raise NotAllowed("Confirm your email address before you publish")
    if organisation_id not in {o.id for o in publishing_organisations(db, viewer)}:
        raise Invalid(
            "Check the answers and try again",
            field_errors={"organisation_id": "Choose one of your supplier organisations"},
        )
    _check_references(db, form)
    listing = model(organisation_id=organisation_id, created_by_id=viewer.user_id)
    _apply(listing, form)
    db.add(listing)
    try:
        _published(db, model, organisation_id)
    except LimitReached as error:
        raise Invalid(error.message, field_errors={"organisation_id": error.message}) from None
    audit.record(db, viewer.user_id, f"{KIND[model]}.published", KIND[model], listing.id)
    _changed(db, listing)
    return listing


def get(db: Session, viewer: Viewer, model: type[ListingT], listing_id: int) -> ListingT:
    listing = db.get(
        model,
        listing_id,
        # Many-to-one: joined into the one query that reads the row.
        options=[joinedload(model.organisation), joinedload(model.category), joinedload(model.region)],
    )
    if listing is None:
        raise NotFound()
    if not listing.is_public and not (viewer.is_member(listing.organisation_id) or viewer.is_admin):
        raise NotFound()
    return listing


def get_for_edit(db: Session, viewer: Viewer, model: type[ListingT], listing_id: int) -> ListingT:
    listing = db.get(model, listing_id)
    if listing is None or not viewer.is_member(listing.organisation_id):
        raise NotFound()
    return listing


def update(db: Session, viewer: Viewer, model: type[ListingT], listing_id: int, form: ListingForm) -> ListingT:
    listing = get_for_edit(db, viewer, model, listing_id)
    _check_references(db, form)
    _apply(listing, form)
    db.flush()
    audit.record(db, viewer.user_id, f"{KIND[model]}.updated", KIND[model], listing.id)
    _changed(db, listing)
    return listing


def set_status(db: Session, viewer: Viewer, model: type[ListingT], listing_id: int, status: ListingStatus) -> ListingT:
    listing = get_for_edit(db, viewer, model, listing_id)
    if listing.status is status:
        return listing
    listing.status = status
    if status is ListingStatus.PUBLISHED:
        _published(db, model, listing.organisation_id)
    db.flush()
    audit.record(db, viewer.user_id, f"{KIND[model]}.{status.value}", KIND[model], listing.id)
    _changed(db, listing)
    return listing


def for_organisations(
    db: Session, model: type[ListingT], organisation_ids: frozenset[int] | set[int]
) -> list[ListingT]:
    if not organisation_ids:
        return []
    return list(
        db.scalars(select(model).where(model.organisation_id.in_(organisation_ids)).order_by(model.updated_at.desc()))
    )


def published_by(db: Session, model: type[ListingT], organisation_id: int, limit: int = 50) -> list[ListingT]:
    return list(
        db.scalars(
            select(model)
            .where(
                model.organisation_id == organisation_id,
                model.status == ListingStatus.PUBLISHED,
                model.hidden_at.is_(None),
            )
            .order_by(model.updated_at.desc())
            .limit(limit)
        )
    )
