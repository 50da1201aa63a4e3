"""The rules for case studies: who writes and sees them, what they may link to, publishing, and interest."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from exchange.audit import service as audit
from exchange.case_studies import search
from exchange.case_studies.events import InterestAdded, SupplierNamed
from exchange.case_studies.models import CaseStudy, CaseStudyInterest, CaseStudyStatus
from exchange.case_studies.schemas import CaseStudyForm
from exchange.core import events
from exchange.core.errors import Conflict, Invalid, NotAllowed, NotFound
from exchange.core.models import utcnow
from exchange.core.viewer import Viewer
from exchange.evaluation import outcome as outcomes
from exchange.listings.models import ListingStatus, Offer, Pitch
from exchange.needs import service as needs
from exchange.needs.models import Need
from exchange.organisations.models import Organisation, OrganisationKind
from exchange.reference import service as reference

# The organisations a case study may name as the one the council worked with.
SUPPLIER_KINDS = (OrganisationKind.SUPPLIER, OrganisationKind.VCSE, OrganisationKind.OTHER)
LOADED = (
    selectinload(CaseStudy.organisation),
    selectinload(CaseStudy.supplier),
    selectinload(CaseStudy.category),
    selectinload(CaseStudy.region),
)


@dataclass(frozen=True)
class UsedListing:
    kind: str
    id: int
    title: str

    @property
    def url(self) -> str:
        return f"/{'pitches' if self.kind == 'pitch' else 'offers'}/{self.id}"


def can_see(viewer: Viewer, case_study: CaseStudy) -> bool:
    """Published and not hidden for everyone; drafts for the council's members; hidden ones for them and admins."""
    member = viewer.is_member(case_study.organisation_id)
    if case_study.is_hidden:
        return member or viewer.is_admin
    return case_study.is_published or member


def authoring_councils(db: Session, viewer: Viewer) -> list[Organisation]:
    """The councils and public bodies this viewer may write case studies for (as for posting needs)."""
    return needs.posting_organisations(db, viewer)


def supplier_choices(db: Session, limit: int = 1000) -> list[Organisation]:
    query = select(Organisation).where(Organisation.kind.in_(SUPPLIER_KINDS)).order_by(Organisation.name).limit(limit)
    return list(db.scalars(query))


def need_choices(db: Session, organisation_ids: set[int] | frozenset[int]) -> list[Need]:
    return needs.for_organisations(db, organisation_ids)


def listing_choices(db: Session, supplier_id: int | None) -> list[UsedListing]:
    """The supplier's published pitches and offers, which a case study may say the council used."""
    if supplier_id is None:
        return []
    found: list[UsedListing] = []
    for kind, model in (("pitch", Pitch), ("offer", Offer)):
        rows = db.execute(
            select(model.id, model.title)
            .where(
                model.organisation_id == supplier_id, model.status == ListingStatus.PUBLISHED, model.hidden_at.is_(None)
            )
            .order_by(model.title)
        )
        found.extend(UsedListing(kind, item_id, title) for item_id, title in rows)
    return found


def used_listings(db: Session, case_study: CaseStudy) -> list[UsedListing]:
    """What the council used, as far as it is still published by the supplier named."""
    wanted = {("pitch", i) for i in case_study.pitch_ids or []} | {("offer", i) for i in case_study.offer_ids or []}
    return [item for item in listing_choices(db, case_study.supplier_organisation_id) if (item.kind, item.id) in wanted]


def _check(db: Session, organisation_id: int, form: CaseStudyForm) -> None:
    errors: dict[str, str] = {}
    if not reference.valid_category(db, form.category_id):
        errors["category_id"] = "Choose a category from the list"
    if not reference.valid_region(db, form.region_id):
        errors["region_id"] = "Choose a region from the list"
    if form.supplier_organisation_id is not None:
        supplier = db.get(Organisation, form.supplier_organisation_id)
        if supplier is None or supplier.kind not in SUPPLIER_KINDS:
            errors["supplier_organisation_id"] = "Choose a supplier from the list"
    if form.need_id is not None:
        need = db.get(Need, form.need_id)
        if need is None or need.organisation_id != organisation_id:
            errors["need_id"] = "Choose one of your council's needs"
    if form.pitch_ids or form.offer_ids:
        offered = {(item.kind, item.id) for item in listing_choices(db, form.supplier_organisation_id)}
        chosen = {("pitch", i) for i in form.pitch_ids} | {("offer", i) for i in form.offer_ids}
        if form.supplier_organisation_id is None or not chosen <= offered:
            errors["pitch_ids" if form.pitch_ids else "offer_ids"] = "Choose pitches and offers of the supplier named"
    if errors:
        raise Invalid("Check the answers and try again", field_errors=errors)


