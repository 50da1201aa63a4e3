"""A supplier's administrator fills in each section through its form: what is typed is saved, normalised,
audited, and shown on the profile with the section's completion status and the overall percentage."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.profiles.completeness import today
from exchange.profiles.grounds import GROUND_KEYS, GROUNDS
from exchange.profiles.models import (
    AccessibilityConformance,
    Certification,
    CertificationKind,
    Declaration,
    HostingLocation,
    Insurance,
    InsuranceKind,
    LegalForm,
    PastContract,
    Reference,
    SupplierProfile,
)
from tests import factories
from tests.profiles.conftest import Supplier

IDENTITY = {
    "legal_name": "Quillfeather Labs Limited",
    "trading_names": "Quillfeather, QF Labs",
    "legal_form": "limited_company",
    "companies_house_number": "sc 123 456",
    "vat_number": "GB 123 4567 89",
    "registered_address": "2 Mill Lane\nBurnley\nBB11 2AA",
    "website": "www.quillfeather.example",
    "trading_started_on": "27/3/2016",
    "size": "micro",
    "is_vcse": "no",
}
POLICIES = {
    "policies_held": ["data_protection", "accessibility_statement"],
    "ico_registration_number": "za 123456",
    "modern_slavery_statement_required": "no",
    "hosting_location": "uk",
    "accessibility_conformance": "partial",
}


def all_no(**changes: str) -> dict[str, str]:
    return {**dict.fromkeys(GROUND_KEYS, "no"), **changes}


def actions(db: Session, supplier: Supplier) -> list[str]:
    return [event.action for event in factories.audit_events(db, "organisation", supplier.organisation.id)]


def profile_of(db: Session, supplier: Supplier) -> SupplierProfile:
    return db.scalars(select(SupplierProfile).where(SupplierProfile.organisation_id == supplier.organisation.id)).one()


def test_a_new_supplier_sees_an_empty_profile_with_a_change_link_per_section(supplier: Supplier) -> None:
    page = supplier.client.get(supplier.base)

    assert page.status_code == 200
    assert "0% complete" in page.text and "0 of 7 sections" in page.text
    assert page.text.count("Incomplete") == 7
    for path in ("identity", "certifications", "insurance", "policies", "declarations", "references", "past-contracts"):
        assert f'href="{supplier.base}/{path}"' in page.text
    assert f'href="/api/v1/organisations/{supplier.organisation.id}/profile"' in page.text


def test_identity_is_saved_normalised_and_audited(supplier: Supplier, db: Session) -> None:
    form = supplier.client.get(f"{supplier.base}/identity")
    assert form.status_code == 200 and 'value="Quillfeather Labs Ltd"' in form.text  # the name to start from

    response = supplier.client.post(f"{supplier.base}/identity", IDENTITY)

    assert response.status_code == 303 and response.headers["location"] == supplier.base
    profile = profile_of(db, supplier)
    assert profile.legal_name == "Quillfeather Labs Limited"
    assert profile.trading_names == ["Quillfeather", "QF Labs"]
    assert profile.legal_form is LegalForm.LIMITED_COMPANY
    assert profile.companies_house_number == "SC123456"
    assert profile.vat_number == "GB123456789"
    assert profile.trading_started_on.isoformat() == "2016-03-27"
    assert (profile.size, profile.is_vcse) == ("micro", False)
    db.refresh(supplier.organisation)
    assert supplier.organisation.website == "https://www.quillfeather.example/"  # the scheme added
    assert actions(db, supplier) == ["profile.identity_updated"]

    page = supplier.client.get(supplier.base)
    assert "Identity: your changes are saved." in page.text
    assert "14% complete" in page.text and "1 of 7 sections" in page.text
    assert "company/SC123456" in page.text

    again = supplier.client.get(f"{supplier.base}/identity")
    assert 'value="SC123456"' in again.text
    assert 'name="trading_started_on-day" type="text" value="27"' in again.text and 'value="2016"' in again.text


def test_policies_are_saved(supplier: Supplier, db: Session) -> None:
    response = supplier.client.post(f"{supplier.base}/policies", POLICIES)

    assert response.status_code == 303
    profile = profile_of(db, supplier)
    assert profile.policies_held == ["data_protection", "accessibility_statement"]
    assert profile.ico_registration_number == "ZA123456"
    assert profile.modern_slavery_statement_required is False
    assert profile.hosting_location is HostingLocation.UK
    assert profile.accessibility_conformance is AccessibilityConformance.PARTIAL
    assert actions(db, supplier) == ["profile.policies_updated"]
    page = supplier.client.get(supplier.base)
    assert "Data protection (UK GDPR), Accessibility statement" in page.text


def test_a_required_modern_slavery_statement_that_is_not_held_leaves_the_section_incomplete(
    supplier: Supplier, db: Session
) -> None:
    supplier.client.post(f"{supplier.base}/policies", {**POLICIES, "modern_slavery_statement_required": "yes"})

    page = supplier.client.get(f"{supplier.base}/policies")

    assert "modern slavery statement (the Modern Slavery Act requires one)" in page.text
    assert "Incomplete" in page.text


def test_declarations_are_saved_and_a_yes_keeps_its_explanation(supplier: Supplier, db: Session) -> None:
    explanation = "A director was fined in 2023; they have left and we now run annual compliance training."
    answers = all_no(environmental_social_labour="yes", environmental_social_labour_explanation=explanation)

    response = supplier.client.post(f"{supplier.base}/declarations", answers)

    assert response.status_code == 303
    rows = {
        d.ground: d
        for d in db.scalars(select(Declaration).where(Declaration.organisation_id == supplier.organisation.id))
    }
    assert set(rows) == set(GROUND_KEYS)
    assert rows["environmental_social_labour"].applies is True
    assert rows["environmental_social_labour"].explanation == explanation
    assert not any(d.applies for key, d in rows.items() if key != "environmental_social_labour")
    [event] = factories.audit_events(db, "organisation", supplier.organisation.id)
    assert (event.action, event.data) == ("profile.declarations_updated", {"applying": ["environmental_social_labour"]})
    page = supplier.client.get(supplier.base)
    assert explanation in page.text and "declared that 1 of the exclusion grounds applies" in page.text

    # Answering again updates the same rows; a "no" drops the old explanation.
    supplier.client.post(f"{supplier.base}/declarations", all_no(environmental_social_labour_explanation="ignored"))
    db.expire_all()
    assert factories.count(db, Declaration) == len(GROUNDS)
    assert not any(d.applies or d.explanation for d in db.scalars(select(Declaration)))


def test_certificates_are_added_and_removed(supplier: Supplier, db: Session) -> None:
    url = f"{supplier.base}/certifications"
    expiry = today() + timedelta(days=100)

    response = supplier.client.post(
        url, {"kind": "other", "name": "ISO 14001", "reference": "EMS-778", "expires_on": expiry.isoformat()}
    )

    assert response.status_code == 303 and response.headers["location"] == url
    certificate = db.scalars(select(Certification)).one()
    assert (certificate.kind, certificate.name, certificate.reference) == (
        CertificationKind.OTHER,
        "ISO 14001",
        "EMS-778",
    )
    assert certificate.expires_on == expiry
    page = supplier.client.get(url)
    assert "ISO 14001" in page.text and "Remove" in page.text and "The certificate is added." in page.text

    removed = supplier.client.post(f"{url}/{certificate.id}/remove")

    assert removed.status_code == 303
    assert factories.count(db, Certification) == 0
    assert actions(db, supplier) == ["profile.certification_added", "profile.certification_removed"]


def test_a_named_kind_of_certificate_drops_any_name_given(supplier: Supplier, db: Session) -> None:
    supplier.client.post(
        f"{supplier.base}/certifications",
        {"kind": "cyber_essentials", "name": "Ignored", "reference": "IASME-CE-1", "expires_on": "31/12/2099"},
    )

    certificate = db.scalars(select(Certification)).one()
    assert (certificate.kind, certificate.name) == (CertificationKind.CYBER_ESSENTIALS, None)


def test_insurance_is_added_with_its_cover_in_pounds(supplier: Supplier, db: Session) -> None:
    url = f"{supplier.base}/insurance"

    response = supplier.client.post(
        url, {"kind": "public_liability", "cover_amount": "£5,000,000", "insurer": "Hiscox", "expires_on": "1/4/2099"}
    )

    assert response.status_code == 303
    insurance = db.scalars(select(Insurance)).one()
    assert (insurance.kind, insurance.cover_amount, insurance.insurer) == (
        InsuranceKind.PUBLIC_LIABILITY,
        5_000_000,
        "Hiscox",
    )
    assert "£5,000,000 cover, with Hiscox" in supplier.client.get(url).text
    assert actions(db, supplier) == ["profile.insurance_added"]


def test_references_name_a_council_on_the_exchange_or_just_a_buyer(supplier: Supplier, db: Session) -> None:
    council = factories.council(db, "BUN")
    url = f"{supplier.base}/references"
    assert council.name in supplier.client.get(url).text  # offered in the list of buyers

    on_exchange = supplier.client.post(
        url, {"buyer_organisation_id": str(council.id), "description": "Ran the 2025 budget consultation."}
    )
    named = supplier.client.post(
        url,
        {
            "buyer_name": "Pendle Housing Trust",
            "contact_name": "Sam Referee",
            "contact_email": "sam@pendle-housing.example",
            "description": "Tenant survey and report.",
            "period": "2024",
        },
    )

    assert (on_exchange.status_code, named.status_code) == (303, 303)
    first, second = db.scalars(select(Reference).order_by(Reference.id))
    assert (first.buyer_organisation_id, first.buyer_name) == (council.id, council.name)
    assert (second.buyer_organisation_id, second.buyer_name) == (None, "Pendle Housing Trust")
    assert second.contact_email == "sam@pendle-housing.example"
    page = supplier.client.get(supplier.base)
    assert "Not confirmed yet" in page.text and "sam@pendle-housing.example" in page.text
    assert actions(db, supplier) == ["profile.reference_added", "profile.reference_added"]


def test_past_contracts_are_added(supplier: Supplier, db: Session) -> None:
    response = supplier.client.post(
        f"{supplier.base}/past-contracts",
        {
            "title": "Resident survey platform",
            "buyer_name": "Pendle Borough Council",
            "awarded_on": "1/4/2024",
            "value": "24,500",
            "outcome": "Responses up from 400 to 2,100.",
        },
    )

    assert response.status_code == 303
    contract = db.scalars(select(PastContract)).one()
    assert (contract.title, contract.value, contract.outcome) == (
        "Resident survey platform",
        24_500,
        "Responses up from 400 to 2,100.",
    )
    assert contract.awarded_on is not None and contract.awarded_on.isoformat() == "2024-04-01"
    assert "worth £24,500" in supplier.client.get(supplier.base).text


def test_a_complete_profile_is_100_percent_and_an_expired_certificate_is_flagged(
    supplier: Supplier, db: Session
) -> None:
    factories.complete_profile(db, supplier.organisation)
    assert "100% complete" in supplier.client.get(supplier.base).text

    factories.certification(db, supplier.organisation, "iso_9001", expires_in_days=-3)
    page = supplier.client.get(supplier.base)

    assert "86% complete" in page.text
    assert "ISO 9001 (quality management) expired on" in page.text
    assert "1 expired certificate to renew or remove" in page.text
    dashboard = supplier.client.get("/dashboard")
    assert "86% complete" in dashboard.text and "1 expired certificate to renew or remove" in dashboard.text


def test_removing_an_item_of_another_supplier_is_not_found_and_removes_nothing(supplier: Supplier, db: Session) -> None:
    stranger = factories.supplier(db, factories.user(db))
    certificate = factories.certification(db, stranger)

    response = supplier.client.post(f"{supplier.base}/certifications/{certificate.id}/remove")

    assert response.status_code == 404
    assert factories.count(db, Certification) == 1
