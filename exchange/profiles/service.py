"""The rules of supplier profiles: who may see and change what; every change is audited.

Only the supplier organisation's administrators change its profile; its members may look. Declarations
and reference contacts are shown to the supplier and to verified public-sector buyers only. The matching
module asks ``certifications_held`` and ``completeness`` about hundreds of suppliers at once: one query each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from exchange.audit import service as audit
from exchange.core import events
from exchange.core.errors import Conflict, Invalid, NotAllowed, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.organisations import service as organisations
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.profiles.completeness import SECTIONS, Facts, Section, facts, fraction_complete, missing, today
from exchange.profiles.events import TrackRecordChanged
from exchange.profiles.grounds import GROUND_KEYS
from exchange.profiles.models import (
    Certification,
    CertificationKind,
    Declaration,
    Insurance,
    PastContract,
    Reference,
    SupplierProfile,
)
from exchange.profiles.schemas import (
    CertificationForm,
    DeclarationAnswer,
    IdentityForm,
    InsuranceForm,
    PastContractForm,
    PoliciesForm,
    ReferenceForm,
)

ItemT = TypeVar("ItemT", Certification, Insurance, Reference, PastContract)
ListedModel = type[Certification] | type[Insurance] | type[Reference] | type[PastContract]
OwnedT = TypeVar("OwnedT", Certification, Insurance, Reference, PastContract, Declaration)
# The names audit rows use for each kind of listed item.
ITEM_NAMES: dict[type[Any], str] = {
    Certification: "certification",
    Insurance: "insurance",
    Reference: "reference",
    PastContract: "past_contract",
}
HELD_CERTIFICATIONS = tuple(kind for kind in CertificationKind if kind is not CertificationKind.OTHER)


# --- For the matching module (and anyone who needs figures for many suppliers) ---


def certifications_held(db: Session, organisation_ids: Iterable[int]) -> dict[int, set[str]]:
    """The certification keys ('cyber_essentials', 'cyber_essentials_plus', 'iso_27001', 'iso_9001') each
    organisation holds a current (not expired) certificate for; an empty set for the others."""
    ids = set(organisation_ids)
    held: dict[int, set[str]] = {organisation_id: set() for organisation_id in ids}
    if not ids:
        return held
    rows = db.execute(
        select(Certification.organisation_id, Certification.kind)
        .where(
            Certification.organisation_id.in_(ids),
            Certification.kind.in_(HELD_CERTIFICATIONS),
            Certification.expires_on >= today(),
        )
        .distinct()
    )
    for organisation_id, kind in rows:
        held[organisation_id].add(kind.value)
    return held


def completeness(db: Session, organisation_ids: Iterable[int]) -> dict[int, float]:
    """The share of profile sections complete (0 to 1) for each organisation; 0 for those without a profile."""
    ids = set(organisation_ids)
    shares = {organisation_id: 0.0 for organisation_id in ids}
    shares.update({organisation_id: fraction_complete(f) for organisation_id, f in facts(db, ids).items()})
    return shares


# --- Who may see and change a profile ---


def supplier_organisation(db: Session, slug: str) -> Organisation:
    """Councils and public bodies have no supplier profile."""
    organisation = organisations.get_by_slug(db, slug)
    if organisation.is_public_sector:
        raise NotFound()
    return organisation


def can_see_private_parts(viewer: Viewer, organisation_id: int) -> bool:
    """Declarations and reference contacts: for the supplier, verified public-sector buyers and administrators."""
    return viewer.is_member(organisation_id) or viewer.public_sector_verified or viewer.is_admin


def _check_can_edit(viewer: Viewer, organisation: Organisation) -> None:
    if organisation.is_public_sector:
        raise NotFound()
    if viewer.is_organisation_admin(organisation.id):
        return
    if viewer.is_member(organisation.id):
        raise NotAllowed("Only your organisation's administrators can change its supplier profile.")
    raise NotFound()


def editable_organisation(db: Session, viewer: Viewer, slug: str) -> Organisation:
    organisation = supplier_organisation(db, slug)
    _check_can_edit(viewer, organisation)
    return organisation


# --- Reading a whole profile ---


@dataclass
class ProfileView:
    organisation: Organisation
    profile: SupplierProfile | None
    facts: Facts
    certifications: list[Certification]
    insurances: list[Insurance]
    declarations: dict[str, Declaration]
    references: list[Reference]
    past_contracts: list[PastContract]
    past_contracts_total: int
    today: date = field(default_factory=today)

    @property
    def missing(self) -> dict[str, list[str]]:
        return missing(self.facts)

    @property
    def completeness(self) -> float:
        return fraction_complete(self.facts)

    @property
    def percent_complete(self) -> int:
        return round(self.completeness * 100)

    @property
    def sections(self) -> tuple[Section, ...]:
        return SECTIONS

    @property
    def sections_complete(self) -> int:
        gaps = self.missing
        return sum(1 for section in SECTIONS if not gaps[section.key])

    @property
    def expired_certifications(self) -> list[Certification]:
        return [item for item in self.certifications if item.expired(self.today)]

    @property
    def expired_insurances(self) -> list[Insurance]:
        return [item for item in self.insurances if item.expired(self.today)]

    @property
    def applying_declarations(self) -> list[Declaration]:
        return [answer for key, answer in self.declarations.items() if answer.applies and key in GROUND_KEYS]


def _owned(
    db: Session, model: type[OwnedT], organisation_id: int, *order: Any, limit: int | None = None
) -> list[OwnedT]:
    statement = select(model).where(model.organisation_id == organisation_id).order_by(*order, model.id).limit(limit)
    if model is Reference:
        statement = statement.options(selectinload(Reference.buyer_organisation))
    return list(db.scalars(statement))


def load(db: Session, organisation: Organisation, past_contract_limit: int | None = None) -> ProfileView:
    organisation_id = organisation.id
    return ProfileView(
        organisation=organisation,
        profile=db.scalar(select(SupplierProfile).where(SupplierProfile.organisation_id == organisation_id)),
        facts=facts(db, [organisation_id]).get(organisation_id, Facts(organisation_id)),
        certifications=_owned(db, Certification, organisation_id, Certification.expires_on),
        insurances=_owned(db, Insurance, organisation_id, Insurance.kind),
        declarations={d.ground: d for d in _owned(db, Declaration, organisation_id)},
        references=_owned(db, Reference, organisation_id, Reference.created_at),
        past_contracts=_owned(
            db, PastContract, organisation_id, PastContract.awarded_on.desc(), limit=past_contract_limit
        ),
        past_contracts_total=db.scalar(
            select(func.count()).select_from(PastContract).where(PastContract.organisation_id == organisation_id)
        )
        or 0,
    )


# --- Changing the profile's own answers ---


def _profile(db: Session, organisation_id: int) -> SupplierProfile:
    """The profile, made on the first save (imported suppliers already have one)."""
    profile = db.scalar(select(SupplierProfile).where(SupplierProfile.organisation_id == organisation_id))
    if profile is None:
        profile = SupplierProfile(organisation_id=organisation_id, regions=[])
        db.add(profile)
    return profile


def update_identity(db: Session, viewer: Viewer, organisation: Organisation, form: IdentityForm) -> SupplierProfile:
    _check_can_edit(viewer, organisation)
    profile = _profile(db, organisation.id)
    for name, value in form.model_dump(exclude={"website"}).items():
        setattr(profile, name, value)
    organisation.website = str(form.website) if form.website else None
    db.flush()
    audit.record(db, viewer.user_id, "profile.identity_updated", "organisation", organisation.id)
    return profile


def update_policies(db: Session, viewer: Viewer, organisation: Organisation, form: PoliciesForm) -> SupplierProfile:
    _check_can_edit(viewer, organisation)
    profile = _profile(db, organisation.id)
    for name, value in form.model_dump().items():
        setattr(profile, name, value)
    db.flush()
    audit.record(db, viewer.user_id, "profile.policies_updated", "organisation", organisation.id)
    return profile


def update_declarations(
    db: Session, viewer: Viewer, organisation: Organisation, answers: dict[str, DeclarationAnswer]
) -> list[Declaration]:
    _check_can_edit(viewer, organisation)
    existing = {d.ground: d for d in _owned(db, Declaration, organisation.id)}
    saved = []
    for ground, answer in answers.items():
        declaration = existing.get(ground) or Declaration(organisation_id=organisation.id, ground=ground)
        declaration.applies = answer.applies
        declaration.explanation = answer.explanation
        db.add(declaration)
        saved.append(declaration)
    db.flush()
    applying = sorted(ground for ground, answer in answers.items() if answer.applies)
    audit.record(db, viewer.user_id, "profile.declarations_updated", "organisation", organisation.id, applying=applying)
    return saved


# --- Adding and removing listed items ---


def _added(db: Session, viewer: Viewer, organisation: Organisation, item: ItemT, **data: Any) -> ItemT:
    db.add(item)
    db.flush()
    name = ITEM_NAMES[type(item)]
    audit.record(db, viewer.user_id, f"profile.{name}_added", "organisation", organisation.id, id=item.id, **data)
    return item


def add_certification(
    db: Session, viewer: Viewer, organisation: Organisation, form: CertificationForm
) -> Certification:
    _check_can_edit(viewer, organisation)
    item = Certification(organisation_id=organisation.id, **form.model_dump())
    return _added(db, viewer, organisation, item, kind=form.kind.value)


def add_insurance(db: Session, viewer: Viewer, organisation: Organisation, form: InsuranceForm) -> Insurance:
    _check_can_edit(viewer, organisation)
    held = db.scalar(select(Insurance).where(Insurance.organisation_id == organisation.id, Insurance.kind == form.kind))
    if held is not None:
        raise Invalid(
            "Check the answers and try again",
            field_errors={"kind": f"{form.kind.label} insurance is already listed: remove it first to replace it"},
        )
    item = Insurance(organisation_id=organisation.id, **form.model_dump())
    return _added(db, viewer, organisation, item, kind=form.kind.value)


def buyer_choices(db: Session) -> list[tuple[int, str]]:
    """Councils and public bodies a reference can name, so that their members can confirm it."""
    kinds = (OrganisationKind.COUNCIL, OrganisationKind.PUBLIC_BODY)
    return [
        (row.id, row.name)
        for row in db.execute(
            select(Organisation.id, Organisation.name).where(Organisation.kind.in_(kinds)).order_by(Organisation.name)
        )
    ]


def add_reference(db: Session, viewer: Viewer, organisation: Organisation, form: ReferenceForm) -> Reference:
    _check_can_edit(viewer, organisation)
    values = form.model_dump()
    if form.buyer_organisation_id is not None:
        buyer = db.get(Organisation, form.buyer_organisation_id)
        if buyer is None or not buyer.is_public_sector:
            raise Invalid(
                "Check the answers and try again",
                field_errors={"buyer_organisation_id": "Choose a council or public body from the list"},
            )
        values["buyer_name"] = buyer.name
    item = Reference(organisation_id=organisation.id, **values)
    return _added(db, viewer, organisation, item, buyer_organisation_id=form.buyer_organisation_id)


def add_past_contract(db: Session, viewer: Viewer, organisation: Organisation, form: PastContractForm) -> PastContract:
    _check_can_edit(viewer, organisation)
    item = PastContract(organisation_id=organisation.id, categories=[], **form.model_dump())
    added = _added(db, viewer, organisation, item)
    # The track record is what the supplier is matched on: matchable the moment this commits.
    events.record(db, TrackRecordChanged(organisation.id))
    return added


def remove_item(db: Session, viewer: Viewer, organisation: Organisation, model: ListedModel, item_id: int) -> None:
    _check_can_edit(viewer, organisation)
    item = db.scalar(select(model).where(model.id == item_id, model.organisation_id == organisation.id))
    if item is None:
        raise NotFound()
    db.delete(item)
    db.flush()
    audit.record(
        db, viewer.user_id, f"profile.{ITEM_NAMES[model]}_removed", "organisation", organisation.id, id=item_id
    )
    if model is PastContract:
        events.record(db, TrackRecordChanged(organisation.id))


# --- References that name a council or public body ---


def references_naming(db: Session, organisation_ids: Iterable[int]) -> list[Reference]:
    """References naming these buyers, those still to confirm first (for the buyer's dashboard)."""
    ids = set(organisation_ids)
    if not ids:
        return []
    return list(
        db.scalars(
            select(Reference)
            .where(Reference.buyer_organisation_id.in_(ids))
            .options(selectinload(Reference.organisation), selectinload(Reference.buyer_organisation))
            .order_by(Reference.confirmed_at.is_not(None), Reference.created_at.desc(), Reference.id.desc())
        )
    )


def confirm_reference(db: Session, viewer: Viewer, supplier: Organisation, reference_id: int) -> Reference:
    """A member of the named buyer vouches for the reference; only they may (everyone else: not found)."""
    reference = db.get(Reference, reference_id)
    if reference is None or reference.organisation_id != supplier.id or reference.buyer_organisation_id is None:
        raise NotFound()
    if not viewer.is_member(reference.buyer_organisation_id):
        raise NotFound()
    if not viewer.email_verified:
        raise NotAllowed("Confirm your email address before you confirm references.")
    if reference.confirmed_at is not None:
        raise Conflict("This reference is already confirmed.")
    reference.confirmed_at = utcnow()
    reference.confirmed_by_id = viewer.user_id
    db.flush()
    audit.record(
        db,
        viewer.user_id,
        "profile.reference_confirmed",
        "organisation",
        reference.organisation_id,
        id=reference.id,
        by_organisation_id=reference.buyer_organisation_id,
    )
    return reference


# --- For dashboards ---


@dataclass(frozen=True)
class ProfileSummary:
    organisation_id: int
    completeness: float
    gaps: list[tuple[Section, list[str]]]

    @property
    def percent_complete(self) -> int:
        return round(self.completeness * 100)


def summaries(db: Session, organisation_ids: Iterable[int]) -> dict[int, ProfileSummary]:
    result: dict[int, ProfileSummary] = {}
    for organisation_id, f in facts(db, organisation_ids).items():
        gaps = missing(f)
        result[organisation_id] = ProfileSummary(
            organisation_id,
            fraction_complete(f),
            [(section, gaps[section.key]) for section in SECTIONS if gaps[section.key]],
        )
    return result
