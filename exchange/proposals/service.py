"""Proposals: a supplier organisation's response to a need, from draft to submitted, and perhaps withdrawn.

A proposal is private: its supplier's members see it, and so do the need's council members once it is
submitted (never a draft) and the need's proposals are opened (see proposals.sealing); everyone else gets
404. Submitting locks it. Withdrawing (before the closing date) is final: the organisation cannot send
another proposal for that need, so a council never sees a proposal come back changed after it was withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from exchange.accounts.models import Member, MemberStatus, User
from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid, NotAllowed, NotFound
from exchange.core.models import utcnow
from exchange.core.templating import format_date
from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.needs.models import Need
from exchange.notifications.models import NotificationKind
from exchange.notifications.service import notify
from exchange.organisations.models import Organisation
from exchange.profiles import service as profiles
from exchange.proposals import procurement, receipts, sealing
from exchange.proposals.models import Proposal, ProposalAnswer, ProposalStatus, Requirement
from exchange.proposals.procurement import ProcurementView
from exchange.proposals.schemas import ProposalDraft


@dataclass
class ProposalView:
    proposal: Proposal
    procurement: ProcurementView

    @property
    def answers(self) -> dict[int, ProposalAnswer]:
        return {answer.requirement_id: answer for answer in self.proposal.answers}

    def _met(self, requirements: list[Requirement]) -> int:
        answers = self.answers
        return sum(1 for r in requirements if r.id in answers and answers[r.id].meets)

    @property
    def essentials_met(self) -> int:
        return self._met(self.procurement.essential)

    @property
    def nice_to_haves_met(self) -> int:
        return self._met(self.procurement.nice_to_have)

    @property
    def meets_all_essentials(self) -> bool:
        return self.essentials_met == len(self.procurement.essential)


@dataclass(frozen=True)
class SubmitCheck:
    """What stands between a draft and its submission, and what the supplier should know before it submits."""

    # Form field id -> what is still to do.
    missing: dict[str, str]
    # Labels of required certifications the organisation does not hold: these stop the submission.
    missing_certifications: list[str]
    # Essential requirements answered "no": these stop the submission too (essential means essential).
    essentials_not_met: list[Requirement]

    @property
    def can_submit(self) -> bool:
        return not self.missing and not self.missing_certifications and not self.essentials_not_met

    @property
    def unmet_essentials(self) -> dict[str, str]:
        """Form field id -> why the proposal cannot be submitted with that answer."""
        return {
            f"answer_{r.id}_meets": f"You cannot submit a proposal that does not meet {r.title.lower()}:"
            " every essential requirement must be met"
            for r in self.essentials_not_met
        }


# --- Reading ---


def _load(db: Session, proposal_id: int) -> Proposal | None:
    return db.scalar(
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .options(selectinload(Proposal.answers), selectinload(Proposal.organisation))
        .execution_options(populate_existing=True)
    )


def get_visible(db: Session, viewer: Viewer, need_id: int, proposal_id: int) -> tuple[Proposal, Need]:
    """For the supplier's members; for the council's members once submitted and opened. Everyone else: 404."""
    need = needs.get(db, viewer, need_id)
    proposal = _load(db, proposal_id)
    if proposal is None or proposal.need_id != need.id:
        raise NotFound()
    if viewer.is_member(proposal.organisation_id):
        return proposal, need
    if (
        viewer.is_member(need.organisation_id)
        and proposal.status is not ProposalStatus.DRAFT
        and sealing.open_for_reader(db, procurement.load(db, need), viewer.user_id)
    ):
        return proposal, need
    raise NotFound()


def get_own(db: Session, viewer: Viewer, need_id: int, proposal_id: int) -> tuple[Proposal, Need]:
    proposal, need = get_visible(db, viewer, need_id, proposal_id)
    if not viewer.is_member(proposal.organisation_id):
        raise NotFound()
    return proposal, need


def own_for_need(db: Session, viewer: Viewer, need: Need) -> list[Proposal]:
    if not viewer.organisation_ids:
        return []
    return list(
        db.scalars(
            select(Proposal)
            .where(Proposal.need_id == need.id, Proposal.organisation_id.in_(viewer.organisation_ids))
            .options(selectinload(Proposal.organisation))
            .order_by(Proposal.id)
        )
    )


def view_of(db: Session, proposal: Proposal, need: Need) -> ProposalView:
    return ProposalView(proposal, procurement.load(db, need))


def check(db: Session, view: ProposalView) -> SubmitCheck:
    answers = view.answers
    missing: dict[str, str] = {}
    for requirement in view.procurement.requirements:
        answer = answers.get(requirement.id)
        name = requirement.title.lower()
        if answer is None or answer.meets is None:
            missing[f"answer_{requirement.id}_meets"] = f"Say whether you meet {name}"
        evidence_needed = requirement.kind.value == "essential" or (answer is not None and answer.meets)
        if evidence_needed and (answer is None or not answer.evidence):
            missing[f"answer_{requirement.id}_evidence"] = f"Give your evidence for {name}"
    if view.proposal.price is None:
        missing["price"] = "Enter your price"
    if not view.proposal.approach:
        missing["approach"] = "Describe your approach"
    organisation_id = view.proposal.organisation_id
    held = profiles.certifications_held(db, [organisation_id])[organisation_id]
    lacking = procurement.missing_certifications(view.procurement.required_certifications, held)
    return SubmitCheck(
        missing=missing,
        missing_certifications=[procurement.certification_label(key) for key in lacking],
        essentials_not_met=[r for r in view.procurement.essential if r.id in answers and answers[r.id].meets is False],
    )


# --- The supplier's side ---


def responding_organisation(db: Session, viewer: Viewer, organisation_id: int | None) -> Organisation:
    """The supplier-side organisation a proposal is from: the viewer's only one, or the one chosen."""
    if not viewer.signed_in:
        raise NotFound()
    organisations = procurement.responding_organisations(db, viewer)
    if not organisations:
        raise NotAllowed(
            "Only suppliers, social enterprises and community groups can send proposals: a council account cannot."
        )
    if organisation_id is None and len(organisations) == 1:
        return organisations[0]
    chosen = next((o for o in organisations if o.id == organisation_id), None)
    if chosen is None:
        message = "Choose which of your organisations the proposal is from"
        raise Invalid(message, field_errors={"organisation_id": message})
    return chosen


