"""The evaluation panel's forms on the evaluation page: assigning evaluators and the moderator, and each
member's declaration of interests. Both post back to the page: a problem re-shows it with the error summary."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash
from exchange.core.viewer import Viewer
from exchange.evaluation import panel, service
from exchange.evaluation.schemas import DECLARATION_LABELS, PANEL_LABELS, DeclarationForm, PanelForm
from exchange.evaluation.views import evaluation_response

router = APIRouter(route_class=TransactionalRoute, prefix="/needs/{need_id}/evaluation")


@router.post("/panel")
def assign_panel(
    request: Request,
    need_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    state = service.load(db, viewer, need_id)
    evaluators = [str(value) for value in form.getlist("evaluator_ids")]
    moderator = str(form.get("moderator_id") or "")
    data = {"evaluator_ids": [value for value in evaluators if value.strip()], "moderator_id": moderator or None}
    try:
        panel.assign(db, viewer, state.need, validate(PanelForm, data, PANEL_LABELS))
    except Invalid as error:
        values = {"evaluator_ids": evaluators, "moderator_id": moderator}
        messages = {key: _panel_message(key, text) for key, text in error.field_errors.items()}
        return evaluation_response(request, db, state, viewer, values, messages, 422)
    flash(request, "The evaluation panel is saved. Anyone newly assigned has been told.")
    return RedirectResponse(f"/needs/{need_id}/evaluation#panel", 303)


def _panel_message(field: str, message: str) -> str:
    """A ticked box or radio that is not a number was tampered with: say what to do, not what broke."""
    if message.startswith("Check") or "whole number" in message:
        return f"Choose the {'evaluators' if field == 'evaluator_ids' else 'moderator'} from the list"
    return message


@router.post("/declaration")
def declare(
    request: Request,
    need_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    state = service.load(db, viewer, need_id)
    values = {"has_conflict": str(form.get("has_conflict") or ""), "description": str(form.get("description") or "")}
    data = {key: value for key, value in values.items() if value.strip()}
    try:
        declaration = validate(DeclarationForm, data, DECLARATION_LABELS)
        panel.declare(db, viewer, state.need, state.sealed_message, declaration)
    except Invalid as error:
        messages = dict(error.field_errors)
        if "has_conflict" in messages:
            messages["has_conflict"] = "Choose whether you have a conflict of interest with these suppliers"
        return evaluation_response(request, db, state, viewer, values, messages, 422)
    if declaration.has_conflict:
        flash(request, "Your conflict of interest is recorded. You take no part in this evaluation.")
    else:
        flash(request, "Your declaration is recorded: you can now read the proposals.")
    return RedirectResponse(f"/needs/{need_id}/evaluation", 303)
