"""The council's evaluation pages: the panel and the matrix, each evaluator's scoring form (every criterion
saved together), starting moderation, the moderation form, and the matrix as CSV or XLSX. Assigning the panel
and declaring interests are in panel_views.

Everything here answers 404 to anyone outside the need's council, anonymous visitors included.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer
from exchange.core.errors import Conflict, Invalid
from exchange.core.forms import field_errors, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.text import slugify
from exchange.core.viewer import Viewer
from exchange.evaluation import exports, panel, record, service
from exchange.evaluation.schemas import (
    CONFLICT_LIMIT,
    FEEDBACK_LIMIT,
    JUSTIFICATION_LIMIT,
    NOTE_LIMIT,
    ModerationForm,
    ScoreForm,
)
from exchange.evaluation.service import EvaluationState
from exchange.proposals.models import EvaluationCriterion, Proposal

router = APIRouter(route_class=TransactionalRoute, prefix="/needs/{need_id}")


def _evaluation_path(state: EvaluationState) -> str:
    return f"/needs/{state.need.id}/evaluation"


# --- The evaluation page and its downloads ---


@router.get("/evaluation", response_class=HTMLResponse)
def evaluation_page(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    return evaluation_response(request, db, service.load(db, viewer, need_id), viewer)


def _panel_values(state: EvaluationState) -> dict[str, Any]:
    moderator = state.panel.moderator
    return {
        "evaluator_ids": [m.user_id for m in state.panel.evaluators],
        "moderator_id": moderator.user_id if moderator else "",
    }


def evaluation_response(
    request: Request,
    db: Session,
    state: EvaluationState,
    viewer: Viewer,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The evaluation page; with the values and errors of the panel or declaration form that failed."""
    may_assign = state.panel.may_assign(viewer) and not state.moderation_started and not state.why_closed
    context = {
        "page_title": f"Evaluation: {state.need.title}",
        "need": state.need,
        "tab": "evaluation",
        "state": state,
        "panel": state.panel,
        "me": state.panel.member(viewer.user_id),
        "may_assign": may_assign,
        "officers": [(u.id, u.name) for u in panel.officers(db, state.need)] if may_assign else [],
        "suppliers": service.supplier_names(db, state) if not state.sealed else [],
        "conflict_limit": CONFLICT_LIMIT,
        "values": {**_panel_values(state), **(values or {})},
        "errors": errors or {},
        "matrix": state.matrix(viewer),
        "own": {p.id: state.own_scores(viewer, p.id) for p in state.proposals},
        "record_sheets": record.SHEETS if record.may_keep(state) else [],
    }
    return render(request, "evaluation/index.html", context, status)


def _download(state: EvaluationState, viewer: Viewer, kind: str) -> Response:
    state.refuse_unless_reader()
    if not state.moderation_started:
        raise Conflict(
            "The matrix can be downloaded once moderation has started: until then each evaluator sees only their"
            " own scores."
        )
    matrix = state.matrix(viewer)
    name = f"evaluation-{state.need.id}-{slugify(state.need.title, 60)}"
    if kind == "csv":
        body, media_type = exports.as_csv(matrix), exports.CSV_MEDIA_TYPE
    else:
        body, media_type = exports.as_xlsx(matrix, f"Evaluation: {state.need.title}"), exports.XLSX_MEDIA_TYPE
    headers = {"Content-Disposition": f'attachment; filename="{name}.{kind}"', "Cache-Control": "private, no-store"}
    return Response(body, media_type=media_type, headers=headers)