def _existing(db: Session, need_id: int, organisation_id: int) -> Proposal | None:
    return db.scalar(select(Proposal).where(Proposal.need_id == need_id, Proposal.organisation_id == organisation_id))


def start(db: Session, viewer: Viewer, need_id: int, organisation_id: int | None) -> Proposal:
    """The organisation's proposal for the need: its existing one, or a new draft while proposals are open."""
    need = needs.get(db, viewer, need_id)
    organisation = responding_organisation(db, viewer, organisation_id)
    existing = _existing(db, need.id, organisation.id)
    if existing is not None:
        return existing
    why_closed = procurement.load(db, need).why_closed
    if why_closed:
        raise Conflict(why_closed)
    proposal = Proposal(
        need_id=need.id,
        organisation_id=organisation.id,
        status=ProposalStatus.DRAFT,
        price_note="",
        approach="",
        attach_profile=True,
        created_by_id=viewer.user_id,
    )
    try:
        # A savepoint: when a colleague started this organisation's proposal a moment ago, theirs stands.
        with db.begin_nested():
            db.add(proposal)
    except IntegrityError:
        return db.scalars(
            select(Proposal).where(Proposal.need_id == need.id, Proposal.organisation_id == organisation.id)
        ).one()
    audit.record(
        db,
        viewer.user_id,
        "proposal.draft_created",
        "proposal",
        proposal.id,
        need_id=need.id,
        organisation_id=organisation.id,
    )
    return proposal


def _locked_reason(proposal: Proposal) -> str | None:
    if proposal.status is ProposalStatus.SUBMITTED:
        return _submitted_on(proposal, "it is locked and can no longer be changed")
    if proposal.status is ProposalStatus.WITHDRAWN:
        return "This proposal was withdrawn: it cannot be changed or submitted again"
    return None


def _submitted_on(proposal: Proposal, consequence: str) -> str:
    when = format_date(proposal.submitted_at) if proposal.submitted_at else "an earlier date"
    return f"This proposal was submitted on {when}: {consequence}"


def _editable(db: Session, viewer: Viewer, need_id: int, proposal_id: int) -> tuple[Proposal, ProcurementView]:
    proposal, need = get_own(db, viewer, need_id, proposal_id)
    locked = _locked_reason(proposal)
    if locked:
        raise Conflict(locked)
    view = procurement.load(db, need)
    if view.why_closed:
        raise Conflict(view.why_closed)
    return proposal, view


def save_draft(db: Session, viewer: Viewer, need_id: int, proposal_id: int, draft: ProposalDraft) -> Proposal:
    """Replace the draft's answers, price and approach with these (a draft may be partial)."""
    proposal, view = _editable(db, viewer, need_id, proposal_id)
    requirement_ids = {r.id for r in view.requirements}
    if any(answer.requirement_id not in requirement_ids for answer in draft.answers):
        raise Invalid(
            "Check the answers and try again", field_errors={"answers": "Answer only this need's requirements"}
        )
    existing = {answer.requirement_id: answer for answer in proposal.answers}
    answers = []
    for given in draft.answers:
        answer = existing.get(given.requirement_id) or ProposalAnswer(requirement_id=given.requirement_id)
        answer.meets = given.meets
        answer.evidence = given.evidence
        answers.append(answer)
    proposal.answers = answers
    proposal.price = draft.price
    proposal.price_note = draft.price_note
    proposal.approach = draft.approach
    proposal.attach_profile = draft.attach_profile
    db.flush()
    return proposal