def _apply(db: Session, case_study: CaseStudy, form: CaseStudyForm) -> None:
    for field, value in form.model_dump(exclude={"organisation_id"}).items():
        setattr(case_study, field, value)
    outcome = outcomes.outcome_of(db, form.need_id) if form.need_id is not None else None
    case_study.outcome_id = outcome.id if outcome is not None else None


def create(db: Session, viewer: Viewer, organisation_id: int, form: CaseStudyForm) -> CaseStudy:
    if organisation_id not in {o.id for o in authoring_councils(db, viewer)}:
        if not viewer.email_verified:
            raise NotAllowed("Confirm your email address before you write a case study")
        raise Invalid(
            "Check the answers and try again",
            field_errors={"organisation_id": "Choose one of your councils or public bodies"},
        )
    _check(db, organisation_id, form)
    case_study = CaseStudy(organisation_id=organisation_id, created_by_id=viewer.user_id)
    _apply(db, case_study, form)
    db.add(case_study)
    db.flush()
    audit.record(db, viewer.user_id, "case_study.created", "case_study", case_study.id)
    search.index(db, case_study)
    return case_study


def get(db: Session, viewer: Viewer, case_study_id: int) -> CaseStudy:
    case_study = db.get(CaseStudy, case_study_id, options=LOADED)
    if case_study is None or not can_see(viewer, case_study):
        raise NotFound()
    return case_study


def get_for_edit(db: Session, viewer: Viewer, case_study_id: int) -> CaseStudy:
    """A case study its council's members may change; to anyone else it does not exist."""
    case_study = db.get(CaseStudy, case_study_id, options=LOADED)
    if case_study is None or not viewer.is_member(case_study.organisation_id):
        raise NotFound()
    return case_study


def update(db: Session, viewer: Viewer, case_study_id: int, form: CaseStudyForm) -> CaseStudy:
    case_study = get_for_edit(db, viewer, case_study_id)
    _check(db, case_study.organisation_id, form)
    _apply(db, case_study, form)
    db.flush()
    audit.record(db, viewer.user_id, "case_study.updated", "case_study", case_study.id)
    search.index(db, case_study)
    _tell_named(db, viewer, case_study)
    return case_study


def _tell_named(db: Session, viewer: Viewer, case_study: CaseStudy) -> None:
    """A supplier hears of a case study naming it once everyone can read it (told once, however often edited)."""
    if case_study.is_published and case_study.supplier_organisation_id is not None:
        events.record(db, SupplierNamed(case_study.id, case_study.supplier_organisation_id, viewer.user_id))


def publish(db: Session, viewer: Viewer, case_study_id: int) -> CaseStudy:
    case_study = get_for_edit(db, viewer, case_study_id)
    if case_study.is_published:
        raise Conflict("This case study is already published")
    case_study.status = CaseStudyStatus.PUBLISHED
    case_study.published_at = case_study.published_at or utcnow()
    db.flush()
    audit.record(db, viewer.user_id, "case_study.published", "case_study", case_study.id)
    _tell_named(db, viewer, case_study)
    return case_study


def unpublish(db: Session, viewer: Viewer, case_study_id: int) -> CaseStudy:
    """Back to a draft: off the list and out of matching until published again."""
    case_study = get_for_edit(db, viewer, case_study_id)
    if not case_study.is_published:
        raise Conflict("This case study is not published")
    case_study.status = CaseStudyStatus.DRAFT
    db.flush()
    audit.record(db, viewer.user_id, "case_study.unpublished", "case_study", case_study.id)
    return case_study


