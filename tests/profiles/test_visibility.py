"""Who may see and change a supplier profile.

Only the supplier's administrators change it (its other members get 403, everyone else 404, never a
hint). Identity, assurances and evidence are public; declarations and reference contacts are for the
supplier and verified public-sector buyers, on the page and in the JSON export alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from exchange.accounts.models import Member, MemberRole, User
from exchange.profiles.models import Declaration
from tests import factories
from tests.client import Client
from tests.profiles.conftest import Supplier, with_fresh_session, written

EDIT_PAGES = ("identity", "policies", "declarations", "certifications", "insurance", "references", "past-contracts")
EXPLANATION = "Our former director was convicted in 2022 and has left; a new board put anti-bribery controls in place."


@dataclass
class Outsiders:
    other_supplier: User
    officer: User
    colleague: User


@pytest.fixture
def outsiders(db: Session, supplier: Supplier) -> Outsiders:
    other_supplier = factories.user(db, "someone@rival.example")
    factories.supplier(db, other_supplier, name="Rival Ltd")
    colleague = factories.user(db, "colleague@quillfeather.example")
    db.add(Member(user_id=colleague.id, organisation_id=supplier.organisation.id, role=MemberRole.MEMBER))
    db.flush()
    return Outsiders(other_supplier, factories.officer(db, "BUN"), colleague)


@pytest.fixture
def declared(db: Session, supplier: Supplier) -> Supplier:
    """The supplier's profile, complete, with a "yes" to the corruption ground."""
    factories.complete_profile(db, supplier.organisation)
    corruption = db.query(Declaration).filter_by(organisation_id=supplier.organisation.id, ground="corruption").one()
    corruption.applies, corruption.explanation = True, EXPLANATION
    db.flush()
    return supplier


def as_person(client: Client, person: User | None) -> Client:
    with_fresh_session(client)
    if person is not None:
        client.sign_in(person.email, factories.PASSWORD)
    return client


@pytest.mark.parametrize("who", ["anonymous", "other_supplier", "officer"])
def test_edit_pages_and_changes_are_not_found_for_everyone_outside_the_supplier(
    supplier: Supplier, outsiders: Outsiders, db: Session, who: str
) -> None:
    item = factories.certification(db, supplier.organisation)
    client = as_person(supplier.client, getattr(outsiders, who, None))
    before = written(db)

    for path in EDIT_PAGES:
        url = f"{supplier.base}/{path}"
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"legal_name": "Taken Over Ltd", "kind": "iso_9001"}).status_code == 404, url
    assert client.post(f"{supplier.base}/certifications/{item.id}/remove").status_code == 404
    assert written(db) == before


def test_a_member_who_is_not_an_administrator_may_look_but_not_change(
    supplier: Supplier, outsiders: Outsiders, db: Session
) -> None:
    client = as_person(supplier.client, outsiders.colleague)
    before = written(db)

    page = client.get(supplier.base)
    assert page.status_code == 200 and f'href="{supplier.base}/identity"' not in page.text
    for path in EDIT_PAGES:
        assert client.get(f"{supplier.base}/{path}").status_code == 403
        assert client.post(f"{supplier.base}/{path}", {"legal_name": "Renamed Ltd"}).status_code == 403
    assert "administrators" in client.get(f"{supplier.base}/identity").text
    assert written(db) == before


def test_councils_and_public_bodies_have_no_supplier_profile(client: Client, db: Session) -> None:
    council = factories.council(db, "BUN")
    officer = factories.officer(db, "BUN")
    as_person(client, officer)

    assert client.get(f"/organisations/{council.slug}/profile").status_code == 404
    assert client.get(f"/organisations/{council.slug}/profile/identity").status_code == 404
    assert client.get(f"/api/v1/organisations/{council.id}/profile").status_code == 404
    assert client.get("/organisations/no-such-supplier/profile").status_code == 404
    assert client.get("/api/v1/organisations/2147483647/profile").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "other_supplier"])
def test_declarations_and_contacts_are_hidden_from_the_public_and_other_suppliers(
    declared: Supplier, outsiders: Outsiders, who: str
) -> None:
    client = as_person(declared.client, getattr(outsiders, who, None))

    page = client.get(declared.base)
    assert page.status_code == 200
    assert f"{declared.organisation.name} Limited" in page.text  # identity is public
    assert "Cyber Essentials" in page.text and "£5,000,000 cover" in page.text  # so are assurances
    assert "Ran the tenant consultation" in page.text  # and what the references say
    assert EXPLANATION not in page.text and "exclusion grounds apply" not in page.text
    assert "jo.referee@buyer.example" not in page.text
    assert "shown to verified council and public-sector buyers" in page.text

    export = client.get(f"/api/v1/organisations/{declared.organisation.id}/profile")
    assert export.status_code == 200
    body = export.json()
    assert body["declarations"] is None
    assert {(r["contact_name"], r["contact_email"]) for r in body["references"]} == {(None, None)}
    assert EXPLANATION not in export.text
    assert body["identity"]["companies_house_number"] == "01234567"


@pytest.mark.parametrize("who", ["officer", "supplier"])
def test_a_yes_is_shown_to_verified_councils_and_to_the_supplier(
    declared: Supplier, outsiders: Outsiders, who: str
) -> None:
    client = as_person(declared.client, outsiders.officer if who == "officer" else declared.person)

    page = client.get(declared.base)
    assert EXPLANATION in page.text
    assert "declared that 1 of the exclusion grounds applies" in page.text
    assert "jo.referee@buyer.example" in page.text

    body = client.get(f"/api/v1/organisations/{declared.organisation.id}/profile").json()
    corruption = next(d for d in body["declarations"] if d["ground"] == "corruption")
    assert (corruption["applies"], corruption["explanation"], corruption["kind"]) == (True, EXPLANATION, "mandatory")
    assert len(body["declarations"]) == 13
    assert "jo.referee@buyer.example" in {r["contact_email"] for r in body["references"]}


def test_an_officer_whose_email_is_not_verified_does_not_see_declarations(declared: Supplier, db: Session) -> None:
    factories.council(db, "MAN", "manchester.example.gov.uk")
    unverified = factories.user(db, "new-starter@manchester.example.gov.uk", verified=False)
    client = as_person(declared.client, unverified)

    assert EXPLANATION not in client.get(declared.base).text
    assert client.get(f"/api/v1/organisations/{declared.organisation.id}/profile").json()["declarations"] is None


def test_the_json_export_matches_the_page(declared: Supplier) -> None:
    body = declared.client.get(f"/api/v1/organisations/{declared.organisation.id}/profile").json()

    assert body["completeness"] == 1.0
    assert [s["key"] for s in body["sections"]] == [
        "identity",
        "certifications",
        "insurance",
        "policies",
        "declarations",
        "references",
        "past_contracts",
    ]
    assert all(s["complete"] and s["missing"] == [] for s in body["sections"])
    assert body["certifications"][0]["kind"] == "cyber_essentials" and body["certifications"][0]["expired"] is False
    assert {i["kind"] for i in body["insurances"]} == {"employers_liability", "public_liability"}
    assert body["policies"]["hosting_location"] == "uk"
    assert body["past_contracts"][0]["title"] == "Budget consultation"
