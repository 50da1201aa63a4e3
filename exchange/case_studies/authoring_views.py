"""Writing a case study: the form (new and edit), publishing and taking it back to a draft."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from exchange.accounts.dependencies import signed_in_viewer
from exchange.case_studies import service
from exchange.case_studies.models import CaseStudy
from exchange.case_studies.schemas import CASE_STUDY_LABELS, CaseStudyForm
from exchange.core.errors import Invalid
from exchange.core.forms import chosen_id, form_to_dict, submitted_form, validate
from exchange.core.http import TransactionalRoute, get_db
from exchange.core.ids import MAX_ID, PathId, plain_number
from exchange.core.templating import flash, render
from exchange.core.viewer import Viewer
from exchange.evaluation import outcome as outcomes
from exchange.reference import service as reference

router = APIRouter(route_class=TransactionalRoute, prefix="/case-studies")
LIST_FIELDS = ("pitch_ids", "offer_ids")


def _values(case_study: CaseStudy) -> dict[str, Any]:
    def blank(value: int | None) -> int | str:
        return "" if value is None else value

    return {
        "organisation_id": case_study.organisation_id,
        "title": case_study.title,
        "summary": case_study.summary,
        "problem": case_study.problem,
        "what_we_used": case_study.what_we_used,
        "supplier_organisation_id": blank(case_study.supplier_organisation_id),
        "need_id": blank(case_study.need_id),
        "pitch_ids": [str(i) for i in case_study.pitch_ids or []],
        "offer_ids": [str(i) for i in case_study.offer_ids or []],
        "cost": blank(case_study.cost),
        "duration_weeks": blank(case_study.duration_weeks),
        "cost_and_time": case_study.cost_and_time,
        "outcomes": case_study.outcomes,
        "key_figures": "\n".join(case_study.key_figures or []),
        "went_wrong": case_study.went_wrong,
        "steps": "\n".join(case_study.steps or []),
        "prerequisites": case_study.prerequisites,
        "contacts": case_study.contacts,
        "category_id": blank(case_study.category_id),
        "region_id": blank(case_study.region_id),
    }


def _supplier_id(values: dict[str, Any]) -> int | None:
    return plain_number(values.get("supplier_organisation_id"), MAX_ID) or None


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
    councils = service.authoring_councils(db, viewer)
    owner_ids = {chosen_id(values, "organisation_id")} if editing else {o.id for o in councils}
    context = {
        "page_title": "Edit your case study" if editing else "Write a case study",
        "values": values,
        "errors": errors,
        "action": action,
        "editing": editing,
        "councils": councils,
        "suppliers": service.supplier_choices(db),
        "needs": service.need_choices(db, owner_ids),
        "listings": service.listing_choices(db, _supplier_id(values)),
        "supplier_chosen": _supplier_id(values) is not None,
        "category_groups": reference.category_choices(db),
        "regions": reference.regions(db),
    }
    return render(request, "case_studies/form.html", context, status_code=status)


def _starting_values(db: Session, viewer: Viewer, need_id: str | None, councils: list[Any]) -> dict[str, Any]:
    """A new case study's form, filled from the need it tells the story of when it starts from one."""
    council = councils[0]
    values: dict[str, Any] = {"organisation_id": council.id, "region_id": council.region_id or ""}
    need = next(
        (n for n in service.need_choices(db, {c.id for c in councils}) if str(n.id) == (need_id or "")),
        None,
    )
    if need is not None:
        values.update(
            organisation_id=need.organisation_id,
            need_id=need.id,
            problem=need.problem_statement,
            category_id=need.category_id or "",
            region_id=need.region_id or values["region_id"],
        )
        outcome = outcomes.outcome_of(db, need.id)
        if outcome is not None and outcome.organisation_id is not None:
            values["supplier_organisation_id"] = outcome.organisation_id
    return values


@router.get("/supplier-listings", response_class=HTMLResponse)
def supplier_listings(
    request: Request,
    supplier_organisation_id: str = "",
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> HTMLResponse:
    """The chosen supplier's pitches and offers to tick, for the form's HTMX request when the supplier changes."""
    supplier_id = _supplier_id({"supplier_organisation_id": supplier_organisation_id})
    context = {
        "values": {},
        "errors": {},
        "listings": service.listing_choices(db, supplier_id),
        "supplier_chosen": supplier_id is not None,
    }
    return render(request, "case_studies/_used_listings.html", context, headers={"Vary": "HX-Request"})


@router.get("/new", response_class=HTMLResponse)
def new_form(
    request: Request, need: str | None = None, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    councils = service.authoring_councils(db, viewer)
    if not councils:
        return render(request, "case_studies/no_council.html", {"page_title": "Write a case study"})
    values = _starting_values(db, viewer, need, councils)
    return _form_page(request, db, viewer, values, {}, "/case-studies/new", editing=False)


@router.post("/new", response_class=HTMLResponse)
def create(
    request: Request,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    values = form_to_dict(form, LIST_FIELDS)
    try:
        data = validate(CaseStudyForm, values, CASE_STUDY_LABELS)
        organisation_id = chosen_id(values, "organisation_id")
        case_study = service.create(db, viewer, organisation_id, data)
    except Invalid as error:
        return _form_page(request, db, viewer, values, error.field_errors, "/case-studies/new", False, 422)
    except ValueError:
        errors = {"organisation_id": "Choose one of your councils or public bodies"}
        return _form_page(request, db, viewer, values, errors, "/case-studies/new", False, 422)
    flash(request, "Your case study is saved as a draft. Check it, then publish it.")
    return RedirectResponse(f"/case-studies/{case_study.id}", status_code=303)


@router.get("/{case_study_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, case_study_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> HTMLResponse:
    case_study = service.get_for_edit(db, viewer, case_study_id)
    action = f"/case-studies/{case_study_id}/edit"
    return _form_page(request, db, viewer, _values(case_study), {}, action, editing=True)


@router.post("/{case_study_id}/edit", response_class=HTMLResponse)
def update(
    request: Request,
    case_study_id: PathId,
    form: FormData = Depends(submitted_form),
    db: Session = Depends(get_db),
    viewer: Viewer = Depends(signed_in_viewer),
) -> Response:
    case_study = service.get_for_edit(db, viewer, case_study_id)
    values = {**form_to_dict(form, LIST_FIELDS), "organisation_id": case_study.organisation_id}
    action = f"/case-studies/{case_study_id}/edit"
    try:
        data = validate(CaseStudyForm, values, CASE_STUDY_LABELS)
        service.update(db, viewer, case_study_id, data)
    except Invalid as error:
        return _form_page(request, db, viewer, values, error.field_errors, action, True, 422)
    flash(request, "Your case study is updated.")
    return RedirectResponse(f"/case-studies/{case_study_id}", status_code=303)


@router.post("/{case_study_id}/publish")
def publish(
    request: Request, case_study_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    service.publish(db, viewer, case_study_id)
    flash(request, "Your case study is published.")
    return RedirectResponse(f"/case-studies/{case_study_id}", status_code=303)


@router.post("/{case_study_id}/unpublish")
def unpublish(
    request: Request, case_study_id: PathId, db: Session = Depends(get_db), viewer: Viewer = Depends(signed_in_viewer)
) -> Response:
    service.unpublish(db, viewer, case_study_id)
    flash(request, "Your case study is back to a draft: only your council's members can see it.")
    return RedirectResponse(f"/case-studies/{case_study_id}", status_code=303)
