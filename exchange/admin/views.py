"""The administrator's pages: verify organisations and manage councils' email-domain allow-lists."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import admin_viewer
from exchange.core.errors import Invalid, NotFound
from exchange.core.forms import form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.feedback import service as feedback
from exchange.organisations import service as organisations
from exchange.organisations.schemas import CouncilDomainAdd

router = APIRouter(route_class=TransactionalRoute, prefix="/admin")


def _page(
    request: Request, db: Session, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    context = {
        "page_title": "Administration",
        "unverified": organisations.unverified_organisations(db),
        "values": values,
        "errors": errors,
    }
    return render(request, "admin/index.html", context, status_code=status)


@router.get("", response_class=HTMLResponse)
def admin_home(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(admin_viewer)) -> HTMLResponse:
    return _page(request, db, {}, {})


@router.get("/messages", response_class=HTMLResponse)
def messages(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(admin_viewer)) -> HTMLResponse:
    context = {"page_title": "Messages from the contact forms", "messages": feedback.recent_messages(db)}
    return render(request, "admin/messages.html", context)


@router.post("/organisations/{organisation_id}/verify")
def verify(
    request: Request,
    organisation_id: PathId,
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(admin_viewer),
) -> Response:
    organisation = organisations.set_verified(db, viewer, organisation_id, True)
    flash(request, f"{organisation.name} is verified.")
    return RedirectResponse("/admin", status_code=303)


@router.post("/council-domains", response_class=HTMLResponse)
def add_domain(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(admin_viewer),
) -> Response:
    values = form_to_dict(form)
    try:
        data = validate(CouncilDomainAdd, values, {"domain": "the email domain"})
        organisation = organisations.get_by_slug(db, values.get("organisation_slug", ""))
        organisations.add_council_domain(db, viewer, organisation.id, data.domain)
    except Invalid as error:
        return _page(request, db, values, error.field_errors or {"organisation_slug": error.message}, 422)
    except NotFound:
        return _page(
            request,
            db,
            values,
            {"organisation_slug": "Enter the web address name of a council, e.g. burnley"},
            422,
        )
    flash(request, f"People with a confirmed @{data.domain} address now join {organisation.name}.")
    return RedirectResponse("/admin", status_code=303)
