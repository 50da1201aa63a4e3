"""The administrator's pages: verifying organisations and council email domains; 404 for everyone else."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.audit.models import AuditEvent
from exchange.organisations.models import CouncilEmailDomain, Organisation
from tests import factories
from tests.client import Client


@pytest.fixture
def admin_client(client: Client, db: Session) -> Client:
    client.sign_in(factories.admin(db).email, factories.PASSWORD)
    return client


def domains(db: Session) -> list[str]:
    return list(db.scalars(select(CouncilEmailDomain.domain).order_by(CouncilEmailDomain.domain)))


@pytest.mark.parametrize("who", ["supplier", "officer", "organisation_admin"])
def test_the_admin_pages_are_404_for_everyone_else(client: Client, db: Session, who: str) -> None:
    person = factories.officer(db) if who == "officer" else factories.user(db)
    if who == "organisation_admin":
        factories.supplier(db, person)
    unverified = factories.supplier(db, verified=False)
    council = factories.council(db, "BUN")
    client.sign_in(person.email, factories.PASSWORD)
    before = (domains(db), factories.count(db, AuditEvent))

    home = client.get("/admin")
    verify = client.post(f"/admin/organisations/{unverified.id}/verify")
    domain = client.post("/admin/council-domains", {"organisation_slug": council.slug, "domain": "mine.example"})

    assert home.status_code == verify.status_code == domain.status_code == 404
    db.refresh(unverified)
    assert unverified.verified is False
    assert (domains(db), factories.count(db, AuditEvent)) == before


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/admin")

    assert response.status_code == 303 and response.headers["location"] == "/account/sign-in?next=/admin"


def test_an_admin_verifies_an_organisation(admin_client: Client, db: Session) -> None:
    organisation = factories.supplier(db, name="Unverified Tapir Ltd", verified=False)
    assert f'action="/admin/organisations/{organisation.id}/verify"' in admin_client.get("/admin").text

    response = admin_client.post(f"/admin/organisations/{organisation.id}/verify")

    assert response.status_code == 303
    db.refresh(organisation)
    assert organisation.verified is True
    assert factories.audit_events(db, "organisation", organisation.id, "organisation.verified")
    assert f'action="/admin/organisations/{organisation.id}/verify"' not in admin_client.get("/admin").text


def test_an_admin_adds_a_council_domain_and_its_officers_join_on_verifying(
    admin_client: Client, other_client: Client, db: Session
) -> None:
    council = db.scalars(select(Organisation).where(Organisation.local_authority_code == "MAN")).one()

    response = admin_client.post(
        "/admin/council-domains", {"organisation_slug": council.slug, "domain": "@Manchester.Example.gov.uk"}
    )

    assert response.status_code == 303
    assert "manchester.example.gov.uk" in domains(db)
    assert factories.audit_events(db, "organisation", council.id, "council_domain.added")
    other_client.post(
        "/account/sign-up",
        {
            "name": "Mo Officer",
            "email": "mo@manchester.example.gov.uk",
            "password": "a long enough password",
            "account_kind": "council",
        },
    )
    [email] = factories.emails_to(db, "mo@manchester.example.gov.uk")
    other_client.get(factories.link_in(email, "/account/verify-email/"))
    assert "Post a need" in other_client.get("/dashboard").text


def test_a_duplicate_domain_is_refused(admin_client: Client, db: Session) -> None:
    factories.council(db, "BUN", "burnley.example.gov.uk")
    other = factories.council(db, "MAN")
    before = (domains(db), factories.count(db, AuditEvent))

    response = admin_client.post(
        "/admin/council-domains", {"organisation_slug": other.slug, "domain": "BURNLEY.example.gov.uk"}
    )

    assert response.status_code == 422
    assert "That domain already belongs to an organisation" in response.text
    assert 'href="#domain"' in response.text
    assert (domains(db), factories.count(db, AuditEvent)) == before


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"organisation_slug": "no-such-council", "domain": "ok.example.gov.uk"}, "organisation_slug"),
        ({"organisation_slug": "burnley", "domain": "not a domain"}, "domain"),
        ({"organisation_slug": "burnley", "domain": "https://x.gov.uk/"}, "domain"),
        ({"organisation_slug": "burnley", "domain": ""}, "domain"),
    ],
)
def test_bad_domain_forms_are_refused(admin_client: Client, db: Session, form: dict[str, str], field: str) -> None:
    before = domains(db)

    response = admin_client.post("/admin/council-domains", form)

    assert response.status_code == 422
    assert f'href="#{field}"' in response.text
    assert domains(db) == before


def test_a_supplier_cannot_have_a_council_domain(admin_client: Client, db: Session) -> None:
    supplier = factories.supplier(db)
    before = domains(db)

    response = admin_client.post(
        "/admin/council-domains", {"organisation_slug": supplier.slug, "domain": "supplier.example"}
    )

    assert response.status_code == 422
    assert domains(db) == before
    assert db.get_one(Organisation, supplier.id).kind.value == "supplier"
