"""Organisations and membership: who acts for whom, and how councils are joined by email domain."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from exchange.accounts.events import EmailVerified
from exchange.accounts.models import Member, MemberRole, MemberStatus, User
from exchange.audit import service as audit
from exchange.core import events
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.text import slugify
from exchange.core.viewer import Viewer
from exchange.organisations.events import CouncilDomainAdded, OrganisationChanged
from exchange.organisations.models import CouncilEmailDomain, Organisation, OrganisationKind
from exchange.organisations.schemas import OrganisationEdit
from exchange.organisations.suggestions import NoSuchOrganisation, similar_joinable


def unique_slug(db: Session, name: str) -> str:
    base = slugify(name, 200)
    taken = set(db.scalars(select(Organisation.slug).where(Organisation.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def get_by_slug(db: Session, slug: str) -> Organisation:
    organisation = db.scalar(
        select(Organisation).where(Organisation.slug == slug).options(selectinload(Organisation.region))
    )
    if organisation is None:
        raise NotFound()
    return organisation


def get(db: Session, organisation_id: int) -> Organisation:
    organisation = db.get(Organisation, organisation_id, options=[selectinload(Organisation.region)])
    if organisation is None:
        raise NotFound()
    return organisation


def create_supplier_organisation(db: Session, user: User, name: str, kind: OrganisationKind) -> Organisation:
    if kind.is_public_sector:
        raise Invalid("Councils and public bodies are added by the exchange's administrators")
    organisation = Organisation(kind=kind, name=name, slug=unique_slug(db, name), verified=False)
    db.add(organisation)
    db.flush()
    db.add(Member(user_id=user.id, organisation_id=organisation.id, role=MemberRole.ADMIN))
    audit.record(db, user.id, "organisation.created", "organisation", organisation.id, kind=kind.value)
    events.record(db, OrganisationChanged(organisation.id))
    return organisation


def joinable_organisation(db: Session, name_or_slug: str) -> Organisation:
    """A supplier-side organisation a new account may ask to join (councils are joined by email domain).

    People type its name as its page shows it (any case), or the last part of its page's address.
    """
    wanted = " ".join(name_or_slug.split())
    organisation = db.scalars(
        select(Organisation)
        .where(or_(Organisation.slug == wanted.lower(), func.lower(Organisation.name) == wanted.lower()))
        .order_by(Organisation.id)
    ).first()
    if organisation is None or organisation.is_public_sector:
        suggestions = [found.name for found in similar_joinable(db, wanted)]
        if suggestions:
            message = f"No supplier or group on the exchange is called “{wanted}”: choose one of the names below"
        else:
            message = "Enter the name of a supplier or group on the exchange, as its page shows it"
        raise NoSuchOrganisation(
            "Check the answers and try again",
            field_errors={"join_organisation_slug": message},
            suggestions=suggestions,
        )
    return organisation


def request_to_join(db: Session, user: User, slug: str) -> Member:
    organisation = joinable_organisation(db, slug)
    member = Member(
        user_id=user.id, organisation_id=organisation.id, role=MemberRole.MEMBER, status=MemberStatus.PENDING
    )
    db.add(member)
    db.flush()
    audit.record(db, user.id, "member.requested", "organisation", organisation.id, user_id=user.id)
    return member


def council_for_domain(db: Session, domain: str) -> Organisation | None:
    return db.scalar(select(Organisation).join(CouncilEmailDomain).where(CouncilEmailDomain.domain == domain.lower()))


@events.in_transaction(EmailVerified)
def join_council_on_verification(db: Session, verified: EmailVerified) -> None:
    join_council_by_email_domain(db, db.get_one(User, verified.user_id))


def join_council_by_email_domain(db: Session, user: User) -> Member | None:
    """A verified email on a council's allow-list makes the user an active member of that council."""
    council = council_for_domain(db, user.email_domain)
    if council is None or not user.is_verified:
        return None
    existing = db.scalar(select(Member).where(Member.user_id == user.id, Member.organisation_id == council.id))
    if existing is not None:
        return existing
    first = not db.scalar(select(func.count()).where(Member.organisation_id == council.id))
    member = Member(
        user_id=user.id,
        organisation_id=council.id,
        role=MemberRole.ADMIN if first else MemberRole.MEMBER,
        status=MemberStatus.ACTIVE,
    )
    db.add(member)
    db.flush()
    audit.record(db, user.id, "member.joined_by_domain", "organisation", council.id, user_id=user.id)
    return member


def members(db: Session, organisation_id: int) -> list[Member]:
    return list(
        db.scalars(
            select(Member)
            .where(Member.organisation_id == organisation_id)
            .options(selectinload(Member.user))
            .order_by(Member.status, Member.id)
        )
    )