def drafts_of(db: Session, organisation_ids: frozenset[int]) -> list[CaseStudy]:
    if not organisation_ids:
        return []
    query = (
        select(CaseStudy)
        .where(CaseStudy.organisation_id.in_(organisation_ids), CaseStudy.status == CaseStudyStatus.DRAFT)
        .order_by(CaseStudy.updated_at.desc())
    )
    return list(db.scalars(query))


# --- "we want to try this" ---


def interest_organisations(db: Session, viewer: Viewer, case_study: CaseStudy) -> list[Organisation]:
    """The viewer's organisations that may say they want to try it: neither its council nor its supplier."""
    authors = {case_study.organisation_id, case_study.supplier_organisation_id}
    ids = [i for i in viewer.organisation_ids if i not in authors]
    if not ids or not case_study.is_published or case_study.is_hidden:
        return []
    return list(db.scalars(select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)))


def interested(db: Session, case_study_id: int) -> list[Organisation]:
    """The organisations that want to try it, first come first."""
    query = (
        select(Organisation)
        .join(CaseStudyInterest, CaseStudyInterest.organisation_id == Organisation.id)
        .where(CaseStudyInterest.case_study_id == case_study_id)
        .order_by(CaseStudyInterest.id)
    )
    return list(db.scalars(query))


def interest_counts(db: Session, case_study_ids: list[int]) -> dict[int, int]:
    if not case_study_ids:
        return {}
    query = (
        select(CaseStudyInterest.case_study_id, func.count())
        .where(CaseStudyInterest.case_study_id.in_(case_study_ids))
        .group_by(CaseStudyInterest.case_study_id)
    )
    return {case_study_id: count for case_study_id, count in db.execute(query)}


def _acting_for(db: Session, viewer: Viewer, case_study_id: int, organisation_id: int) -> CaseStudy:
    case_study = get(db, viewer, case_study_id)
    if organisation_id not in {o.id for o in interest_organisations(db, viewer, case_study)}:
        raise Invalid(
            "Check the answers and try again",
            field_errors={"organisation_id": "Choose one of your organisations, other than the authors'"},
        )
    return case_study


def _interest(db: Session, case_study_id: int, organisation_id: int) -> CaseStudyInterest | None:
    return db.scalar(
        select(CaseStudyInterest).where(
            CaseStudyInterest.case_study_id == case_study_id, CaseStudyInterest.organisation_id == organisation_id
        )
    )


def add_interest(db: Session, viewer: Viewer, case_study_id: int, organisation_id: int) -> None:
    """Mark "we want to try this" for an organisation (marking twice changes nothing)."""
    _acting_for(db, viewer, case_study_id, organisation_id)
    if _interest(db, case_study_id, organisation_id) is not None:
        return
    try:
        with db.begin_nested():
            row = CaseStudyInterest(
                case_study_id=case_study_id, organisation_id=organisation_id, created_by_id=viewer.user_id
            )
            db.add(row)
            db.flush()
    except IntegrityError:  # the same organisation from another tab at the same moment
        return
    audit.record(
        db, viewer.user_id, "case_study.interest_added", "case_study", case_study_id, organisation_id=organisation_id
    )
    events.record(db, InterestAdded(case_study_id, organisation_id, viewer.user_id))


def withdraw_interest(db: Session, viewer: Viewer, case_study_id: int, organisation_id: int) -> None:
    _acting_for(db, viewer, case_study_id, organisation_id)
    row = _interest(db, case_study_id, organisation_id)
    if row is None:
        return
    db.delete(row)
    db.flush()
    audit.record(
        db,
        viewer.user_id,
        "case_study.interest_withdrawn",
        "case_study",
        case_study_id,
        organisation_id=organisation_id,
    )


def interest_of(db: Session, case_study_id: int, organisation_ids: list[int]) -> set[int]:
    """Which of these organisations have said they want to try it."""
    if not organisation_ids:
        return set()
    query = select(CaseStudyInterest.organisation_id).where(
        CaseStudyInterest.case_study_id == case_study_id, CaseStudyInterest.organisation_id.in_(organisation_ids)
    )
    return set(db.scalars(query))
