"""Need pages: draft, edit, and move through the stages (the need's own page is pages.need, its preview and
publishing pages.need_preview)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.core.errors import Invalid
from exchange.core.forms import chosen_id, form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import PathId
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.needs import service
from exchange.needs.models import VISIBILITY_LABELS, Need
from exchange.needs.schemas import NEED_LABELS, SUITABLE_FOR_LABELS, NeedForm, StageChange
from exchange.profiles.models import CertificationKind
from exchange.reference import service as reference

router = APIRouter(route_class=TransactionalRoute, prefix="/needs")
# Form fields that can be ticked more than once.
LIST_FIELDS = ("required_certifications", "suitable_for")


def _values(need: Need) -> dict[str, Any]:
    return {
        "title": need.title,
        "summary": need.summary,
        "problem_statement": need.problem_statement,
        "users": need.users,
        "tried_so_far": need.tried_so_far,
        "visibility": need.visibility.value,
        "budget_min": need.budget_min if need.budget_min is not None else "",
        "budget_max": need.budget_max if need.budget_max is not None else "",
        "category_id": need.category_id or "",
        "region_id": need.region_id or "",
        "tags": ", ".join(need.tags or []),
        "organisation_id": need.organisation_id,
        "required_certifications": list(need.required_certifications or []),
        "region_required": "true" if need.region_required else "",
        "suitable_for": list(need.suitable_for or []),
    }


def _form_page(
    request: Request,
    db: Session,
    viewer: Viewer,
    values: dict[str, Any],
    errors: dict[str, str],
    action: str,
    editing: bool,
    status: int = 200,
) -> HTMLResponse:
    context = {
        "page_title": "Edit your need" if editing else "Post a need",
        "values": values,
        "errors": errors,
        "action": action,
        "editing": editing,
        "organisations": service.posting_organisations(db, viewer),
        "category_groups": reference.category_choices(db),
        "regions": reference.regions(db),
        "visibilities": list(VISIBILITY_LABELS.items()),
        "certifications": [
            (kind.value, kind.label) for kind in CertificationKind if kind is not CertificationKind.OTHER
        ],
        "suitable_for_options": list(SUITABLE_FOR_LABELS.items()),
    }
    return render(request, "needs/form.html", context, status_code=status)


@router.get("/new", response_class=HTMLResponse)
def new_form(request: Request, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)) -> Response:
    organisations = service.posting_organisations(db, viewer)
    if not organisations:
        return render(request, "needs/no_council.html", {"page_title": "Post a need"})
    values = {"organisation_id": organisations[0].id, "visibility": "public"}
    return _form_page(request, db, viewer, values, {}, "/needs/new", editing=False)


@router.post("/new", response_class=HTMLResponse)
def create(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    values = form_to_dict(form, LIST_FIELDS)
    try:
        data = validate(NeedForm, values, NEED_LABELS)
        organisation_id = chosen_id(values, "organisation_id")
        need = service.create(db, viewer, organisation_id, data)
    except Invalid as error:
        return _form_page(request, db, viewer, values, error.field_errors, "/needs/new", False, 422)
    except ValueError:
        errors = {"organisation_id": "Choose one of your councils or public bodies"}
        return _form_page(request, db, viewer, values, errors, "/needs/new", False, 422)
    flash(request, "Your draft is saved. Only your council can see it until you publish it.")
    return RedirectResponse(f"/needs/{need.id}/preview", status_code=303)


@router.get("/{need_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, need_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    need = service.get_editable(db, viewer, need_id)
    return _form_page(request, db, viewer, _values(need), {}, f"/needs/{need_id}/edit", editing=True)


@router.post("/{need_id}/edit", response_class=HTMLResponse)
def update(
    request: Request,
    need_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    service.get_for_edit(db, viewer, need_id)
    values = form_to_dict(form, LIST_FIELDS)
    try:
        data = validate(NeedForm, values, NEED_LABELS)
        need = service.update(db, viewer, need_id, data)
    except Invalid as error:
        return _form_page(request, db, viewer, values, error.field_errors, f"/needs/{need_id}/edit", True, 422)
    if need.is_draft:
        flash(request, "Your draft is updated.")
        return RedirectResponse(f"/needs/{need_id}/preview", status_code=303)
    flash(request, "Your need is updated.")
    return RedirectResponse(f"/needs/{need_id}", status_code=303)


@router.post("/{need_id}/stage")
def change_stage(
    request: Request,
    need_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    data = validate(StageChange, form_to_dict(form), {"stage": "the new stage"})
    need = service.change_stage_by_hand(db, viewer, need_id, data.stage)
    flash(request, f"The need is now: {need.stage.label.lower()}.")
    return RedirectResponse(f"/needs/{need_id}", status_code=303)
