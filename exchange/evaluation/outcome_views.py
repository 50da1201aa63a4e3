"""Outcome pages: the council records what happened to its need; each supplier that submitted a proposal
then reads the outcome, its own agreed scores and the council's feedback."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer
from exchange.core.dates import gather_dates
from exchange.core.errors import Invalid
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.evaluation import outcome, service
from exchange.evaluation.models import OutcomeKind
from exchange.evaluation.schemas import OUTCOME_LABELS, OutcomeForm
from exchange.proposals import procurement

router = APIRouter(route_class=TransactionalRoute, prefix="/needs/{need_id}")


def _outcome_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    need_id: int,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    state = service.load(db, viewer, need_id)
    need = state.need
    view = procurement.load(db, need)
    why_not = outcome.why_no_supplier_can_be_chosen(db, view, viewer.user_id)
    # The ranking only for those who may read the evaluation (with a panel: its cleared members and the owner).
    shown = state.moderation_started and state.reading_refusal is None
    ranked = {row.supplier.proposal_id: row for row in state.matrix(viewer).rows} if shown else {}
    proposers = sorted(
        outcome.council_proposers(db, view, viewer.user_id),
        key=lambda p: (ranked[p.id].rank or 999_999 if p.id in ranked else 999_999, p.organisation.name.lower()),
    )
    context = {
        "page_title": f"Outcome: {need.title}",
        "need": need,
        "tab": "outcome",
        "outcome": outcome.outcome_of(db, need.id),
        "why_not": why_not,
        "kinds": [kind for kind in OutcomeKind if kind is OutcomeKind.CANCELLED or not why_not],
        "proposers": proposers,
        "ranked": ranked,
        "values": values,
        "errors": errors,
    }
    return render(request, "evaluation/outcome.html", context, status)


@router.get("/outcome", response_class=HTMLResponse)
def outcome_page(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    return _outcome_page(request, db, viewer, need_id, {}, {})


@router.post("/outcome", response_class=HTMLResponse)
def record_outcome(
    request: Request,
    need_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    procurement.council_need(db, viewer, need_id)
    values = gather_dates(form_to_dict(form), ("starts_on",))
    try:
        recorded = outcome.record(db, viewer, need_id, validate(OutcomeForm, values, OUTCOME_LABELS))
    except Invalid as error:
        return _outcome_page(request, db, viewer, need_id, values, error.field_errors, 422)
    flash(
        request, f"The outcome is recorded: {recorded.kind.label.lower()}. Every supplier that sent a proposal is told."
    )
    return RedirectResponse(f"/needs/{need_id}/outcome", 303)


@router.get("/proposals/{proposal_id}/outcome", response_class=HTMLResponse)
def own_outcome_page(
    request: Request,
    need_id: PathId,
    proposal_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> HTMLResponse:
    result = outcome.own_result(db, viewer, need_id, proposal_id)
    context = {
        "page_title": f"The outcome of your proposal: {result.need.title}",
        "need": result.need,
        "result": result,
    }
    return render(request, "evaluation/own_outcome.html", context)
