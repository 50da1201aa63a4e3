"""Plan limits that hold when something is published: the domains say what happened, payments refuses what a
plan does not allow (the change and the refusal share one transaction, so a refusal undoes the change)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.core import events
from exchange.core.database import take_turns_on
from exchange.listings.events import ListingPublished
from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.organisations.models import Organisation
from exchange.payments import entitlements

# Each kind's limit on published listings per organisation (raised by a plan; see exchange/payments/plans.toml).
LISTING_LIMITS: dict[str, tuple[type[Pitch] | type[Offer], str, str]] = {
    "pitch": (Pitch, entitlements.ACTIVE_PITCHES, "pitches"),
    "offer": (Offer, entitlements.ACTIVE_OFFERS, "offers"),
}


@events.in_transaction(ListingPublished)
def hold_published_listing_limit(db: Session, published: ListingPublished) -> None:
    model, name, noun = LISTING_LIMITS[published.kind]
    # Parallel publishes for one organisation wait here in turn, and each counts the others once they commit.
    take_turns_on(db, Organisation.id, published.organisation_id)
    published_now = db.scalar(
        select(func.count())
        .select_from(model)
        .where(model.organisation_id == published.organisation_id, model.status == ListingStatus.PUBLISHED)
    )
    # The new one is counted already: the limit is reached when the others alone reach it.
    entitlements.check_limit(db, published.organisation_id, name, (published_now or 1) - 1, noun)