def memberships(db: Session, user_id: int) -> list[Member]:
    return list(
        db.scalars(
            select(Member)
            .where(Member.user_id == user_id)
            .options(selectinload(Member.organisation))
            .order_by(Member.id)
        )
    )


def _member_for_admin(db: Session, viewer: Viewer, member_id: int) -> Member:
    member = db.get(Member, member_id)
    if member is None or not viewer.is_organisation_admin(member.organisation_id):
        raise NotFound()
    return member


def approve_member(db: Session, viewer: Viewer, member_id: int) -> Member:
    member = _member_for_admin(db, viewer, member_id)
    if member.status is not MemberStatus.PENDING:
        raise Conflict("This request has already been answered")
    member.status = MemberStatus.ACTIVE
    audit.record(db, viewer.user_id, "member.approved", "organisation", member.organisation_id, user_id=member.user_id)
    return member


def decline_member(db: Session, viewer: Viewer, member_id: int) -> None:
    member = _member_for_admin(db, viewer, member_id)
    if member.status is not MemberStatus.PENDING:
        raise Conflict("This request has already been answered")
    audit.record(db, viewer.user_id, "member.declined", "organisation", member.organisation_id, user_id=member.user_id)
    db.delete(member)


def update_organisation(db: Session, viewer: Viewer, organisation_id: int, form: OrganisationEdit) -> Organisation:
    if not viewer.is_organisation_admin(organisation_id):
        raise NotFound()
    organisation = get(db, organisation_id)
    organisation.name = form.name
    organisation.description = form.description
    organisation.website = str(form.website) if form.website else None
    organisation.region_id = form.region_id
    audit.record(db, viewer.user_id, "organisation.updated", "organisation", organisation.id)
    db.flush()
    events.record(db, OrganisationChanged(organisation.id))
    return organisation


def set_verified(db: Session, viewer: Viewer, organisation_id: int, verified: bool) -> Organisation:
    if not viewer.is_admin:
        raise NotFound()
    organisation = get(db, organisation_id)
    organisation.verified = verified
    audit.record(
        db,
        viewer.user_id,
        "organisation.verified" if verified else "organisation.unverified",
        "organisation",
        organisation.id,
    )
    return organisation


def add_council_domain(db: Session, viewer: Viewer, organisation_id: int, domain: str) -> CouncilEmailDomain:
    if not viewer.is_admin:
        raise NotFound()
    organisation = get(db, organisation_id)
    if not organisation.is_public_sector:
        raise Invalid("Only councils and public bodies have an email allow-list")
    if db.scalar(select(CouncilEmailDomain).where(CouncilEmailDomain.domain == domain)):
        raise Invalid(
            "Check the answers and try again",
            field_errors={"domain": "That domain already belongs to an organisation"},
        )
    row = CouncilEmailDomain(organisation_id=organisation.id, domain=domain)
    db.add(row)
    db.flush()
    audit.record(db, viewer.user_id, "council_domain.added", "organisation", organisation.id, domain=domain)
    events.record(db, CouncilDomainAdded(organisation.id, domain))
    return row


def unverified_organisations(db: Session) -> list[Organisation]:
    return list(
        db.scalars(select(Organisation).where(Organisation.verified.is_(False)).order_by(Organisation.created_at))
    )


def pending_requests_for(db: Session, viewer: Viewer) -> list[Member]:
    if not viewer.admin_of:
        return []
    return list(
        db.scalars(
            select(Member)
            .where(Member.organisation_id.in_(viewer.admin_of), Member.status == MemberStatus.PENDING)
            .options(selectinload(Member.user), selectinload(Member.organisation))
        )
    )


def supplier_side_memberships(db: Session, viewer: Viewer) -> list[Organisation]:
    """The viewer's organisations (active memberships) that supply: suppliers, VCSEs and other groups."""
    if not viewer.organisation_ids:
        return []
    return list(
        db.scalars(
            select(Organisation)
            .where(
                Organisation.id.in_(viewer.organisation_ids),
                Organisation.kind.not_in([OrganisationKind.COUNCIL, OrganisationKind.PUBLIC_BODY]),
            )
            .order_by(Organisation.name)
        )
    )


def active_members(db: Session, organisation_ids: Iterable[int]) -> list[User]:
    """The people of these organisations (active memberships only), each once: whom to tell about them."""
    ids = set(organisation_ids)
    if not ids:
        return []
    return list(
        db.scalars(
            select(User)
            .join(Member, Member.user_id == User.id)
            .where(Member.organisation_id.in_(ids), Member.status == MemberStatus.ACTIVE)
            .distinct()
            .order_by(User.id)
        )
    )
