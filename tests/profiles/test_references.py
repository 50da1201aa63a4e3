"""A council named in a supplier's reference sees it on its dashboard and confirms it; the profile then
says who confirmed it. Nobody else can confirm it, and each reference is confirmed once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.profiles.models import Reference
from tests import factories
from tests.client import Client
from tests.profiles.conftest import Supplier, with_fresh_session, written


def confirm_url(supplier: Supplier, reference: Reference) -> str:
    return f"{supplier.base}/references/{reference.id}/confirm"


def test_a_member_of_the_named_council_confirms_a_reference_from_the_dashboard(
    supplier: Supplier, other_client: Client, db: Session
) -> None:
    council = factories.council(db, "BUN")
    officer = factories.officer(db, "BUN")
    reference = factories.reference(db, supplier.organisation, council, description="Ran our budget simulator.")
    other_client.sign_in(officer.email, factories.PASSWORD)

    dashboard = other_client.get("/dashboard")
    assert "References naming your organisation" in dashboard.text
    assert (
        "Ran our budget simulator." in dashboard.text
        and f'action="{confirm_url(supplier, reference)}"' in dashboard.text
    )

    response = other_client.post(confirm_url(supplier, reference))

    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    db.refresh(reference)
    assert reference.confirmed_at is not None and reference.confirmed_by_id == officer.id
    [event] = factories.audit_events(db, "organisation", supplier.organisation.id, "profile.reference_confirmed")
    assert event.actor_user_id == officer.id
    assert event.data == {"id": reference.id, "by_organisation_id": council.id}
    assert f"You confirmed the reference for {supplier.organisation.name}." in other_client.get("/dashboard").text
    profile = supplier.client.get(supplier.base)
    assert f"Confirmed by {council.name}" in profile.text


def test_only_members_of_the_named_council_can_confirm(supplier: Supplier, client: Client, db: Session) -> None:
    council = factories.council(db, "BUN")
    reference = factories.reference(db, supplier.organisation, council)
    other_officer = factories.officer(db, "MAN")
    before = written(db)

    # The supplier itself, another council's officer, and nobody signed in.
    assert client.post(confirm_url(supplier, reference)).status_code == 404
    with_fresh_session(client)
    client.sign_in(other_officer.email, factories.PASSWORD)
    assert client.post(confirm_url(supplier, reference)).status_code == 404
    assert "References naming your organisation" not in client.get("/dashboard").text
    with_fresh_session(client)
    assert client.post(confirm_url(supplier, reference)).status_code == 404

    db.refresh(reference)
    assert reference.confirmed_at is None
    assert written(db) == before


def test_a_reference_that_only_names_a_buyer_cannot_be_confirmed(
    supplier: Supplier, client: Client, db: Session
) -> None:
    reference = factories.reference(db, supplier.organisation)
    officer = factories.officer(db, "BUN")
    with_fresh_session(client)
    client.sign_in(officer.email, factories.PASSWORD)

    assert client.post(confirm_url(supplier, reference)).status_code == 404


def test_a_reference_is_confirmed_once_and_under_its_own_supplier_only(
    supplier: Supplier, client: Client, db: Session
) -> None:
    factories.council(db, "BUN")
    council = factories.council(db, "BUN")
    officer = factories.officer(db, "BUN")
    reference = factories.reference(db, supplier.organisation, council)
    elsewhere = factories.supplier(db, factories.user(db))
    with_fresh_session(client)
    client.sign_in(officer.email, factories.PASSWORD)

    wrong_supplier = client.post(f"/organisations/{elsewhere.slug}/profile/references/{reference.id}/confirm")
    assert wrong_supplier.status_code == 404
    assert client.post(confirm_url(supplier, reference)).status_code == 303
    before = written(db)
    again = client.post(confirm_url(supplier, reference))
    assert again.status_code == 409 and "already confirmed" in again.text
    assert written(db) == before


def test_removing_a_confirmed_reference_removes_its_confirmation(supplier: Supplier, db: Session) -> None:
    council = factories.council(db, "BUN")
    reference = factories.reference(db, supplier.organisation, council)
    reference.confirmed_at = factories.utcnow()
    db.flush()

    response = supplier.client.post(f"{supplier.base}/references/{reference.id}/remove")

    assert response.status_code == 303
    assert factories.count(db, Reference) == 0
