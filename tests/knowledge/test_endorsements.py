"""Endorsements: only a verified council with an award or a confirmed reference endorses, once per item; the
endorsement shows on the page, is audited, can be withdrawn, and counts in matching with the council's name."""

from __future__ import annotations

import html

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.core.models import utcnow
from exchange.knowledge import endorsements
from exchange.knowledge.models import EndorsedKind, Endorsement
from exchange.knowledge.schemas import EndorsementForm
from exchange.matching import core, facts
from exchange.matching.documents import refresh_supplier
from exchange.profiles.models import Reference
from tests import factories
from tests.client import Client
from tests.knowledge.conftest import HOSTILE, World, sign_in, written

STATEMENT = "They ran our budget consultation on time and reached twice as many residents."


def test_a_council_that_awarded_the_supplier_endorses_it_and_the_page_shows_it(
    client: Client, db: Session, world: World
) -> None:
    sign_in(client, world.officer)
    page = client.get(f"/organisations/{world.supplier.slug}")
    assert f'href="/endorse/organisation/{world.supplier.id}"' in page.text
    form = client.get(f"/endorse/organisation/{world.supplier.id}")
    assert form.status_code == 200 and "Endorsing for" in form.text and world.council.name in form.text

    response = client.post(
        f"/endorse/organisation/{world.supplier.id}", {"council_id": world.council.id, "statement": STATEMENT}
    )

    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/organisations/{world.supplier.slug}#endorsement-")
    endorsement = db.scalars(select(Endorsement)).one()
    assert (endorsement.endorser_organisation_id, endorsement.organisation_id) == (world.council.id, world.supplier.id)
    assert endorsement.item_kind is EndorsedKind.ORGANISATION and endorsement.created_by_id == world.officer.id
    assert factories.audit_events(db, "endorsement", endorsement.id, "endorsement.created")
    for person in (None, world.supplier_admin, world.officer):
        sign_in(client, person)
        shown = html.unescape(client.get(f"/organisations/{world.supplier.slug}").text)
        assert STATEMENT in shown and world.council.name in shown
    # Once per item: the button goes, and a second endorsement is refused with nothing written.
    assert (
        f'href="/endorse/organisation/{world.supplier.id}"'
        not in client.get(f"/organisations/{world.supplier.slug}").text
    )
    before = written(db)
    again = client.post(
        f"/endorse/organisation/{world.supplier.id}", {"council_id": world.council.id, "statement": "Again."}
    )
    assert again.status_code == 409 and "already endorsed" in again.text and "govuk-error-summary" in again.text
    assert written(db) == before


def test_a_confirmed_reference_lets_a_council_endorse_an_offer(client: Client, db: Session, world: World) -> None:
    other_council = world.stranger_council
    db.add(
        Reference(
            organisation_id=world.supplier.id,
            buyer_organisation_id=other_council.id,
            buyer_name=other_council.name,
            description="Consultation platform, 2025",
            confirmed_at=utcnow(),
            confirmed_by_id=world.stranger_officer.id,
        )
    )
    db.flush()
    sign_in(client, world.stranger_officer)
    assert f'href="/endorse/offer/{world.offer.id}"' in client.get(f"/offers/{world.offer.id}").text

    response = client.post(f"/endorse/offer/{world.offer.id}", {"council_id": other_council.id, "statement": STATEMENT})

    assert response.status_code == 303 and response.headers["location"].startswith(f"/offers/{world.offer.id}#")
    endorsement = db.scalars(select(Endorsement)).one()
    assert endorsement.item_kind is EndorsedKind.OFFER and endorsement.item_id == world.offer.id
    assert endorsement.organisation_id == world.supplier.id
    sign_in(client, None)
    assert STATEMENT in html.unescape(client.get(f"/offers/{world.offer.id}").text)


def test_an_unconfirmed_reference_is_not_enough(db: Session, world: World) -> None:
    db.add(
        Reference(
            organisation_id=world.supplier.id,
            buyer_organisation_id=world.stranger_council.id,
            buyer_name=world.stranger_council.name,
            description="Not confirmed",
        )
    )
    db.flush()
    assert endorsements.endorsing_councils(db, factories.viewer(db, world.stranger_officer), world.supplier.id) == []


def test_councils_without_evidence_suppliers_and_the_signed_out_cannot_endorse(
    client: Client, db: Session, world: World
) -> None:
    url = f"/endorse/organisation/{world.supplier.id}"
    before = written(db)
    for person, council_id in (
        (world.stranger_officer, world.stranger_council.id),
        (world.stranger_officer, world.council.id),
        (world.supplier_admin, world.council.id),
    ):
        sign_in(client, person)
        assert f'href="{url}"' not in client.get(f"/organisations/{world.supplier.slug}").text
        assert client.get(url).status_code == 403
        response = client.post(url, {"council_id": council_id, "statement": STATEMENT})
        assert response.status_code == 403, person.email
    sign_in(client, None)
    signed_out = client.post(url, {"council_id": world.council.id, "statement": STATEMENT})
    assert signed_out.status_code == 303 and signed_out.headers["location"].startswith("/account/sign-in")
    assert written(db) == before


