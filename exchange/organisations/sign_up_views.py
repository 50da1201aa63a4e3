"""The sign-up page: an account, and for a supplier its organisation."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.schemas import SignUp
from exchange.core.errors import Invalid
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.templating import render, render_page_or_fragment
from exchange.organisations.sign_up import UnknownCouncilDomain
from exchange.organisations.sign_up import sign_up as sign_up_with_organisation
from exchange.organisations.suggestions import NoSuchOrganisation, similar_joinable

router = APIRouter(route_class=TransactionalRoute, prefix="/account")

SIGN_UP_LABELS = {
    "name": "your name",
    "email": "your email address",
    "password": "a password",
    "account_kind": "who you are signing up as",
    "organisation_name": "your organisation's name",
}


def _sign_up_page(
    request: Request,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    unknown_council_domain: bool = False,
    join_suggestions: list[str] | None = None,
) -> HTMLResponse:
    context = {
        "page_title": "Create an account",
        "values": values,
        "errors": errors,
        "unknown_council_domain": unknown_council_domain,
        # Radios: each name is both what is sent and what is shown.
        "join_suggestions": [(name, name) for name in join_suggestions or []],
    }
    return render(request, "accounts/sign_up.html", context, status_code=status)


@router.get("/sign-up", response_class=HTMLResponse)
def sign_up_form(request: Request) -> HTMLResponse:
    return _sign_up_page(request, {"account_kind": request.query_params.get("as", "")}, {})


@router.get("/organisation-suggestions", response_class=HTMLResponse)
def organisation_suggestions(request: Request, db: Session = Depends(get_db)) -> HTMLResponse:
    """Organisations close to the name being typed to join: the radios for HTMX, else the sign-up page with them."""
    typed = request.query_params.get("join_organisation_slug", "")[:200]
    found = [organisation.name for organisation in similar_joinable(db, typed)] if len(typed.strip()) >= 2 else []
    context = {
        "page_title": "Create an account",
        "values": {"account_kind": "supplier", "join_organisation_slug": typed},
        "errors": {},
        "join_suggestions": [(name, name) for name in found],
    }
    return render_page_or_fragment(request, "accounts/sign_up.html", "accounts/_join_suggestions.html", context)


@router.post("/sign-up", response_class=HTMLResponse)
def sign_up(request: Request, form: FormData = Depends(submitted_form), db: Session = Depends(get_db)) -> Response:
    values = form_to_dict(form)
    # A name chosen from the suggestions offered after a name that was not quite right.
    if chosen := values.pop("join_organisation_suggestion", None):
        values["join_organisation_slug"] = chosen
    try:
        data = validate(SignUp, values, SIGN_UP_LABELS)
        sign_up_with_organisation(db, data, request.app.state.settings)
    except Invalid as error:
        values.pop("password", None)
        errors = error.field_errors or {"email": error.message}
        suggestions = error.suggestions if isinstance(error, NoSuchOrganisation) else []
        return _sign_up_page(request, values, errors, 422, isinstance(error, UnknownCouncilDomain), suggestions)
    # The same answer whether or not the address already had an account.
    return render(request, "accounts/check_email.html", {"page_title": "Check your email", "email": data.email})
