"""Endorsements: a verified council vouches for a supplier, or one of its offers, that it has worked with.

A council may endorse only a supplier it has evidence of working with on the exchange: an awarded outcome
of one of its needs, or a reference the council itself confirmed. One endorsement per council and item;
withdrawing deletes it (the audit trail keeps the history) so that the council may endorse again later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from exchange.audit import service as audit
from exchange.core import events
from exchange.core.errors import Conflict, NotAllowed, NotFound
from exchange.core.viewer import Viewer
from exchange.evaluation.models import NeedOutcome, OutcomeKind
from exchange.knowledge.events import EndorsementAdded
from exchange.knowledge.models import EndorsedKind, Endorsement
from exchange.knowledge.schemas import EndorsementForm
from exchange.listings.models import Offer
from exchange.needs.models import Need
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.profiles.models import Reference

PUBLIC_SECTOR = (OrganisationKind.COUNCIL, OrganisationKind.PUBLIC_BODY)


def endorsed_item(db: Session, kind: EndorsedKind, item_id: int) -> tuple[Organisation, Offer | None]:
    """The supplier endorsed (and the offer, for an offer): only what anyone may see can be endorsed."""
    if kind is EndorsedKind.OFFER:
        offer = db.get(Offer, item_id)
        if offer is None or not offer.is_public:
            raise NotFound()
        return db.get_one(Organisation, offer.organisation_id), offer
    organisation = db.get(Organisation, item_id)
    if organisation is None or organisation.kind in PUBLIC_SECTOR:
        raise NotFound()
    return organisation, None


def worked_with(council_ids: Iterable[int], supplier_id: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The two kinds of evidence that a council worked with a supplier, as EXISTS clauses per council."""
    ids = sorted(set(council_ids))
    awarded = exists().where(
        NeedOutcome.need_id == Need.id,
        NeedOutcome.kind == OutcomeKind.AWARDED,
        NeedOutcome.organisation_id == supplier_id,
        Need.organisation_id == Organisation.id,
    )
    confirmed = exists().where(
        Reference.organisation_id == supplier_id,
        Reference.buyer_organisation_id == Organisation.id,
        Reference.confirmed_at.is_not(None),
    )
    return (Organisation.id.in_(ids) & awarded), (Organisation.id.in_(ids) & confirmed)


def endorsing_councils(db: Session, viewer: Viewer, supplier_id: int) -> list[Organisation]:
    """The viewer's verified councils that have an award or a confirmed reference with the supplier."""
    if not viewer.signed_in or not viewer.public_sector_verified or not viewer.organisation_ids:
        return []
    by_award, by_reference = worked_with(viewer.organisation_ids, supplier_id)
    query = (
        select(Organisation)
        .where(Organisation.kind.in_(PUBLIC_SECTOR), Organisation.verified.is_(True), by_award | by_reference)
        .order_by(Organisation.name)
    )
    return list(db.scalars(query))


def endorse(db: Session, viewer: Viewer, kind: EndorsedKind, item_id: int, form: EndorsementForm) -> Endorsement:
    supplier, offer = endorsed_item(db, kind, item_id)
    councils = {c.id: c for c in endorsing_councils(db, viewer, supplier.id)}
    if form.council_id not in councils:
        raise NotAllowed(
            "Only a verified council that awarded this supplier a contract, or confirmed its reference, can endorse it."
        )
    endorsement = Endorsement(
        endorser_organisation_id=form.council_id,
        organisation_id=supplier.id,
        item_kind=kind,
        item_id=offer.id if offer else supplier.id,
        statement=form.statement,
        created_by_id=viewer.user_id,
    )
    try:
        with db.begin_nested():
            db.add(endorsement)
            db.flush()
    except IntegrityError:
        raise Conflict(f"{councils[form.council_id].name} has already endorsed this.") from None
    audit.record(
        db,
        viewer.user_id,
        "endorsement.created",
        "endorsement",
        endorsement.id,
        council_id=form.council_id,
        supplier_id=supplier.id,
        kind=kind.value,
        item_id=endorsement.item_id,
    )
    events.record(db, EndorsementAdded(endorsement.id, viewer.user_id))
    return endorsement


def withdraw(db: Session, viewer: Viewer, endorsement_id: int) -> Endorsement:
    endorsement = db.get(Endorsement, endorsement_id)
    # Only members of the endorsing council may withdraw; to everyone else there is nothing to withdraw.
    if endorsement is None or not viewer.is_member(endorsement.endorser_organisation_id):
        raise NotFound()
    audit.record(
        db,
        viewer.user_id,
        "endorsement.withdrawn",
        "endorsement",
        endorsement.id,
        council_id=endorsement.endorser_organisation_id,
        supplier_id=endorsement.organisation_id,
        kind=endorsement.item_kind.value,
        item_id=endorsement.item_id,
    )
    db.delete(endorsement)
    db.flush()
    return endorsement


def for_item(db: Session, kind: EndorsedKind, item_id: int) -> list[Endorsement]:
    """An item's endorsements, oldest first, each with its council loaded."""
    query = (
        select(Endorsement)
        .options(joinedload(Endorsement.endorser))
        .where(Endorsement.item_kind == kind, Endorsement.item_id == item_id)
        .order_by(Endorsement.created_at, Endorsement.id)
    )
    return list(db.scalars(query))


def endorsers_of(db: Session, supplier_ids: Iterable[int]) -> dict[int, list[str]]:
    """Supplier id -> the names of the councils that endorsed it or its offers (each once), for matching."""
    ids = sorted(set(supplier_ids))
    if not ids:
        return {}
    query = (
        select(Endorsement.organisation_id, Organisation.name)
        .join(Organisation, Organisation.id == Endorsement.endorser_organisation_id)
        .where(Endorsement.organisation_id.in_(ids))
        .distinct()
        .order_by(Endorsement.organisation_id, Organisation.name)
    )
    names: dict[int, list[str]] = defaultdict(list)
    for supplier_id, name in db.execute(query):
        names[supplier_id].append(name)
    return dict(names)
