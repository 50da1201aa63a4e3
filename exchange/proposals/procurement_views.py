"""Pages for a need's procurement settings (the council) and its clarification questions (suppliers ask,
the council answers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.core.dates import date_values, gather_dates
from exchange.core.errors import Invalid
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.needs import service as needs
from exchange.needs.models import Need
from exchange.proposals import clarifications, procurement
from exchange.proposals.procurement import ProcurementView
from exchange.proposals.schemas import (
    ANSWER_LIMIT,
    CRITERION_ROWS,
    MAX_CRITERIA,
    PROCUREMENT_LABELS,
    QUESTION_LIMIT,
    AnswerForm,
    ProcurementForm,
    QuestionForm,
)

# The council's pages answer 404 to everyone else, anonymous visitors included; asking a question signs in first.
router = APIRouter(route_class=TransactionalRoute, prefix="/needs/{need_id}")
# What the council can still change once a proposal is submitted.
DATE_FIELDS = ("opens_on", "closes_on", "questions_close_on")
STILL_CHANGEABLE = ("shortlist_size", *DATE_FIELDS)


# --- Procurement settings ---


def _settings_values(view: ProcurementView) -> dict[str, Any]:
    values: dict[str, Any] = {
        "essential_requirements": "\n".join(r.text for r in view.essential),
        "nice_to_have_requirements": "\n".join(r.text for r in view.nice_to_have),
        "shortlist_size": view.shortlist_size or "",
        **date_values("opens_on", view.opens_on),
        **date_values("closes_on", view.closes_on),
        **date_values("questions_close_on", view.questions_close_on),
    }
    criteria: list[tuple[str, int | str]] = [(c.name, c.weight) for c in view.criteria]
    if not view.is_set_up:
        criteria = [("Technical quality", ""), ("Social value", ""), ("Price", "")]
    for number, (name, weight) in enumerate(criteria, start=1):
        values[f"criterion_{number}_name"] = name
        values[f"criterion_{number}_weight"] = weight
    return values


def _settings_data(values: dict[str, Any], rows: int) -> dict[str, Any]:
    """The form's fields as the schema takes them: criteria as rows, requirements as text, one per line."""
    data = {key: value for key, value in values.items() if not key.startswith("criterion_")}
    data["criteria"] = [
        {"name": values.get(f"criterion_{n}_name", ""), "weight": values.get(f"criterion_{n}_weight", "")}
        for n in range(1, rows + 1)
    ]
    return data


def _settings_page(
    request: Request,
    view: ProcurementView,
    values: dict[str, Any],
    errors: dict[str, str],
    locked: bool,
    status: int = 200,
) -> HTMLResponse:
    filled = sum(1 for key in values if key.startswith("criterion_") and key.endswith("_name"))
    context = {
        "page_title": f"Requirements, criteria and dates: {view.need.title}",
        "need": view.need,
        "view": view,
        "values": values,
        "errors": errors,
        "locked": locked,
        "criterion_rows": min(MAX_CRITERIA, max(CRITERION_ROWS, filled + 1)),
    }
    return render(request, "proposals/procurement.html", context, status)


@router.get("/procurement", response_class=HTMLResponse)
def settings_page(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    need = _editable_need(db, viewer, need_id)
    view = procurement.load(db, need)
    return _settings_page(request, view, _settings_values(view), {}, procurement.is_locked(db, need.id))


def _editable_need(db: Session, viewer: Viewer, need_id: int) -> Need:
    """The need with its organisation loaded (so ``get`` comes first), if its council may still change it."""
    need = needs.get(db, viewer, need_id)
    needs.get_editable(db, viewer, need_id)
    return need


@router.post("/procurement", response_class=HTMLResponse)
def save_settings(
    request: Request,
    need_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    need = _editable_need(db, viewer, need_id)
    values = form_to_dict(form)
    locked = procurement.is_locked(db, need.id)
    if locked:
        # The requirements and criteria are fixed, so the form leaves them out: keep them as they are.
        fixed = _settings_values(procurement.load(db, need))
        values.update({key: value for key, value in fixed.items() if key.split("-")[0] not in STILL_CHANGEABLE})
    try:
        data = validate(
            ProcurementForm, _settings_data(gather_dates(values, DATE_FIELDS), MAX_CRITERIA), PROCUREMENT_LABELS
        )
        procurement.update(db, viewer, need.id, data)
    except Invalid as error:
        return _settings_page(request, procurement.load(db, need), values, error.field_errors, locked, 422)
    flash(request, "The requirements, criteria and dates are saved.")
    # A draft goes back to its preview, where it is published.
    return RedirectResponse(f"/needs/{need.id}/preview" if need.is_draft else f"/needs/{need.id}", status_code=303)


# --- Clarification questions ---


def _ask_page(
    request: Request,
    need: Need,
    view: ProcurementView,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    context = {
        "page_title": f"Ask a question: {need.title}",
        "need": need,
        "view": view,
        "values": values,
        "errors": errors,
        "limit": QUESTION_LIMIT,
    }
    return render(request, "proposals/ask.html", context, status)


@router.get("/clarifications/new", response_class=HTMLResponse)
def ask_page(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    need = needs.get(db, viewer, need_id)
    return _ask_page(request, need, procurement.load(db, need), {}, {})


@router.post("/clarifications/new", response_class=HTMLResponse)
def ask(
    request: Request,
    need_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    need = needs.get(db, viewer, need_id)
    values = form_to_dict(form)
    try:
        clarifications.ask(db, viewer, need.id, validate(QuestionForm, values, {"question": "your question"}))
    except Invalid as error:
        return _ask_page(request, need, procurement.load(db, need), values, error.field_errors, 422)
    flash(request, "Your question is sent. When the council answers it, the answer is published on this page.")
    return RedirectResponse(f"/needs/{need.id}#clarifications", status_code=303)


def _council_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    need: Need,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    context = {
        "page_title": f"Clarification questions: {need.title}",
        "need": need,
        "view": procurement.load(db, need),
        "questions": clarifications.visible_to(db, viewer, need),
        "values": values,
        "errors": errors,
        "limit": ANSWER_LIMIT,
    }
    return render(request, "proposals/clarifications.html", context, status)


@router.get("/clarifications", response_class=HTMLResponse)
def council_questions(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    need = procurement.council_need(db, viewer, need_id)
    return _council_page(request, db, viewer, need, {}, {})


@router.post("/clarifications/{clarification_id}/answer", response_class=HTMLResponse)
def answer(
    request: Request,
    need_id: PathId,
    clarification_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    need = procurement.council_need(db, viewer, need_id)
    field = f"answer_{clarification_id}"
    text = str(form.get(field) or "")
    try:
        data = validate(AnswerForm, {"answer": text} if text.strip() else {}, {"answer": "the answer"})
        clarifications.answer(db, viewer, need.id, clarification_id, data)
    except Invalid as error:
        message = next(iter(error.field_errors.values()), error.message)
        return _council_page(request, db, viewer, need, {field: text}, {field: message}, 422)
    flash(request, "Your answer is published on the need, without who asked.")
    return RedirectResponse(f"/needs/{need.id}/clarifications", status_code=303)
