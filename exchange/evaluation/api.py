"""JSON API for evaluation and outcomes: the council's matrix, each evaluator's own scores, moderation and
the outcome; the outcome of a need for anyone who can see it once recorded; and each supplier's own result."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from exchange.accounts.dependencies import current_viewer
from exchange.core.api_errors import API_ERRORS
from exchange.core.errors import NotFound
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.viewer import Viewer
from exchange.evaluation import outcome, panel, service
from exchange.evaluation.models import NeedOutcome
from exchange.evaluation.schemas import (
    AgreedScoreOut,
    CriterionOut,
    CriterionResultOut,
    DeclarationForm,
    EvaluationOut,
    EvaluatorOut,
    ModerationForm,
    OutcomeForm,
    OutcomeOut,
    OwnOutcomeOut,
    PanelForm,
    PanelMemberOut,
    PanelOut,
    ProposalResultOut,
    ScoreForm,
    ScoreOut,
)
from exchange.evaluation.service import EvaluationState
from exchange.needs import service as needs
from exchange.proposals import service as proposals
from exchange.proposals.api import OrganisationChoice

router = APIRouter(route_class=TransactionalRoute, tags=["evaluation"], responses=API_ERRORS)


def evaluation_out(state: EvaluationState, viewer: Viewer) -> EvaluationOut:
    matrix = state.matrix(viewer)
    notes = {key: agreed.note for key, agreed in state.agreed.items()}
    return EvaluationOut(
        need_id=state.need.id,
        sealed=state.sealed,
        moderation_started_at=state.moderation.started_at if state.moderation else None,
        outcome_recorded=state.outcome is not None,
        criteria=[CriterionOut(id=c.id, name=c.name, weight=c.weight) for c in matrix.criteria],
        evaluators=[EvaluatorOut(id=e.id, name=e.name) for e in matrix.evaluators],
        proposals=[
            ProposalResultOut(
                proposal_id=row.supplier.proposal_id,
                organisation_id=row.supplier.organisation_id,
                organisation_name=row.supplier.name,
                criteria=[
                    CriterionResultOut(
                        criterion_id=cell.criterion.id,
                        scores=cell.by_evaluator,
                        lowest=cell.spread[0] if cell.spread else None,
                        highest=cell.spread[1] if cell.spread else None,
                        agreed=cell.agreed,
                        agreed_note=notes.get((row.supplier.proposal_id, cell.criterion.id)),
                    )
                    for cell in row.cells
                ],
                evaluator_totals=row.evaluator_totals,
                agreed_total=row.agreed_total,
                rank=row.rank,
                feedback=state.feedback[row.supplier.proposal_id].text
                if row.supplier.proposal_id in state.feedback
                else None,
            )
            for row in matrix.rows
        ],
    )


def outcome_out(recorded: NeedOutcome) -> OutcomeOut:
    return OutcomeOut(
        need_id=recorded.need_id,
        kind=recorded.kind,
        organisation_id=recorded.organisation_id,
        organisation_name=recorded.organisation.name if recorded.organisation else None,
        value=recorded.value,
        starts_on=recorded.starts_on,
        recorded_at=recorded.recorded_at,
    )


@router.get("/needs/{need_id}/evaluation", response_model=EvaluationOut)
def get_evaluation(
    need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> EvaluationOut:
    """For the need's council only: the shortlisted proposals ranked by agreed weighted total. Until moderation
    starts, only your own scores are given. Once the need has an evaluation panel, only the panel (each member
    once they have declared no conflict of interest) and the need's owner are answered."""
    state = service.load(db, viewer, need_id)
    state.refuse_unless_reader()
    return evaluation_out(state, viewer)


def panel_out(found: panel.Panel) -> PanelOut:
    return PanelOut(
        need_id=found.need.id,
        members=[
            PanelMemberOut(
                user_id=m.user_id,
                name=m.user.name,
                evaluator=m.is_evaluator,
                moderator=m.is_moderator,
                declared_at=m.declared_at,
                conflict=m.has_conflict,
                conflict_description=m.conflict_description,
            )
            for m in found.members
        ],
    )


