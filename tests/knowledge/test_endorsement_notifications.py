"""A supplier hears of a new endorsement, in the app and by email; nobody else does, and nobody twice."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.knowledge import endorsements
from exchange.knowledge.models import EndorsedKind
from exchange.knowledge.schemas import EndorsementForm
from exchange.notifications.models import Notification
from tests import factories
from tests.knowledge.conftest import World

STATEMENT = "They ran our budget consultation on time and reached twice as many residents."


def _endorsed(db: Session) -> list[Notification]:
    return list(db.scalars(select(Notification).where(Notification.kind == "endorsed").order_by(Notification.id)))


def test_the_supplier_endorsed_is_told_and_no_one_else(db: Session, world: World) -> None:
    colleague = factories.user(db, name="Colin Colleague")
    factories.supplier(db, colleague)  # a member of another supplier
    officer_colleague = factories.officer(db, "BUN")
    viewer = factories.viewer(db, world.officer)
    form = EndorsementForm(council_id=world.council.id, statement=STATEMENT)

    endorsement = endorsements.endorse(db, viewer, EndorsedKind.ORGANISATION, world.supplier.id, form)

    (note,) = _endorsed(db)
    assert note.user_id == world.supplier_admin.id
    assert world.council.name in note.title and STATEMENT in note.body
    assert note.link == f"/organisations/{world.supplier.slug}"
    assert len(factories.emails_to(db, world.supplier_admin.email)) == 1
    for outsider in (world.officer, officer_colleague, colleague, world.stranger_officer):
        assert factories.emails_to(db, outsider.email) == []

    # Withdrawn and endorsed again: the supplier is not told twice.
    endorsements.withdraw(db, viewer, endorsement.id)
    endorsements.endorse(db, viewer, EndorsedKind.ORGANISATION, world.supplier.id, form)
    assert len(_endorsed(db)) == 1


def test_an_offer_endorsement_names_the_offer(db: Session, world: World) -> None:
    viewer = factories.viewer(db, world.officer)
    form = EndorsementForm(council_id=world.council.id, statement=STATEMENT)
    endorsements.endorse(db, viewer, EndorsedKind.OFFER, world.offer.id, form)
    (note,) = _endorsed(db)
    assert world.offer.title in note.title and note.link == f"/offers/{world.offer.id}"
    assert note.user_id == world.supplier_admin.id
