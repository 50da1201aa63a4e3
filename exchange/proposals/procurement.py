"""A need's procurement settings: what it asks of suppliers, how proposals are judged, and when they are taken.

Only the council's members change them. Once a supplier has submitted a proposal the requirements and
criteria are fixed, since the proposal answered those and no others; the dates and shortlist size can
still change (to extend a deadline, say).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from exchange.audit import service as audit
from exchange.core.errors import Invalid, NotFound
from exchange.core.templating import format_date
from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.needs.models import Need, NeedStage
from exchange.organisations.models import SUPPLIER_SIDE, Organisation
from exchange.profiles.completeness import today
from exchange.profiles.models import CERTIFICATION_LABELS
from exchange.proposals.models import (
    EvaluationCriterion,
    NeedProcurement,
    Proposal,
    Requirement,
    RequirementKind,
)
from exchange.proposals.schemas import ProcurementForm

# A certificate that counts as another one too.
IMPLIED_CERTIFICATIONS = {"cyber_essentials_plus": frozenset({"cyber_essentials"})}
LOCKED_MESSAGE = "cannot change now: a supplier has submitted a proposal that answers them"


@dataclass
class ProcurementView:
    need: Need
    settings: NeedProcurement | None
    essential: list[Requirement]
    nice_to_have: list[Requirement]
    criteria: list[EvaluationCriterion]
    today: date = field(default_factory=today)

    @property
    def requirements(self) -> list[Requirement]:
        return self.essential + self.nice_to_have

    @property
    def is_set_up(self) -> bool:
        return self.settings is not None or bool(self.requirements or self.criteria)

    @property
    def opens_on(self) -> date | None:
        return self.settings.opens_on if self.settings else None

    @property
    def closes_on(self) -> date | None:
        return self.settings.closes_on if self.settings else None

    @property
    def questions_close_on(self) -> date | None:
        return self.settings.questions_close_on if self.settings else None

    @property
    def shortlist_size(self) -> int | None:
        return self.settings.shortlist_size if self.settings else None

    @property
    def why_closed(self) -> str | None:
        """Why proposals cannot be started, changed or submitted today; None when they can."""
        stage = self.need.stage
        if stage is not NeedStage.OPEN_FOR_PROPOSALS:
            if stage in (NeedStage.IDEA, NeedStage.EARLY_MARKET_ENGAGEMENT):
                return "This need is not open for proposals yet"
            return f"This need is {stage.label.lower()}: it no longer takes proposals"
        if self.opens_on is None or self.closes_on is None:
            return "The council has not set the dates for proposals yet"
        if self.settings is not None and self.settings.opened_at is not None:
            # Once the council has read the proposals, nobody may send or change one.
            return f"Proposals were opened on {format_date(self.settings.opened_at)}: no proposal can be sent now"
        if self.today < self.opens_on:
            return f"Proposals open on {format_date(self.opens_on)}"
        if self.today > self.closes_on:
            return f"Proposals closed on {format_date(self.closes_on)}: no proposal can be sent or changed now"
        return None

    @property
    def open_for_proposals(self) -> bool:
        return self.why_closed is None

    @property
    def closed_early(self) -> bool:
        return self.settings is not None and self.settings.closed_early_at is not None

    @property
    def before_close(self) -> bool:
        return self.closes_on is not None and self.today <= self.closes_on and not self.closed_early

    @property
    def why_questions_closed(self) -> str | None:
        if self.need.stage.is_final or self.need.stage is NeedStage.CLOSED:
            return f"This need is {self.need.stage.label.lower()}: it takes no more questions"
        if self.questions_close_on is not None and self.today > self.questions_close_on:
            return f"The deadline for questions was {format_date(self.questions_close_on)}"
        return None

    @property
    def questions_open(self) -> bool:
        return self.why_questions_closed is None

    @property
    def required_certifications(self) -> list[str]:
        return list(self.need.required_certifications or [])

    @property
    def required_certification_labels(self) -> list[str]:
        return [certification_label(key) for key in self.required_certifications]


def certification_label(key: str) -> str:
    label = next((text for kind, text in CERTIFICATION_LABELS.items() if kind.value == key), key)
    return f"{label} (or Cyber Essentials Plus)" if key == "cyber_essentials" else label


def missing_certifications(required: list[str], held: set[str]) -> list[str]:
    """Required certification keys not covered by those held (Cyber Essentials Plus covers Cyber Essentials)."""
    covered = set(held)
    for key in held:
        covered |= IMPLIED_CERTIFICATIONS.get(key, frozenset())
    return [key for key in required if key not in covered]


def load(db: Session, need: Need) -> ProcurementView:
    requirements = list(
        db.scalars(select(Requirement).where(Requirement.need_id == need.id).order_by(Requirement.position))
    )
    return ProcurementView(
        need=need,
        settings=db.scalar(select(NeedProcurement).where(NeedProcurement.need_id == need.id)),
        essential=[r for r in requirements if r.kind is RequirementKind.ESSENTIAL],
        nice_to_have=[r for r in requirements if r.kind is RequirementKind.NICE_TO_HAVE],
        criteria=list(
            db.scalars(
                select(EvaluationCriterion)
                .where(EvaluationCriterion.need_id == need.id)
                .order_by(EvaluationCriterion.position)
            )
        ),
    )


def closing_dates(db: Session, need_ids: set[int]) -> dict[int, date]:
    """Need id -> the one closing date, for screens that list many needs (cards, digests, feeds)."""
    if not need_ids:
        return {}
    rows = db.execute(
        select(NeedProcurement.need_id, NeedProcurement.closes_on).where(
            NeedProcurement.need_id.in_(need_ids), NeedProcurement.closes_on.is_not(None)
        )
    )
    return {need_id: closes_on for need_id, closes_on in rows if closes_on is not None}


def for_viewer(db: Session, viewer: Viewer, need_id: int) -> ProcurementView:
    return load(db, needs.get(db, viewer, need_id))


def council_need(db: Session, viewer: Viewer, need_id: int) -> Need:
    """A need as its council sees it: for its members only; everyone else (administrators too) gets 404."""
    need = needs.get(db, viewer, need_id)
    if not viewer.is_member(need.organisation_id):
        raise NotFound()
    return need


def responding_organisations(db: Session, viewer: Viewer) -> list[Organisation]:
    """The supplier-side organisations (suppliers, VCSEs, other groups) this viewer acts for."""
    if not viewer.organisation_ids:
        return []
    return list(
        db.scalars(
            select(Organisation)
            .where(Organisation.id.in_(viewer.organisation_ids), Organisation.kind.in_(SUPPLIER_SIDE))
            .order_by(Organisation.name)
        )
    )


def is_locked(db: Session, need_id: int) -> bool:
    """Whether a proposal has been submitted (even if since withdrawn) against the requirements."""
    return bool(db.scalar(select(exists().where(Proposal.need_id == need_id, Proposal.submitted_at.is_not(None)))))


def _sync_requirements(db: Session, view: ProcurementView, kind: RequirementKind, texts: list[str]) -> None:
    """Keep the rows whose text is unchanged, so that draft answers to them survive an edit."""
    existing = view.essential if kind is RequirementKind.ESSENTIAL else view.nice_to_have
    unused = list(existing)
    for position, text in enumerate(texts, start=1):
        row = next((r for r in unused if r.text == text), None)
        if row is None:
            db.add(Requirement(need_id=view.need.id, kind=kind, position=position, text=text))
        else:
            unused.remove(row)
            row.position = position
    for row in unused:
        db.delete(row)


def _sync_criteria(db: Session, view: ProcurementView, form: ProcurementForm) -> None:
    """Keep the rows of criteria still named the same: evaluators' scores point at them."""
    unused = {criterion.name.lower(): criterion for criterion in view.criteria}
    for position, given in enumerate(form.criteria, start=1):
        row = unused.pop(given.name.lower(), None)
        if row is None:
            db.add(EvaluationCriterion(need_id=view.need.id, position=position, name=given.name, weight=given.weight))
        else:
            row.position, row.name, row.weight = position, given.name, given.weight
    for row in unused.values():
        db.delete(row)


