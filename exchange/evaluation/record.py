"""The procurement record of a need: what the council's procurement file keeps of it, sheet by sheet (the
proposals, every evaluator's scores with their reasons, the moderation, the feedback to each supplier, the
clarifications and the audit trail), as one XLSX workbook or a CSV per sheet.

Only the need's owner and its panel (or, while it has none, its council's admins) download it. While the
proposals are sealed the record holds nothing of them: not their content, their suppliers, nor any event
about them; the clarifications and the council's own steps are there from the start. Who asked a question
is never in it, as it is nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from exchange.accounts.models import User
from exchange.audit.models import AuditEvent
from exchange.core.errors import NotAllowed, NotFound
from exchange.core.viewer import Viewer
from exchange.evaluation.exports import Cell
from exchange.evaluation.service import EvaluationState
from exchange.proposals import procurement, sealing
from exchange.proposals.models import Clarification, Proposal, ProposalStatus
from exchange.proposals.service import ProposalView

SEALED_NOTE = "Proposals are sealed: this sheet is filled once they are opened."
# Events about a proposal that the record keeps once proposals are opened. A draft's own events never reach the
# council, and each evaluator's scores stay their own until moderation starts.
PROPOSAL_ACTIONS = ("proposal.submitted", "proposal.withdrawn", "proposal.moderated")
SCORE_ACTION = "evaluation.score_saved"


@dataclass(frozen=True)
class Sheet:
    slug: str
    title: str
    header: list[str]
    rows: list[list[Cell]]


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else ""


def refuse_unless_keeper(state: EvaluationState) -> None:
    """Who downloads the record: the readers of the proposals once opened; before that, the owner, the panel's
    members (who declare once they know the suppliers) and, while there is no panel, the council's admins."""
    if not state.sealed:
        state.refuse_unless_reader()
        return
    if state.panel.member(state.actor_id) is None:
        state.refuse_unless(state.panel.reading_refusal(state.actor_id))


def may_keep(state: EvaluationState) -> bool:
    try:
        refuse_unless_keeper(state)
    except NotAllowed:
        return False
    return True


def _proposals(db: Session, state: EvaluationState) -> Sheet:
    header = [
        "Supplier",
        "Submitted",
        "Price (£)",
        "About the price",
        "Approach",
        "Essentials met",
        "Nice-to-haves met",
    ]
    if state.sealed:
        received = sealing.received_count(db, state.need.id)
        return Sheet("proposals", "Proposals", header, [[f"{SEALED_NOTE} Received so far: {received}."]])
    view = procurement.load(db, state.need)
    rows: list[list[Cell]] = []
    for proposal in sealing.readable_submitted(db, view, state.actor_id):
        shown = ProposalView(proposal, view)
        rows.append(
            [
                proposal.organisation.name,
                _when(proposal.submitted_at),
                proposal.price,
                proposal.price_note,
                proposal.approach,
                f"{shown.essentials_met} of {len(view.essential)}",
                f"{shown.nice_to_haves_met} of {len(view.nice_to_have)}",
            ]
        )
    return Sheet("proposals", "Proposals", header, rows)


def _scores(state: EvaluationState, viewer: Viewer) -> Sheet:
    header = ["Supplier", "Criterion", "Weight (%)", "Evaluator", "Score", "Reason", "Scored"]
    if state.sealed:
        return Sheet("scores", "Scores", header, [[SEALED_NOTE]])
    criteria = {c.id: c for c in state.criteria}
    suppliers = {p.id: p.organisation.name for p in state.proposals}
    rows: list[list[Cell]] = []
    for score in state.visible_scores(viewer):
        criterion = criteria.get(score.criterion_id)
        rows.append(
            [
                suppliers.get(score.proposal_id, ""),
                criterion.name if criterion else "",
                criterion.weight if criterion else None,
                score.evaluator.name,
                score.score,
                score.justification,
                _when(score.updated_at),
            ]
        )
    if not state.moderation_started:
        rows.append(["Until moderation starts, each evaluator's scores are theirs alone: yours are shown here."])
    return Sheet("scores", "Scores", header, rows)


