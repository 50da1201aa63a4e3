"""Adding suppliers to a need's shortlist and taking them off: the council's members only, everyone else 404."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.viewer import Viewer
from exchange.listings.models import Offer, Pitch
from exchange.listings.service import ListingT
from exchange.needs import service as needs
from exchange.needs.models import Need
from exchange.organisations.models import SUPPLIER_SIDE, Organisation
from exchange.profiles.completeness import today
from exchange.proposals import procurement, sealing
from exchange.proposals.models import Proposal, ProposalStatus
from exchange.proposals.service import get_visible
from exchange.shortlists.models import ShortlistEntry

SOURCES = frozenset({"match", "search", "proposal"})


def council_need(db: Session, viewer: Viewer, need_id: int) -> Need:
    """A need whose shortlist this viewer may see and change: one of its council's members' (or an admin's)."""
    need = needs.get(db, viewer, need_id)
    if not (viewer.is_member(need.organisation_id) or viewer.is_admin):
        raise NotFound("need")
    return need


def entries(db: Session, need: Need) -> list[ShortlistEntry]:
    return list(
        db.scalars(
            select(ShortlistEntry)
            .options(joinedload(ShortlistEntry.organisation))
            .where(ShortlistEntry.need_id == need.id)
            .order_by(ShortlistEntry.created_at, ShortlistEntry.id)
        )
    )


def shortlisted_ids(db: Session, need: Need) -> set[int]:
    return set(db.scalars(select(ShortlistEntry.organisation_id).where(ShortlistEntry.need_id == need.id)))


def _listing(db: Session, model: type[ListingT], item_id: int | None, organisation_id: int) -> int | None:
    """A published pitch or offer of this supplier, or a clear error: nothing else can be attached."""
    if item_id is None:
        return None
    item = db.get(model, item_id)
    if item is None or item.organisation_id != organisation_id or not item.is_public:
        raise Invalid(f"That {model.__name__.lower()} is not one of this supplier's published listings")
    return item.id


def add(
    db: Session,
    viewer: Viewer,
    need_id: int,
    organisation_id: int,
    source: str = "match",
    pitch_id: int | None = None,
    offer_id: int | None = None,
    proposal_id: int | None = None,
) -> ShortlistEntry:
    """Put a supplier on the shortlist; adding one already there changes nothing and returns its entry, except
    that an entry without a proposal is pointed at the supplier's proposal when one is given."""
    need = council_need(db, viewer, need_id)
    if source not in SOURCES:
        raise Invalid("Choose where the supplier was found")
    supplier = db.get(Organisation, organisation_id)
    if supplier is None or supplier.kind not in SUPPLIER_SIDE:
        raise Invalid("Choose a supplier to shortlist")
    proposal_id = _submitted_proposal(db, need, supplier.id, proposal_id)
    existing = _entry(db, need.id, supplier.id)
    if existing is not None:
        return _link_proposal(db, existing, proposal_id)
    entry = ShortlistEntry(
        need_id=need.id,
        organisation_id=supplier.id,
        source=source,
        pitch_id=_listing(db, Pitch, pitch_id, supplier.id),
        offer_id=_listing(db, Offer, offer_id, supplier.id),
        proposal_id=proposal_id,
        added_by_id=viewer.user_id,
    )
    try:
        # A savepoint: when a colleague shortlisted the same supplier a moment ago, theirs stands.
        with db.begin_nested():
            db.add(entry)
    except IntegrityError:
        existing = _entry(db, need.id, supplier.id)
        if existing is None:
            raise
        return _link_proposal(db, existing, proposal_id)
    # Nobody outside the council is told: the shortlist is private. Suppliers hear only of an invitation to
    # respond (proposals.invitations).
    audit.record(db, viewer.user_id, "shortlist.added", "need", need.id, organisation_id=supplier.id, source=source)
    return entry


def add_proposal(db: Session, viewer: Viewer, need_id: int, proposal_id: int) -> ShortlistEntry:
    """Put a submitted proposal's supplier on the need's shortlist, pointing at the proposal."""
    need = council_need(db, viewer, need_id)
    proposal, _ = get_visible(db, viewer, need.id, proposal_id)
    if proposal.status is not ProposalStatus.SUBMITTED:
        raise Conflict("This proposal was withdrawn by its supplier: it cannot be shortlisted.")
    return add(db, viewer, need.id, proposal.organisation_id, source="proposal", proposal_id=proposal.id)


def _entry(db: Session, need_id: int, organisation_id: int) -> ShortlistEntry | None:
    return db.scalar(
        select(ShortlistEntry).where(
            ShortlistEntry.need_id == need_id, ShortlistEntry.organisation_id == organisation_id
        )
    )


def _submitted_proposal(db: Session, need: Need, organisation_id: int, proposal_id: int | None) -> int | None:
    """Only this supplier's submitted proposal for this need can be attached to its entry, once opened."""
    if proposal_id is None:
        return None
    proposal = db.get(Proposal, proposal_id)
    if (
        not sealing.proposals_are_open(procurement.load(db, need).settings, today())
        or proposal is None
        or proposal.need_id != need.id
        or proposal.organisation_id != organisation_id
        or proposal.status is not ProposalStatus.SUBMITTED
    ):
        raise Invalid("That proposal is not one this supplier submitted for this need")
    return proposal.id


def _link_proposal(db: Session, entry: ShortlistEntry, proposal_id: int | None) -> ShortlistEntry:
    if proposal_id is not None and entry.proposal_id is None:
        entry.proposal_id = proposal_id
        db.flush()
    return entry


def remove(db: Session, viewer: Viewer, need_id: int, organisation_id: int) -> None:
    need = council_need(db, viewer, need_id)
    entry = db.scalar(
        select(ShortlistEntry).where(
            ShortlistEntry.need_id == need.id, ShortlistEntry.organisation_id == organisation_id
        )
    )
    if entry is None:
        raise NotFound("shortlist entry")
    db.delete(entry)
    audit.record(db, viewer.user_id, "shortlist.removed", "need", need.id, organisation_id=organisation_id)
