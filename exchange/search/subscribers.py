"""The search index follows the domains: every change is indexed in the transaction that makes it, so a new
or edited item is found as soon as it is saved (and a rolled-back change is never indexed)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.core import events
from exchange.listings.events import ListingChanged
from exchange.listings.models import Offer, Pitch
from exchange.needs.events import NeedChanged
from exchange.needs.models import Need
from exchange.organisations.events import OrganisationChanged
from exchange.organisations.models import Organisation
from exchange.search import indexer


@events.in_transaction(ListingChanged)
def index_listing(db: Session, changed: ListingChanged) -> None:
    if changed.kind == "pitch":
        pitch = db.get(Pitch, changed.listing_id)
        if pitch is not None:
            indexer.index_pitch(db, pitch)
            return
    else:
        offer = db.get(Offer, changed.listing_id)
        if offer is not None:
            indexer.index_offer(db, offer)
            return
    indexer.remove(db, changed.kind, changed.listing_id)


@events.in_transaction(NeedChanged)
def index_need(db: Session, changed: NeedChanged) -> None:
    need = db.get(Need, changed.need_id)
    if need is None:
        indexer.remove(db, "need", changed.need_id)
    else:
        indexer.index_need(db, need)


@events.in_transaction(OrganisationChanged)
def reindex_organisation(db: Session, changed: OrganisationChanged) -> None:
    organisation = db.get(Organisation, changed.organisation_id)
    if organisation is not None:
        indexer.reindex_organisation(db, organisation)