def _moderation(state: EvaluationState) -> Sheet:
    header = ["Supplier", "Criterion", "Weight (%)", "Agreed score", "Moderator's note"]
    if state.sealed:
        return Sheet("moderation", "Moderation", header, [[SEALED_NOTE]])
    rows: list[list[Cell]] = []
    for proposal in state.proposals:
        for criterion in state.criteria:
            agreed = state.agreed.get((proposal.id, criterion.id))
            if agreed is not None:
                rows.append([proposal.organisation.name, criterion.name, criterion.weight, agreed.score, agreed.note])
    if state.moderation is None:
        rows.append(["Moderation has not started."])
    return Sheet("moderation", "Moderation", header, rows)


def _feedback(state: EvaluationState) -> Sheet:
    header = ["Supplier", "Feedback", "Written"]
    if state.sealed:
        return Sheet("feedback", "Feedback", header, [[SEALED_NOTE]])
    rows: list[list[Cell]] = [
        [p.organisation.name, state.feedback[p.id].text, _when(state.feedback[p.id].updated_at)]
        for p in state.proposals
        if p.id in state.feedback
    ]
    return Sheet("feedback", "Feedback", header, rows)


def _clarifications(db: Session, state: EvaluationState) -> Sheet:
    header = ["Asked", "Question", "Answer", "Answered", "Answer corrected", "Earlier answer", "Question reworded"]
    questions = db.scalars(
        select(Clarification).where(Clarification.need_id == state.need.id).order_by(Clarification.id)
    )
    rows: list[list[Cell]] = [
        [
            _when(c.created_at),
            c.question,
            c.answer,
            _when(c.answered_at),
            _when(c.corrected_at),
            c.earlier_answer,
            _when(c.question_edited_at),
        ]
        for c in questions
    ]
    return Sheet("clarifications", "Clarifications", header, rows)


def _audit_events(db: Session, state: EvaluationState) -> list[AuditEvent]:
    need_id = state.need.id
    questions = select(Clarification.id).where(Clarification.need_id == need_id)
    about = [
        (AuditEvent.entity_type == "need") & (AuditEvent.entity_id == need_id),
        (AuditEvent.entity_type == "clarification") & AuditEvent.entity_id.in_(questions),
    ]
    if not state.sealed:
        proposals = select(Proposal.id).where(Proposal.need_id == need_id, Proposal.status != ProposalStatus.DRAFT)
        actions = [*PROPOSAL_ACTIONS, SCORE_ACTION] if state.moderation_started else list(PROPOSAL_ACTIONS)
        about.append(
            (AuditEvent.entity_type == "proposal")
            & AuditEvent.entity_id.in_(proposals)
            & AuditEvent.action.in_(actions)
        )
    return list(db.scalars(select(AuditEvent).where(or_(*about)).order_by(AuditEvent.created_at, AuditEvent.id)))


def _details(data: dict[str, Any]) -> str:
    return "; ".join(f"{key}: {value}" for key, value in sorted(data.items()) if key != "need_id")


def _audit_trail(db: Session, state: EvaluationState) -> Sheet:
    events = _audit_events(db, state)
    actors = {e.actor_user_id for e in events if e.actor_user_id}
    names = {row.id: row.name for row in db.execute(select(User.id, User.name).where(User.id.in_(actors)))}
    rows: list[list[Cell]] = []
    for event in events:
        # Who asked a question is never shown, the council included.
        who = (
            "A supplier (not shown)"
            if event.action == "clarification.asked"
            else names.get(event.actor_user_id or 0, "")
        )
        rows.append(
            [_when(event.created_at), who, event.action, f"{event.entity_type} {event.entity_id}", _details(event.data)]
        )
    return Sheet("audit-trail", "Audit trail", ["When", "Who", "What", "About", "Details"], rows)


# Slug and title of each sheet, in the workbook's order.
SHEETS = (
    ("proposals", "Proposals"),
    ("scores", "Scores"),
    ("moderation", "Moderation"),
    ("feedback", "Feedback"),
    ("clarifications", "Clarifications"),
    ("audit-trail", "Audit trail"),
)


def sheets(db: Session, state: EvaluationState, viewer: Viewer) -> list[Sheet]:
    refuse_unless_keeper(state)
    return [
        _proposals(db, state),
        _scores(state, viewer),
        _moderation(state),
        _feedback(state),
        _clarifications(db, state),
        _audit_trail(db, state),
    ]


def sheet(db: Session, state: EvaluationState, viewer: Viewer, slug: str) -> Sheet:
    if slug not in dict(SHEETS):
        raise NotFound()
    return next(s for s in sheets(db, state, viewer) if s.slug == slug)
