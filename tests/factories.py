"""Factories per domain: make realistic rows with as little as each test needs to say."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.accounts.models import Member, MemberRole, MemberStatus, User
from exchange.accounts.service import load_viewer
from exchange.audit.models import AuditEvent
from exchange.core.models import utcnow
from exchange.core.security import hash_password
from exchange.core.viewer import Viewer
from exchange.listings import service as listings
from exchange.listings.models import Offer, Pitch
from exchange.listings.schemas import OfferForm, PitchForm
from exchange.needs import service as needs
from exchange.needs.models import Need
from exchange.needs.schemas import NeedForm
from exchange.organisations.models import CouncilEmailDomain, Organisation, OrganisationKind
from exchange.organisations.service import join_council_by_email_domain
from exchange.outbox.models import OutboxMessage
from exchange.profiles.completeness import today as profile_today
from exchange.profiles.grounds import GROUND_KEYS
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
from exchange.reference.models import Category, Region

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)

# Hashing once keeps the suite quick: Argon2 is slow on purpose.
_PASSWORD_HASH = hash_password(PASSWORD)


def user(
    db: Session,
    email: str | None = None,
    *,
    verified: bool = True,
    admin: bool = False,
    name: str = "Alex Example",
) -> User:
    n = next(_sequence)
    row = User(
        email=(email or f"person{n}@supplier{n}.example").lower(),
        name=name,
        password_hash=_PASSWORD_HASH,
        email_verified_at=utcnow() if verified else None,
        is_admin=admin,
    )
    db.add(row)
    db.flush()
    return row


def supplier(
    db: Session,
    *members: User,
    name: str | None = None,
    kind: OrganisationKind = OrganisationKind.SUPPLIER,
    verified: bool = True,
) -> Organisation:
    n = next(_sequence)
    organisation = Organisation(kind=kind, name=name or f"Supplier {n} Ltd", slug=f"supplier-{n}", verified=verified)
    db.add(organisation)
    db.flush()
    for index, member in enumerate(members):
        db.add(
            Member(
                user_id=member.id,
                organisation_id=organisation.id,
                role=MemberRole.ADMIN if index == 0 else MemberRole.MEMBER,
            )
        )
    db.flush()
    return organisation


def council(db: Session, code: str = "BUN", domain: str | None = None) -> Organisation:
    """A seeded council, with an email domain on its allow-list."""
    organisation = db.scalars(select(Organisation).where(Organisation.local_authority_code == code)).one()
    domain = domain or f"{organisation.slug}.example.gov.uk"
    if not db.scalar(select(CouncilEmailDomain).where(CouncilEmailDomain.domain == domain)):
        db.add(CouncilEmailDomain(organisation_id=organisation.id, domain=domain))
        db.flush()
    return organisation


def officer(db: Session, code: str = "BUN") -> User:
    organisation = council(db, code)
    n = next(_sequence)
    domain = db.scalars(
        select(CouncilEmailDomain.domain).where(CouncilEmailDomain.organisation_id == organisation.id)
    ).first()
    row = user(db, f"officer{n}@{domain}", name=f"Officer {n}")
    join_council_by_email_domain(db, row)
    return row


def viewer(db: Session, person: User) -> Viewer:
    return load_viewer(db, person.id)


def pitch(db: Session, owner: User, organisation: Organisation, **fields: Any) -> Pitch:
    values = {
        "title": "Online budget consultation",
        "summary": "Residents choose priorities for the budget online.",
        "description": "A tool for budget consultations.",
        **fields,
    }
    return listings.create(db, viewer(db, owner), Pitch, organisation.id, PitchForm(**values))


def offer(db: Session, owner: User, organisation: Organisation, **fields: Any) -> Offer:
    values = {
        "title": "Meals at home service",
        "summary": "Hot meals delivered to older residents at home.",
        "price_model": "free",
        **fields,
    }
    return listings.create(db, viewer(db, owner), Offer, organisation.id, OfferForm(**values))


def need(db: Session, owner: User, organisation: Organisation, draft: bool = False, **fields: Any) -> Need:
    """A need as its council posts it: published, unless ``draft`` (as the need form leaves it)."""
    values = {
        "title": "Digital budget consultation",
        "summary": "We want residents to shape next year's budget.",
        "problem_statement": "Few residents respond to our paper budget consultation; we need more voices.",
        **fields,
    }
    return needs.create(db, viewer(db, owner), organisation.id, NeedForm(**values), publish=not draft)


# --- helpers added for the domain test suites: reading back what a request wrote ---


def admin(db: Session, email: str | None = None) -> User:
    """A site administrator (verifies organisations, manages council email domains)."""
    return user(db, email, admin=True, name="Ada Administrator")


def pending_member(db: Session, person: User, organisation: Organisation) -> Member:
    """A request to join that an administrator of the organisation has not answered yet."""
    member = Member(
        user_id=person.id, organisation_id=organisation.id, role=MemberRole.MEMBER, status=MemberStatus.PENDING
    )
    db.add(member)
    db.flush()
    return member


def count(db: Session, model: type[Any], *conditions: Any) -> int:
    """Rows of ``model`` now in the database (through the shared connection, so a request's writes show)."""
    return db.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


def emails_to(db: Session, address: str) -> list[OutboxMessage]:
    return list(
        db.scalars(select(OutboxMessage).where(OutboxMessage.to_address == address.lower()).order_by(OutboxMessage.id))
    )


def link_in(message: OutboxMessage, path: str) -> str:
    """The local part (path) of the first link in an email body that starts with ``path``."""
    match = re.search(r"https?://[^/\s]+(" + re.escape(path) + r"\S+)", message.body_text)
    assert match, f"no {path} link in: {message.body_text}"
    return match.group(1)


def audit_events(db: Session, entity_type: str, entity_id: int | None = None, action: str | None = None) -> list[Any]:
    statement = select(AuditEvent).where(AuditEvent.entity_type == entity_type).order_by(AuditEvent.id)
    if entity_id is not None:
        statement = statement.where(AuditEvent.entity_id == entity_id)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    return list(db.scalars(statement))


def categories(db: Session, how_many: int = 2) -> list[Category]:
    """Second-level functions under different top-level functions (so their facet values differ)."""
    chosen: list[Category] = []
    parents: set[int] = set()
    for category in db.scalars(select(Category).where(Category.parent_id.is_not(None)).order_by(Category.id)):
        if category.parent_id not in parents:
            parents.add(category.parent_id or 0)
            chosen.append(category)
        if len(chosen) == how_many:
            break
    return chosen


def regions(db: Session, how_many: int = 2) -> list[Region]:
    return list(db.scalars(select(Region).order_by(Region.id).limit(how_many)))


# --- supplier profiles ---


def certification(
    db: Session, organisation: Organisation, kind: str = "cyber_essentials", expires_in_days: int = 200, **fields: Any
) -> Certification:
    """A certificate that expires ``expires_in_days`` from today (negative: already expired)."""
    row = Certification(
        organisation_id=organisation.id,
        kind=CertificationKind(kind),
        reference=fields.pop("reference", f"CERT-{next(_sequence)}"),
        expires_on=profile_today() + timedelta(days=expires_in_days),
        **fields,
    )
    db.add(row)
    db.flush()
    return row


def insurance(
    db: Session,
    organisation: Organisation,
    kind: str = "public_liability",
    cover_amount: int = 5_000_000,
    **fields: Any,
) -> Insurance:
    row = Insurance(organisation_id=organisation.id, kind=InsuranceKind(kind), cover_amount=cover_amount, **fields)
    db.add(row)
    db.flush()
    return row


def reference(db: Session, organisation: Organisation, buyer: Organisation | None = None, **fields: Any) -> Reference:
    values = {
        "buyer_name": buyer.name if buyer else "Northshire Housing Trust",
        "contact_name": "Jo Referee",
        "contact_email": "jo.referee@buyer.example",
        "description": "Ran the tenant consultation on the new repairs service.",
        "period": "2024 to 2025",
        **fields,
    }
    row = Reference(organisation_id=organisation.id, buyer_organisation_id=buyer.id if buyer else None, **values)
    db.add(row)
    db.flush()
    return row


def complete_profile(db: Session, organisation: Organisation, council: Organisation | None = None) -> SupplierProfile:
    """A profile with every section complete (two references, one naming ``council`` when given)."""
    profile = SupplierProfile(
        organisation_id=organisation.id,
        regions=[],
        legal_name=f"{organisation.name} Limited",
        legal_form=LegalForm.LIMITED_COMPANY,
        companies_house_number="01234567",
        registered_address="1 High Street\nBurnley\nBB11 1AA",
        size="small",
        trading_started_on=date(2016, 3, 27),
        is_vcse=False,
        policies_held=["data_protection", "equality"],
        ico_registration_number="ZA123456",
        modern_slavery_statement_required=False,
        hosting_location=HostingLocation.UK,
        accessibility_conformance=AccessibilityConformance.FULL,
    )
    db.add(profile)
    for ground in GROUND_KEYS:
        db.add(Declaration(organisation_id=organisation.id, ground=ground, applies=False, explanation=""))
    db.add(
        PastContract(organisation_id=organisation.id, title="Budget consultation", buyer_name="Burnley", categories=[])
    )
    db.flush()
    certification(db, organisation)
    insurance(db, organisation, "employers_liability", 10_000_000)
    insurance(db, organisation, "public_liability", 5_000_000)
    reference(db, organisation, council)
    reference(db, organisation)
    return profile