def test_an_unverified_council_cannot_endorse(db: Session, world: World) -> None:
    world.council.verified = False
    db.flush()
    assert endorsements.endorsing_councils(db, factories.viewer(db, world.officer), world.supplier.id) == []


def test_councils_are_not_endorsed_and_unknown_items_are_not_found(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.officer)
    assert client.get(f"/endorse/organisation/{world.council.id}").status_code == 404
    assert client.get("/endorse/organisation/999999").status_code == 404
    assert client.get(f"/endorse/pitch/{world.supplier.id}").status_code == 404


def test_bad_statements_get_an_error_summary_and_nothing_is_written(client: Client, db: Session, world: World) -> None:
    sign_in(client, world.officer)
    before = written(db)
    url = f"/endorse/organisation/{world.supplier.id}"
    for statement, message in (("", "Enter what your council would say"), ("x" * 501, "500 characters or fewer")):
        response = client.post(url, {"council_id": world.council.id, "statement": statement})
        assert response.status_code == 422
        assert "govuk-error-summary" in response.text and message in response.text
    assert written(db) == before


def test_a_hostile_statement_is_shown_as_text(client: Client, db: Session, world: World) -> None:
    viewer = factories.viewer(db, world.officer)
    endorsements.endorse(
        db,
        viewer,
        EndorsedKind.ORGANISATION,
        world.supplier.id,
        EndorsementForm(council_id=world.council.id, statement=HOSTILE),
    )
    page = client.get(f"/organisations/{world.supplier.slug}").text
    assert HOSTILE not in page and "&lt;script&gt;" in page


def test_the_council_withdraws_its_endorsement_and_no_one_else_can(
    client: Client, other_client: Client, db: Session, world: World
) -> None:
    viewer = factories.viewer(db, world.officer)
    form = EndorsementForm(council_id=world.council.id, statement=STATEMENT)
    endorsement_id = endorsements.endorse(db, viewer, EndorsedKind.ORGANISATION, world.supplier.id, form).id
    for person in (world.supplier_admin, world.stranger_officer):
        sign_in(other_client, person)
        assert (
            f"/endorsements/{endorsement_id}/withdraw"
            not in other_client.get(f"/organisations/{world.supplier.slug}").text
        )
        assert other_client.post(f"/endorsements/{endorsement_id}/withdraw").status_code == 404
    assert db.get(Endorsement, endorsement_id) is not None

    sign_in(client, world.officer)
    assert f"/endorsements/{endorsement_id}/withdraw" in client.get(f"/organisations/{world.supplier.slug}").text
    response = client.post(f"/endorsements/{endorsement_id}/withdraw")

    assert response.status_code == 303 and response.headers["location"] == f"/organisations/{world.supplier.slug}"
    db.expire_all()
    assert db.scalars(select(Endorsement)).first() is None
    assert factories.audit_events(db, "endorsement", endorsement_id, "endorsement.withdrawn")
    # Withdrawn, it may be given again.
    assert endorsements.endorse(db, viewer, EndorsedKind.ORGANISATION, world.supplier.id, form).id


def test_endorsements_count_in_matching_with_the_councils_name(db: Session, world: World) -> None:
    refresh_supplier(db, world.supplier.id)
    assert facts.suppliers(db, [world.supplier.id])[world.supplier.id].endorsements == 0
    viewer = factories.viewer(db, world.officer)
    form = EndorsementForm(council_id=world.council.id, statement=STATEMENT)
    endorsements.endorse(db, viewer, EndorsedKind.ORGANISATION, world.supplier.id, form)
    endorsements.endorse(db, viewer, EndorsedKind.OFFER, world.offer.id, form)

    supplier = facts.suppliers(db, [world.supplier.id])[world.supplier.id]

    # The same council endorsing the supplier and its offer is one council vouching.
    assert supplier.endorsements == 1 and supplier.endorsed_by == (world.council.name,)
    need = facts.needs(db, [world.need])[world.need.id]
    corpus = facts.corpus(db, need.terms)
    match = core.rank([(supplier.organisation_id, need, supplier)], corpus).matches[0]
    reasons = {c.factor: c for c in match.contributions}
    assert reasons["endorsements"].reason == f"Endorsed by {world.council.name}"
    assert reasons["endorsements"].points == core.WEIGHTS["endorsements"] / 3


def test_endorsers_in_words() -> None:
    assert core.endorsers(("Burnley Borough Council",), 1) == "Burnley Borough Council"
    assert core.endorsers(("A", "B"), 2) == "A and B"
    assert core.endorsers(("A", "B", "C", "D"), 4) == "A, B and 2 other councils"
    assert core.endorsers(("A", "B", "C"), 3) == "A, B and 1 other council"
    assert core.endorsers((), 2) == "2 councils"
