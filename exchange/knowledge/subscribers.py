"""What people hear as it happens (the digests gather the rest): a need's followers its clarification answers,
a supplier its endorsements."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.core import events
from exchange.knowledge.events import EndorsementAdded
from exchange.knowledge.follows import need_followers
from exchange.knowledge.models import EndorsedKind, Endorsement
from exchange.listings.models import Offer
from exchange.notifications.models import NotificationKind
from exchange.notifications.service import notify, notify_once
from exchange.organisations.models import Organisation
from exchange.organisations.service import active_members
from exchange.proposals.clarifications import answer_notice, correction_notice
from exchange.proposals.events import ClarificationAnswered, ClarificationCorrected
from exchange.proposals.models import Clarification


@events.in_transaction(ClarificationAnswered)
def tell_need_followers_of_answer(db: Session, answered: ClarificationAnswered) -> None:
    followers = need_followers(db, answered.need_id)
    untold = list(
        db.scalars(select(User).where(User.id.in_(followers), User.id.not_in(answered.told_user_ids)).order_by(User.id))
    )
    if untold:
        clarification = db.get_one(Clarification, answered.clarification_id)
        notify(db, untold, NotificationKind.CLARIFICATION_ANSWERED, *answer_notice(db, clarification))


@events.in_transaction(ClarificationCorrected)
def tell_need_followers_of_correction(db: Session, corrected: ClarificationCorrected) -> None:
    followers = need_followers(db, corrected.need_id)
    untold = list(
        db.scalars(
            select(User).where(User.id.in_(followers), User.id.not_in(corrected.told_user_ids)).order_by(User.id)
        )
    )
    if untold:
        clarification = db.get_one(Clarification, corrected.clarification_id)
        notify(db, untold, NotificationKind.CLARIFICATION_ANSWERED, *correction_notice(db, clarification))


@events.in_transaction(EndorsementAdded)
def tell_supplier_of_endorsement(db: Session, added: EndorsementAdded) -> None:
    """The supplier endorsed hears once per council and item, even if the council withdraws and endorses again."""
    endorsement = db.get_one(Endorsement, added.endorsement_id)
    council = db.get_one(Organisation, endorsement.endorser_organisation_id)
    offer = db.get(Offer, endorsement.item_id) if endorsement.item_kind is EndorsedKind.OFFER else None
    supplier = db.get_one(Organisation, endorsement.organisation_id)
    what = f"your offer “{offer.title}”" if offer is not None else "your organisation"
    link = f"/offers/{offer.id}" if offer is not None else f"/organisations/{supplier.slug}"
    people = [u for u in active_members(db, {supplier.id}) if u.id != added.by_user_id]
    notify_once(
        db,
        people,
        NotificationKind.ENDORSED,
        f"{council.name} endorsed {what}",
        f"{council.name} endorsed {what}: “{endorsement.statement}”",
        link,
    )
