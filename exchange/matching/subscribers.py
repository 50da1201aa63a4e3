"""Matching follows the domains: a supplier's document is rewritten in the transaction that changes its
evidence (so it is matchable the moment that commits), and a need that suppliers can now act on is ranked
for early alerts by a job once it has committed."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.core import events
from exchange.core.queue import job
from exchange.listings.events import ListingChanged
from exchange.matching import documents, tasks
from exchange.needs.events import NeedStageChanged
from exchange.organisations.events import OrganisationChanged
from exchange.profiles.events import TrackRecordChanged


@events.in_transaction(ListingChanged)
def listing_changed(db: Session, changed: ListingChanged) -> None:
    # A supplier's published pitches and offers are part of the evidence it is matched on.
    documents.refresh_supplier(db, changed.organisation_id)


@events.in_transaction(OrganisationChanged)
def organisation_changed(db: Session, changed: OrganisationChanged) -> None:
    documents.refresh_supplier(db, changed.organisation_id)


@events.in_transaction(TrackRecordChanged)
def track_record_changed(db: Session, changed: TrackRecordChanged) -> None:
    documents.refresh_supplier(db, changed.organisation_id)


@events.after_commit(NeedStageChanged)
def alert_after_stage_change(changed: NeedStageChanged) -> list[events.Job]:
    return [job(tasks.alert_subscribers, changed.need_id)]