@router.get("/needs/{need_id}/evaluation/panel", response_model=PanelOut)
def get_panel(need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)) -> PanelOut:
    """For the need's council: who evaluates and who moderates, and each one's declaration of interests."""
    return panel_out(service.load(db, viewer, need_id).panel)


@router.put("/needs/{need_id}/evaluation/panel", response_model=PanelOut)
def assign_panel(
    need_id: PathId, body: PanelForm, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> PanelOut:
    """For the need's owner or an admin of its council: the evaluators and the one moderator, officers of the
    council. Newly assigned officers are told; an evaluator who has scored stays."""
    state = service.load(db, viewer, need_id)
    return panel_out(panel.assign(db, viewer, state.need, body))


@router.post("/needs/{need_id}/evaluation/declaration", response_model=PanelOut)
def declare(
    need_id: PathId, body: DeclarationForm, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> PanelOut:
    """For a member of the panel, once proposals are opened: whether you have a conflict of interest with the
    suppliers (described if so). Made once; until then you read no proposal."""
    state = service.load(db, viewer, need_id)
    panel.declare(db, viewer, state.need, state.sealed_message, body)
    return panel_out(panel.load(db, state.need))


@router.put("/needs/{need_id}/proposals/{proposal_id}/scores/{criterion_id}", response_model=ScoreOut)
def save_own_score(
    need_id: PathId,
    proposal_id: PathId,
    criterion_id: PathId,
    body: ScoreForm,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> ScoreOut:
    """Your score of a shortlisted proposal against one criterion, new or changed, until moderation starts."""
    score = service.save_score(db, viewer, need_id, proposal_id, criterion_id, body)
    return ScoreOut(
        proposal_id=score.proposal_id,
        criterion_id=score.criterion_id,
        evaluator_id=score.evaluator_id,
        evaluator_name=score.evaluator.name,
        score=score.score,
        justification=score.justification,
        updated_at=score.updated_at,
    )


@router.post("/needs/{need_id}/evaluation/moderation", response_model=EvaluationOut)
def start_moderation(
    need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> EvaluationOut:
    """Fix every evaluator's scores and show them all to the council."""
    service.start_moderation(db, viewer, need_id)
    return evaluation_out(service.load(db, viewer, need_id), viewer)


@router.put("/needs/{need_id}/proposals/{proposal_id}/moderation", response_model=EvaluationOut)
def moderate(
    need_id: PathId,
    proposal_id: PathId,
    body: ModerationForm,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> EvaluationOut:
    """The agreed score for every criterion, each with its note, and the feedback the supplier will read."""
    service.moderate(db, viewer, need_id, proposal_id, body)
    return evaluation_out(service.load(db, viewer, need_id), viewer)


@router.get("/needs/{need_id}/outcome", response_model=OutcomeOut)
def get_outcome(need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)) -> OutcomeOut:
    """The need's outcome, for anyone who can see the need, once it is recorded."""
    need = needs.get(db, viewer, need_id)
    recorded = outcome.outcome_of(db, need.id)
    if recorded is None:
        raise NotFound()
    return outcome_out(recorded)


@router.post("/needs/{need_id}/outcome", response_model=OutcomeOut)
def record_outcome(
    need_id: PathId, body: OutcomeForm, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> OutcomeOut:
    """For the need's council: record the outcome, once. Every supplier that submitted a proposal is told."""
    return outcome_out(outcome.record(db, viewer, need_id, body))


@router.get("/needs/{need_id}/proposal/outcome", response_model=OwnOutcomeOut)
def get_own_outcome(
    need_id: PathId,
    organisation_id: OrganisationChoice = None,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> OwnOutcomeOut:
    """Your organisation's result once the outcome is recorded: your agreed scores and the council's feedback."""
    own, _ = proposals.own_proposal(db, viewer, need_id, organisation_id)
    result = outcome.own_result(db, viewer, need_id, own.id)
    return OwnOutcomeOut(
        outcome=outcome_out(result.outcome),
        proposal_id=own.id,
        successful=result.successful,
        agreed_scores=[
            AgreedScoreOut(criterion_id=c.id, criterion_name=c.name, weight=c.weight, score=result.agreed[c.id].score)
            for c in result.criteria
            if c.id in result.agreed
        ],
        agreed_total=result.agreed_total,
        feedback=result.feedback.text if result.feedback else None,
    )
