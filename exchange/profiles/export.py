"""The JSON export of a supplier profile: one document for a procurement file, with what the viewer may see."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from exchange.core.models import utcnow
from exchange.profiles.grounds import GROUNDS
from exchange.profiles.models import (
    AccessibilityConformance,
    CertificationKind,
    HostingLocation,
    InsuranceKind,
    LegalForm,
)
from exchange.profiles.service import ProfileView


class SectionOut(BaseModel):
    key: str
    title: str
    complete: bool
    missing: list[str]


class IdentityOut(BaseModel):
    legal_name: str | None
    trading_names: list[str]
    legal_form: LegalForm | None
    companies_house_number: str | None
    charity_number: str | None
    other_register: str | None
    vat_number: str | None
    registered_address: str | None
    contact_address: str | None
    website: str | None
    trading_started_on: date | None
    size: str | None
    is_vcse: bool | None


class CertificationOut(BaseModel):
    id: int
    kind: CertificationKind
    name: str
    reference: str
    expires_on: date
    expired: bool


class InsuranceOut(BaseModel):
    id: int
    kind: InsuranceKind
    cover_amount: int = Field(description="Whole pounds")
    insurer: str | None
    expires_on: date | None
    expired: bool


class PoliciesOut(BaseModel):
    policies_held: list[str] | None
    ico_registration_number: str | None
    modern_slavery_statement_required: bool | None
    hosting_location: HostingLocation | None
    accessibility_conformance: AccessibilityConformance | None


class DeclarationOut(BaseModel):
    ground: str
    label: str
    kind: Literal["mandatory", "discretionary"]
    applies: bool | None = Field(description="None: not answered yet")
    explanation: str


class ReferenceOut(BaseModel):
    id: int
    buyer_organisation_id: int | None
    buyer_name: str
    description: str
    period: str | None
    contact_name: str | None = Field(description="Only for the supplier and verified public-sector buyers")
    contact_email: str | None = Field(description="Only for the supplier and verified public-sector buyers")
    confirmed: bool
    confirmed_at: datetime | None


class PastContractOut(BaseModel):
    id: int
    title: str
    description: str
    buyer_name: str
    categories: list[str]
    value: int | None = Field(description="Whole pounds")
    awarded_on: date | None
    outcome: str | None


class ProfileOut(BaseModel):
    organisation_id: int
    organisation_name: str
    organisation_slug: str
    completeness: float = Field(ge=0, le=1, description="The share of sections complete, 0 to 1")
    sections: list[SectionOut]
    identity: IdentityOut
    certifications: list[CertificationOut]
    insurances: list[InsuranceOut]
    policies: PoliciesOut
    declarations: list[DeclarationOut] | None = Field(
        description="Only for the supplier and verified public-sector buyers; null for everyone else"
    )
    references: list[ReferenceOut]
    past_contracts: list[PastContractOut]
    generated_at: datetime


def export(view: ProfileView, show_private: bool) -> ProfileOut:
    profile, organisation = view.profile, view.organisation
    gaps = view.missing
    return ProfileOut(
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        organisation_slug=organisation.slug,
        completeness=view.completeness,
        sections=[
            SectionOut(key=s.key, title=s.title, complete=not gaps[s.key], missing=gaps[s.key]) for s in view.sections
        ],
        identity=IdentityOut(
            legal_name=profile.legal_name if profile else None,
            trading_names=(profile.trading_names or []) if profile else [],
            legal_form=profile.legal_form if profile else None,
            companies_house_number=profile.companies_house_number if profile else None,
            charity_number=profile.charity_number if profile else None,
            other_register=profile.other_register if profile else None,
            vat_number=profile.vat_number if profile else None,
            registered_address=profile.registered_address if profile else None,
            contact_address=profile.contact_address if profile else None,
            website=organisation.website,
            trading_started_on=profile.trading_started_on if profile else None,
            size=profile.size if profile else None,
            is_vcse=profile.is_vcse if profile else None,
        ),
        certifications=[
            CertificationOut(
                id=item.id,
                kind=item.kind,
                name=item.title,
                reference=item.reference,
                expires_on=item.expires_on,
                expired=item.expired(view.today),
            )
            for item in view.certifications
        ],
        insurances=[
            InsuranceOut(
                id=item.id,
                kind=item.kind,
                cover_amount=item.cover_amount,
                insurer=item.insurer,
                expires_on=item.expires_on,
                expired=item.expired(view.today),
            )
            for item in view.insurances
        ],
        policies=PoliciesOut(
            policies_held=profile.policies_held if profile else None,
            ico_registration_number=profile.ico_registration_number if profile else None,
            modern_slavery_statement_required=profile.modern_slavery_statement_required if profile else None,
            hosting_location=profile.hosting_location if profile else None,
            accessibility_conformance=profile.accessibility_conformance if profile else None,
        ),
        declarations=_declarations(view) if show_private else None,
        references=[
            ReferenceOut(
                id=item.id,
                buyer_organisation_id=item.buyer_organisation_id,
                buyer_name=item.buyer_name,
                description=item.description,
                period=item.period,
                contact_name=item.contact_name if show_private else None,
                contact_email=item.contact_email if show_private else None,
                confirmed=item.confirmed,
                confirmed_at=item.confirmed_at,
            )
            for item in view.references
        ],
        past_contracts=[PastContractOut.model_validate(item, from_attributes=True) for item in view.past_contracts],
        generated_at=utcnow(),
    )


def _declarations(view: ProfileView) -> list[DeclarationOut]:
    answers = view.declarations
    return [
        DeclarationOut(
            ground=ground.key,
            label=ground.label,
            kind="mandatory" if ground.mandatory else "discretionary",
            applies=answers[ground.key].applies if ground.key in answers else None,
            explanation=answers[ground.key].explanation if ground.key in answers else "",
        )
        for ground in GROUNDS
    ]
