"""A supplier whose organisation is not verified is told on its dashboard what that means and what to do next."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests import factories
from tests.client import Client


def test_an_unverified_supplier_is_told_what_verification_means_and_what_to_do(client: Client, db: Session) -> None:
    founder = factories.user(db, verified=False)
    organisation = factories.supplier(db, founder, name="Tidyloop Ltd", verified=False)
    client.sign_in(founder.email, factories.PASSWORD)

    page = client.get("/dashboard").text

    assert "Tidyloop Ltd is not verified yet" in page
    assert "an administrator of the exchange has checked that Tidyloop Ltd is a real organisation" in page
    assert f'href="/organisations/{organisation.slug}/profile/identity"' in page
    assert "Confirm your email address with the link we sent you" in page
    assert 'href="/contact"' in page


def test_verified_organisations_and_councils_get_no_such_notice(client: Client, db: Session) -> None:
    founder = factories.user(db)
    factories.supplier(db, founder, name="Verified Widgets Ltd", verified=True)
    client.sign_in(founder.email, factories.PASSWORD)
    assert "is not verified yet" not in client.get("/dashboard").text

    officer = factories.officer(db)
    client.post("/account/sign-out")
    client.sign_in(officer.email, factories.PASSWORD)
    assert "is not verified yet" not in client.get("/dashboard").text


def test_the_notice_goes_once_an_administrator_verifies(client: Client, other_client: Client, db: Session) -> None:
    founder = factories.user(db)
    organisation = factories.supplier(db, founder, name="Soon Verified Ltd", verified=False)
    client.sign_in(founder.email, factories.PASSWORD)
    assert "Soon Verified Ltd is not verified yet" in client.get("/dashboard").text

    other_client.sign_in(factories.admin(db).email, factories.PASSWORD)
    assert other_client.post(f"/admin/organisations/{organisation.id}/verify").status_code == 303

    assert "is not verified yet" not in client.get("/dashboard").text