def _council_members(db: Session, organisation_id: int) -> list[User]:
    return list(
        db.scalars(
            select(User)
            .join(Member, Member.user_id == User.id)
            .where(Member.organisation_id == organisation_id, Member.status == MemberStatus.ACTIVE)
            .order_by(User.id)
        )
    )


def _move(db: Session, proposal: Proposal, from_status: ProposalStatus, **values: object) -> bool:
    """Change the status only if it is still ``from_status``: of two requests at once, one wins."""
    moved = db.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.status == from_status)
        .values(updated_at=utcnow(), **values)
    )
    db.refresh(proposal)
    return bool(moved.rowcount == 1)  # type: ignore[attr-defined]


def submit(db: Session, viewer: Viewer, need_id: int, proposal_id: int) -> Proposal:
    proposal, need = get_own(db, viewer, need_id, proposal_id)
    if proposal.status is ProposalStatus.SUBMITTED:
        raise Conflict(_submitted_on(proposal, "it cannot be submitted twice. Nothing has changed."))
    locked = _locked_reason(proposal)
    if locked:
        raise Conflict(locked)
    view = view_of(db, proposal, need)
    if view.procurement.why_closed:
        raise Conflict(view.procurement.why_closed)
    result = check(db, view)
    if result.missing:
        raise Invalid("Finish your proposal before you submit it", field_errors=result.missing)
    if result.essentials_not_met:
        raise Invalid(
            "This proposal does not meet every essential requirement, so it cannot be submitted. Nothing was sent.",
            field_errors=result.unmet_essentials,
        )
    if result.missing_certifications:
        raise Conflict(
            f"{proposal.organisation.name} cannot submit this proposal: the council requires"
            f" {' and '.join(result.missing_certifications)}, and your supplier profile has no current certificate"
            " for it. Add the certificate to your profile, then submit."
        )
    completeness = profiles.completeness(db, [proposal.organisation_id])[proposal.organisation_id]
    submitted_at: datetime = utcnow()
    if not _move(
        db,
        proposal,
        ProposalStatus.DRAFT,
        status=ProposalStatus.SUBMITTED,
        submitted_at=submitted_at,
        submitted_by_id=viewer.user_id,
        profile_completeness=round(completeness * 100) if proposal.attach_profile else None,
    ):
        raise Conflict(_submitted_on(proposal, "it cannot be submitted twice. Nothing has changed."))
    audit.record(db, viewer.user_id, "proposal.submitted", "proposal", proposal.id, need_id=need.id)
    # Sealed: the council is told that a proposal arrived, never whose it is.
    notify(
        db,
        _council_members(db, need.organisation_id),
        NotificationKind.PROPOSAL_RECEIVED,
        f"Proposal received: {need.title}",
        f"A proposal has arrived for “{need.title}”. {sealing.sealed_message(view.procurement)}",
        f"/needs/{need.id}/proposals",
    )
    receipts.submitted(db, proposal, need, format_date(view.procurement.closes_on))
    return proposal


def withdraw(db: Session, viewer: Viewer, need_id: int, proposal_id: int) -> Proposal:
    proposal, need = get_own(db, viewer, need_id, proposal_id)
    if proposal.status is ProposalStatus.DRAFT:
        raise Conflict("This proposal is a draft: the council has not seen it, so there is nothing to withdraw.")
    if proposal.status is ProposalStatus.WITHDRAWN:
        raise Conflict("This proposal is already withdrawn.")
    view = procurement.load(db, need)
    if not view.before_close:
        raise Conflict(
            f"Proposals closed on {format_date(view.closes_on)}: a proposal cannot be withdrawn after the closing date."
        )
    if not _move(db, proposal, ProposalStatus.SUBMITTED, status=ProposalStatus.WITHDRAWN, withdrawn_at=utcnow()):
        raise Conflict("This proposal is already withdrawn.")
    audit.record(db, viewer.user_id, "proposal.withdrawn", "proposal", proposal.id, need_id=need.id)
    receipts.withdrawn(db, proposal, need)
    return proposal


def own_proposal(db: Session, viewer: Viewer, need_id: int, organisation_id: int | None) -> tuple[Proposal, Need]:
    """The proposal of one of the viewer's organisations for the need (for the API); 404 when there is none."""
    need = needs.get(db, viewer, need_id)
    organisation = responding_organisation(db, viewer, organisation_id)
    existing = _existing(db, need.id, organisation.id)
    if existing is None:
        raise NotFound()
    return get_own(db, viewer, need.id, existing.id)
