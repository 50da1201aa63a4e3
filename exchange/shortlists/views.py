"""A need's shortlist page, and adding or removing suppliers in place (HTMX) or by a plain form post."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.forms import FormSchema, form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import DbId, PathId
from exchange.core.templating import flash, is_htmx, render
from exchange.core.viewer import Viewer
from exchange.organisations.models import Organisation
from exchange.proposals import invitations, procurement
from exchange.shortlists import service

router = APIRouter(route_class=TransactionalRoute)


class ShortlistForm(FormSchema):
    organisation_id: DbId
    pitch_id: DbId | None = None
    offer_id: DbId | None = None
    return_to: str = ""


LABELS = {"organisation_id": "the supplier", "pitch_id": "the pitch", "offer_id": "the offer"}


def _back(need_id: int, return_to: str) -> str:
    """Only back to one of this need's own pages: never an address from elsewhere."""
    prefix = f"/needs/{need_id}"
    return return_to if return_to in {prefix, f"{prefix}/matches", f"{prefix}/shortlist"} else f"{prefix}/shortlist"


def _button(request: Request, need_id: int, organisation: Organisation, on_shortlist: bool, return_to: str) -> Response:
    context = {
        "need": {"id": need_id},
        "organisation_id": organisation.id,
        "name": organisation.name,
        "on_shortlist": on_shortlist,
        "item": None,
        "return_to": return_to,
    }
    return render(request, "shortlists/_button.html", context)


@router.get("/needs/{need_id}/shortlist", response_class=HTMLResponse)
def shortlist(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    need = service.council_need(db, viewer, need_id)
    context = {
        "page_title": f"Shortlist: {need.title}",
        "need": need,
        "tab": "shortlist",
        "entries": service.entries(db, need),
        **invitations.row_marks(db, viewer, procurement.load(db, need)),
    }
    return render(request, "shortlists/index.html", context)


@router.post("/needs/{need_id}/shortlist")
def add(
    request: Request,
    need_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    service.council_need(db, viewer, need_id)
    data = validate(ShortlistForm, form_to_dict(form), LABELS)
    entry = service.add(db, viewer, need_id, data.organisation_id, "match", data.pitch_id, data.offer_id)
    organisation = db.get_one(Organisation, entry.organisation_id)
    back = _back(need_id, data.return_to)
    if is_htmx(request):
        return _button(request, need_id, organisation, True, back)
    flash(request, f"{organisation.name} is on the shortlist.")
    return RedirectResponse(back, status_code=303)


@router.post("/needs/{need_id}/shortlist/{organisation_id}/remove")
def remove(
    request: Request,
    need_id: PathId,
    organisation_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    service.remove(db, viewer, need_id, organisation_id)
    organisation = db.get_one(Organisation, organisation_id)
    back = _back(need_id, str(form.get("return_to", "")))
    if is_htmx(request):
        return _button(request, need_id, organisation, False, back)
    flash(request, f"{organisation.name} is off the shortlist.")
    return RedirectResponse(back, status_code=303)
