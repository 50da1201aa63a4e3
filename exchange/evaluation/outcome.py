"""A need's outcome: awarded (to a supplier that submitted a proposal, with the value and start date), no
suitable supplier, or cancelled. Recorded once by the council, through the guarded stage transitions, and
told to every supplier that submitted a proposal. Each of them may then read its own agreed scores and the
council's feedback: never another supplier's scores, nor who scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from exchange.audit import service as audit
from exchange.core.errors import Conflict, Invalid, NotFound
from exchange.core.templating import format_date, format_pounds
from exchange.core.viewer import Viewer
from exchange.evaluation.matrix import Criterion as MatrixCriterion
from exchange.evaluation.matrix import weighted_total
from exchange.evaluation.models import AgreedScore, NeedOutcome, OutcomeKind, ProposalFeedback
from exchange.evaluation.schemas import OutcomeForm
from exchange.needs import service as needs
from exchange.needs.models import Need, NeedStage
from exchange.notifications.models import NotificationKind
from exchange.notifications.service import notify
from exchange.organisations import service as organisations
from exchange.organisations.models import Organisation
from exchange.proposals import procurement, sealing
from exchange.proposals import service as proposals
from exchange.proposals.models import EvaluationCriterion, Proposal, ProposalStatus
from exchange.proposals.procurement import ProcurementView


def outcome_of(db: Session, need_id: int) -> NeedOutcome | None:
    return db.scalar(
        select(NeedOutcome).where(NeedOutcome.need_id == need_id).options(selectinload(NeedOutcome.organisation))
    )


def outcomes_of(db: Session, need_ids: set[int]) -> dict[int, NeedOutcome]:
    if not need_ids:
        return {}
    return {o.need_id: o for o in db.scalars(select(NeedOutcome).where(NeedOutcome.need_id.in_(need_ids)))}


def proposers(db: Session, need: Need) -> list[Proposal]:
    """The submitted proposals (withdrawn ones are out of the running), with their organisations."""
    return list(
        db.scalars(
            select(Proposal)
            .where(Proposal.need_id == need.id, Proposal.status == ProposalStatus.SUBMITTED)
            .options(selectinload(Proposal.organisation))
            .order_by(Proposal.submitted_at, Proposal.id)
        )
    )


def why_no_supplier_can_be_chosen(db: Session, view: ProcurementView, actor_id: int | None) -> str | None:
    """Why the need can only be cancelled for now (a supplier is chosen once proposals are closed and opened)."""
    stage = view.need.stage
    if stage is NeedStage.CLOSED or (stage is NeedStage.OPEN_FOR_PROPOSALS and not view.before_close):
        if sealing.open_for_council(db, view, actor_id):
            return None
        return f"A supplier can be chosen once proposals are opened. {sealing.sealed_message(view)}"
    if stage is NeedStage.OPEN_FOR_PROPOSALS:
        closes = format_date(view.closes_on) if view.closes_on else "a date not yet set"
        return f"Proposals are open until the end of {closes}: a supplier can be chosen only after they close"
    return f"This need is {stage.label.lower()}: it has not taken proposals, so it can only be cancelled"


def _stages_to(db: Session, view: ProcurementView, kind: OutcomeKind, actor_id: int | None) -> list[NeedStage]:
    """The guarded transitions that lead to the outcome's stage: through "closed" once proposals have closed."""
    target = NeedStage(kind.value)
    if kind is OutcomeKind.CANCELLED:
        return [target]
    why_not = why_no_supplier_can_be_chosen(db, view, actor_id)
    if view.need.stage is NeedStage.CLOSED and not why_not:
        return [target]
    if why_not:
        raise Conflict(f"{why_not}. Nothing has changed.")
    return [NeedStage.CLOSED, target]


def council_proposers(db: Session, view: ProcurementView, actor_id: int | None) -> list[Proposal]:
    """The proposers as the council may see them: none while proposals are sealed."""
    return sealing.readable_submitted(db, view, actor_id)


def _awarded_proposal(
    db: Session, view: ProcurementView, organisation_id: int | None, actor_id: int | None
) -> Proposal:
    candidates = council_proposers(db, view, actor_id)
    proposal = next((p for p in candidates if p.organisation_id == organisation_id), None)
    if proposal is None:
        message = "Choose a supplier that submitted a proposal for this need"
        raise Invalid("Check the answers and try again", field_errors={"organisation_id": message})
    return proposal


