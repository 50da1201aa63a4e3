"""Bad input on any profile form is refused with a GOV.UK error naming the field, and writes nothing."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from exchange.profiles.completeness import today
from exchange.profiles.grounds import GROUND_KEYS
from tests import factories
from tests.profiles.conftest import Supplier, written

IDENTITY = {"legal_name": "Quillfeather Labs Limited", "legal_form": "sole_trader"}
POLICIES = {"hosting_location": "uk"}
DECLARATIONS = dict.fromkeys(GROUND_KEYS, "no")
CERTIFICATE = {"kind": "cyber_essentials", "reference": "IASME-CE-001", "expires_on": "31/12/2099"}
INSURANCE = {"kind": "employers_liability", "cover_amount": "10000000"}
REFERENCE = {
    "buyer_name": "Pendle Housing Trust",
    "contact_email": "sam@pendle.example",
    "description": "Tenant survey.",
}
PAST_CONTRACT = {"title": "Resident survey", "buyer_name": "Pendle Borough Council"}
YESTERDAY = (today() - timedelta(days=1)).isoformat()

# (section path, a good submission, changes that make it bad, the field the error is about, words of the message)
BAD_INPUT: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    ("identity", IDENTITY, {"legal_name": None}, "legal_name", "Enter your organisation's legal name"),
    ("identity", IDENTITY, {"companies_house_number": "1234567"}, "companies_house_number", "like 01234567"),
    ("identity", IDENTITY, {"companies_house_number": "S1234567"}, "companies_house_number", "like 01234567"),
    ("identity", IDENTITY, {"companies_house_number": "SC12345X"}, "companies_house_number", "like 01234567"),
    ("identity", IDENTITY, {"legal_form": "limited_company"}, "companies_house_number", "Enter the Companies House"),
    ("identity", IDENTITY, {"legal_form": "charity"}, "charity_number", "Enter the charity number"),
    ("identity", IDENTITY, {"legal_form": "plc"}, "legal_form", "Choose its legal form"),
    ("identity", IDENTITY, {"vat_number": "GB12345678"}, "vat_number", "GB and 9 or 12 digits"),
    ("identity", IDENTITY, {"vat_number": "FR123456789"}, "vat_number", "GB and 9 or 12 digits"),
    ("identity", IDENTITY, {"website": "not a website"}, "website", "Enter a website address"),
    ("identity", IDENTITY, {"trading_started_on": "March 2016"}, "trading_started_on", "like 31/3/2027"),
    ("identity", IDENTITY, {"trading_started_on": "31/2/2016"}, "trading_started_on", "must be a real date"),
    ("identity", IDENTITY, {"trading_started_on": "1/1/2099"}, "trading_started_on", "today or in the past"),
    ("identity", IDENTITY, {"trading_started_on": "1/1/9999"}, "trading_started_on", "between 1900 and 2100"),
    ("identity", IDENTITY, {"size": "sme"}, "size", "Choose its size"),
    ("policies", POLICIES, {"policies_held": ["data_protection"]}, "ico_registration_number", "Enter your ICO"),
    ("policies", POLICIES, {"ico_registration_number": "12345678"}, "ico_registration_number", "like ZA123456"),
    ("policies", POLICIES, {"policies_held": ["shredding"]}, "policies_held", ""),
    ("policies", POLICIES, {"hosting_location": "the moon"}, "hosting_location", "Choose where"),
    ("declarations", DECLARATIONS, {"fraud": "yes"}, "fraud_explanation", "Explain what happened"),
    ("declarations", DECLARATIONS, {"tax": None}, "tax", "Answer yes or no: tax evasion"),
    ("declarations", DECLARATIONS, {"competition": "perhaps"}, "competition", "Answer yes or no"),
    ("certifications", CERTIFICATE, {"expires_on": "next year"}, "expires_on", "Enter the expiry date as a date"),
    ("certifications", CERTIFICATE, {"expires_on": "2099-13-01"}, "expires_on", "must be a real date"),
    ("certifications", CERTIFICATE, {"expires_on": YESTERDAY}, "expires_on", "today or later"),
    ("certifications", CERTIFICATE, {"expires_on": None}, "expires_on", "Enter the expiry date"),
    ("certifications", CERTIFICATE, {"reference": None}, "reference", "Enter the certificate number"),
    ("certifications", CERTIFICATE, {"kind": "other"}, "name", "Enter the certification's name"),
    ("certifications", CERTIFICATE, {"kind": "iso_99999"}, "kind", "Choose the certification"),
    ("insurance", INSURANCE, {"cover_amount": "five million"}, "cover_amount", "must be an amount in numbers"),
    ("insurance", INSURANCE, {"cover_amount": "0"}, "cover_amount", "must be 1 or more"),
    ("insurance", INSURANCE, {"cover_amount": None}, "cover_amount", "Enter the cover amount"),
    ("insurance", INSURANCE, {"expires_on": "1/1/2000"}, "expires_on", "today or later"),
    ("references", REFERENCE, {"buyer_name": None}, "buyer_organisation_id", "Choose the buyer"),
    ("references", REFERENCE, {"contact_email": None}, "contact_email", "Enter the email address"),
    ("references", REFERENCE, {"contact_email": "sam at pendle"}, "contact_email", "correct format"),
    ("references", REFERENCE, {"buyer_organisation_id": "999999"}, "buyer_organisation_id", "Choose a council"),
    ("references", REFERENCE, {"description": None}, "description", "Enter what you did for them"),
    ("past-contracts", PAST_CONTRACT, {"title": None}, "title", "Enter what the contract was for"),
    ("past-contracts", PAST_CONTRACT, {"value": "-5"}, "value", "must be £0 or more"),
    ("past-contracts", PAST_CONTRACT, {"awarded_on": "1/1/2099"}, "awarded_on", "today or in the past"),
]


def submission(good: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in {**good, **changes}.items() if value is not None}


@pytest.mark.parametrize(
    ("path", "good", "changes", "field", "message"),
    BAD_INPUT,
    ids=[f"{path}-{field}-{index}" for index, (path, _, _, field, _) in enumerate(BAD_INPUT)],
)
def test_bad_input_is_refused_with_the_message_and_nothing_is_written(
    supplier: Supplier, db: Session, path: str, good: dict[str, Any], changes: dict[str, Any], field: str, message: str
) -> None:
    before = written(db)

    response = supplier.client.post(f"{supplier.base}/{path}", submission(good, changes))

    assert response.status_code == 422
    assert "govuk-error-summary" in response.text and "<title>Error: " in response.text
    assert f'href="#{field}"' in response.text
    # A date input's error message is on its fieldset (the summary's link still lands in its first field).
    assert f'id="{field}-error"' in response.text or f'id="{field}-date-error"' in response.text
    assert message in html.unescape(response.text)
    assert written(db) == before


@pytest.mark.parametrize(
    ("path", "good"),
    [
        ("identity", IDENTITY),
        ("policies", POLICIES),
        ("declarations", DECLARATIONS),
        ("certifications", CERTIFICATE),
        ("insurance", INSURANCE),
        ("references", REFERENCE),
        ("past-contracts", PAST_CONTRACT),
    ],
)
def test_the_good_submissions_above_are_accepted(supplier: Supplier, path: str, good: dict[str, Any]) -> None:
    """A control for the test above: each refusal is down to its change, not to the rest of the form."""
    assert supplier.client.post(f"{supplier.base}/{path}", good).status_code == 303


def test_what_was_typed_is_kept_when_a_form_is_refused(supplier: Supplier) -> None:
    response = supplier.client.post(
        f"{supplier.base}/identity",
        {**IDENTITY, "companies_house_number": "12 34", "registered_address": "2 Mill Lane"},
    )

    assert response.status_code == 422
    assert 'value="Quillfeather Labs Limited"' in response.text
    assert "2 Mill Lane</textarea>" in response.text


def test_every_unanswered_ground_and_unexplained_yes_is_reported_at_once(supplier: Supplier) -> None:
    response = supplier.client.post(f"{supplier.base}/declarations", {"fraud": "yes", "corruption": "no"})

    assert response.status_code == 422
    assert 'href="#fraud_explanation"' in response.text
    assert response.text.count('class="govuk-error-message"') == len(GROUND_KEYS) - 1
    assert 'value="yes" checked' in response.text  # the yes stays chosen, so its explanation box shows


def test_a_second_insurance_of_the_same_kind_is_refused(supplier: Supplier, db: Session) -> None:
    factories.insurance(db, supplier.organisation, "employers_liability")
    before = written(db)

    response = supplier.client.post(f"{supplier.base}/insurance", INSURANCE)

    assert response.status_code == 422
    assert "Employer's liability insurance is already listed" in html.unescape(response.text)
    assert written(db) == before


def test_a_reference_cannot_name_a_supplier_as_its_buyer(supplier: Supplier, db: Session) -> None:
    other = factories.supplier(db, factories.user(db))
    before = written(db)

    response = supplier.client.post(f"{supplier.base}/references", {**REFERENCE, "buyer_organisation_id": other.id})

    assert response.status_code == 422 and 'id="buyer_organisation_id-error"' in response.text
    assert written(db) == before
