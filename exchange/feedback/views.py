"""The contact page with its feedback form, and the form to ask for a council's email domain."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, client_address, get_db
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.feedback import service
from exchange.feedback.schemas import CouncilDomainRequestForm, FeedbackForm

router = APIRouter(route_class=TransactionalRoute, prefix="/contact")

FEEDBACK_LABELS = {"message": "your message", "name": "your name", "email": "your email address"}
DOMAIN_LABELS = {
    "name": "your name",
    "email": "your council email address",
    "council_name": "your council's name",
    "message": "anything else we should know",
}


def _known_person(viewer: Viewer) -> dict[str, Any]:
    return {"name": viewer.name, "email": viewer.email} if viewer.signed_in else {}


def _contact_page(request: Request, values: dict[str, Any], errors: dict[str, str], status: int = 200) -> HTMLResponse:
    context = {"page_title": "Contact and feedback", "values": values, "errors": errors}
    return render(request, "feedback/contact.html", context, status_code=status)


@router.get("", response_class=HTMLResponse)
def contact_form(request: Request, viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    return _contact_page(request, _known_person(viewer), {})


@router.post("", response_class=HTMLResponse)
def leave_feedback(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    values = form_to_dict(form)
    try:
        data = validate(FeedbackForm, values, FEEDBACK_LABELS)
    except Invalid as error:
        return _contact_page(request, values, error.field_errors, 422)
    service.check_sender(db, client_address(request))
    service.leave_feedback(db, viewer, data, request.app.state.settings)
    flash(request, "Thank you: your message has reached the people who run the exchange.")
    return RedirectResponse("/contact/sent", status_code=303)


@router.get("/sent", response_class=HTMLResponse)
def sent(request: Request, viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    return render(request, "feedback/sent.html", {"page_title": "Message sent"})


def _domain_page(request: Request, values: dict[str, Any], errors: dict[str, str], status: int = 200) -> HTMLResponse:
    context = {"page_title": "Ask for your council's email domain", "values": values, "errors": errors}
    return render(request, "feedback/council_domain.html", context, status_code=status)


@router.get("/council-domain", response_class=HTMLResponse)
def council_domain_form(request: Request, viewer: Viewer = Depends(current_viewer)) -> HTMLResponse:
    return _domain_page(request, _known_person(viewer), {})


@router.post("/council-domain", response_class=HTMLResponse)
def request_council_domain(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(current_viewer),
) -> Response:
    values = form_to_dict(form)
    try:
        data = validate(CouncilDomainRequestForm, values, DOMAIN_LABELS)
        service.check_sender(db, client_address(request))
        service.request_council_domain(db, viewer, data, request.app.state.settings)
    except Invalid as error:
        return _domain_page(request, values, error.field_errors, 422)
    flash(
        request,
        f"Thank you. The administrators will check that @{data.email_domain} belongs to {data.council_name} "
        "and add it, then email you to say you can create your account.",
    )
    return RedirectResponse("/contact/sent", status_code=303)