def _changed_while_locked(view: ProcurementView, form: ProcurementForm) -> dict[str, str]:
    errors = {}
    if [r.text for r in view.essential] != form.essential_requirements:
        errors["essential_requirements"] = f"The essential requirements {LOCKED_MESSAGE}"
    if [r.text for r in view.nice_to_have] != form.nice_to_have_requirements:
        errors["nice_to_have_requirements"] = f"The nice-to-haves {LOCKED_MESSAGE}"
    if [(c.name, c.weight) for c in view.criteria] != [(c.name, c.weight) for c in form.criteria]:
        errors["criteria"] = f"The evaluation criteria {LOCKED_MESSAGE}"
    return errors


def _new_dates_in_the_past(view: ProcurementView, form: ProcurementForm) -> dict[str, str]:
    """A closing date or question deadline being set must be in the future; one left as it was may have passed
    (so that the rest of the form can still be saved after it)."""
    errors = {}
    if form.closes_on and form.closes_on != view.closes_on and form.closes_on <= view.today:
        errors["closes_on"] = "The date proposals close must be in the future"
    if (
        form.questions_close_on
        and form.questions_close_on != view.questions_close_on
        and form.questions_close_on <= view.today
    ):
        errors["questions_close_on"] = "The deadline for questions must be in the future"
    return errors


def _changed_once_opened(view: ProcurementView, form: ProcurementForm) -> dict[str, str]:
    """Proposals were opened: moving the dates would let suppliers send proposals after the council read them."""
    errors = {}
    for name, before, after in (
        ("opens_on", view.opens_on, form.opens_on),
        ("closes_on", view.closes_on, form.closes_on),
    ):
        if before != after:
            errors[name] = "The dates for proposals cannot change now: the proposals received have been opened"
    return errors


def update(db: Session, viewer: Viewer, need_id: int, form: ProcurementForm) -> ProcurementView:
    need = needs.get_editable(db, viewer, need_id)
    view = load(db, need)
    errors = _changed_while_locked(view, form) if is_locked(db, need.id) else {}
    errors.update(_new_dates_in_the_past(view, form))
    if view.settings is not None and view.settings.opened_at is not None:
        errors.update(_changed_once_opened(view, form))
    if errors:
        raise Invalid("Check the answers and try again", field_errors=errors)
    settings = view.settings or NeedProcurement(need_id=need.id)
    settings.shortlist_size = form.shortlist_size
    settings.opens_on = form.opens_on
    settings.closes_on = form.closes_on
    settings.questions_close_on = form.questions_close_on
    settings.updated_by_id = viewer.user_id
    db.add(settings)
    _sync_requirements(db, view, RequirementKind.ESSENTIAL, form.essential_requirements)
    _sync_requirements(db, view, RequirementKind.NICE_TO_HAVE, form.nice_to_have_requirements)
    _sync_criteria(db, view, form)
    db.flush()
    audit.record(
        db,
        viewer.user_id,
        "need.procurement_updated",
        "need",
        need.id,
        essential=len(form.essential_requirements),
        nice_to_have=len(form.nice_to_have_requirements),
        criteria={c.name: c.weight for c in form.criteria},
        opens_on=form.opens_on.isoformat() if form.opens_on else None,
        closes_on=form.closes_on.isoformat() if form.closes_on else None,
    )
    return load(db, need)