def record(db: Session, viewer: Viewer, need_id: int, form: OutcomeForm) -> NeedOutcome:
    need = procurement.council_need(db, viewer, need_id)
    existing = outcome_of(db, need.id)
    if existing is not None:
        raise Conflict(
            f"The outcome ({existing.kind.label.lower()}) was recorded on {format_date(existing.recorded_at)}:"
            " it cannot be recorded twice. Nothing has changed."
        )
    if need.stage.is_final:
        raise Conflict(f"This need is already {need.stage.label.lower()}: its outcome cannot change.")
    view = procurement.load(db, need)
    stages = _stages_to(db, view, form.kind, viewer.user_id)
    awarded = None
    if form.kind is OutcomeKind.AWARDED:
        awarded = _awarded_proposal(db, view, form.organisation_id, viewer.user_id)
    for stage in stages:
        needs.change_stage(db, viewer, need.id, stage)
    outcome = NeedOutcome(
        need_id=need.id,
        kind=form.kind,
        organisation_id=awarded.organisation_id if awarded else None,
        proposal_id=awarded.id if awarded else None,
        value=form.value,
        starts_on=form.starts_on,
        recorded_by_id=viewer.user_id,
    )
    try:
        # A savepoint: of two colleagues recording an outcome at the same moment, the first one stands.
        with db.begin_nested():
            db.add(outcome)
    except IntegrityError:
        raise Conflict("A colleague has just recorded this need's outcome. Nothing has changed.") from None
    outcome.organisation = awarded.organisation if awarded else None
    audit.record(
        db,
        viewer.user_id,
        "need.outcome_recorded",
        "need",
        need.id,
        kind=form.kind.value,
        organisation_id=outcome.organisation_id,
        value=form.value,
        starts_on=form.starts_on.isoformat() if form.starts_on else None,
    )
    _tell_proposers(db, need, outcome, awarded)
    return outcome


def _message(council: str, need: Need, outcome: NeedOutcome, won: bool, winner: str) -> tuple[str, str]:
    about = f"“{need.title}”"
    if outcome.kind is OutcomeKind.AWARDED and won:
        return (
            f"Your proposal was successful: {need.title}",
            f"{council} has awarded {about} to {winner}, for {format_pounds(outcome.value)}, starting on"
            f" {format_date(outcome.starts_on)}. The council will be in touch about the contract.",
        )
    if outcome.kind is OutcomeKind.AWARDED:
        body = f"{council} has awarded {about} to another supplier: your proposal was not successful this time."
    elif outcome.kind is OutcomeKind.NO_SUITABLE_SUPPLIER:
        body = f"{council} has closed {about} without choosing a supplier: it found no suitable proposal."
    else:
        body = f"{council} has cancelled {about}."
    return f"Outcome of your proposal: {need.title}", f"{body} You can now read your scores and the council's feedback."


def _tell_proposers(db: Session, need: Need, outcome: NeedOutcome, awarded: Proposal | None) -> None:
    council = db.get_one(Organisation, need.organisation_id).name
    winner = awarded.organisation.name if awarded else ""
    for proposal in proposers(db, need):
        won = awarded is not None and proposal.id == awarded.id
        title, body = _message(council, need, outcome, won, winner)
        link = f"/needs/{need.id}/proposals/{proposal.id}/outcome"
        notify(
            db,
            organisations.active_members(db, [proposal.organisation_id]),
            NotificationKind.OUTCOME,
            title,
            body,
            link,
        )


# --- What a supplier reads of its own proposal ---


@dataclass
class OwnResult:
    need: Need
    proposal: Proposal
    outcome: NeedOutcome
    criteria: list[EvaluationCriterion]
    agreed: dict[int, AgreedScore]
    feedback: ProposalFeedback | None
    # The debrief of an unsuccessful supplier: the winning proposal's agreed scores, beside its own. The winner's
    # moderation notes stay the council's: they may say what the winner offered.
    winner_agreed: dict[int, AgreedScore] = field(default_factory=dict)

    @property
    def successful(self) -> bool:
        return self.outcome.kind is OutcomeKind.AWARDED and self.outcome.proposal_id == self.proposal.id

    @property
    def compared(self) -> bool:
        return not self.successful and bool(self.winner_agreed)

    def _total(self, agreed: dict[int, AgreedScore]) -> float | None:
        criteria = [MatrixCriterion(c.id, c.name, c.weight) for c in self.criteria]
        return weighted_total({cid: a.score for cid, a in agreed.items()}, criteria)

    @property
    def agreed_total(self) -> float | None:
        return self._total(self.agreed)

    @property
    def winner_total(self) -> float | None:
        return self._total(self.winner_agreed)


def own_result(db: Session, viewer: Viewer, need_id: int, proposal_id: int) -> OwnResult:
    """For the supplier's members, once the outcome is recorded; 404 to everyone else and before then."""
    proposal, need = proposals.get_own(db, viewer, need_id, proposal_id)
    outcome = outcome_of(db, need.id)
    if outcome is None or proposal.status is not ProposalStatus.SUBMITTED:
        raise NotFound()
    winner_id = outcome.proposal_id if outcome.kind is OutcomeKind.AWARDED else None
    return OwnResult(
        need=need,
        proposal=proposal,
        outcome=outcome,
        criteria=procurement.load(db, need).criteria,
        agreed=_agreed(db, proposal.id),
        feedback=db.scalar(select(ProposalFeedback).where(ProposalFeedback.proposal_id == proposal.id)),
        winner_agreed=_agreed(db, winner_id) if winner_id is not None and winner_id != proposal.id else {},
    )


def _agreed(db: Session, proposal_id: int) -> dict[int, AgreedScore]:
    return {a.criterion_id: a for a in db.scalars(select(AgreedScore).where(AgreedScore.proposal_id == proposal_id))}
