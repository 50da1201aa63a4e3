"""The council rewords a clarification question or corrects a published answer: a form, then a page that
shows the new text and who will be told, then the change. 404 to anyone outside the need's council."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer
from exchange.core.errors import Conflict, Invalid
from exchange.core.forms import FormSchema, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.needs.models import Need
from exchange.proposals import clarifications, procurement
from exchange.proposals.models import Clarification
from exchange.proposals.schemas import ANSWER_LIMIT, QUESTION_LIMIT, AnswerForm, QuestionForm

router = APIRouter(route_class=TransactionalRoute, prefix="/needs/{need_id}/clarifications/{clarification_id}")


@dataclass(frozen=True)
class Change:
    """One of the two changes: the words on its pages, its form, and the service calls that check and make it."""

    slug: str
    field: str
    heading: str
    label: str
    limit: int
    schema: type[FormSchema]
    check: Callable[..., None]
    apply: Callable[..., Clarification]
    done: str

    def current(self, clarification: Clarification) -> str:
        return str(getattr(clarification, self.field) or "")


EDIT = Change(
    "edit",
    "question",
    "Edit the question",
    "The question, as published",
    QUESTION_LIMIT,
    QuestionForm,
    clarifications.check_question_edit,
    clarifications.edit_question,
    "The new wording of the question is published.",
)
CORRECT = Change(
    "correct",
    "answer",
    "Correct the answer",
    "The corrected answer",
    ANSWER_LIMIT,
    AnswerForm,
    clarifications.check_correction,
    clarifications.correct_answer,
    "The corrected answer is published, beside the earlier one, and everyone who had the answer is told.",
)


def _load(db: Session, viewer: Viewer, need_id: int, clarification_id: int) -> tuple[Need, Clarification]:
    clarification = clarifications.council_clarification(db, viewer, need_id, clarification_id)
    return procurement.council_need(db, viewer, need_id), clarification


def _form_page(
    request: Request,
    need: Need,
    clarification: Clarification,
    change: Change,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    context = {
        "page_title": f"{change.heading}: {need.title}",
        "need": need,
        "clarification": clarification,
        "change": change,
        "values": values,
        "errors": errors,
    }
    return render(request, "proposals/clarification_change.html", context, status)


def _show_form(
    request: Request, db: Session, viewer: Viewer, need_id: int, clarification_id: int, change: Change
) -> HTMLResponse:
    need, clarification = _load(db, viewer, need_id, clarification_id)
    if change is CORRECT and not clarification.answered:
        raise Conflict("This question has no published answer to correct: answer it instead.")
    return _form_page(request, need, clarification, change, {change.field: change.current(clarification)}, {})


def _submit(
    request: Request, db: Session, viewer: Viewer, need_id: int, clarification_id: int, form: FormData, change: Change
) -> Response:
    """The form's text is checked and shown for confirmation; the confirmation makes the change."""
    need, clarification = _load(db, viewer, need_id, clarification_id)
    text = str(form.get(change.field) or "")
    values = {change.field: text}
    labels = {change.field: "the question" if change is EDIT else "the answer"}
    try:
        data = validate(change.schema, values if text.strip() else {}, labels)
        if form.get("confirmed") == "yes":
            change.apply(db, viewer, need_id, clarification_id, data)
            flash(request, change.done)
            return RedirectResponse(f"/needs/{need_id}/clarifications", status_code=303)
        change.check(db, viewer, need_id, clarification_id, data)
    except Invalid as error:
        message = error.field_errors.get(change.field) or next(iter(error.field_errors.values()), error.message)
        return _form_page(request, need, clarification, change, values, {change.field: message}, 422)
    if form.get("change_again"):
        return _form_page(request, need, clarification, change, values, {})
    told = clarifications.told_of_correction(db, clarification) if change is CORRECT else None
    context = {
        "page_title": f"Check and confirm: {need.title}",
        "need": need,
        "clarification": clarification,
        "change": change,
        "text": getattr(data, change.field),
        "told": told,
    }
    return render(request, "proposals/clarification_confirm.html", context)


@router.get("/edit", response_class=HTMLResponse)
def edit_question_page(
    request: Request,
    need_id: PathId,
    clarification_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> HTMLResponse:
    return _show_form(request, db, viewer, need_id, clarification_id, EDIT)


@router.post("/edit", response_class=HTMLResponse)
def edit_question(
    request: Request,
    need_id: PathId,
    clarification_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    return _submit(request, db, viewer, need_id, clarification_id, form, EDIT)


@router.get("/correct", response_class=HTMLResponse)
def correct_answer_page(
    request: Request,
    need_id: PathId,
    clarification_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> HTMLResponse:
    return _show_form(request, db, viewer, need_id, clarification_id, CORRECT)


@router.post("/correct", response_class=HTMLResponse)
def correct_answer(
    request: Request,
    need_id: PathId,
    clarification_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    return _submit(request, db, viewer, need_id, clarification_id, form, CORRECT)
