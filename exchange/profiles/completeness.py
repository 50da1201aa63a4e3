"""How complete a supplier profile is, section by section, read for many suppliers in one query.

Everything that decides completeness is fetched by ``facts`` (profile columns plus counts of the listed
items), and ``missing`` turns those facts into the items still to give. The profile pages, the dashboard,
the JSON export and the matching module all use these two, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.organisations.models import Organisation
from exchange.profiles.grounds import GROUND_KEYS
from exchange.profiles.models import (
    SIZE_LABELS,
    Certification,
    Declaration,
    Insurance,
    InsuranceKind,
    LegalForm,
    PastContract,
    Reference,
    SupplierProfile,
)

UK = ZoneInfo("Europe/London")
# Councils usually ask for two references; one past contract shows a track record.
MIN_REFERENCES = 2
MIN_PAST_CONTRACTS = 1


def today() -> date:
    """Certificates expire at the end of their expiry day in the UK, wherever the server runs."""
    return datetime.now(UK).date()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    group: str
    # The last part of the address of the section's edit page.
    path: str


SECTIONS = (
    Section("identity", "Identity", "Identity", "identity"),
    Section("certifications", "Certifications", "Assurances", "certifications"),
    Section("insurance", "Insurance", "Assurances", "insurance"),
    Section("policies", "Policies, data and accessibility", "Assurances", "policies"),
    Section("declarations", "Exclusion grounds", "Declarations", "declarations"),
    Section("references", "References", "Evidence", "references"),
    Section("past_contracts", "Past contracts", "Evidence", "past-contracts"),
)
SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}


@dataclass(frozen=True)
class Facts:
    """What completeness depends on, for one organisation (None throughout when it has no profile yet)."""

    organisation_id: int
    legal_name: str | None = None
    legal_form: LegalForm | None = None
    companies_house_number: str | None = None
    charity_number: str | None = None
    other_register: str | None = None
    registered_address: str | None = None
    size: str | None = None
    trading_started_on: date | None = None
    is_vcse: bool | None = None
    policies_held: list[str] | None = None
    ico_registration_number: str | None = None
    modern_slavery_statement_required: bool | None = None
    hosting_location: str | None = None
    accessibility_conformance: str | None = None
    current_certificates: int = 0
    expired_certificates: int = 0
    employers_liability: int = 0
    public_liability: int = 0
    expired_insurances: int = 0
    declarations_answered: int = 0
    declarations_applying: int = 0
    references: int = 0
    past_contracts: int = 0


PROFILE_COLUMNS = (
    "legal_name",
    "legal_form",
    "companies_house_number",
    "charity_number",
    "other_register",
    "registered_address",
    "size",
    "trading_started_on",
    "is_vcse",
    "policies_held",
    "ico_registration_number",
    "modern_slavery_statement_required",
    "hosting_location",
    "accessibility_conformance",
)


def _count(model: Any, *conditions: Any) -> Any:
    return (
        select(func.count())
        .select_from(model)
        .where(model.organisation_id == Organisation.id, *conditions)
        .correlate(Organisation)
        .scalar_subquery()
    )


def facts(db: Session, organisation_ids: Iterable[int]) -> dict[int, Facts]:
    """The facts of every listed organisation that exists, in one query (counts are correlated subqueries)."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return {}
    now = today()
    current_insurance = (Insurance.expires_on.is_(None)) | (Insurance.expires_on >= now)
    counts = {
        "current_certificates": _count(Certification, Certification.expires_on >= now),
        "expired_certificates": _count(Certification, Certification.expires_on < now),
        "employers_liability": _count(
            Insurance, Insurance.kind == InsuranceKind.EMPLOYERS_LIABILITY, current_insurance
        ),
        "public_liability": _count(Insurance, Insurance.kind == InsuranceKind.PUBLIC_LIABILITY, current_insurance),
        "expired_insurances": _count(Insurance, Insurance.expires_on < now),
        "declarations_answered": _count(Declaration, Declaration.ground.in_(GROUND_KEYS)),
        "declarations_applying": _count(
            Declaration, Declaration.ground.in_(GROUND_KEYS), Declaration.applies.is_(True)
        ),
        "references": _count(Reference),
        "past_contracts": _count(PastContract),
    }
    statement = (
        select(
            Organisation.id,
            *(getattr(SupplierProfile, name) for name in PROFILE_COLUMNS),
            *(expression.label(name) for name, expression in counts.items()),
        )
        .outerjoin(SupplierProfile, SupplierProfile.organisation_id == Organisation.id)
        .where(Organisation.id.in_(ids))
    )
    found: dict[int, Facts] = {}
    for row in db.execute(statement):
        values: dict[str, Any] = {name: row._mapping[name] for name in PROFILE_COLUMNS}
        values.update({name: row._mapping[name] or 0 for name in counts})
        found[row.id] = Facts(organisation_id=row.id, **values)
    return found


def _missing_identity(f: Facts) -> list[str]:
    missing = [
        label
        for label, given in (
            ("legal name", f.legal_name),
            ("legal form", f.legal_form),
            ("registered address", f.registered_address),
            ("size", f.size in SIZE_LABELS),
            ("date it started trading", f.trading_started_on),
            ("whether it is a VCSE", f.is_vcse is not None),
        )
        if not given
    ]
    if f.legal_form and f.legal_form.has_company_number and not f.companies_house_number:
        missing.append("Companies House number")
    if f.legal_form is LegalForm.CHARITY and not (f.charity_number or f.other_register):
        missing.append("charity number or register")
    return missing


def _missing_policies(f: Facts) -> list[str]:
    held = f.policies_held or []
    missing = []
    if "data_protection" not in held or not f.ico_registration_number:
        missing.append("data protection policy and ICO registration number")
    if f.modern_slavery_statement_required is None:
        missing.append("whether you must publish a modern slavery statement")
    elif f.modern_slavery_statement_required and "modern_slavery" not in held:
        missing.append("modern slavery statement (the Modern Slavery Act requires one)")
    if f.hosting_location is None:
        missing.append("where customers' data is hosted")
    if f.accessibility_conformance is None:
        missing.append("how accessible your products are")
    return missing


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def missing(f: Facts) -> dict[str, list[str]]:
    """For each section, what is still to give or put right (an empty list: the section is complete)."""
    certifications = [] if f.current_certificates else ["at least one current certificate"]
    if f.expired_certificates:
        certifications.append(f"{_plural(f.expired_certificates, 'expired certificate')} to renew or remove")
    insurance = [
        f"{kind} insurance"
        for kind, count in (("employer's liability", f.employers_liability), ("public liability", f.public_liability))
        if not count
    ]
    if f.expired_insurances:
        expired = _plural(f.expired_insurances, "expired insurance policy", "expired insurance policies")
        insurance.append(f"{expired} to renew or remove")
    unanswered = len(GROUND_KEYS) - f.declarations_answered
    return {
        "identity": _missing_identity(f),
        "certifications": certifications,
        "insurance": insurance,
        "policies": _missing_policies(f),
        "declarations": [f"answers to {_plural(unanswered, 'exclusion ground')}"] if unanswered else [],
        "references": [f"{_plural(MIN_REFERENCES - f.references, 'more reference')}"]
        if f.references < MIN_REFERENCES
        else [],
        "past_contracts": ["at least one past contract"] if f.past_contracts < MIN_PAST_CONTRACTS else [],
    }


def fraction_complete(f: Facts) -> float:
    gaps = missing(f)
    return sum(1 for section in SECTIONS if not gaps[section.key]) / len(SECTIONS)
