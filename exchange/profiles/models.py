"""Supplier profiles: the procurement-friendly facts about a supplier ("tell us once"), its assurances,
its declarations against the exclusion grounds, and its evidence (references and past contracts)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exchange.core.database import Base
from exchange.core.models import Timestamped, UtcDateTime, enum_column
from exchange.organisations.models import Organisation

if TYPE_CHECKING:
    from exchange.accounts.models import User


class LegalForm(enum.StrEnum):
    LIMITED_COMPANY = "limited_company"
    LLP = "llp"
    SOLE_TRADER = "sole_trader"
    CIC = "cic"
    CHARITY = "charity"
    CO_OPERATIVE = "co_operative"
    PARTNERSHIP = "partnership"
    OTHER = "other"

    @property
    def label(self) -> str:
        return LEGAL_FORM_LABELS[self]

    @property
    def has_company_number(self) -> bool:
        """Registered at Companies House, so it has a company number."""
        return self in (LegalForm.LIMITED_COMPANY, LegalForm.LLP, LegalForm.CIC)


LEGAL_FORM_LABELS = {
    LegalForm.LIMITED_COMPANY: "Limited company",
    LegalForm.LLP: "Limited liability partnership (LLP)",
    LegalForm.SOLE_TRADER: "Sole trader",
    LegalForm.CIC: "Community interest company (CIC)",
    LegalForm.CHARITY: "Charity or charitable incorporated organisation (CIO)",
    LegalForm.CO_OPERATIVE: "Co-operative or community benefit society",
    LegalForm.PARTNERSHIP: "Partnership",
    LegalForm.OTHER: "Other",
}

SIZE_LABELS = {
    "micro": "Micro (fewer than 10 staff)",
    "small": "Small (fewer than 50 staff)",
    "medium": "Medium (fewer than 250 staff)",
    "large": "Large (250 staff or more)",
}


class HostingLocation(enum.StrEnum):
    UK = "uk"
    EEA = "eea"
    ELSEWHERE = "elsewhere"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return HOSTING_LOCATION_LABELS[self]


HOSTING_LOCATION_LABELS = {
    HostingLocation.UK: "In the UK",
    HostingLocation.EEA: "In the European Economic Area (EEA)",
    HostingLocation.ELSEWHERE: "Elsewhere",
    HostingLocation.NOT_APPLICABLE: "Not applicable: we do not hold data for customers",
}


class AccessibilityConformance(enum.StrEnum):
    FULL = "full"
    PARTIAL = "partial"
    NOT_CONFORMANT = "not_conformant"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return ACCESSIBILITY_CONFORMANCE_LABELS[self]


ACCESSIBILITY_CONFORMANCE_LABELS = {
    AccessibilityConformance.FULL: "Fully meets WCAG 2.2 AA",
    AccessibilityConformance.PARTIAL: "Partially meets WCAG 2.2 AA",
    AccessibilityConformance.NOT_CONFORMANT: "Does not meet WCAG 2.2 AA",
    AccessibilityConformance.NOT_APPLICABLE: "Not applicable: no digital products or services",
}

# Policies a supplier may hold, in the order the form asks about them.
POLICY_LABELS = {
    "data_protection": "Data protection (UK GDPR)",
    "accessibility_statement": "Accessibility statement",
    "equality": "Equality, diversity and inclusion",
    "environmental": "Environmental or net zero",
    "modern_slavery": "Modern slavery statement",
    "safeguarding": "Safeguarding",
}


class CertificationKind(enum.StrEnum):
    CYBER_ESSENTIALS = "cyber_essentials"
    CYBER_ESSENTIALS_PLUS = "cyber_essentials_plus"
    ISO_27001 = "iso_27001"
    ISO_9001 = "iso_9001"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CERTIFICATION_LABELS[self]


CERTIFICATION_LABELS = {
    CertificationKind.CYBER_ESSENTIALS: "Cyber Essentials",
    CertificationKind.CYBER_ESSENTIALS_PLUS: "Cyber Essentials Plus",
    CertificationKind.ISO_27001: "ISO/IEC 27001 (information security)",
    CertificationKind.ISO_9001: "ISO 9001 (quality management)",
    CertificationKind.OTHER: "Another certification",
}


class InsuranceKind(enum.StrEnum):
    EMPLOYERS_LIABILITY = "employers_liability"
    PUBLIC_LIABILITY = "public_liability"
    PROFESSIONAL_INDEMNITY = "professional_indemnity"

    @property
    def label(self) -> str:
        return INSURANCE_LABELS[self]


INSURANCE_LABELS = {
    InsuranceKind.EMPLOYERS_LIABILITY: "Employer's liability",
    InsuranceKind.PUBLIC_LIABILITY: "Public liability",
    InsuranceKind.PROFESSIONAL_INDEMNITY: "Professional indemnity",
}


class SupplierProfile(Timestamped, Base):
    """One per supplier organisation ("tell us once").

    Rows are bulk-inserted by the supplier import with only the first few columns, so every other column
    is nullable: None means "not answered yet", which is what makes a section incomplete.
    """

    __tablename__ = "supplier_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), unique=True)
    # As the supplier (or an import) gives it: 'micro', 'small', 'medium', 'large' or just 'sme'.
    size: Mapped[str | None] = mapped_column(String(20))
    # Region names as given, including ones outside the 12 UK regions (e.g. "Offsite").
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The supplier's identifier in the file it was imported from, so later runs can refer back to it.
    external_id: Mapped[str | None] = mapped_column(String(100), index=True)

    # Identity (the website is the organisation's own).
    legal_name: Mapped[str | None] = mapped_column(String(200))
    trading_names: Mapped[list[str] | None] = mapped_column(JSON)
    legal_form: Mapped[LegalForm | None] = enum_column(LegalForm, nullable=True)
    companies_house_number: Mapped[str | None] = mapped_column(String(8))
    charity_number: Mapped[str | None] = mapped_column(String(20))
    other_register: Mapped[str | None] = mapped_column(String(200))
    vat_number: Mapped[str | None] = mapped_column(String(14))
    registered_address: Mapped[str | None] = mapped_column(Text)
    contact_address: Mapped[str | None] = mapped_column(Text)
    trading_started_on: Mapped[date | None] = mapped_column(Date)
    is_vcse: Mapped[bool | None] = mapped_column(Boolean)

    # Policies, data and accessibility: None until the supplier has answered.
    policies_held: Mapped[list[str] | None] = mapped_column(JSON)
    ico_registration_number: Mapped[str | None] = mapped_column(String(10))
    # Section 54 of the Modern Slavery Act 2015 applies from £36 million turnover.
    modern_slavery_statement_required: Mapped[bool | None] = mapped_column(Boolean)
    hosting_location: Mapped[HostingLocation | None] = enum_column(HostingLocation, nullable=True)
    accessibility_conformance: Mapped[AccessibilityConformance | None] = enum_column(
        AccessibilityConformance, nullable=True
    )

    organisation: Mapped[Organisation] = relationship(lazy="raise")


class Certification(Timestamped, Base):
    __tablename__ = "certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CertificationKind] = enum_column(CertificationKind)
    # Only for kind 'other': what the certification is (e.g. "ISO 14001", "Food hygiene rating 5").
    name: Mapped[str | None] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(100))
    expires_on: Mapped[date] = mapped_column(Date)

    @property
    def title(self) -> str:
        return self.name if self.kind is CertificationKind.OTHER and self.name else self.kind.label

    def expired(self, today: date) -> bool:
        return self.expires_on < today


class Insurance(Timestamped, Base):
    __tablename__ = "insurances"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[InsuranceKind] = enum_column(InsuranceKind)
    # Whole pounds.
    cover_amount: Mapped[int] = mapped_column(BigInteger)
    insurer: Mapped[str | None] = mapped_column(String(200))
    expires_on: Mapped[date | None] = mapped_column(Date)

    @property
    def title(self) -> str:
        return self.kind.label

    def expired(self, today: date) -> bool:
        return self.expires_on is not None and self.expires_on < today


class Declaration(Timestamped, Base):
    """The supplier's answer to one exclusion ground (see ``exchange.profiles.grounds``)."""

    __tablename__ = "declarations"
    __table_args__ = (UniqueConstraint("organisation_id", "ground"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    ground: Mapped[str] = mapped_column(String(40))
    applies: Mapped[bool] = mapped_column(Boolean)
    explanation: Mapped[str] = mapped_column(Text, default="")


class Reference(Timestamped, Base):
    """A buyer the supplier has worked for who will vouch for it; a buyer on the exchange can confirm it."""

    __tablename__ = "supplier_references"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    # A council or public body on the exchange; None when the buyer is only named.
    buyer_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    buyer_name: Mapped[str] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    description: Mapped[str] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(100))
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id], lazy="raise")
    buyer_organisation: Mapped[Organisation | None] = relationship(foreign_keys=[buyer_organisation_id], lazy="raise")
    confirmed_by: Mapped[User | None] = relationship(lazy="raise")

    @property
    def title(self) -> str:
        return self.buyer_name

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class PastContract(Base):
    """A contract the supplier has delivered: its track record, and evidence for matching."""

    __tablename__ = "past_contracts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    buyer_name: Mapped[str] = mapped_column(String(300), default="")
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Whole pounds. 64-bit because national framework contracts can exceed 2^31 pounds, and spend
    # returns record refunds as negative amounts, which are kept as given.
    value: Mapped[int | None] = mapped_column(BigInteger)
    awarded_on: Mapped[date | None] = mapped_column(Date)
    # What came of it, in the supplier's words. Imports leave it empty.
    outcome: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(lazy="raise")
