"""Organisation pages: the directory, editing and membership requests (an organisation's own page is
pages.organisation)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import current_viewer, signed_in_viewer
from exchange.core.errors import Invalid, NotFound
from exchange.core.forms import form_to_dict, page_number, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.organisations import directory, service
from exchange.organisations.models import ORGANISATION_KIND_LABELS, OrganisationKind
from exchange.organisations.schemas import OrganisationEdit
from exchange.reference import service as reference

router = APIRouter(route_class=TransactionalRoute, prefix="/organisations")


@router.get("", response_class=HTMLResponse)
def directory_page(
    request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(current_viewer)
) -> HTMLResponse:
    kind = request.query_params.get("kind", "")
    kind_filter = OrganisationKind(kind) if kind in {k.value for k in OrganisationKind} else None
    page = page_number(request.query_params.get("page"))
    result = directory.list_organisations(db, kind_filter, request.query_params.get("q", ""), page)
    context = {
        "page_title": "Organisations",
        "result": result,
        "kind": kind_filter.value if kind_filter else "",
        "q": request.query_params.get("q", ""),
        "kinds": list(ORGANISATION_KIND_LABELS.items()),
    }
    return render(request, "organisations/index.html", context)


def _edit_page(
    request: Request,
    db: Session,
    slug: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    context = {
        "page_title": "Edit organisation",
        "slug": slug,
        "values": values,
        "errors": errors,
        "regions": reference.regions(db),
    }
    return render(request, "organisations/edit.html", context, status_code=status)


@router.get("/{slug}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, slug: str, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    organisation = service.get_by_slug(db, slug)
    if not viewer.is_organisation_admin(organisation.id):
        raise NotFound()
    values = {
        "name": organisation.name,
        "description": organisation.description,
        "website": organisation.website or "",
        "region_id": organisation.region_id or "",
    }
    return _edit_page(request, db, slug, values, {})


@router.post("/{slug}/edit", response_class=HTMLResponse)
def update(
    request: Request,
    slug: str,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    organisation = service.get_by_slug(db, slug)
    values = form_to_dict(form)
    try:
        data = validate(OrganisationEdit, values, {"name": "the name", "website": "the website"})
        if not reference.valid_region(db, data.region_id):
            raise Invalid("Check the answers", field_errors={"region_id": "Choose a region from the list"})
        service.update_organisation(db, viewer, organisation.id, data)
    except Invalid as error:
        return _edit_page(request, db, slug, values, error.field_errors, 422)
    flash(request, "Your organisation's details are saved.")
    return RedirectResponse(f"/organisations/{slug}", status_code=303)


@router.post("/members/{member_id}/decision")
def decide_member(
    request: Request,
    member_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    decision = form.get("decision")
    if decision == "approve":
        service.approve_member(db, viewer, member_id)
        flash(request, "The request to join is approved.")
    elif decision == "decline":
        service.decline_member(db, viewer, member_id)
        flash(request, "The request to join is declined.")
    else:
        raise Invalid("Choose approve or decline")
    return RedirectResponse("/dashboard", status_code=303)
