"""What the supplier profile forms accept: normalised identifiers, British dates, pounds as people type them."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    EmailStr,
    Field,
    field_validator,
    model_validator,
)

from exchange.core.dates import uk_date
from exchange.core.errors import Invalid
from exchange.core.forms import FieldError, FormSchema, WebAddress, validate
from exchange.core.ids import DbId
from exchange.core.money import Pounds
from exchange.profiles.completeness import today
from exchange.profiles.grounds import GROUNDS
from exchange.profiles.models import (
    POLICY_LABELS,
    AccessibilityConformance,
    CertificationKind,
    HostingLocation,
    InsuranceKind,
    LegalForm,
)

COMPANIES_HOUSE_NUMBER = re.compile(r"^(\d{8}|[A-Z]{2}\d{6})$")
VAT_NUMBER = re.compile(r"^GB(\d{9}|\d{12})$")
ICO_REGISTRATION_NUMBER = re.compile(r"^[A-Z]{1,2}\d{6,7}$")
CHARITY_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9/-]{3,19}$")
MAX_POUNDS = 100_000_000_000

Size = Literal["micro", "small", "medium", "large"]
Policy = Literal[
    "data_protection", "accessibility_statement", "equality", "environmental", "modern_slavery", "safeguarding"
]
assert set(get_args(Policy)) == set(POLICY_LABELS), "the form's policies and their labels must agree"


def _compact(value: object) -> object:
    """Identifiers as people type them ("sc 123 456"): upper case, without spaces."""
    if isinstance(value, str):
        return "".join(value.split()).upper() or None
    return value


def _not_in_the_past(value: date | None, message: str) -> date | None:
    if value is not None and value < today():
        raise ValueError(message)
    return value


# --- Identity ---

IDENTITY_LABELS = {
    "legal_name": "your organisation's legal name",
    "legal_form": "its legal form",
    "companies_house_number": "the Companies House number",
    "charity_number": "the charity number",
    "other_register": "the register and number",
    "vat_number": "the VAT number",
    "registered_address": "the registered address",
    "contact_address": "the contact address",
    "website": "the website",
    "size": "its size",
    "is_vcse": "whether it is a VCSE",
    "trading_started_on": "the date it started trading",
}


class IdentityForm(FormSchema):
    legal_name: str = Field(min_length=2, max_length=200)
    trading_names: list[str] = Field(default_factory=list)
    legal_form: LegalForm | None = None
    companies_house_number: str | None = None
    charity_number: str | None = None
    other_register: str | None = Field(default=None, max_length=200)
    vat_number: str | None = None
    registered_address: str | None = Field(default=None, max_length=1000)
    contact_address: str | None = Field(default=None, max_length=1000)
    website: WebAddress | None = None
    trading_started_on: Annotated[date | None, uk_date("the date it started trading")] = None
    size: Size | None = None
    is_vcse: bool | None = None

    @field_validator("trading_names", mode="before")
    @classmethod
    def split_names(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        names = [" ".join(name.split()) for name in re.split(r"[,\n]", value)]
        names = [name for name in names if name]
        if len(names) > 10 or any(len(name) > 200 for name in names):
            raise ValueError("Give up to 10 trading names of 200 characters or fewer")
        return names

    @field_validator("companies_house_number", mode="before")
    @classmethod
    def company_number(cls, value: object) -> object:
        value = _compact(value)
        if isinstance(value, str) and not COMPANIES_HOUSE_NUMBER.match(value):
            raise ValueError(
                "Enter a Companies House number of 8 digits, or 2 letters and 6 digits, like 01234567 or SC123456"
            )
        return value

    @field_validator("charity_number", mode="before")
    @classmethod
    def charity(cls, value: object) -> object:
        value = _compact(value)
        if isinstance(value, str) and not CHARITY_NUMBER.match(value):
            raise ValueError("Enter a charity number of letters and numbers only, like 1123456 or SC012345")
        return value

    @field_validator("vat_number", mode="before")
    @classmethod
    def vat(cls, value: object) -> object:
        value = _compact(value)
        if isinstance(value, str):
            value = value if value.startswith("GB") else f"GB{value}"
            if not VAT_NUMBER.match(value):
                raise ValueError("Enter a VAT registration number of GB and 9 or 12 digits, like GB123456789")
        return value

    @field_validator("trading_started_on")
    @classmethod
    def started_already(cls, value: date | None) -> date | None:
        if value is not None and value > today():
            raise ValueError("The date it started trading must be today or in the past")
        return value

    @model_validator(mode="after")
    def registered_where_its_form_says(self) -> IdentityForm:
        if self.legal_form and self.legal_form.has_company_number and not self.companies_house_number:
            raise FieldError(
                "companies_house_number",
                f"Enter the Companies House number: every {self.legal_form.label.split(' (')[0].lower()}"
                " is registered at Companies House",
            )
        if self.legal_form is LegalForm.CHARITY and not (self.charity_number or self.other_register):
            raise FieldError("charity_number", "Enter the charity number, or the register the charity is on")
        return self


# --- Policies, data and accessibility ---

POLICY_FORM_LABELS = {
    "policies_held": "the policies you hold",
    "ico_registration_number": "the ICO registration number",
    "modern_slavery_statement_required": "whether you must publish a modern slavery statement",
    "hosting_location": "where customers' data is hosted",
    "accessibility_conformance": "how accessible your products are",
}


class PoliciesForm(FormSchema):
    policies_held: list[Policy] = Field(default_factory=list)
    ico_registration_number: str | None = None
    modern_slavery_statement_required: bool | None = None
    hosting_location: HostingLocation | None = None
    accessibility_conformance: AccessibilityConformance | None = None

    @field_validator("ico_registration_number", mode="before")
    @classmethod
    def ico_number(cls, value: object) -> object:
        value = _compact(value)
        if isinstance(value, str) and not (len(value) == 8 and ICO_REGISTRATION_NUMBER.match(value)):
            raise ValueError("Enter an ICO registration number of 8 characters, like ZA123456 or Z1234567")
        return value

    @model_validator(mode="after")
    def data_protection_has_its_number(self) -> PoliciesForm:
        if "data_protection" in self.policies_held and not self.ico_registration_number:
            raise FieldError(
                "ico_registration_number",
                "Enter your ICO registration number: organisations that handle personal data register with the ICO",
            )
        return self


# --- Declarations against the exclusion grounds ---


class DeclarationAnswer(FormSchema):
    applies: bool
    explanation: str = Field(default="", max_length=5000)

    @model_validator(mode="after")
    def explained_when_it_applies(self) -> DeclarationAnswer:
        if self.applies and not self.explanation:
            raise FieldError("explanation", "Explain what happened and what you have done since")
        if not self.applies:
            self.explanation = ""
        return self


def parse_declarations(values: dict[str, Any]) -> dict[str, DeclarationAnswer]:
    """Every ground answered yes or no, each yes explained; all problems reported at once."""
    answers: dict[str, DeclarationAnswer] = {}
    errors: dict[str, str] = {}
    for ground in GROUNDS:
        explanation_field = f"{ground.key}_explanation"
        data = {"applies": values.get(ground.key), "explanation": values.get(explanation_field, "")}
        try:
            answers[ground.key] = validate(DeclarationAnswer, data, {"explanation": "the explanation"})
        except Invalid as error:
            if "applies" in error.field_errors:
                errors[ground.key] = f"Answer yes or no: {ground.label.lower()}"
            else:
                errors[explanation_field] = f"{error.field_errors['explanation']} ({ground.label.lower()})"
    if errors:
        raise Invalid("Check the answers and try again", field_errors=errors)
    return answers


# --- Lists: certifications, insurance, references, past contracts ---

CERTIFICATION_FORM_LABELS = {
    "kind": "the certification",
    "name": "the certification's name",
    "reference": "the certificate number or reference",
    "expires_on": "the expiry date",
}


class CertificationForm(FormSchema):
    kind: CertificationKind
    name: str | None = Field(default=None, max_length=200)
    reference: str = Field(min_length=1, max_length=100)
    expires_on: Annotated[date, uk_date("the expiry date")]

    @field_validator("expires_on")
    @classmethod
    def still_valid(cls, value: date) -> date | None:
        return _not_in_the_past(value, "The expiry date must be today or later: add certificates you hold now")

    @model_validator(mode="after")
    def other_is_named(self) -> CertificationForm:
        if self.kind is CertificationKind.OTHER and not self.name:
            raise FieldError("name", "Enter the certification's name")
        if self.kind is not CertificationKind.OTHER:
            self.name = None
        return self


INSURANCE_FORM_LABELS = {
    "kind": "the kind of insurance",
    "cover_amount": "the cover amount",
    "insurer": "the insurer",
    "expires_on": "the renewal date",
}


class InsuranceForm(FormSchema):
    kind: InsuranceKind
    cover_amount: Pounds = Field(ge=1, le=MAX_POUNDS)
    insurer: str | None = Field(default=None, max_length=200)
    expires_on: Annotated[date | None, uk_date("the renewal date")] = None

    @field_validator("expires_on")
    @classmethod
    def still_valid(cls, value: date | None) -> date | None:
        return _not_in_the_past(value, "The renewal date must be today or later: add insurance you hold now")


REFERENCE_LABELS = {
    "buyer_organisation_id": "the buyer",
    "buyer_name": "the buyer's name",
    "contact_name": "the contact's name",
    "contact_email": "the contact's email address",
    "description": "what you did for them",
    "period": "when",
}


class ReferenceForm(FormSchema):
    buyer_organisation_id: DbId | None = None
    buyer_name: str | None = Field(default=None, max_length=200)
    contact_name: str | None = Field(default=None, max_length=200)
    contact_email: EmailStr | None = Field(default=None, max_length=320)
    description: str = Field(min_length=10, max_length=2000)
    period: str | None = Field(default=None, max_length=100)

    @model_validator(mode="after")
    def buyer_can_be_reached(self) -> ReferenceForm:
        if self.buyer_organisation_id is None and not self.buyer_name:
            raise FieldError("buyer_organisation_id", "Choose the buyer from the list, or enter its name")
        if self.buyer_organisation_id is None and not self.contact_email:
            raise FieldError(
                "contact_email", "Enter the email address of someone at the buyer who can vouch for your work"
            )
        return self


PAST_CONTRACT_LABELS = {
    "title": "what the contract was for",
    "buyer_name": "the buyer",
    "description": "the description",
    "awarded_on": "when it was awarded",
    "value": "its value",
    "outcome": "the outcome",
}


class PastContractForm(FormSchema):
    title: str = Field(min_length=3, max_length=300)
    buyer_name: str = Field(min_length=2, max_length=300)
    description: str = Field(default="", max_length=5000)
    awarded_on: Annotated[date | None, uk_date("the date it was awarded")] = None
    value: Pounds | None = Field(default=None, ge=0, le=MAX_POUNDS)
    outcome: str | None = Field(default=None, max_length=2000)

    @field_validator("awarded_on")
    @classmethod
    def awarded_already(cls, value: date | None) -> date | None:
        if value is not None and value > today():
            raise ValueError("The date it was awarded must be today or in the past")
        return value
