"""What happens to pitches and offers, for the packages built on them (search, matching, payments) to act on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from exchange.core.events import DomainEvent

if TYPE_CHECKING:
    from exchange.listings.models import Offer, Pitch


@dataclass(frozen=True)
class ListingChanged(DomainEvent):
    """A pitch or offer was published, edited, withdrawn, hidden or restored."""

    kind: Literal["pitch", "offer"]
    listing_id: int
    organisation_id: int

    @classmethod
    def of(cls, listing: Pitch | Offer) -> ListingChanged:
        from exchange.listings.models import Pitch

        return cls("pitch" if isinstance(listing, Pitch) else "offer", listing.id, listing.organisation_id)


@dataclass(frozen=True)
class ListingPublished(DomainEvent):
    """A pitch or offer was just published (new, or back from withdrawn), and is counted among the published.

    A listener may refuse it with ``core.errors.LimitReached`` (the plan's limit), which undoes the change.
    """

    kind: Literal["pitch", "offer"]
    organisation_id: int