@router.get("/evaluation.csv")
def evaluation_csv(
    need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> Response:
    return _download(service.load(db, viewer, need_id), viewer, "csv")


@router.get("/evaluation.xlsx")
def evaluation_xlsx(
    need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> Response:
    return _download(service.load(db, viewer, need_id), viewer, "xlsx")


@router.post("/evaluation/moderation")
def start_moderation(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> Response:
    service.start_moderation(db, viewer, need_id)
    flash(request, "Moderation has started. Evaluators' scores are now shown side by side, and can no longer change.")
    return RedirectResponse(f"/needs/{need_id}/evaluation", 303)


# --- Scoring: every criterion in one form ---


def _score_values(state: EvaluationState, viewer: Viewer, proposal: Proposal) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for criterion_id, score in state.own_scores(viewer, proposal.id).items():
        values[f"score_{criterion_id}"] = score.score
        values[f"justification_{criterion_id}"] = score.justification
    return values


def _scores_page(
    request: Request,
    state: EvaluationState,
    proposal: Proposal,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    context = {
        "page_title": f"Score the proposal from {proposal.organisation.name}: {state.need.title}",
        "need": state.need,
        "state": state,
        "proposal": proposal,
        "values": values,
        "errors": errors,
        "limit": JUSTIFICATION_LIMIT,
    }
    return render(request, "evaluation/scores.html", context, status)


@router.get("/proposals/{proposal_id}/scores", response_class=HTMLResponse)
def scores_page(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> HTMLResponse:
    state = service.load(db, viewer, need_id)
    proposal = service.shortlisted(db, state, proposal_id)
    state.refuse_unless(state.panel.scoring_refusal(viewer.user_id))
    return _scores_page(request, state, proposal, _score_values(state, viewer, proposal), {})


def parse_scores(form: FormData, state: EvaluationState) -> dict[int, ScoreForm]:
    """Each criterion's two fields, named after it; every problem on the form at once, in the form's order."""
    scores: dict[int, ScoreForm] = {}
    errors: dict[str, str] = {}
    for criterion in state.criteria:
        names = {"score": f"score_{criterion.id}", "justification": f"justification_{criterion.id}"}
        data = {field: str(form.get(name) or "") for field, name in names.items()}
        labels = {
            "score": f"your score for {criterion.name.lower()}",
            "justification": f"why you gave this score for {criterion.name.lower()}",
        }
        try:
            scores[criterion.id] = validate(ScoreForm, {k: v for k, v in data.items() if v.strip()}, labels)
        except Invalid as error:
            for field, message in error.field_errors.items():
                if field == "score" and data["score"].strip():
                    message = f"Your score for {criterion.name.lower()} must be a whole number from 0 to 100"
                errors[names[field]] = message
    if errors:
        raise Invalid("Check the answers and try again", field_errors=errors)
    return scores


@router.post("/proposals/{proposal_id}/scores", response_class=HTMLResponse)
def save_scores(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    state = service.load(db, viewer, need_id)
    proposal = service.scorable(db, state, proposal_id)
    values = {key: str(value) for key, value in form.items() if key != "csrf_token"}
    try:
        service.save_scores(db, viewer, need_id, proposal.id, parse_scores(form, state))
    except Invalid as error:
        return _scores_page(request, state, proposal, values, error.field_errors, 422)
    flash(request, f"Your scores for {proposal.organisation.name} are saved.")
    return RedirectResponse(_evaluation_path(state), 303)


# --- Moderation ---


def _moderation_values(state: EvaluationState, proposal: Proposal) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for criterion in state.criteria:
        agreed = state.agreed.get((proposal.id, criterion.id))
        if agreed is not None:
            values[f"agreed_{criterion.id}_score"] = agreed.score
            values[f"agreed_{criterion.id}_note"] = agreed.note
    feedback = state.feedback.get(proposal.id)
    values["feedback"] = feedback.text if feedback else ""
    return values


def parse_moderation(values: dict[str, Any], criteria: list[EvaluationCriterion]) -> ModerationForm:
    def given(name: str) -> dict[str, str]:
        """Empty fields are left out, so that they count as missing."""
        value = str(values.get(name) or "")
        return {name.rsplit("_", 1)[-1]: value} if value.strip() else {}

    data = {
        "scores": [
            {"criterion_id": c.id, **given(f"agreed_{c.id}_score"), **given(f"agreed_{c.id}_note")} for c in criteria
        ],
        **given("feedback"),
    }
    try:
        return ModerationForm.model_validate(data)
    except ValidationError as error:
        raise Invalid("Check the answers and try again", field_errors=_moderation_errors(error, criteria)) from None


def _moderation_errors(error: ValidationError, criteria: list[EvaluationCriterion]) -> dict[str, str]:
    """Errors keyed by the form's field ids, each naming the criterion it is about, in the form's order."""
    messages = field_errors(error, {"feedback": "the feedback for the supplier"})
    messages.pop("scores", None)
    for item in error.errors():
        location = item["loc"]
        if location[0] != "scores" or len(location) < 3 or not isinstance(location[1], int):
            continue
        criterion, part = criteria[location[1]], str(location[2])
        if item["type"] in ("missing", "string_too_short"):
            text = "the agreed score" if part == "score" else "the moderation note"
            message = f"Enter {text} for {criterion.name.lower()}"
        elif part == "score":
            message = f"The agreed score for {criterion.name.lower()} must be a whole number from 0 to 100"
        else:
            message = f"{criterion.name}: {str(item['msg']).removeprefix('Value error, ')}"
        messages.setdefault(f"agreed_{criterion.id}_{part}", message)
    order = [f"agreed_{c.id}_{part}" for c in criteria for part in ("score", "note")] + ["feedback"]
    return dict(sorted(messages.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)))


def _moderation_page(
    request: Request,
    state: EvaluationState,
    viewer: Viewer,
    proposal: Proposal,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    matrix = state.matrix(viewer)
    context = {
        "page_title": f"Moderate the scores for {proposal.organisation.name}: {state.need.title}",
        "need": state.need,
        "state": state,
        "proposal": proposal,
        "row": matrix.row(proposal.id),
        "matrix": matrix,
        "justifications": {
            (s.criterion_id, s.evaluator_id): s.justification for s in state.scores if s.proposal_id == proposal.id
        },
        "values": values,
        "errors": errors,
        "note_limit": NOTE_LIMIT,
        "feedback_limit": FEEDBACK_LIMIT,
    }
    return render(request, "evaluation/moderate.html", context, status)


@router.get("/proposals/{proposal_id}/moderation", response_class=HTMLResponse)
def moderation_page(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    state = service.load(db, viewer, need_id)
    proposal = service.shortlisted(db, state, proposal_id)
    state.refuse_unless(state.panel.moderating_refusal(viewer.user_id))
    if not state.moderation_started:
        flash(request, "Start moderation first: until then evaluators can change their scores.")
        return RedirectResponse(_evaluation_path(state), 303)
    return _moderation_page(request, state, viewer, proposal, _moderation_values(state, proposal), {})


@router.post("/proposals/{proposal_id}/moderation", response_class=HTMLResponse)
def moderate(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    state = service.load(db, viewer, need_id)
    proposal = service.shortlisted(db, state, proposal_id)
    state.refuse_unless(state.panel.moderating_refusal(viewer.user_id))
    values = {key: str(value) for key, value in form.items() if key != "csrf_token"}
    try:
        service.moderate(db, viewer, need_id, proposal.id, parse_moderation(values, state.criteria))
    except Invalid as error:
        return _moderation_page(request, state, viewer, proposal, values, error.field_errors, 422)
    flash(request, f"The agreed scores and feedback for {proposal.organisation.name} are saved.")
    return RedirectResponse(_evaluation_path(state), 303)
